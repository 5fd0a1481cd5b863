"""Deprecated: ``book.graphs`` is now :mod:`book.viz.graphs`; this name keeps old notebooks working."""

from book.viz.graphs import *  # noqa: F403
