"""Deprecated name of :mod:`book.objectives.recourse`, kept so that old notebooks still run."""

from book.objectives.recourse import *
