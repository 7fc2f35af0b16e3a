"""A project's figures: the tidy and tracker formats read into one observations frame, every
problem listed before anything is loaded."""

from .observations import Figures, load_figures, load_observations

__all__ = ["Figures", "load_figures", "load_observations"]
