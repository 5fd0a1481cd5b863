"""Deprecated: ``book.environments`` is now :mod:`book.objectives.robustness`; this name keeps old notebooks working."""

from book.objectives.robustness import *  # noqa: F403
from book.objectives.frontiers import FrontierPoint  # noqa: F401
from book.objectives.ledger import risk_invariance  # noqa: F401
from book.objectives.robustness import environment_risk as risk, environment_risks as risks, widen as on_features  # noqa: F401
from book.predictors import RandomizedPredictor, mixture, randomized  # noqa: F401
from book.scm import TOLERANCE  # noqa: F401
