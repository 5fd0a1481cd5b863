"""Conflicts as frontiers, computed (drawing them is :mod:`book.viz.frontier`'s job).

A conflict between utility and an invariance shows up as a *frontier*. Two
kinds are computed in the book, both exactly:

* the **candidates**: the Bayes-optimal predictor on every subset of a feature
  set, each with its accuracy and its invariance gaps
  (:func:`feature_subset_candidates`); the invariant candidates (gap 0) are
  less accurate than the best candidate overall;
* the **frontier** proper: for each bound on a constrained quantity, the best
  randomised predictor and what it achieves, one :class:`FrontierPoint` per
  bound (computed by :func:`book.objectives.fairness.fairness_frontier` and
  :func:`book.objectives.robustness.frontier`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from book import metrics
from book.predictors import RandomizedPredictor, attach, bayes_optimal, subset_label
from book.scm import TOLERANCE, DiscreteSCM

__all__ = ["Candidate", "FrontierPoint", "GapFunction", "best", "feature_subset_candidates", "trade_off"]

GapFunction = Callable[[DiscreteSCM, str], float]


@dataclass(frozen=True)
class FrontierPoint:
    """The best randomised predictor under one bound on a constrained quantity.

    Attributes
    ----------
    bound : float
        The bound :math:`\\tau` on the constrained quantity.
    predictor : RandomizedPredictor
        The optimal predictor under that bound.
    values : dict
        What it achieves, by name (e.g. ``"accuracy"``; ``"training risk"`` and
        ``"worst risk"``); also readable as ``point["accuracy"]``.
    """

    bound: float
    predictor: RandomizedPredictor
    values: Mapping[str, float]

    def __getitem__(self, name: str) -> float:
        if name not in self.values:
            raise KeyError(f"{name!r} is not measured at this frontier point; it has {sorted(self.values)!r}")
        return self.values[name]


@dataclass(frozen=True)
class Candidate:
    """One predictor: its features, exact accuracy and invariance gaps."""

    features: tuple[str, ...]
    accuracy: float
    gaps: Mapping[str, float]

    @property
    def name(self) -> str:
        """Short label such as ``"{C, S}"`` (:func:`book.predictors.subset_label`)."""
        return subset_label(self.features)

    def invariant(self, gap: str, tolerance: float = TOLERANCE) -> bool:
        """Whether the candidate passes the named invariance check."""
        return self.gaps[gap] <= tolerance


def feature_subset_candidates(
    scm: DiscreteSCM,
    target: str,
    features: Sequence[str],
    gaps: Mapping[str, GapFunction],
    *,
    prediction: str = "Yhat",
) -> list[Candidate]:
    """Evaluate the Bayes-optimal predictor on every non-empty subset of ``features``.

    Parameters
    ----------
    scm : DiscreteSCM
    target : str
        The label the predictors aim at.
    features : sequence of str
        The candidate features.
    gaps : mapping of str to callable
        Name -> ``gap(scm_with_prediction, prediction_name)`` (e.g. a lambda
        around a function of :mod:`book.invariance`).
    prediction : str
        Name of the prediction variable added to the model.

    Returns
    -------
    list of Candidate
        In order of subset size, then of ``features`` order.
    """
    if not features:
        raise ValueError("feature_subset_candidates needs at least one feature")
    out = []
    for r in range(1, len(features) + 1):
        for subset in itertools.combinations(features, r):
            model = attach(scm, prediction, bayes_optimal(scm, target, subset))
            out.append(
                Candidate(
                    subset,
                    metrics.accuracy(model, prediction, target),
                    MappingProxyType({name: fn(model, prediction) for name, fn in gaps.items()}),
                )
            )
    return out


def best(candidates: Sequence[Candidate], *, invariant_to: Sequence[str] = ()) -> Candidate:
    """The most accurate candidate passing every named check (fewest features on ties)."""
    passing = [c for c in candidates if all(c.invariant(g) for g in invariant_to)]
    if not passing:
        raise ValueError(f"no candidate is invariant to all of {list(invariant_to)!r}")
    return max(passing, key=lambda c: (round(c.accuracy, 12), -len(c.features)))


def trade_off(candidates: Sequence[Candidate], selected: Candidate) -> dict[str, object]:
    """The most accurate candidate against a selected (invariant) one: what the conflict costs.

    Returns the most accurate candidate (``"top"``), the candidates more
    accurate than ``selected`` (``"better"``), and, per gap, the smallest value
    any of those better candidates has (``"smallest gaps"``): if it is positive,
    every gain in accuracy over ``selected`` is paid with that invariance.
    """
    if not candidates:
        raise ValueError(f"trade_off needs at least one candidate, got {candidates!r}")
    top = max(candidates, key=lambda c: c.accuracy)  # the first of equally accurate ones
    better = [c for c in candidates if c.accuracy > selected.accuracy + TOLERANCE]
    smallest = {g: min(c.gaps[g] for c in better) for g in selected.gaps} if better else {}
    return {"top": top, "better": better, "smallest gaps": smallest}
