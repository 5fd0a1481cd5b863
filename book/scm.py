"""Discrete structural causal models, answered exactly on pgmpy.

A :class:`DiscreteSCM` has explicit exogenous noise roots (each with a
distribution) and endogenous variables given by deterministic structural
equations. All three rungs of the ladder of causation are computed by exact
variable elimination on a pgmpy ``DiscreteBayesianNetwork``:

* rung 1, seeing: :math:`P(Y \\mid E=e)` on the compiled network;
* rung 2, doing: :math:`P(Y \\mid do(X=x), E=e)` on the *mutilated* network,
  with ``X``'s equation replaced by the constant ``x``;
* rung 3, imagining: :math:`P(Y_{X=x} \\mid E=e)` on a *twin network*
  (Balke & Pearl, 1994): a factual and a counterfactual copy of the endogenous
  variables share the exogenous noise, so conditioning on the factual copy is
  abduction, the surgery on the counterfactual copy is action, and reading the
  counterfactual copy is prediction.

Path-specific (edge-specific) interventions use the same machinery with a third
world: see :meth:`DiscreteSCM.path_specific`.

The engine behind every query is one idea: several *worlds* that share the
exogenous noise, each with its own interventions, compiled into one pgmpy
network. Variables that no intervention can reach are identical in every world,
so they are merged into a single node (the merge rule of the twin network).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from book._pgmpy import DiscreteBayesianNetwork, TabularCPD, VariableElimination

State = Hashable
Distribution = dict[Any, float]
Equation = tuple[Sequence[str], Callable[..., Any]]
Edge = tuple[str, str]

#: Numerical tolerance of the book's exact computations: two probabilities closer than this are equal,
#: a gap no larger than this is zero. Defined once, here; every module imports it.
TOLERANCE = 1e-9

__all__ = ["TOLERANCE", "DiscreteSCM", "Edge"]


def _sort_key(state: Any) -> tuple[str, Any]:
    # Group by type first so that mixed state types (e.g. 0 and "high") still sort.
    if isinstance(state, (bool, int, float, np.integer, np.floating)):
        return ("0number", float(state))
    return (type(state).__name__, state)


@dataclass(frozen=True)
class _World:
    """One world of a multi-world query.

    ``suffix`` names the world's copy of a variable (``"Y" + suffix``); the
    factual world has suffix ``""``. ``do`` maps variables to forced states.
    If ``fallback`` is set, a variable reads a parent from this world only if
    the edge (parent, child) is in ``edges``; otherwise from world ``fallback``.
    """

    suffix: str
    do: tuple[tuple[str, Any], ...] = ()
    fallback: str | None = None
    edges: frozenset[Edge] = field(default_factory=frozenset)


def _frozen(assignment: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """An assignment as a hashable, order-independent key (worlds are cache keys)."""
    return tuple(sorted(assignment.items(), key=lambda kv: kv[0]))


class DiscreteSCM:
    """A discrete structural causal model with explicit exogenous noise.

    Parameters
    ----------
    exogenous : mapping of str to mapping of state to float
        The exogenous (noise) variables: roots of the graph, mutually
        independent, each with its distribution ``{state: probability}``.
    equations : mapping of str to (sequence of str, callable)
        The endogenous variables, each as ``(parents, f)``: the structural
        equation :math:`V := f(\\mathrm{pa}(V))`, where ``f`` is called with the
        parents' values as keyword arguments. Parents may be exogenous or
        endogenous; the order of the mapping does not matter.
    states : mapping of str to sequence, optional
        Declared state spaces of endogenous variables (in display order). By
        default a variable's states are derived by enumerating every
        combination of its parents' states and collecting the outputs of
        ``f`` (sorted). A declared space must contain every derived state; it
        may contain more (e.g. a constant predictor that still lives on {0, 1}).

    Raises
    ------
    ValueError
        On an empty or non-normalised distribution, a negative probability, a
        name used twice, an unknown parent, a cycle, or an equation that fails
        or returns ``None``/an unhashable value for some parent values. The
        message names the offending variable and value.

    Examples
    --------
    >>> scm = DiscreteSCM(
    ...     exogenous={"U": {0: 0.7, 1: 0.3}},
    ...     equations={"X": (["U"], lambda U: U), "Y": (["X"], lambda X: 1 - X)},
    ... )
    >>> scm.query("Y")
    {0: 0.3, 1: 0.7}
    >>> scm.query("Y", do={"X": 1})
    {0: 1.0, 1: 0.0}
    """

    def __init__(
        self,
        exogenous: Mapping[str, Mapping[Any, float]],
        equations: Mapping[str, Equation],
        *,
        states: Mapping[str, Sequence[Any]] | None = None,
    ) -> None:
        self._exo_dist: dict[str, dict[Any, float]] = {
            name: _validated_distribution(name, dist) for name, dist in exogenous.items()
        }
        for name in equations:
            if name in self._exo_dist:
                raise ValueError(f"variable {name!r} is declared both exogenous and endogenous")
        self._equations: dict[str, tuple[tuple[str, ...], Callable[..., Any]]] = {}
        for name, spec in equations.items():
            if not isinstance(name, str):
                raise ValueError(f"variable names must be strings, got {name!r}")
            try:
                parents, fn = spec
            except (TypeError, ValueError):
                raise ValueError(
                    f"equation of {name!r} must be a pair (parents, function), got {spec!r}"
                ) from None
            if isinstance(parents, str):
                raise ValueError(f"parents of {name!r} must be a list of names, got the string {parents!r}")
            if not callable(fn):
                raise ValueError(f"equation of {name!r}: {fn!r} is not callable")
            self._equations[name] = (tuple(parents), fn)
        known = set(self._exo_dist) | set(self._equations)
        for name, (parents, _) in self._equations.items():
            for p in parents:
                if p not in known:
                    raise ValueError(f"unknown variable {p!r} listed as a parent of {name!r}")
            if len(set(parents)) != len(parents):
                raise ValueError(f"parents of {name!r} list a variable twice: {parents!r}")
        declared = dict(states or {})
        for name in declared:
            if name not in self._equations:
                raise ValueError(f"states declared for {name!r}, which is not an endogenous variable")
        self.exogenous: tuple[str, ...] = tuple(self._exo_dist)
        self.endogenous: tuple[str, ...] = _topological_order(
            {n: [p for p in ps if p in self._equations] for n, (ps, _) in self._equations.items()}
        )
        self.variables: tuple[str, ...] = self.exogenous + self.endogenous
        self._states: dict[str, tuple[Any, ...]] = {n: tuple(d) for n, d in self._exo_dist.items()}
        # Lookup tables: for each endogenous variable, parent-state tuple -> output state.
        self._tables: dict[str, dict[tuple[Any, ...], Any]] = {}
        for name in self.endogenous:
            self._tables[name], self._states[name] = self._tabulate(name, declared.get(name))
        self._declared = declared
        self._cache: dict[tuple[_World, ...], tuple[DiscreteBayesianNetwork, VariableElimination]] = {}
        self._answers: dict[Hashable, Any] = {}

    # ------------------------------------------------------------------ structure
    def _tabulate(
        self, name: str, declared: Sequence[Any] | None
    ) -> tuple[dict[tuple[Any, ...], Any], tuple[Any, ...]]:
        parents, fn = self._equations[name]
        table: dict[tuple[Any, ...], Any] = {}
        for combo in itertools.product(*(self._states[p] for p in parents)):
            kwargs = dict(zip(parents, combo, strict=True))
            try:
                value = fn(**kwargs)
            except Exception as exc:  # any failure of user code becomes a clear modelling error
                raise ValueError(
                    f"equation of {name!r} failed for parents {kwargs}: {type(exc).__name__}: {exc}"
                ) from exc
            if value is None:
                raise ValueError(f"equation of {name!r} returned None for parents {kwargs}")
            if isinstance(value, np.generic):
                value = value.item()
            try:
                hash(value)
            except TypeError:
                raise ValueError(
                    f"equation of {name!r} returned the unhashable value {value!r} for parents {kwargs}"
                ) from None
            table[combo] = value
        derived = set(table.values())
        if declared is None:
            return table, tuple(sorted(derived, key=_sort_key))
        declared_t = tuple(declared)
        missing = derived - set(declared_t)
        if missing:
            raise ValueError(
                f"equation of {name!r} returns {sorted(missing, key=_sort_key)!r}, "
                f"not among its declared states {declared_t!r}"
            )
        return table, declared_t

    def parents(self, variable: str) -> tuple[str, ...]:
        """Parents of ``variable`` (empty for an exogenous variable)."""
        self._check_variable(variable)
        return self._equations[variable][0] if variable in self._equations else ()

    def states(self, variable: str) -> tuple[Any, ...]:
        """The state space of ``variable``, in display order."""
        self._check_variable(variable)
        return self._states[variable]

    def binary_states(self, variable: str) -> tuple[Any, Any]:
        """The two states of a binary variable, in order; ``ValueError`` naming it otherwise."""
        states = self.states(variable)
        if len(states) != 2:
            raise ValueError(f"{variable!r} must be binary, its states are {states!r}")
        return states[0], states[1]

    def memo(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """``compute()``, remembered on this model under ``key``.

        The book's one caching strategy: exact answers are pure functions of an
        (immutable) model, so they are memoised *on* the model and live exactly
        as long as it does. Callers must not mutate what they get back; functions
        that hand a cached container to their own callers return a copy.
        """
        if key not in self._answers:
            self._answers[key] = compute()
        return self._answers[key]

    def distribution(self, variable: str) -> Distribution:
        """The distribution of an exogenous variable, as given."""
        if variable not in self._exo_dist:
            raise ValueError(f"{variable!r} is not an exogenous variable of this SCM")
        return dict(self._exo_dist[variable])

    def edges(self, include_exogenous: bool = False) -> list[Edge]:
        """Directed edges ``(parent, child)``, children in topological order."""
        return [
            (p, child)
            for child in self.endogenous
            for p in self._equations[child][0]
            if include_exogenous or p in self._equations
        ]

    def descendants(self, variables: Iterable[str]) -> set[str]:
        """The given variables and every variable downstream of them."""
        out = set(variables)
        for name in self.endogenous:  # topological order: one pass suffices
            if any(p in out for p in self._equations[name][0]):
                out.add(name)
        return out

    def table(self, variable: str) -> pd.DataFrame:
        """The structural equation of an endogenous variable as a lookup table."""
        if variable not in self._equations:
            self._check_variable(variable)
            raise ValueError(f"{variable!r} is exogenous: it has a distribution, not an equation")
        parents = self._equations[variable][0]
        rows = [(*combo, out) for combo, out in self._tables[variable].items()]
        return pd.DataFrame(rows, columns=[*parents, variable])

    def __repr__(self) -> str:
        return (
            f"DiscreteSCM(exogenous={list(self.exogenous)}, endogenous={list(self.endogenous)})"
        )

    # ------------------------------------------------------------ new models
    def do(self, interventions: Mapping[str, Any]) -> DiscreteSCM:
        """The intervened model :math:`M_{do(X=x)}`.

        Each intervened endogenous variable's equation is replaced by the
        constant (no parents). State spaces are kept, so queries stay
        comparable with the original model's.
        """
        self._check_assignment(interventions, "do")
        eqs: dict[str, Equation] = {}
        for n, (ps, fn) in self._equations.items():
            if n in interventions:
                eqs[n] = ((), _constant(interventions[n]))
            else:
                eqs[n] = (ps, fn)
        declared = {**self._declared, **{n: self._states[n] for n in interventions if n in eqs}}
        return DiscreteSCM(self._exo_dist, eqs, states=declared)

    def extend(
        self,
        equations: Mapping[str, Equation],
        *,
        states: Mapping[str, Sequence[Any]] | None = None,
    ) -> DiscreteSCM:
        """A new SCM with extra endogenous variables, e.g. a predictor ``Yhat``."""
        for name in equations:
            if name in self._exo_dist or name in self._equations:
                raise ValueError(f"variable {name!r} already exists in this SCM")
        return DiscreteSCM(
            self._exo_dist,
            {**self._equations, **equations},
            states={**self._declared, **(states or {})},
        )

    # ------------------------------------------------------------------ rungs 1–2
    def query(
        self,
        target: str,
        evidence: Mapping[str, Any] | None = None,
        do: Mapping[str, Any] | None = None,
    ) -> Distribution:
        """Exact :math:`P(\\text{target} \\mid do(\\ldots), \\text{evidence})`.

        Rung 1 without ``do``; rung 2 with it. The do-query is computed on the
        mutilated model with the evidence applied there, so it is correct also
        for evidence on descendants of the intervened variables (where pgmpy's
        ``CausalInference.query`` drops that evidence).

        Returns
        -------
        dict
            ``{state: probability}`` over every state of ``target``.
        """
        joint = self.joint([target], evidence=evidence, do=do)
        return {key[0]: p for key, p in joint.items()}

    def joint(
        self,
        targets: Sequence[str],
        evidence: Mapping[str, Any] | None = None,
        do: Mapping[str, Any] | None = None,
    ) -> dict[tuple[Any, ...], float]:
        """Exact joint distribution of ``targets``; keys are state tuples in that order."""
        if isinstance(targets, str):
            raise ValueError(f"targets must be a sequence of names, got the string {targets!r}")
        do = dict(do or {})
        self._check_assignment(do, "do")
        return self._solve((_World("", _frozen(do)),), [(t, "") for t in targets], dict(evidence or {}))

    def probability(
        self,
        event: Mapping[str, Any],
        evidence: Mapping[str, Any] | None = None,
        do: Mapping[str, Any] | None = None,
    ) -> float:
        """Exact probability of a joint ``event`` such as ``{"Y": 1, "A": 0}``."""
        names = list(event)
        self._check_assignment(event, "event")
        return self.joint(names, evidence=evidence, do=do)[tuple(event[n] for n in names)]

    # ------------------------------------------------------------------ rung 3
    def counterfactual(
        self,
        target: str,
        evidence: Mapping[str, Any],
        do: Mapping[str, Any],
    ) -> Distribution:
        """Exact :math:`P(\\text{target}_{do} \\mid \\text{evidence})` via the twin network.

        Abduction conditions the shared exogenous noise on ``evidence``
        observed in the factual world; action applies ``do`` in the
        counterfactual world; prediction reads ``target`` there.

        Examples
        --------
        >>> scm = DiscreteSCM(
        ...     exogenous={"U": {0: 0.5, 1: 0.5}},
        ...     equations={"X": ([], lambda: 0), "Y": (["X", "U"], lambda X, U: X ^ U)},
        ...     states={"X": (0, 1)},
        ... )
        >>> scm.counterfactual("Y", evidence={"Y": 1}, do={"X": 1})
        {0: 1.0, 1: 0.0}
        """
        joint = self._solve(self._twin_worlds(do), [(target, "*")], dict(evidence))
        return {key[0]: p for key, p in joint.items()}

    def counterfactual_joint(
        self,
        targets: Sequence[str],
        do: Mapping[str, Any],
        evidence: Mapping[str, Any] | None = None,
    ) -> dict[tuple[Any, ...], float]:
        """Joint distribution of ``targets`` in the factual *and* the counterfactual world.

        Keys are ``(factual states..., counterfactual states...)``. This is
        what a unit-level question needs, e.g. the probability that a
        prediction changes when ``A`` is switched for the same unit,
        :math:`P(\\hat Y_{A \\leftarrow a'} \\neq \\hat Y \\mid A = a)`.
        """
        if isinstance(targets, str):
            raise ValueError(f"targets must be a sequence of names, got the string {targets!r}")
        pairs = [(t, "") for t in targets] + [(t, "*") for t in targets]
        return self._solve(self._twin_worlds(do), pairs, dict(evidence or {}))

    def path_specific(
        self,
        target: str,
        *,
        intervention: Mapping[str, Any],
        baseline: Mapping[str, Any],
        edges: Iterable[Edge],
        evidence: Mapping[str, Any] | None = None,
    ) -> Distribution:
        """Distribution of ``target`` when ``intervention`` travels along ``edges`` only.

        Edge-specific intervention (Avin, Shpitser & Pearl, 2005). Two worlds
        share the exogenous noise: a *baseline* world under ``do(baseline)``
        and an *active* world under ``do(intervention)`` in which every other
        variable :math:`V` reads a parent :math:`W` from the active world if
        :math:`(W, V)` is in ``edges`` and from the baseline world otherwise.
        The intervention therefore reaches ``target`` only along directed paths
        made entirely of the listed edges. With ``evidence``, the noise is
        first conditioned on the evidence in a third, factual world
        (a unit-level, counterfactual path-specific quantity).

        With ``edges`` equal to all edges this is ``query(target,
        do=intervention)`` (or ``counterfactual`` with evidence); with no edges
        it is the baseline do-query.
        """
        worlds = self._path_worlds(intervention, baseline, edges, factual=bool(evidence))
        joint = self._solve(worlds, [(target, "@active")], dict(evidence or {}))
        return {key[0]: p for key, p in joint.items()}

    def path_specific_joint(
        self,
        targets: Sequence[str],
        *,
        intervention: Mapping[str, Any],
        baseline: Mapping[str, Any],
        edges: Iterable[Edge],
        evidence: Mapping[str, Any] | None = None,
    ) -> dict[tuple[Any, ...], float]:
        """Joint of ``targets`` in the factual world and in the active world of :meth:`path_specific`.

        Keys are ``(factual states..., active states...)``: what a unit-level
        path-specific question needs, e.g. the probability that a prediction
        changes when ``A`` is switched along unfair edges only.
        """
        if isinstance(targets, str):
            raise ValueError(f"targets must be a sequence of names, got the string {targets!r}")
        worlds = self._path_worlds(intervention, baseline, edges, factual=True)
        pairs = [(t, "") for t in targets] + [(t, "@active") for t in targets]
        return self._solve(worlds, pairs, dict(evidence or {}))

    def _path_worlds(
        self,
        intervention: Mapping[str, Any],
        baseline: Mapping[str, Any],
        edges: Iterable[Edge],
        *,
        factual: bool,
    ) -> tuple[_World, ...]:
        intervention, baseline = dict(intervention), dict(baseline)
        self._check_assignment(intervention, "intervention")
        self._check_assignment(baseline, "baseline")
        all_edges = set(self.edges(include_exogenous=True))
        chosen = frozenset(tuple(e) for e in edges)
        for edge in chosen:
            if edge not in all_edges:
                raise ValueError(f"edge {edge!r} is not an edge of this SCM")
        base, act = _frozen(baseline), _frozen(intervention)
        if factual:
            return (
                _World(""),
                _World("@base", base),
                _World("@active", act, fallback="@base", edges=chosen),
            )
        return (_World("", base), _World("@active", act, fallback="", edges=chosen))

    def twin_network(self, do: Mapping[str, Any]) -> DiscreteBayesianNetwork:
        """The pgmpy twin network for ``do`` (counterfactual copies end in ``*``).

        Variables the intervention cannot reach are shared by both worlds. A
        copy: the compiled network stays the model's own.
        """
        return self._compile(self._twin_worlds(do))[0].copy()

    @property
    def network(self) -> DiscreteBayesianNetwork:
        """The observational model as a pgmpy ``DiscreteBayesianNetwork`` (a copy; edit it freely)."""
        return self._compile((_World(""),))[0].copy()

    # ------------------------------------------------------------------ sampling
    def sample(
        self, n: int, rng: np.random.Generator, *, do: Mapping[str, Any] | None = None
    ) -> pd.DataFrame:
        """Draw ``n`` i.i.d. units (all variables), columns sorted by name.

        Sampling is forward (ancestral) from the exogenous noise, so a rare
        ``do`` value costs nothing (unlike rejection sampling).

        Parameters
        ----------
        n : int
            Number of rows, ``n >= 0``.
        rng : numpy.random.Generator
            The source of randomness; the same seed gives the same frame.
        do : mapping, optional
            Sample from the intervened model instead.
        """
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"n must be a non-negative integer, got {n!r}")
        model = self.do(do) if do else self
        idx: dict[str, np.ndarray] = {}
        for name in model.exogenous:
            probs = np.array(list(model._exo_dist[name].values()), dtype=float)
            idx[name] = rng.choice(len(probs), size=int(n), p=probs / probs.sum())
        for name in model.endogenous:
            parents = model._equations[name][0]
            states = model._states[name]
            position = {s: i for i, s in enumerate(states)}
            shape = tuple(len(model._states[p]) for p in parents)
            lookup = np.empty(shape if shape else (1,), dtype=np.int64)
            for combo_idx in itertools.product(*(range(k) for k in shape)):
                combo = tuple(model._states[p][i] for p, i in zip(parents, combo_idx, strict=True))
                lookup[combo_idx if shape else 0] = position[model._tables[name][combo]]
            if parents:
                idx[name] = lookup[tuple(idx[p] for p in parents)]
            else:
                idx[name] = np.full(int(n), lookup[0], dtype=np.int64)
        columns = {}
        for name in sorted(model.variables):
            values = np.array(model._states[name])
            columns[name] = values[idx[name]] if len(values) else values
        return pd.DataFrame(columns, columns=sorted(model.variables))

    # ------------------------------------------------------------------ engine
    def _check_variable(self, name: Any) -> None:
        if name not in self._states:
            raise ValueError(f"unknown variable {name!r}; known variables: {list(self.variables)}")

    def _check_assignment(self, assignment: Mapping[str, Any], what: str) -> None:
        for name, state in assignment.items():
            self._check_variable(name)
            if what in ("do", "intervention", "baseline") and name in self._exo_dist:
                # Noise is what stays fixed across worlds; interventions act on mechanisms.
                raise ValueError(
                    f"{what}: {name!r} is exogenous; interventions act on endogenous variables"
                )
            if state not in self._states[name]:
                raise ValueError(
                    f"{what}: unknown state {state!r} of variable {name!r}; "
                    f"its states are {list(self._states[name])}"
                )

    def _twin_worlds(self, do: Mapping[str, Any]) -> tuple[_World, ...]:
        """The factual world and the starred counterfactual world under ``do``."""
        self._check_assignment(do, "do")
        return (_World(""), _World("*", _frozen(do)))

    def _affected(self, worlds: tuple[_World, ...]) -> set[str]:
        """Variables some world's intervention can reach; all others are shared by every world."""
        return self.descendants(n for w in worlds for n, _ in w.do) if len(worlds) > 1 else set()

    def _node(self, name: str, suffix: str, affected: set[str]) -> str:
        # Variables no intervention can reach are the same in every world: one shared node.
        return name + suffix if suffix and name in affected else name

    def _compile(
        self, worlds: tuple[_World, ...]
    ) -> tuple[DiscreteBayesianNetwork, VariableElimination]:
        if worlds in self._cache:
            return self._cache[worlds]
        affected = self._affected(worlds)
        model = DiscreteBayesianNetwork()
        cpds = []
        for world in worlds:
            forced = dict(world.do)
            for name in self.variables:
                node = self._node(name, world.suffix, affected)
                if world.suffix and node == name:
                    continue  # shared with the factual world, already built
                model.add_node(node)
                states = list(self._states[name])
                if name in forced:
                    values = np.array([[float(s == forced[name])] for s in states])
                    cpds.append(TabularCPD(node, len(states), values, state_names={node: states}))
                elif name in self._exo_dist:
                    values = np.array([[self._exo_dist[name][s]] for s in states])
                    cpds.append(TabularCPD(node, len(states), values, state_names={node: states}))
                else:
                    cpds.append(self._deterministic_cpd(name, node, world, affected))
        for cpd in cpds:
            for parent in cpd.variables[1:]:
                model.add_edge(parent, cpd.variable)
        model.add_cpds(*cpds)
        compiled = (model, VariableElimination(model))
        self._cache[worlds] = compiled
        return compiled

    def _deterministic_cpd(
        self, name: str, node: str, world: _World, affected: set[str]
    ) -> TabularCPD:
        parents = self._equations[name][0]
        parent_nodes = []
        for p in parents:
            source = world.suffix
            if world.fallback is not None and (p, name) not in world.edges:
                source = world.fallback
            parent_nodes.append(self._node(p, source, affected))
        states = self._states[name]
        position = {s: i for i, s in enumerate(states)}
        combos = list(itertools.product(*(self._states[p] for p in parents)))
        values = np.zeros((len(states), max(len(combos), 1)))
        for j, combo in enumerate(combos):  # pgmpy's column order: last parent varies fastest
            values[position[self._tables[name][combo]], j] = 1.0
        state_names = {node: list(states)}
        state_names.update({pn: list(self._states[p]) for pn, p in zip(parent_nodes, parents, strict=True)})
        return TabularCPD(
            node,
            len(states),
            values,
            evidence=parent_nodes or None,
            evidence_card=[len(self._states[p]) for p in parents] or None,
            state_names=state_names,
        )

    def _solve(
        self,
        worlds: tuple[_World, ...],
        targets: Sequence[tuple[str, str]],
        evidence: Mapping[str, Any],
    ) -> dict[tuple[Any, ...], float]:
        for name, _ in targets:
            self._check_variable(name)
        self._check_assignment(evidence, "evidence")
        _model, engine = self._compile(worlds)
        affected = self._affected(worlds)
        nodes = [self._node(name, suffix, affected) for name, suffix in targets]
        if evidence:
            names = list(evidence)
            p_evidence = engine.query(names, joint=True, show_progress=False)
            mass = p_evidence.get_value(**{n: evidence[n] for n in names})
            if mass <= 1e-15:
                raise ValueError(f"evidence {dict(evidence)!r} has probability zero in this model")
        unique = list(dict.fromkeys(nodes))
        observed = [n for n in unique if n in evidence]
        free = [n for n in unique if n not in evidence]
        factor = None
        if free:
            factor = engine.query(free, evidence=dict(evidence) or None, joint=True, show_progress=False)
        result: dict[tuple[Any, ...], float] = {}
        for combo in itertools.product(*(self._states[name] for name, _ in targets)):
            assignment = dict(zip(nodes, combo, strict=True))
            if any(assignment[n] != v for n, v in zip(nodes, combo, strict=True)):
                result[combo] = 0.0  # one node asked for twice with two different states
                continue
            if any(assignment[n] != evidence[n] for n in observed):
                result[combo] = 0.0
                continue
            p = 1.0 if factor is None else float(factor.get_value(**{n: assignment[n] for n in free}))
            result[combo] = 0.0 if abs(p) < 1e-15 else p
        return result


def _constant(value: Any) -> Callable[[], Any]:
    def constant() -> Any:
        return value

    return constant


def _validated_distribution(name: Any, dist: Mapping[Any, float]) -> dict[Any, float]:
    if not isinstance(name, str):
        raise ValueError(f"variable names must be strings, got {name!r}")
    if not isinstance(dist, Mapping) or not dist:
        raise ValueError(f"exogenous {name!r} needs a non-empty mapping state -> probability")
    out: dict[Any, float] = {}
    for state, p in dist.items():
        p = float(p)
        if not math.isfinite(p):
            raise ValueError(f"exogenous {name!r}: probability of {state!r} is {p}, not finite")
        if p < 0:
            raise ValueError(f"exogenous {name!r}: negative probability {p} for state {state!r}")
        out[state] = p
    total = sum(out.values())
    if abs(total - 1.0) > TOLERANCE:
        raise ValueError(f"exogenous {name!r}: probabilities sum to {total!r}, not 1")
    return out


def _topological_order(graph: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """Kahn's algorithm, ties broken by declaration order; a cycle is named."""
    remaining = {n: set(ps) for n, ps in graph.items()}
    order: list[str] = []
    while remaining:
        ready = [n for n, ps in remaining.items() if not ps]
        if not ready:
            raise ValueError(f"the equations contain a cycle: {' -> '.join(_find_cycle(remaining))}")
        for n in ready:
            order.append(n)
            del remaining[n]
        for ps in remaining.values():
            ps.difference_update(ready)
    return tuple(order)


def _find_cycle(graph: Mapping[str, set[str]]) -> list[str]:
    # Every node left by Kahn's algorithm has a parent left too: walk parents until a repeat.
    node = next(iter(graph))
    seen: list[str] = []
    while node not in seen:
        seen.append(node)
        node = sorted(graph[node])[0]
    cycle = [*seen[seen.index(node):], node]
    return list(reversed(cycle))
