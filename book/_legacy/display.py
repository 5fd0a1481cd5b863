"""Deprecated name of :mod:`book.viz.display`, kept so that old notebooks still run."""

from book.viz.display import *
