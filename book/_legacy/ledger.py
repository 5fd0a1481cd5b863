"""Deprecated name of :mod:`book.chapters.trustworthiness_as_invariance`, kept so that old notebooks still run."""

from book.chapters.trustworthiness_as_invariance import *
