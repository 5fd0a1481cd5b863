"""Robustness across environments, computed exactly.

An *environment* is a version of a structural causal model in which some
mechanisms other than the target's own have been changed (a hospital with
another scanner policy, a region with another case mix). An
:class:`Environments` family holds one :class:`~book.scm.DiscreteSCM` per
environment, checks that the target's mechanism :math:`P(Y \\mid \\mathrm{pa}(Y))`
is the same in all of them, and names the training environments and their
weights (the training data are their mixture).

On such a family this module computes, exactly:

* the risk of a predictor in any environment and the worst-environment risk
  (:func:`environment_risk`, :func:`environment_risks`, :func:`worst_risk`;
  :func:`book.objectives.ledger.risk_invariance` is their spread);
* the robustness requirement of the book's invariance ledger, invariance of
  :math:`P(Y \\mid X_S)` across environments (:func:`conditional_invariance`),
  and the invariance test of every feature subset, the idea of invariant causal
  prediction (Peters, Bühlmann & Meinshausen, 2016) run exhaustively and without
  sampling error (:func:`invariance_test`); :func:`select_invariant` then takes the
  most accurate accepted subset, the rule of Rojas-Carulla et al. (2018). An
  invariant conditional gives an invariant risk only when the environments also
  leave the distribution of :math:`X_S` unchanged; the ledger's
  robustness row, :func:`book.objectives.ledger.environment_invariance`, is
  :func:`conditional_invariance` on the features a predictor reads;
* randomised predictors that trade training risk against worst-environment
  risk, and the exact frontier between the two (:func:`penalised_predictor`,
  :func:`frontier`), as linear programmes;
* where two risk curves cross along a one-parameter family of environments
  (:func:`crossing`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from book.metrics import expected_risk
from book.objectives.frontiers import FrontierPoint
from book.predictors import AnyPredictor, Predictor, RandomizedPredictor, most_likely, on_features, subset_label
from book.scm import TOLERANCE, DiscreteSCM

__all__ = [
    "Environments",
    "InvarianceTest",
    "SubsetResult",
    "conditional_invariance",
    "crossing",
    "environment_risk",
    "environment_risks",
    "frontier",
    "invariance_test",
    "optimal_predictor",
    "penalised_predictor",
    "select_invariant",
    "shift",
    "widen",
    "worst_risk",
]


# ---------------------------------------------------------------------------- families
def shift(scm: DiscreteSCM, changes: Mapping[str, Any]) -> DiscreteSCM:
    """The SCM with some mechanisms changed: a new environment.

    Each entry of ``changes`` is either an exogenous variable with a new
    distribution (a *soft* intervention: the mechanism that reads this noise
    now behaves differently) or an endogenous variable with a state (a *hard*
    intervention, :math:`do(V = v)`). Equations and state spaces are kept.

    Parameters
    ----------
    scm : DiscreteSCM
    changes : mapping
        ``{"U_S": {0: 0.2, 1: 0.8}}`` or ``{"C": 2}``.

    Raises
    ------
    ValueError
        For an unknown variable, or a new distribution over other states than
        the old one (the equations are tabulated over the old states).

    Examples
    --------
    >>> from book.models import hospitals
    >>> m = shift(hospitals(), {"U_S0": {0: 0.5, 1: 0.5}})
    >>> m.query("S", evidence={"Y": 1}, do={"E": 0})
    {0: 0.5, 1: 0.5}
    """
    exogenous = {u: scm.distribution(u) for u in scm.exogenous}
    hard: dict[str, Any] = {}
    for name, change in changes.items():
        if name in scm.exogenous:
            if not isinstance(change, Mapping) or set(change) != set(exogenous[name]):
                raise ValueError(
                    f"new distribution of {name!r} must give a probability to each of its states "
                    f"{sorted(exogenous[name])!r}, got {change!r}"
                )
            exogenous[name] = dict(change)
        elif name in scm.endogenous:
            hard[name] = change
        else:
            raise ValueError(f"unknown variable {name!r}; known variables: {list(scm.variables)}")
    equations = {}
    for name in scm.endogenous:
        parents = scm.parents(name)
        lookup = {tuple(row[:-1]): row[-1] for row in scm.table(name).itertuples(index=False)}
        # Bind this variable's lookup now; a bare closure would read the loop's last table.
        equations[name] = (parents, _lookup_equation(parents, lookup))
    rebuilt = DiscreteSCM(exogenous, equations, states={n: scm.states(n) for n in scm.endogenous})
    return rebuilt.do(hard) if hard else rebuilt


def _lookup_equation(parents: tuple[str, ...], lookup: Mapping[tuple[Any, ...], Any]) -> Callable[..., Any]:
    def equation(**values: Any) -> Any:
        return lookup[tuple(values[p] for p in parents)]

    return equation


class Environments:
    """A family of SCMs indexed by environment, sharing the target's mechanism.

    Parameters
    ----------
    target : str
        The outcome :math:`Y`. Its structural equation and the distribution of
        its exogenous parents must be the same in every environment: an
        environment may change any mechanism *except* :math:`Y`'s own.
    members : mapping of str to DiscreteSCM
        Environment label -> that environment's SCM (at least one).
    training : mapping of str to float, or sequence of str
        The training environments with their weights (summing to 1), or a
        list of labels (equal weights). The training distribution is the
        mixture :math:`P_{\\text{train}} = \\sum_e w_e P_e`.

    Raises
    ------
    ValueError
        For no environments, an environment without the target, an
        environment that changes the target's mechanism, an unknown training
        label, or weights that are negative or do not sum to one.

    Examples
    --------
    >>> from book.models import hospitals
    >>> fam = Environments.from_variable(hospitals(), "E", "Y")
    >>> fam.labels, fam.training
    (('E=0', 'E=1', 'E=2'), {'E=0': 0.5, 'E=1': 0.5})
    """

    def __init__(
        self,
        target: str,
        members: Mapping[str, DiscreteSCM],
        training: Mapping[str, float] | Sequence[str],
    ) -> None:
        if not members:
            raise ValueError("an Environments family needs at least one environment")
        self.target = target
        self.members: dict[str, DiscreteSCM] = {str(k): v for k, v in members.items()}
        reference_label, reference = next(iter(self.members.items()))
        for label, scm in self.members.items():
            if target not in scm.variables:
                raise ValueError(f"environment {label!r} has no variable {target!r}")
            if _mechanism(scm, target) != _mechanism(reference, target):
                raise ValueError(
                    f"environment {label!r} changes the mechanism of the target {target!r} "
                    f"(compared with {reference_label!r}); environments may change other mechanisms only"
                )
        if isinstance(training, str):
            raise ValueError(f"training must be labels or a mapping label -> weight, got the string {training!r}")
        if not isinstance(training, Mapping):
            labels = list(training)
            training = {label: 1.0 / len(labels) for label in labels} if labels else {}
        weights = {str(k): float(w) for k, w in training.items()}
        for label, w in weights.items():
            self._check_label(label)
            if not (math.isfinite(w) and w >= 0):
                raise ValueError(f"training weight of {label!r} must be a non-negative number, got {w!r}")
        total = sum(weights.values())
        if abs(total - 1.0) > TOLERANCE:
            raise ValueError(f"training weights must sum to 1, got {total!r}")
        self.training: dict[str, float] = {k: w for k, w in weights.items() if w > 0}
        self._training_joints: dict[tuple[str, ...], dict[tuple[Any, ...], float]] = {}

    @classmethod
    def from_variable(
        cls,
        scm: DiscreteSCM,
        variable: str,
        target: str,
        *,
        training: Mapping[str, float] | Sequence[str] | None = None,
    ) -> Environments:
        """Environments ``do(variable = e)`` of an SCM with an explicit environment variable.

        Labels are ``"E=e"``; by default the training weights are
        :math:`P(E = e)` in ``scm`` (environments of probability zero are
        test environments only).
        """
        if variable not in scm.endogenous:
            raise ValueError(f"{variable!r} must be an endogenous variable of the SCM (the environment)")
        if variable == target or variable in scm.parents(target):
            raise ValueError(f"the environment {variable!r} must not act on {target!r}'s own mechanism")
        members = {f"{variable}={e}": scm.do({variable: e}) for e in scm.states(variable)}
        if training is None:
            training = {f"{variable}={e}": p for e, p in scm.query(variable).items()}
        return cls(target, members, training)

    @classmethod
    def from_shifts(
        cls,
        base: DiscreteSCM,
        target: str,
        shifts: Mapping[str, Mapping[str, Any]],
        *,
        training: Mapping[str, float] | Sequence[str],
    ) -> Environments:
        """Environments as changes to a base SCM: label -> ``changes`` of :func:`shift`."""
        return cls(target, {label: shift(base, changes) for label, changes in shifts.items()}, training)

    # ------------------------------------------------------------------ access
    @property
    def labels(self) -> tuple[str, ...]:
        """Every environment's label, in order."""
        return tuple(self.members)

    def scm(self, env: str) -> DiscreteSCM:
        """The SCM of environment ``env``."""
        self._check_label(env)
        return self.members[env]

    def states(self, variable: str) -> tuple[Any, ...]:
        """State space of ``variable`` (the same in every environment)."""
        return next(iter(self.members.values())).states(variable)

    def joint(self, variables: Sequence[str], env: str | None = None) -> Mapping[tuple[Any, ...], float]:
        """Exact joint of ``variables`` in environment ``env`` (``None``: the training mixture), read-only.

        Memoised: an environment's joint on its own model (:meth:`book.scm.DiscreteSCM.memo`), the
        training mixture on the family.
        """
        variables = tuple(variables)
        if env is not None:
            scm = self.scm(env)
            return MappingProxyType(scm.memo(
                ("joint", variables), lambda: scm.joint(list(variables)) if variables else {(): 1.0}))
        if variables not in self._training_joints:
            mixed: dict[tuple[Any, ...], float] = {}
            for label, w in self.training.items():
                for combo, p in self.joint(variables, label).items():
                    mixed[combo] = mixed.get(combo, 0.0) + w * p
            self._training_joints[variables] = mixed
        return MappingProxyType(self._training_joints[variables])

    def _check_label(self, env: Any) -> None:
        if env not in self.members:
            raise ValueError(f"unknown environment {env!r}; known environments: {list(self.members)}")

    def _check_features(self, features: Sequence[str]) -> tuple[str, ...]:
        if isinstance(features, str):
            raise ValueError(f"features must be a sequence of names, got the string {features!r}")
        features = tuple(features)
        scm = next(iter(self.members.values()))
        for f in features:
            if f not in scm.variables:
                raise ValueError(f"unknown feature {f!r}; known variables: {list(scm.variables)}")
        if self.target in features:
            raise ValueError(f"the target {self.target!r} cannot also be a feature")
        if len(set(features)) != len(features):
            raise ValueError(f"features list a variable twice: {features!r}")
        return features

    def __repr__(self) -> str:
        train = ", ".join(f"{k} ({w:.2f})" for k, w in self.training.items())
        return f"Environments of {self.target!r}: {list(self.labels)}; training: {train}"


def _mechanism(scm: DiscreteSCM, target: str) -> tuple[Any, ...]:
    """What defines P(target | its parents): its equation table and its noise distributions."""
    if target in scm.exogenous:
        return ("exogenous", tuple(sorted(scm.distribution(target).items())))
    parents = scm.parents(target)
    table = tuple(scm.table(target).itertuples(index=False, name=None))
    noise = tuple((p, tuple(sorted(scm.distribution(p).items()))) for p in parents if p in scm.exogenous)
    return parents, table, noise


# ---------------------------------------------------------------------------- predictors
def widen(predictor: AnyPredictor, features: Sequence[str], family: Environments) -> AnyPredictor:
    """The same predictor written over more ``features`` of the family (it ignores the extra ones).

    :func:`book.predictors.on_features` with the family's state spaces.
    """
    features = family._check_features(features)
    return on_features(predictor, features, {f: family.states(f) for f in features})


def optimal_predictor(family: Environments, features: Sequence[str], env: str | None = None) -> Predictor:
    """The Bayes-optimal predictor of the target from ``features`` in ``env`` (default: training).

    .. math:: h^*(x_F) = \\arg\\max_y P_{\\text{env}}(Y = y \\mid X_F = x_F)

    Unlike :func:`book.predictors.bayes_optimal`, the feature set may be
    empty (then the predictor is the majority label): invariant causal
    prediction includes the empty set. Ties go to the first label.

    Examples
    --------
    >>> from book.models import hospitals
    >>> fam = Environments.from_variable(hospitals(), "E", "Y")
    >>> h = optimal_predictor(fam, ["C", "S"])
    >>> h(C=1, S=1), h(C=1, S=0), h(C=0, S=1)
    (1, 0, 0)
    """
    features = family._check_features(features)
    joint = family.joint([*features, family.target], env)
    labels = family.states(family.target)
    table = {
        combo: most_likely([joint.get((*combo, y), 0.0) for y in labels], labels)
        for combo in itertools.product(*(family.states(f) for f in features))
    }
    return Predictor(features, table, labels)


# ---------------------------------------------------------------------------- risks
def environment_risk(family: Environments, predictor: AnyPredictor, env: str | None = None) -> float:
    """Exact 0–1 risk of a (possibly randomised) predictor in one environment.

    .. math:: R_e(f) = 1 - \\sum_{x, y} P_e(X_F = x, Y = y)\\, f(y \\mid x)

    ``env=None`` is the training mixture :math:`\\sum_e w_e R_e(f)`.

    Examples
    --------
    >>> from book.models import hospitals
    >>> fam = Environments.from_variable(hospitals(), "E", "Y")
    >>> h = optimal_predictor(fam, ["C"])
    >>> round(environment_risk(fam, h), 3), round(environment_risk(fam, h, "E=2"), 3)
    (0.19, 0.19)
    """
    family._check_features(predictor.features)
    return expected_risk(family.joint([*predictor.features, family.target], env), predictor)


def environment_risks(
    family: Environments, predictor: AnyPredictor, envs: Iterable[str] | None = None
) -> dict[str, float]:
    """Risk in each environment (default: all), label -> risk."""
    return {e: environment_risk(family, predictor, e) for e in (family.labels if envs is None else envs)}


def worst_risk(
    family: Environments, predictor: AnyPredictor, envs: Iterable[str] | None = None
) -> tuple[str, float]:
    """The worst environment and its risk, :math:`\\max_e R_e(f)` (ties: the first)."""
    values = environment_risks(family, predictor, envs)
    if not values:
        raise ValueError("worst_risk needs at least one environment")
    label = max(values, key=lambda e: (round(values[e], 12)))
    return label, values[label]


# ---------------------------------------------------------------------------- invariance test
@dataclass(frozen=True)
class SubsetResult:
    """Is :math:`P(Y \\mid X_S)` the same in every environment, for one feature subset ``S``?

    Attributes
    ----------
    features : tuple of str
        The subset (possibly empty).
    conditionals : dict
        Environment -> feature-state tuple -> ``(P(Y = y | x) for y in labels)``,
        for the feature values that have positive probability there.
    gap : float
        :math:`\\max_{x, y} \\left(\\max_e P_e(y \\mid x) - \\min_e P_e(y \\mid x)\\right)`.
    tolerance : float
    """

    features: tuple[str, ...]
    conditionals: Mapping[str, Mapping[tuple[Any, ...], tuple[float, ...]]]
    gap: float
    tolerance: float = TOLERANCE

    @property
    def holds(self) -> bool:
        """Accepted: the conditional is invariant (gap within tolerance)."""
        return self.gap <= self.tolerance

    @property
    def name(self) -> str:
        """``"{C, S}"``, or ``"∅"`` for the empty set (:func:`book.predictors.subset_label`)."""
        return subset_label(self.features)


def conditional_invariance(
    family: Environments,
    features: Sequence[str],
    envs: Iterable[str] | None = None,
    *,
    tolerance: float = TOLERANCE,
) -> SubsetResult:
    """Check exactly whether :math:`P_e(Y \\mid X_S)` is the same in every environment ``e``.

    This is the null hypothesis of invariant causal prediction (Peters et al.,
    2016), evaluated on population distributions instead of tested on samples.
    Feature values that are impossible in an environment are skipped there.

    Parameters
    ----------
    family : Environments
    features : sequence of str
        The subset :math:`S` (may be empty: then :math:`P(Y)` must be invariant).
    envs : iterable of str, optional
        The environments compared (default: the training environments); at least two.
    tolerance : float

    Examples
    --------
    >>> from book.models import hospitals
    >>> fam = Environments.from_variable(hospitals(), "E", "Y")
    >>> conditional_invariance(fam, ["C"]).holds, conditional_invariance(fam, ["C", "S"]).holds
    (True, False)
    """
    features = family._check_features(features)
    envs = list(family.training if envs is None else envs)
    for e in envs:
        family._check_label(e)
    if len(set(envs)) < 2:
        raise ValueError(f"an invariance test needs at least two environments, got {envs!r}")
    labels = family.states(family.target)
    conditionals: dict[str, dict[tuple[Any, ...], tuple[float, ...]]] = {}
    for e in envs:
        joint = family.joint([*features, family.target], e)
        table = {}
        for combo in itertools.product(*(family.states(f) for f in features)):
            mass = sum(joint.get((*combo, y), 0.0) for y in labels)
            if mass > 1e-12:
                table[combo] = tuple(joint.get((*combo, y), 0.0) / mass for y in labels)
        conditionals[e] = table
    gap = 0.0
    for combo in itertools.product(*(family.states(f) for f in features)):
        seen = [conditionals[e][combo] for e in envs if combo in conditionals[e]]
        for k in range(len(labels)):
            values = [s[k] for s in seen]
            if values:
                gap = max(gap, max(values) - min(values))
    return SubsetResult(features, conditionals, gap, tolerance)


@dataclass(frozen=True)
class InvarianceTest:
    """The exhaustive invariance test: one :class:`SubsetResult` per subset of the candidates."""

    candidates: tuple[str, ...]
    results: tuple[SubsetResult, ...]

    @property
    def accepted(self) -> tuple[tuple[str, ...], ...]:
        """The subsets whose conditional is invariant."""
        return tuple(r.features for r in self.results if r.holds)

    @property
    def intersection(self) -> tuple[str, ...]:
        """ICP's estimate of the causal parents: the features in *every* accepted subset.

        Empty when no subset is accepted (the convention of Peters et al., 2016).
        """
        accepted = self.accepted
        if not accepted:
            return ()
        common = set(accepted[0]).intersection(*map(set, accepted[1:]))
        return tuple(f for f in self.candidates if f in common)

    def result(self, features: Iterable[str]) -> SubsetResult:
        """The result for one subset (in any order)."""
        wanted = set(features)
        for r in self.results:
            if set(r.features) == wanted:
                return r
        raise ValueError(f"{sorted(wanted)!r} is not a subset of the candidates {self.candidates!r}")

    def table(self) -> pd.DataFrame:
        """One row per subset: its gap and whether it passes."""
        return pd.DataFrame(
            [{"subset": r.name, "gap": round(r.gap, 3), "invariant?": "yes" if r.holds else "no"}
             for r in self.results]
        ).set_index("subset")


def invariance_test(
    family: Environments,
    candidates: Sequence[str],
    envs: Iterable[str] | None = None,
    *,
    tolerance: float = TOLERANCE,
) -> InvarianceTest:
    """Run :func:`conditional_invariance` on **every** subset of ``candidates``, the empty one included.

    Examples
    --------
    >>> from book.models import hospitals
    >>> test = invariance_test(Environments.from_variable(hospitals(), "E", "Y"), ["C", "S"])
    >>> test.accepted, test.intersection
    (((), ('C',)), ())
    """
    candidates = family._check_features(candidates)
    if not candidates:
        raise ValueError("invariance_test needs at least one candidate feature")
    envs = None if envs is None else list(envs)
    results = tuple(
        conditional_invariance(family, subset, envs, tolerance=tolerance)
        for r in range(len(candidates) + 1)
        for subset in itertools.combinations(candidates, r)
    )
    return InvarianceTest(candidates, results)


def select_invariant(family: Environments, test: InvarianceTest) -> tuple[str, ...]:
    """The accepted subset whose Bayes-optimal predictor has the lowest training risk.

    This is *invariant prediction*: among the feature sets whose relation to
    the target the environments leave unchanged, use the most informative.
    Rojas-Carulla et al. (2018) select this way on samples, by the lowest
    validation error among the subsets their invariance test accepts.
    Ties go to the smaller subset.
    """
    if not test.accepted:
        raise ValueError("no subset passed the invariance test; there is nothing to select")
    return min(test.accepted, key=lambda s: (round(environment_risk(family, optimal_predictor(family, s)), 12), len(s)))


# ---------------------------------------------------------------------------- frontier
def _cells(family: Environments, features: tuple[str, ...]) -> tuple[list[tuple[Any, ...]], tuple[Any, ...]]:
    labels = family.states(family.target)
    xs = list(itertools.product(*(family.states(f) for f in features)))
    return [(*x, y) for x in xs for y in labels], labels


def _probabilities(family: Environments, features: tuple[str, ...], env: str | None) -> np.ndarray:
    cells, _ = _cells(family, features)
    joint = family.joint([*features, family.target], env)
    return np.array([joint.get(c, 0.0) for c in cells])


def _solve_lp(
    family: Environments,
    features: tuple[str, ...],
    envs: list[str],
    objective_weights: tuple[float, float],
    bound: float | None,
) -> RandomizedPredictor:
    """min  a·R_train(f) + b·t  s.t.  R_e(f) <= t (and <= bound)  for e in envs; f(.|x) a distribution."""
    from scipy.optimize import linprog  # imported here: only the frontier needs scipy

    cells, labels = _cells(family, features)
    n, k = len(cells), len(labels)
    train = _probabilities(family, features, None)
    per_env = np.array([_probabilities(family, features, e) for e in envs])
    a, b = objective_weights
    # Variables: f(y | x) for every cell, then t. Risk R = 1 - p·f, so minimising R is maximising p·f.
    c = np.concatenate([-a * train, [b]])
    a_ub = np.hstack([-per_env, -np.ones((len(envs), 1))])  # 1 - p_e·f <= t
    b_ub = -np.ones(len(envs))
    if bound is not None:  # 1 - p_e·f <= bound
        a_ub = np.vstack([a_ub, np.hstack([-per_env, np.zeros((len(envs), 1))])])
        b_ub = np.concatenate([b_ub, np.full(len(envs), bound - 1.0)])
    a_eq = np.zeros((n // k, n + 1))
    for i in range(n // k):
        a_eq[i, i * k:(i + 1) * k] = 1.0
    result = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=np.ones(n // k),
                     bounds=[(0.0, 1.0)] * n + [(0.0, 1.0)], method="highs")
    if result.status != 0:
        raise ValueError(f"the linear programme has no solution (bound {bound!r} too small?): {result.message}")
    f = np.clip(result.x[:n], 0.0, 1.0)
    table = {}
    for i, x in enumerate(itertools.product(*(family.states(feat) for feat in features))):
        row = f[i * k:(i + 1) * k]
        row = row / row.sum()
        table[x] = {y: round(float(v), 12) + 0.0 for y, v in zip(labels, row, strict=True)}  # + 0.0: no -0.0
    return RandomizedPredictor(features, table, labels)


def penalised_predictor(
    family: Environments,
    features: Sequence[str],
    penalty: float,
    envs: Iterable[str] | None = None,
) -> RandomizedPredictor:
    """The randomised predictor minimising training risk plus a penalty on the robustness gap.

    .. math::

        f_\\lambda = \\arg\\min_f\\; R_{\\text{train}}(f)
        + \\lambda \\left(\\max_e R_e(f) - R_{\\text{train}}(f)\\right),
        \\qquad 0 \\le \\lambda \\le 1

    over all :math:`f(y \\mid x_F)`, solved exactly as a linear programme.
    :math:`\\lambda = 0` is the training-optimal predictor, :math:`\\lambda = 1`
    the minimax (worst-environment optimal) one. ``envs`` defaults to all
    environments of the family.

    Examples
    --------
    >>> from book.models import hospitals
    >>> fam = Environments.from_variable(hospitals(), "E", "Y")
    >>> f = penalised_predictor(fam, ["C", "S"], 1.0)
    >>> round(worst_risk(fam, f)[1], 3)
    0.19
    """
    if not (isinstance(penalty, int | float) and 0.0 <= penalty <= 1.0):
        raise ValueError(f"penalty must lie in [0, 1], got {penalty!r}")
    features = family._check_features(features)
    envs = _envs(family, envs)
    return _solve_lp(family, features, envs, (1.0 - penalty, penalty), None)


def frontier(
    family: Environments,
    features: Sequence[str],
    envs: Iterable[str] | None = None,
    *,
    points: int = 11,
) -> list[FrontierPoint]:
    """The exact frontier of training risk against worst-environment risk.

    For bounds :math:`b` from the minimax risk to the worst-environment risk
    of the training-optimal predictor, solve

    .. math:: \\min_f R_{\\text{train}}(f) \\quad \\text{s.t.} \\quad R_e(f) \\le b \\ \\text{for every } e

    over all randomised predictors on ``features``. No predictor on these
    features lies below this curve.

    Examples
    --------
    >>> from book.models import hospitals
    >>> fam = Environments.from_variable(hospitals(), "E", "Y")
    >>> ends = frontier(fam, ["C", "S"], points=2)
    >>> [(round(p["training risk"], 3), round(p["worst risk"], 3)) for p in ends]
    [(0.19, 0.19), (0.115, 0.31)]

    Each point's ``values`` hold ``"training risk"`` and ``"worst risk"``.
    """
    if not (isinstance(points, int) and points >= 2):
        raise ValueError(f"points must be an integer >= 2, got {points!r}")
    features = family._check_features(features)
    envs = _envs(family, envs)
    low = worst_risk(family, _solve_lp(family, features, envs, (0.0, 1.0), None), envs)[1]
    high = worst_risk(family, optimal_predictor(family, features), envs)[1]
    out = []
    for b in np.linspace(low, max(low, high), points):
        f = _solve_lp(family, features, envs, (1.0, 0.0), float(b) + 1e-12)
        values = {"training risk": environment_risk(family, f), "worst risk": worst_risk(family, f, envs)[1]}
        out.append(FrontierPoint(float(b), f, values))
    return out


def _envs(family: Environments, envs: Iterable[str] | None) -> list[str]:
    envs = list(family.labels if envs is None else envs)
    if not envs:
        raise ValueError("at least one environment is needed")
    for e in envs:
        family._check_label(e)
    return envs


def crossing(
    first: Callable[[float], float], second: Callable[[float], float], low: float, high: float,
    *, tolerance: float = 1e-10,
) -> float:
    """The parameter in ``[low, high]`` where two risk curves cross, by bisection.

    ``first`` and ``second`` map an environment parameter (e.g. the mismatch
    of a test hospital) to an exact risk; :math:`d = \\text{first} - \\text{second}`
    must change sign on the interval.

    Examples
    --------
    >>> round(crossing(lambda q: 0.07 + 0.3 * q, lambda q: 0.19, 0.0, 1.0), 6)
    0.4
    """
    if not low < high:
        raise ValueError(f"need low < high, got {low!r} and {high!r}")
    d_low = first(low) - second(low)
    d_high = first(high) - second(high)
    if d_low == 0:
        return float(low)
    if d_low * d_high > 0:
        raise ValueError(
            f"the curves do not cross on [{low}, {high}]: differences {d_low:.4f} and {d_high:.4f} have one sign"
        )
    while high - low > tolerance:
        mid = (low + high) / 2
        d_mid = first(mid) - second(mid)
        if d_mid == 0:
            return float(mid)
        if d_mid * d_low < 0:
            high = mid
        else:
            low, d_low = mid, d_mid
    return float((low + high) / 2)
