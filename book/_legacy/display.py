"""Deprecated: ``book.display`` is now :mod:`book.viz.display`; this name keeps old notebooks working."""

from book.viz.display import *  # noqa: F403
