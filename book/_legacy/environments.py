"""Deprecated name of :mod:`book.objectives.robustness`, kept so that old notebooks still run."""

from book.objectives.frontiers import FrontierPoint
from book.objectives.ledger import risk_invariance
from book.objectives.robustness import *
from book.objectives.robustness import environment_risk as risk
from book.objectives.robustness import environment_risks as risks
from book.objectives.robustness import widen as on_features
from book.predictors import RandomizedPredictor, mixture, randomized
from book.scm import TOLERANCE
