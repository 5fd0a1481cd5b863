"""Deprecated name of :mod:`book.chapters.explainability_accuracy`, kept so that old notebooks still run."""

from book.chapters.explainability_accuracy import *
from book.chapters.explainability_accuracy import EXPLORER_APPLICANTS, PALETTE
