"""Predictors computed exactly from a structural causal model.

A predictor here is a deterministic function of a chosen feature set, stored
as a lookup table. Adding it to an SCM as a new endogenous variable
(:func:`attach`) makes every question about it — accuracy, its counterfactual
effect, its risk in another environment — an ordinary exact query.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from book.scm import DiscreteSCM


@dataclass(frozen=True)
class Predictor:
    """A deterministic predictor :math:`\\hat y = h(x_F)` on features ``F``.

    Attributes
    ----------
    features : tuple of str
        The variables it reads.
    table : dict
        Feature-state tuple (in ``features`` order) -> predicted label.
    labels : tuple
        The label space (states of the target it predicts).
    """

    features: tuple[str, ...]
    table: Mapping[tuple[Any, ...], Any]
    labels: tuple[Any, ...]

    def __call__(self, **values: Any) -> Any:
        return self.table[tuple(values[f] for f in self.features)]


def bayes_optimal(
    scm: DiscreteSCM,
    target: str,
    features: Sequence[str],
    *,
    do: Mapping[str, Any] | None = None,
) -> Predictor:
    """The accuracy-maximising predictor of ``target`` from ``features``.

    .. math:: h^*(x_F) = \\arg\\max_y P(Y = y \\mid X_F = x_F)

    computed exactly from the joint :math:`P(X_F, Y)` (optionally in the
    intervened model ``do``). Ties go to the first label in state order;
    feature values of probability zero get that first label too.

    Examples
    --------
    >>> from book.scms import tutoring
    >>> h = bayes_optimal(tutoring(), "Pass", ["Tutored"])
    >>> h(Tutored=1), h(Tutored=0)
    (1, 0)
    """
    features = tuple(features)
    if not features:
        raise ValueError("a predictor needs at least one feature (use a constant otherwise)")
    if target in features:
        raise ValueError(f"the target {target!r} cannot also be a feature")
    joint = scm.joint([*features, target], do=do)
    labels = scm.states(target)
    table: dict[tuple[Any, ...], Any] = {}
    for combo in itertools.product(*(scm.states(f) for f in features)):
        scores = [joint[(*combo, y)] for y in labels]
        table[combo] = labels[max(range(len(labels)), key=lambda i: (scores[i], -i))]
    return Predictor(features, table, labels)


def constant(scm: DiscreteSCM, target: str, label: Any) -> Predictor:
    """The predictor that always says ``label`` (it reads no feature)."""
    if label not in scm.states(target):
        raise ValueError(f"label {label!r} is not a state of {target!r}: {scm.states(target)!r}")
    return Predictor((), {(): label}, scm.states(target))


def attach(scm: DiscreteSCM, name: str, predictor: Predictor) -> DiscreteSCM:
    """The SCM extended with the predictor's output as variable ``name``.

    Its structural equation is :math:`\\hat Y := h(X_F)`, so interventions on
    features propagate to the prediction.
    """
    table = dict(predictor.table)

    def equation(**values: Any) -> Any:
        return table[tuple(values[f] for f in predictor.features)]

    return scm.extend({name: (predictor.features, equation)}, states={name: predictor.labels})
