"""Deprecated: ``book.plots`` is now :mod:`book.viz.dag`; this name keeps old notebooks working."""

from book.viz.dag import *  # noqa: F403
from book.viz.palette import PALETTE, SERIES, new_figure  # noqa: F401
