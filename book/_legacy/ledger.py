"""Deprecated: ``book.ledger`` is now :mod:`book.chapters.trustworthiness_as_invariance`; this name keeps old notebooks working."""

from book.chapters.trustworthiness_as_invariance import *  # noqa: F403
