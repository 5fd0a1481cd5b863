"""Deprecated: ``book.frontier`` is now :mod:`book.objectives.frontiers`; this name keeps old notebooks working."""

from book.objectives.frontiers import *  # noqa: F403
from book.viz.frontier import frontier_figure  # noqa: F401
from book.viz.palette import PALETTE  # noqa: F401
