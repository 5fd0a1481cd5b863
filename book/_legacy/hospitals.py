"""Deprecated name of :mod:`book.chapters.robustness_accuracy`, kept so that old notebooks still run."""

from book.chapters.robustness_accuracy import *
from book.chapters.robustness_accuracy import EXPLORER_DEPLOYED, EXPLORER_MISMATCH_1, PALETTE, name
from book.chapters.robustness_accuracy import hospital_frontier_figure as frontier_figure
