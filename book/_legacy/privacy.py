"""Deprecated: ``book.privacy`` is now :mod:`book.objectives.privacy`; this name keeps old notebooks working."""

from book.objectives.privacy import *  # noqa: F403
from book.metrics import sample_accuracy as accuracy  # noqa: F401
