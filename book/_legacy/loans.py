"""Deprecated: ``book.loans`` is now :mod:`book.chapters.explainability_accuracy`; this name keeps old notebooks working."""

from book.chapters.explainability_accuracy import *  # noqa: F403
from book.chapters.explainability_accuracy import EXPLORER_APPLICANTS, PALETTE  # noqa: F401
