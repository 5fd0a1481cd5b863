"""Metrics of predictors: exact population values on an SCM, and the sample versions.

Exact metrics take an SCM in which the prediction is a variable (see
:func:`book.predictors.attach`), or the joint distribution of a predictor's
features and the label, and return a number with its formula in the docstring.
The 0-1 risk of a (possibly randomised) predictor is defined once, in
:func:`expected_risk`. Sample metrics (:func:`sample_accuracy`) are for the
chapters whose lesson is about finite samples. The group-fairness metrics use
fairlearn's names and definitions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, get_args

import numpy as np

from book.predictors import AnyPredictor, randomized
from book.scm import DiscreteSCM

__all__ = [
    "accuracy",
    "bootstrap_rows",
    "demographic_parity_difference",
    "demographic_parity_ratio",
    "equal_opportunity_difference",
    "equalized_odds_difference",
    "expectation",
    "expected_risk",
    "percentile_interval",
    "population_arrays",
    "risk",
    "sample_accuracy",
    "wilson_interval",
]


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
    >>> from book.models import tutoring
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


def expected_risk(joint: Mapping[tuple[Any, ...], float], predictor: AnyPredictor) -> float:
    """Exact 0–1 risk of a (possibly randomised) predictor from the joint of its features and the label.

    .. math:: R(f) = 1 - \\sum_{x, y} P(X_F = x, Y = y)\\, f(y \\mid x)

    ``joint`` maps ``(*feature values, label)`` (features in the predictor's
    order) to probabilities.

    Examples
    --------
    >>> from book.predictors import Predictor
    >>> h = Predictor(("X",), {(0,): 0, (1,): 1}, (0, 1))
    >>> round(expected_risk({(0, 0): 0.4, (0, 1): 0.1, (1, 1): 0.5}, h), 12)
    0.1
    """
    f = randomized(predictor)
    for combo in joint:
        if combo[:-1] not in f.table:
            raise ValueError(f"the predictor has no decision for the feature values {combo[:-1]!r}")
    hit = sum(p * f.table[combo[:-1]].get(combo[-1], 0.0) for combo, p in joint.items())
    return 1.0 - hit


def sample_accuracy(predictions: np.ndarray, labels: np.ndarray) -> float:
    """Accuracy on a sample: :math:`\\frac{1}{m} \\sum_i [\\hat y_i = y_i]`.

    Examples
    --------
    >>> sample_accuracy(np.array([1, 0, 1, 1]), np.array([1, 0, 0, 1]))
    0.75
    """
    predictions, labels = np.asarray(predictions), np.asarray(labels)
    if predictions.shape != labels.shape or predictions.size == 0:
        raise ValueError(
            f"predictions and labels must be non-empty and of one shape: {predictions.shape} vs {labels.shape}"
        )
    return float(np.mean(predictions == labels))


def wilson_interval(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion (95 % by default).

    .. math:: \\frac{\\hat p + z^2/2n}{1 + z^2/n} \\pm
              \\frac{z}{1 + z^2/n}\\sqrt{\\frac{\\hat p(1 - \\hat p)}{n} + \\frac{z^2}{4n^2}},
              \\qquad \\hat p = \\text{successes}/n.

    Unlike the Wald interval :math:`\\hat p \\pm z\\sqrt{\\hat p(1-\\hat p)/n}`, it has
    positive width at 0 of n and n of n.

    Raises
    ------
    ValueError
        For ``trials <= 0``, ``successes`` outside ``[0, trials]``, or ``z <= 0``.

    Examples
    --------
    >>> [round(v, 3) for v in wilson_interval(0, 10)]
    [0.0, 0.278]
    >>> [round(v, 3) for v in wilson_interval(4, 10)]
    [0.168, 0.687]
    """
    if isinstance(trials, bool) or int(trials) != trials or trials <= 0:
        raise ValueError(f"trials must be a positive integer, got {trials!r}")
    if int(successes) != successes or not 0 <= successes <= trials:
        raise ValueError(f"successes must be an integer in [0, {trials}], got {successes!r}")
    if not z > 0:
        raise ValueError(f"z must be positive, got {z!r}")
    n, p = float(trials), successes / trials
    scale = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / scale
    half = z / scale * float(np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)))
    return max(0.0, centre - half), min(1.0, centre + half)


def expectation(
    scm: DiscreteSCM,
    variable: str,
    *,
    evidence: Mapping[str, Any] | None = None,
    do: Mapping[str, Any] | None = None,
) -> float:
    """Exact :math:`E[V \\mid do(\\cdot), \\text{evidence}]` of a numeric variable."""
    return sum(float(s) * p for s, p in scm.query(variable, evidence=evidence, do=do).items())


# ---------------------------------------------------------------- group fairness (fairlearn-compatible)
#
# The functions below use fairlearn's names, call signature and definitions (fairlearn 0.15,
# ``fairlearn.metrics``), so a reader can move between the book and fairlearn without surprises;
# tests check that both give the same numbers. fairlearn itself is not imported: the book runs
# without it. The exact population values come from applying them to :func:`population_arrays`,
# the model's joint distribution as a weighted data set.

Method = Literal["between_groups", "to_overall"]
_METHODS: tuple[str, ...] = get_args(Method)


def population_arrays(
    scm: DiscreteSCM,
    variables: Sequence[str],
    *,
    evidence: Mapping[str, Any] | None = None,
    do: Mapping[str, Any] | None = None,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The exact joint distribution of ``variables`` as a weighted data set.

    One row per joint state of positive probability; the weights are the
    probabilities, so any sample-weighted metric applied to these arrays gives
    the exact population value:

    .. math:: \\sum_{\\text{rows } r} w_r\\, g(v_r) = E[g(V)], \\qquad w_r = P(V = v_r)

    Returns
    -------
    columns : dict of str to numpy.ndarray
        One array per variable, rows aligned.
    weights : numpy.ndarray
        The probability of each row (they sum to one).

    Examples
    --------
    >>> from book.models import hiring
    >>> cols, w = population_arrays(hiring(), ["A", "Q"])
    >>> cols["A"], cols["Q"], w.round(2)
    (array([0, 0, 1, 1]), array([0, 1, 0, 1]), array([0.3 , 0.2 , 0.21, 0.29]))
    """
    names = list(variables)
    if not names:
        raise ValueError("population_arrays needs at least one variable")
    joint = scm.joint(names, evidence=evidence, do=do)
    rows = [(key, p) for key, p in joint.items() if p > 0]
    columns = {n: np.array([key[i] for key, _ in rows]) for i, n in enumerate(names)}
    return columns, np.array([p for _, p in rows], dtype=float)


def _fairness_inputs(
    y_true: Any, y_pred: Any, sensitive_features: Any, sample_weight: Any, method: Method
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    y_true, y_pred, groups = (np.asarray(v) for v in (y_true, y_pred, sensitive_features))
    for name, arr in (("y_true", y_true), ("y_pred", y_pred), ("sensitive_features", groups)):
        if arr.ndim != 1:
            raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    weights = np.ones(len(y_pred)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    lengths = {"y_true": len(y_true), "y_pred": len(y_pred), "sensitive_features": len(groups),
               "sample_weight": len(weights)}
    if len(set(lengths.values())) != 1:
        raise ValueError(f"inputs have different lengths: {lengths}")
    if len(y_pred) == 0:
        raise ValueError("empty inputs: there are no rows to measure")
    if weights.ndim != 1 or not np.all(np.isfinite(weights)) or np.any(weights < 0):
        raise ValueError("sample_weight must be a one-dimensional array of finite non-negative numbers")
    return y_true, y_pred, groups, weights


def _check_binary_labels(*arrays: np.ndarray) -> None:
    # fairlearn's error-rate metrics accept labels in {0, 1} or {-1, 1}, with 1 the positive label.
    values = set(np.unique(np.concatenate([np.asarray(a).ravel() for a in arrays])).tolist())
    if not (values <= {0, 1} or values <= {-1, 1}):
        raise ValueError(f"labels must be binary, in {{0, 1}} or {{-1, 1}}; got the values {sorted(values)!r}")


def _rate(hit: np.ndarray, among: np.ndarray, weights: np.ndarray) -> float:
    """Weighted share of ``hit`` among the rows ``among``; 0 when no row qualifies (as sklearn does)."""
    total = float(weights[among].sum())
    return float(weights[among & hit].sum()) / total if total > 0 else 0.0


def _compare(by_group: dict[Any, float], overall: float, method: str, kind: str) -> float:
    values = np.array(list(by_group.values()))
    if kind == "difference":
        if method == "between_groups":
            return float(values.max() - values.min())
        return float(np.abs(values - overall).max())
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "between_groups":
            return float(values.min() / values.max())
        ratios = values / overall
        return float(np.where(ratios > 1, 1 / ratios, ratios).min())


def _selection_rates(y_pred: np.ndarray, groups: np.ndarray, weights: np.ndarray) -> tuple[dict[Any, float], float]:
    selected = y_pred == 1
    everyone = np.ones(len(y_pred), dtype=bool)
    by_group = {g: _rate(selected, groups == g, weights) for g in np.unique(groups)}
    return by_group, _rate(selected, everyone, weights)


def _error_rates(
    y_true: np.ndarray, y_pred: np.ndarray, groups: np.ndarray, weights: np.ndarray, positive: bool
) -> tuple[dict[Any, float], float]:
    """True-positive rates (``positive``) or false-positive rates, by group and overall."""
    _check_binary_labels(y_true, y_pred)
    condition = (y_true == 1) if positive else (y_true != 1)
    selected = y_pred == 1
    by_group = {g: _rate(selected, condition & (groups == g), weights) for g in np.unique(groups)}
    return by_group, _rate(selected, condition, weights)


def demographic_parity_difference(
    y_true: Any,
    y_pred: Any,
    *,
    sensitive_features: Any,
    method: Method = "between_groups",
    sample_weight: Any = None,
) -> float:
    """Largest gap between group selection rates (fairlearn's definition).

    .. math:: \\max_a E[\\hat Y \\mid A = a] - \\min_a E[\\hat Y \\mid A = a]

    (``method="between_groups"``), or the largest absolute gap between a group's
    selection rate and the overall one (``"to_overall"``). A row counts as
    selected when ``y_pred == 1``; ``y_true`` is not used.

    Examples
    --------
    >>> demographic_parity_difference([0, 1, 0, 1], [1, 1, 0, 1], sensitive_features=["a", "a", "b", "b"])
    0.5
    """
    _, y_pred, groups, weights = _fairness_inputs(y_true, y_pred, sensitive_features, sample_weight, method)
    by_group, overall = _selection_rates(y_pred, groups, weights)
    return _compare(by_group, overall, method, "difference")


def demographic_parity_ratio(
    y_true: Any,
    y_pred: Any,
    *,
    sensitive_features: Any,
    method: Method = "between_groups",
    sample_weight: Any = None,
) -> float:
    """Smallest ratio of group selection rates (fairlearn's definition).

    .. math:: \\frac{\\min_a E[\\hat Y \\mid A = a]}{\\max_a E[\\hat Y \\mid A = a]}

    (``"between_groups"``), or the smallest of the group-to-overall ratios,
    each taken as at most one (``"to_overall"``). 1 means parity.

    Examples
    --------
    >>> demographic_parity_ratio([0, 1, 0, 1], [1, 1, 0, 1], sensitive_features=["a", "a", "b", "b"])
    0.5
    """
    _, y_pred, groups, weights = _fairness_inputs(y_true, y_pred, sensitive_features, sample_weight, method)
    by_group, overall = _selection_rates(y_pred, groups, weights)
    return _compare(by_group, overall, method, "ratio")


def equalized_odds_difference(
    y_true: Any,
    y_pred: Any,
    *,
    sensitive_features: Any,
    method: Method = "between_groups",
    sample_weight: Any = None,
    agg: Literal["worst_case", "mean"] = "worst_case",
) -> float:
    """The larger of the true-positive-rate and false-positive-rate gaps (fairlearn's definition).

    .. math:: \\max\\Big(\\Delta_a P(\\hat Y = 1 \\mid A = a, Y = 1),\\;
              \\Delta_a P(\\hat Y = 1 \\mid A = a, Y = 0)\\Big)

    where :math:`\\Delta_a` is the spread across groups (``"between_groups"``) or
    the largest distance to the overall rate (``"to_overall"``); ``agg="mean"``
    averages the two gaps instead. Labels must be binary ({0, 1} or {-1, 1}).
    A group with no row of a class gets rate 0 for that class, as in fairlearn.

    Examples
    --------
    >>> equalized_odds_difference([0, 1, 0, 1], [1, 1, 0, 1], sensitive_features=["a", "a", "b", "b"])
    1.0
    """
    if agg not in ("worst_case", "mean"):
        raise ValueError(f"agg must be one of 'worst_case' or 'mean', got {agg!r}")
    y_true, y_pred, groups, weights = _fairness_inputs(y_true, y_pred, sensitive_features, sample_weight, method)
    gaps = [_compare(*_error_rates(y_true, y_pred, groups, weights, positive), method, "difference")
            for positive in (True, False)]
    return max(gaps) if agg == "worst_case" else float(np.mean(gaps))


def equal_opportunity_difference(
    y_true: Any,
    y_pred: Any,
    *,
    sensitive_features: Any,
    method: Method = "between_groups",
    sample_weight: Any = None,
) -> float:
    """Gap between group true-positive rates (fairlearn's definition).

    .. math:: \\max_a P(\\hat Y = 1 \\mid A = a, Y = 1) - \\min_a P(\\hat Y = 1 \\mid A = a, Y = 1)

    Examples
    --------
    >>> equal_opportunity_difference([0, 1, 0, 1], [1, 1, 0, 1], sensitive_features=["a", "a", "b", "b"])
    0.0
    """
    y_true, y_pred, groups, weights = _fairness_inputs(y_true, y_pred, sensitive_features, sample_weight, method)
    return _compare(*_error_rates(y_true, y_pred, groups, weights, True), method, "difference")


def bootstrap_rows(n: int, reps: int, rng: np.random.Generator) -> np.ndarray:
    """Row indices of ``reps`` bootstrap resamples of ``n`` rows (drawn with replacement), shape (reps, n).

    Examples
    --------
    >>> bootstrap_rows(4, 2, np.random.default_rng(0)).shape
    (2, 4)
    """
    for name, value in (("n", n), ("reps", reps)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got {rng!r}")
    return rng.integers(0, int(n), size=(int(reps), int(n)))


def percentile_interval(values: Sequence[float] | np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """The bootstrap percentile interval: the :math:`(1 \\pm \\text{level})/2` quantiles of ``values``.

    Examples
    --------
    >>> percentile_interval(np.arange(101) / 100)
    (0.025, 0.975)
    """
    array = np.asarray(values, dtype=float)
    if array.size == 0 or not np.all(np.isfinite(array)):
        raise ValueError(f"values must be a non-empty sequence of finite numbers, got {values!r}")
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be in (0, 1), got {level!r}")
    low, high = np.quantile(array, [(1 - level) / 2, (1 + level) / 2])
    return float(round(low, 12)), float(round(high, 12))
