"""Deprecated name of :mod:`book.chapters.privacy_utility`, kept so that old notebooks still run."""

from book.chapters.privacy_utility import *
from book.chapters.privacy_utility import EXPLORER_D, EXPLORER_EPSILONS, EXPLORER_REPS, EXPLORER_SIZES, PALETTE, SERIES
from book.chapters.privacy_utility import privacy_frontier_alt as frontier_alt
from book.chapters.privacy_utility import privacy_frontier_figure as frontier_figure
