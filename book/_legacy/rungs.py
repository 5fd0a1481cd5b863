"""Deprecated: ``book.rungs`` is now :mod:`book.chapters.seeing_doing_imagining`; this name keeps old notebooks working."""

from book.chapters.seeing_doing_imagining import *  # noqa: F403
from book.chapters.seeing_doing_imagining import PALETTE  # noqa: F401
