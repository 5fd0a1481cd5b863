"""Deprecated: ``book.scms`` is now :mod:`book.models`; this name keeps old notebooks working."""

from book.models import *  # noqa: F403
