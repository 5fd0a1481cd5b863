"""Deprecated: ``book.explanations`` is now :mod:`book.objectives.explainability`; this name keeps old notebooks working."""

from book.objectives.explainability import *  # noqa: F403
from book.predictors import bayes_score  # noqa: F401
