"""Deprecated name of :mod:`book.viz.dag`, kept so that old notebooks still run."""

from book.viz.dag import *
from book.viz.palette import PALETTE, SERIES, new_figure
