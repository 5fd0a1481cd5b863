"""Deprecated name of :mod:`book.chapters.fairness_accuracy`, kept so that old notebooks still run."""

from book.chapters.fairness_accuracy import *
from book.chapters.fairness_accuracy import PALETTE
