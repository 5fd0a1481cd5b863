"""Feature attributions computed exactly, and tested against interventions.

A *Shapley value* (Shapley, 1953) splits the difference between a
predictor's output for one individual and its average output among the
features, by averaging each feature's marginal contribution over all
coalitions of the other features:

.. math::

    \\phi_j = \\sum_{T \\subseteq N \\setminus \\{j\\}}
        \\frac{|T|!\\,(n - |T| - 1)!}{n!} \\bigl(v(T \\cup \\{j\\}) - v(T)\\bigr),
    \\qquad \\sum_j \\phi_j = v(N) - v(\\varnothing).

Everything rests on the *value function* :math:`v(T)`: what the predictor
outputs "when only the features in :math:`T` are known to be :math:`x_T`".
Three answers are in use, and this module computes each one exactly from a
:class:`~book.scm.DiscreteSCM` by enumerating the remaining features
:math:`X_{\\bar T}`:

* ``"marginal"`` (interventional on the model's inputs; Janzing, Minorics &
  Blöbaum, 2020; the usual SHAP choice, Lundberg & Lee, 2017):
  :math:`v(T) = \\sum_{x'} P(X_{\\bar T} = x') f(x_T, x')`;
* ``"conditional"`` (observational):
  :math:`v(T) = \\sum_{x'} P(X_{\\bar T} = x' \\mid X_T = x_T) f(x_T, x')`;
* ``"causal"`` (interventional in the world; Heskes et al., 2020):
  :math:`v(T) = \\sum_{x'} P(X_{\\bar T} = x' \\mid do(X_T = x_T)) f(x_T, x')`,
  so that setting a feature also moves the features downstream of it.

With :math:`v(N) = f(x)` and :math:`v(\\varnothing) = E[f(X)]` the values
sum to :math:`f(x) - E[f(X)]` (efficiency).

Two properties of an attribution must be kept apart (the book's terms):

* *fidelity*: what the attribution says about the **model** is true of the
  model. Every exact Shapley value computed here has fidelity by
  construction: it is computed from the predictor itself, exactly, and its
  values sum to :math:`f(x) - E[f(X)]`;
* *interventional validity*: what the attribution says about the **world**
  holds when one acts on the named feature. The book reads an attribution as
  such a causal claim and checks it (the explainability row of the
  invariance ledger) by comparing the predictor's attributions with the
  attributions of the outcome itself, the Shapley values of the game
  :math:`v_Y(T) = P(Y = 1 \\mid do(X_T = x_T))` (:func:`outcome_shapley`),
  where a feature that does not cause :math:`Y` gets exactly 0
  (:func:`interventional_invalidity`; :func:`game_gap` compares the two
  games coalition by coalition). *Stability* asks in addition that the
  attributions stay put between environments that differ only in the
  mechanism of a non-causal feature (:func:`instability`).

With the causal value function, the Bayes score on the parents of :math:`Y`,
:math:`f = P(Y = 1 \\mid \\mathrm{pa}(Y))`, is interventionally valid *by
construction* when all parents are among the features and nothing
confounds :math:`Y` with them: then :math:`P(Y = 1 \\mid \\mathrm{pa}(Y)) =
P(Y = 1 \\mid do(\\mathrm{pa}(Y)))`, the two games coincide on every
coalition, and so do their Shapley values.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, get_args

import numpy as np

from book.scm import DiscreteSCM

__all__ = [
    "VALUE_FUNCTIONS",
    "ValueFunction",
    "attribution_distance",
    "coalition_value",
    "feature_shapley",
    "flip_attributions",
    "game_gap",
    "individuals",
    "instability",
    "interventional_effect",
    "interventional_invalidity",
    "mean_attribution_distance",
    "outcome_shapley",
    "shapley_values",
]

ValueFunction = Literal["marginal", "conditional", "causal"]
VALUE_FUNCTIONS: tuple[str, ...] = get_args(ValueFunction)


def shapley_values(players: Sequence[str], value: Callable[[frozenset[str]], float]) -> dict[str, float]:
    """Exact Shapley values of a cooperative game by enumerating every coalition.

    .. math:: \\phi_j = \\sum_{T \\subseteq N \\setminus \\{j\\}}
              \\frac{|T|!\\,(n - |T| - 1)!}{n!} \\bigl(v(T \\cup \\{j\\}) - v(T)\\bigr)

    Parameters
    ----------
    players : sequence of str
        The players (features), at least one, no repeats.
    value : callable
        ``value(coalition)`` for a ``frozenset`` of players; called once per
        coalition (:math:`2^n` calls).

    Returns
    -------
    dict
        Player -> Shapley value, in ``players`` order. They sum to
        :math:`v(N) - v(\\varnothing)`.

    Examples
    --------
    >>> v = lambda T: float(len(T) == 2)  # the pair together earns 1, alone nothing
    >>> shapley_values(["a", "b"], v)
    {'a': 0.5, 'b': 0.5}
    """
    players = tuple(players)
    if not players:
        raise ValueError("a game needs at least one player")
    if len(set(players)) != len(players):
        raise ValueError(f"players must be distinct, got {players!r}")
    n = len(players)
    values = {
        frozenset(T): float(value(frozenset(T)))
        for r in range(n + 1)
        for T in itertools.combinations(players, r)
    }
    out = {}
    for j in players:
        others = [p for p in players if p != j]
        total = 0.0
        for r in range(n):
            weight = math.factorial(r) * math.factorial(n - r - 1) / math.factorial(n)
            for T in itertools.combinations(others, r):
                total += weight * (values[frozenset(T) | {j}] - values[frozenset(T)])
        out[j] = total
    return out


def _check_individual(scm: DiscreteSCM, features: Sequence[str], x: Mapping[str, Any]) -> None:
    for f in features:
        if f not in x:
            raise ValueError(f"the individual gives no value for feature {f!r}: {dict(x)!r}")
        if x[f] not in scm.states(f):
            raise ValueError(f"value {x[f]!r} of feature {f!r} is not among its states {scm.states(f)!r}")


def _rest_law(
    scm: DiscreteSCM, rest: tuple[str, ...], known: tuple[tuple[str, Any], ...], kind: str
) -> tuple[tuple[tuple[Any, ...], float], ...]:
    # The distribution of the unknown features given what the coalition fixes; memoised on the model
    # because every individual and every predictor asks the same few questions. An immutable tuple.
    if not rest:
        return (((), 1.0),)

    def compute() -> tuple[tuple[tuple[Any, ...], float], ...]:
        known_map = dict(known)
        if kind == "marginal" or not known_map:
            joint = scm.joint(list(rest))
        elif kind == "conditional":
            joint = scm.joint(list(rest), evidence=known_map)
        else:
            joint = scm.joint(list(rest), do=known_map)
        return tuple((k, p) for k, p in joint.items() if p > 0)

    return scm.memo(("rest law", rest, known, kind), compute)


def coalition_value(
    scm: DiscreteSCM,
    f: Callable[..., float],
    x: Mapping[str, Any],
    coalition: frozenset[str] | set[str],
    *,
    features: Sequence[str],
    kind: ValueFunction = "causal",
) -> float:
    """The value :math:`v(T)` of a coalition for predictor ``f`` at individual ``x``.

    .. math:: v(T) = \\sum_{x'} Q_T(x') \\, f(x_T, x'), \\qquad Q_T =
              P(X_{\\bar T}) \\text{ (marginal)},\\;
              P(X_{\\bar T} \\mid X_T = x_T) \\text{ (conditional)},\\;
              P(X_{\\bar T} \\mid do(X_T = x_T)) \\text{ (causal)}

    Parameters
    ----------
    scm : DiscreteSCM
        The model the features come from.
    f : callable
        ``f(**feature_values) -> float``, e.g. a :func:`book.predictors.bayes_score`; it is
        called with every feature in ``features``.
    x : mapping
        The individual's feature values.
    coalition : set of str
        :math:`T`, a subset of ``features``.
    features : sequence of str
        All players :math:`N`.
    kind : {"marginal", "conditional", "causal"}
    """
    if kind not in VALUE_FUNCTIONS:
        raise ValueError(f"unknown value function {kind!r}; choose one of {VALUE_FUNCTIONS}")
    features = tuple(features)
    unknown = set(coalition) - set(features)
    if unknown:
        raise ValueError(f"coalition members {sorted(unknown)!r} are not among the features {features!r}")
    _check_individual(scm, features, x)
    rest = tuple(j for j in features if j not in coalition)
    known = tuple((j, x[j]) for j in features if j in coalition)
    total = 0.0
    for values, p in _rest_law(scm, rest, known, kind):
        total += p * float(f(**dict(known), **dict(zip(rest, values, strict=True))))
    return total


def feature_shapley(
    scm: DiscreteSCM,
    f: Callable[..., float],
    x: Mapping[str, Any],
    *,
    features: Sequence[str],
    kind: ValueFunction = "causal",
) -> dict[str, float]:
    """Exact Shapley values of predictor ``f`` at individual ``x`` (one value function).

    The players are ``features``; the value function is :func:`coalition_value`
    of the given ``kind``. Efficiency: the values sum to
    :math:`f(x) - E[f(X)]`.

    Examples
    --------
    >>> from book.models import tutoring
    >>> m = tutoring()
    >>> from book.predictors import bayes_score
    >>> s = bayes_score(m, "Pass", ["Motivated", "Tutored"])
    >>> phi = feature_shapley(m, s, {"Motivated": 1, "Tutored": 1}, features=["Motivated", "Tutored"])
    >>> round(sum(phi.values()), 6) == round(s(Motivated=1, Tutored=1) - m.query("Pass")[1], 6)
    True
    """
    return shapley_values(features, lambda T: coalition_value(scm, f, x, T, features=features, kind=kind))


def _outcome_probability(scm: DiscreteSCM, target: str, known: tuple[tuple[str, Any], ...], positive: Any) -> float:
    return scm.memo(("outcome", target, known, positive), lambda: scm.query(target, do=dict(known))[positive])


def outcome_shapley(
    scm: DiscreteSCM,
    target: str,
    x: Mapping[str, Any],
    *,
    features: Sequence[str],
    positive: Any = 1,
) -> dict[str, float]:
    """The attributions the outcome itself earns: the reference for interventional validity.

    Shapley values of the game :math:`v_Y(T) = P(Y = \\text{positive} \\mid do(X_T = x_T))`:
    how much of the individual's change in the chance of the outcome, relative to the
    population, each feature would bring about if it were *set*. A feature that
    does not cause :math:`Y` is a dummy player and gets exactly 0.

    Examples
    --------
    >>> from book.models import tutoring
    >>> phi = outcome_shapley(tutoring(), "Pass", {"Motivated": 1, "Tutored": 1},
    ...                       features=["Motivated", "Tutored"])
    >>> round(sum(phi.values()), 3)  # P(Pass | do(M=1, T=1)) - P(Pass)
    0.355
    """
    _check_individual(scm, features, x)
    if target in features:
        raise ValueError(f"the target {target!r} cannot also be a feature")
    if positive not in scm.states(target):
        raise ValueError(f"positive={positive!r} is not a state of {target!r}: {scm.states(target)!r}")

    def value(T: frozenset[str]) -> float:
        return _outcome_probability(scm, target, tuple((j, x[j]) for j in features if j in T), positive)

    return shapley_values(features, value)


def interventional_effect(
    scm: DiscreteSCM,
    target: str,
    feature: str,
    value: Any,
    *,
    positive: Any = 1,
) -> float:
    """Effect on ``target`` of setting one feature to ``value``, against doing nothing.

    .. math:: \\delta_j = P(V = \\text{positive} \\mid do(X_j = x_j)) - P(V = \\text{positive})

    ``target`` may be the outcome :math:`Y` (what acting on the feature does in
    the world) or a prediction attached with :func:`book.predictors.attach`
    (what it does to the decision).

    Examples
    --------
    >>> from book.models import tutoring
    >>> round(interventional_effect(tutoring(), "Pass", "Tutored", 1), 3)
    0.205
    """
    if positive not in scm.states(target):
        raise ValueError(f"positive={positive!r} is not a state of {target!r}: {scm.states(target)!r}")
    return scm.query(target, do={feature: value})[positive] - scm.query(target)[positive]


def individuals(scm: DiscreteSCM, features: Sequence[str]) -> list[tuple[dict[str, Any], float]]:
    """Every feature vector of positive probability with its probability :math:`P(X_F = x)`."""
    features = list(features)
    return [
        (dict(zip(features, combo, strict=True)), p) for combo, p in scm.joint(features).items() if p > 0
    ]


def attribution_distance(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """:math:`\\sum_j |a_j - b_j|`, the L1 distance between two attributions of the same features."""
    if set(a) != set(b):
        raise ValueError(f"attributions over different features: {sorted(a)!r} vs {sorted(b)!r}")
    for j in a:
        if not (math.isfinite(a[j]) and math.isfinite(b[j])):
            raise ValueError(f"attribution of {j!r} is not a finite number: {a[j]!r} vs {b[j]!r}")
    return sum(abs(a[j] - b[j]) for j in a)


def interventional_invalidity(
    scm: DiscreteSCM,
    f: Callable[..., float],
    target: str,
    *,
    features: Sequence[str],
    kind: ValueFunction = "causal",
    positive: Any = 1,
) -> float:
    """The validity gap: average distance between the predictor's attributions and the outcome's.

    .. math:: G(f) = \\sum_x P(X = x) \\sum_j \\bigl|\\phi_j^{f}(x) - \\phi_j^{Y}(x)\\bigr|

    with :math:`\\phi^f` from :func:`feature_shapley` and :math:`\\phi^Y` from
    :func:`outcome_shapley`. 0 means every attribution the predictor gives is
    borne out by intervening in the world (interventional validity). It says
    nothing about *fidelity*: the attributions :math:`\\phi^f` are exact, so
    what they say about the model is true of the model whatever ``G`` is.

    Parameters
    ----------
    scm : DiscreteSCM
        The world: it weights the individuals, gives the value function and the outcome's game.
    f : callable
        The predictor's score, called with every feature in ``features``.
    target : str
        The outcome :math:`Y`; not among ``features``.
    features : sequence of str
        The players :math:`N`.
    kind : {"marginal", "conditional", "causal"}
        The value function of the predictor's attributions.
    positive : state of ``target``
        The outcome's game is :math:`P(Y = \\text{positive} \\mid do(x_T))`.

    Examples
    --------
    >>> from book.models import tutoring
    >>> from book.predictors import bayes_score
    >>> m, players = tutoring(), ["Motivated", "Tutored"]
    >>> round(interventional_invalidity(m, bayes_score(m, "Pass", ["Motivated", "Tutored"]), "Pass",
    ...                                 features=players), 9)
    0.0
    """
    total = 0.0
    for x, p in individuals(scm, features):
        phi = feature_shapley(scm, f, x, features=features, kind=kind)
        truth = outcome_shapley(scm, target, x, features=features, positive=positive)
        total += p * attribution_distance(phi, truth)
    return total


def game_gap(
    scm: DiscreteSCM,
    f: Callable[..., float],
    target: str,
    *,
    features: Sequence[str],
    kind: ValueFunction = "causal",
    positive: Any = 1,
) -> float:
    """The largest difference between the predictor's game and the outcome's, over individuals and coalitions.

    .. math:: \\max_{x: P(x) > 0} \\max_{T \\subseteq N}
              \\bigl| v_f(T; x) - P(Y = \\text{positive} \\mid do(X_T = x_T)) \\bigr|

    with :math:`v_f` from :func:`coalition_value`. If it is 0 the two games
    coincide, so the predictor's Shapley values equal the outcome's for every
    individual and :func:`interventional_invalidity` is 0 *by construction*
    (an identity, not a finding). This is the case for the Bayes score on the
    parents of the target with the causal value function when nothing
    confounds the target with its parents.

    Examples
    --------
    >>> from book.models import tutoring
    >>> from book.predictors import bayes_score
    >>> m, players = tutoring(), ["Motivated", "Tutored"]
    >>> round(game_gap(m, bayes_score(m, "Pass", players), "Pass", features=players), 9)
    0.0
    """
    features = tuple(features)
    if target in features:
        raise ValueError(f"the target {target!r} cannot also be a feature")
    if positive not in scm.states(target):
        raise ValueError(f"positive={positive!r} is not a state of {target!r}: {scm.states(target)!r}")
    worst = 0.0
    for x, _ in individuals(scm, features):
        for r in range(len(features) + 1):
            for T in itertools.combinations(features, r):
                known = tuple((j, x[j]) for j in T)
                mine = coalition_value(scm, f, x, frozenset(T), features=features, kind=kind)
                worst = max(worst, abs(mine - _outcome_probability(scm, target, known, positive)))
    return worst


def instability(
    population: DiscreteSCM,
    environments: Sequence[DiscreteSCM],
    f: Callable[..., float],
    *,
    features: Sequence[str],
    kind: ValueFunction = "causal",
) -> float:
    """How far the attributions move between environments, averaged over individuals.

    .. math:: I(f) = \\sum_x P(X = x) \\max_{e, e'} \\sum_j
              \\bigl|\\phi_j^{f}(x; e) - \\phi_j^{f}(x; e')\\bigr|

    where :math:`\\phi^f(x; e)` is computed in environment ``e``'s model (the
    predictor stays the same; only the world around it changes) and
    :math:`P(X = x)` is taken in ``population``. 0 means the explanation is
    stable.

    Parameters
    ----------
    population : DiscreteSCM
        Weights the individuals.
    environments : sequence of DiscreteSCM
        At least two models, e.g. ``[m.do({"E": 0}), m.do({"E": 1})]``; keep
        the objects, since results are cached per model.
    """
    environments = list(environments)
    if len(environments) < 2:
        raise ValueError(f"instability needs at least two environments, got {len(environments)}")
    total = 0.0
    for x, p in individuals(population, features):
        phis = [feature_shapley(env, f, x, features=features, kind=kind) for env in environments]
        total += p * max(attribution_distance(a, b) for a, b in itertools.combinations(phis, 2))
    return total


# ---------------------------------------------------------------------------- tabulated models on binary features
def _table_and_features(scores: Any, X: Any) -> tuple[Any, Any]:
    scores = np.asarray(scores, dtype=float)
    k = round(math.log2(len(scores))) if scores.ndim == 1 and len(scores) else -1
    if k < 0 or 2**k != len(scores):
        raise ValueError(f"scores must tabulate 2**k cells, got an array of shape {scores.shape}")
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != k:
        raise ValueError(f"individuals must be an (n, {k}) array for a table over {k} features, got shape {X.shape}")
    bad = (X != 0) & (X != 1)
    if bad.any():
        value = X[bad].flat[0].item()
        raise ValueError(f"individual outside the model's states: feature value {value!r} is not 0 or 1")
    return scores, X.astype(np.int64)


def flip_attributions(scores: Any, X: Any) -> Any:
    """Attribution of each binary feature: how much the score drops when that feature alone is flipped.

    For a model over ``k`` binary features whose score :math:`f` is tabulated
    over the :math:`2^k` cells (``scores[c]``, cells as in
    :func:`book.objectives.privacy.cells`),

    .. math:: \\phi_j(x) = f(x) - f(x \\oplus e_j),

    the finite-difference analogue, on binary inputs, of the gradient
    attributions that Shokri, Strobel & Zick (2021) attack. Unlike a Shapley
    value it needs no value function and no efficiency: it is local, and it
    reads the model only at ``x`` and its ``k`` neighbours.

    Parameters
    ----------
    scores : array of shape (2**k,)
        The model's score of every cell.
    X : array of shape (n, k)
        The individuals explained (binary).

    Returns
    -------
    numpy.ndarray
        Shape ``(n, k)``: one attribution per individual and feature.

    Raises
    ------
    ValueError
        If ``scores`` is not a table of :math:`2^k` cells, or an individual has
        the wrong number of features or a value outside {0, 1}.

    Examples
    --------
    >>> flip_attributions([0.1, 0.2, 0.7, 0.9], [[1, 1]]).round(3).tolist()
    [[0.7, 0.2]]
    """
    scores, X = _table_and_features(scores, X)
    k = X.shape[1]
    c = X @ (1 << np.arange(k - 1, -1, -1, dtype=np.int64))
    bits = 1 << np.arange(k - 1, -1, -1, dtype=np.int64)
    return scores[c][:, None] - scores[c[:, None] ^ bits[None, :]]


def mean_attribution_distance(phi: Any, reference: Any) -> float:
    """Mean absolute difference between two attribution arrays of one shape ``(n, k)``, per individual and feature.

    .. math:: \\frac{1}{nk} \\sum_{i=1}^n \\sum_{j=1}^k |\\phi_{ij} - \\phi^{\\text{ref}}_{ij}|

    Averaged over features too, so that models reading different numbers of
    features are compared on one scale.

    Examples
    --------
    >>> mean_attribution_distance([[0.5, 0.0], [0.2, 0.2]], [[0.25, 0.25], [0.2, 0.2]])
    0.125
    """
    phi, reference = np.asarray(phi, dtype=float), np.asarray(reference, dtype=float)
    if phi.shape != reference.shape or phi.ndim != 2 or phi.size == 0:
        raise ValueError(f"attributions must be non-empty (n, k) arrays of one shape: {phi.shape} vs {reference.shape}")
    return float(np.abs(phi - reference).mean())
