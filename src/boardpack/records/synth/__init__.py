"""Synthetic Client Level Data with known answers: people's care journeys simulated in real
councils (calibrated to their published 2024-25 ASCOF figures), written as quarterly
submissions, with the measures worked out from the simulated truth and, on request, the faults
the method must survive.

    from boardpack.records.synth import synthesise
    synthesise("out", councils=2, people=500, quarters=5, seed=1, faults=True)
"""

from .generate import Result, synthesise

__all__ = ["Result", "synthesise"]
