"""Population metrics of predictors, computed exactly on an SCM.

Each function takes an SCM in which the prediction is a variable (see
:func:`book.predictors.attach`) and returns a number with its formula in the
docstring. Later chapters add fairness, privacy and explanation metrics here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from book.scm import DiscreteSCM


def accuracy(
    scm: DiscreteSCM,
    prediction: str,
    label: str,
    *,
    evidence: Mapping[str, Any] | None = None,
    do: Mapping[str, Any] | None = None,
) -> float:
    """Exact accuracy :math:`P(\\hat Y = Y \\mid do(\\cdot), \\text{evidence})`.

    Examples
    --------
    >>> from book.scms import tutoring
    >>> from book.predictors import attach, bayes_optimal
    >>> m = tutoring()
    >>> m = attach(m, "Guess", bayes_optimal(m, "Pass", ["Tutored"]))
    >>> round(accuracy(m, "Guess", "Pass"), 3)
    0.745
    """
    joint = scm.joint([prediction, label], evidence=evidence, do=do)
    return sum(p for (y_hat, y), p in joint.items() if y_hat == y)


def risk(
    scm: DiscreteSCM, prediction: str, label: str, *, do: Mapping[str, Any] | None = None
) -> float:
    """Exact 0–1 risk :math:`P(\\hat Y \\neq Y) = 1 - \\text{accuracy}`."""
    return 1.0 - accuracy(scm, prediction, label, do=do)


def expectation(
    scm: DiscreteSCM,
    variable: str,
    *,
    evidence: Mapping[str, Any] | None = None,
    do: Mapping[str, Any] | None = None,
) -> float:
    """Exact :math:`E[V \\mid do(\\cdot), \\text{evidence}]` of a numeric variable."""
    return sum(float(s) * p for s, p in scm.query(variable, evidence=evidence, do=do).items())
