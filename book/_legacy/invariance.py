"""Deprecated name of :mod:`book.objectives.ledger`, kept so that old notebooks still run.

The first edition's ``explanation_faithfulness`` is now
:func:`book.objectives.ledger.interventional_validity` (same computation).
"""

from book.objectives.ledger import *
from book.objectives.ledger import interventional_validity as explanation_faithfulness
from book.scm import TOLERANCE
