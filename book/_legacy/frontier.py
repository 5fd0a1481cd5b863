"""Deprecated name of :mod:`book.objectives.frontiers`, kept so that old notebooks still run."""

from book.objectives.frontiers import *
from book.viz.frontier import frontier_figure
from book.viz.palette import PALETTE
