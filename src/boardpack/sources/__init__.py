"""Sources: everything that reads a project's files (and other inputs) and checks them.

Sources only read and check; what is derived from the figures is the engine's work.
"""
