"""Deprecated name of :mod:`book.objectives.ledger`, kept so that old notebooks still run."""

from book.objectives.ledger import *
from book.scm import TOLERANCE
