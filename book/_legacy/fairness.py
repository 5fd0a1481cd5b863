"""Deprecated name of :mod:`book.objectives.fairness`, kept so that old notebooks still run."""

from collections.abc import Mapping, Sequence
from typing import Any

from book.objectives.fairness import *
from book.objectives.fairness import accuracy_against as _accuracy_against
from book.objectives.frontiers import FrontierPoint
from book.predictors import RandomizedPredictor as _RandomizedPredictor
from book.predictors import positive_probabilities as policy_of
from book.predictors import uses
from book.scm import DiscreteSCM as _DiscreteSCM


def policy_accuracy(scm: _DiscreteSCM, features: Sequence[str], label: str, policy: Mapping[Any, float]) -> float:
    """Deprecated: :func:`book.objectives.fairness.accuracy_against` on a predictor."""
    neg, pos = scm.binary_states(label)
    table = {cell: {neg: 1.0 - float(h), pos: float(h)} for cell, h in policy.items()}
    return _accuracy_against(scm, _RandomizedPredictor(tuple(features), table, (neg, pos)), label)
