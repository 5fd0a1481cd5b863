"""Deprecated: ``book.records`` is now :mod:`book.chapters.privacy_utility`; this name keeps old notebooks working."""

from book.chapters.privacy_utility import *  # noqa: F403
from book.chapters.privacy_utility import EXPLORER_D, EXPLORER_EPSILONS, EXPLORER_REPS, EXPLORER_SIZES, PALETTE, SERIES, privacy_frontier_alt as frontier_alt, privacy_frontier_figure as frontier_figure  # noqa: F401
