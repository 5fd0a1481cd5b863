"""Deprecated: ``book.hospitals`` is now :mod:`book.chapters.robustness_accuracy`; this name keeps old notebooks working."""

from book.chapters.robustness_accuracy import *  # noqa: F403
from book.chapters.robustness_accuracy import EXPLORER_DEPLOYED, EXPLORER_MISMATCH_1, PALETTE, hospital_frontier_figure as frontier_figure, name  # noqa: F401
