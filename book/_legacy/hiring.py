"""Deprecated: ``book.hiring`` is now :mod:`book.chapters.fairness_accuracy`; this name keeps old notebooks working."""

from book.chapters.fairness_accuracy import *  # noqa: F403
from book.chapters.fairness_accuracy import PALETTE  # noqa: F401
