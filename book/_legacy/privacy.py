"""Deprecated name of :mod:`book.objectives.privacy`, kept so that old notebooks still run."""

from book.metrics import sample_accuracy as accuracy
from book.objectives.privacy import *
