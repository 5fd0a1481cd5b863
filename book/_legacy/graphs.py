"""Deprecated name of :mod:`book.viz.graphs`, kept so that old notebooks still run."""

from book.viz.graphs import *
