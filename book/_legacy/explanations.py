"""Deprecated name of :mod:`book.objectives.explainability`, kept so that old notebooks still run."""

from book.objectives.explainability import *
from book.objectives.explainability import interventional_invalidity as unfaithfulness
from book.predictors import bayes_score
