"""Deprecated name of :mod:`book.models`, kept so that old notebooks still run."""

from book.models import *
