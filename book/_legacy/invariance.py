"""Deprecated: ``book.invariance`` is now :mod:`book.objectives.ledger`; this name keeps old notebooks working."""

from book.objectives.ledger import *  # noqa: F403
from book.scm import TOLERANCE  # noqa: F401
