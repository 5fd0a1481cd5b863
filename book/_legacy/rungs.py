"""Deprecated name of :mod:`book.chapters.seeing_doing_imagining`, kept so that old notebooks still run."""

from book.chapters.seeing_doing_imagining import *
from book.chapters.seeing_doing_imagining import PALETTE
