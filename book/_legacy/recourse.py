"""Deprecated: ``book.recourse`` is now :mod:`book.objectives.recourse`; this name keeps old notebooks working."""

from book.objectives.recourse import *  # noqa: F403
