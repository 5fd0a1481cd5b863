"""Learning the graph from data (pgmpy's PC and GES) and reading the selective predictor off it.

The robust, selective-invariance predictor of a label reads the label's causal
parents (chapter 4). When the graph is unknown it must be learned; what data
can learn is an equivalence class, drawn as a partially directed graph: an
undirected edge is one whose direction no observational data decide (Markov
equivalence). :func:`learned_parents` returns the label's parents when every
edge at the label is directed, and ``None`` when the class leaves them open.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from book._pgmpy import DiscreteBayesianNetwork, bayesian_estimator, score_search, structure_learners
from book.metrics import wilson_interval
from book.scm import DiscreteSCM

__all__ = ["METHODS", "Learned", "Recovery", "consensus", "fit_network", "learn", "learn_dag", "learned_parents",
           "network_bic", "network_parents", "network_scm", "recovery_frequency"]

Method = Literal["pc", "ges"]
#: ``"pc"``: constraint-based (chi-square tests at level 0.01); ``"ges"``: score-based (BIC).
METHODS: tuple[str, ...] = ("pc", "ges")


@dataclass(frozen=True)
class Learned:
    """A learned equivalence class: its directed and its undirected edges (each undirected pair sorted)."""

    directed: frozenset[tuple[str, str]]
    undirected: frozenset[tuple[str, str]]


@dataclass(frozen=True)
class Recovery:
    """Frequencies over ``reps`` repetitions: the right parents learned, and the parents left open."""

    recovered: float
    undecided: float
    reps: int

    @staticmethod
    def _se(p: float, reps: int) -> float:
        return math.sqrt(p * (1 - p) / reps)

    @property
    def recovered_se(self) -> float:
        """Standard error of :attr:`recovered`, :math:`\\sqrt{\\hat p (1 - \\hat p)/\\text{reps}}`."""
        return self._se(self.recovered, self.reps)

    @property
    def undecided_se(self) -> float:
        """Standard error of :attr:`undecided`."""
        return self._se(self.undecided, self.reps)

    @property
    def recovered_interval(self) -> tuple[float, float]:
        """95 % Wilson interval of :attr:`recovered` (:func:`book.metrics.wilson_interval`).

        Unlike the standard error, it is not zero at 0 or ``reps`` hits.
        """
        return wilson_interval(round(self.recovered * self.reps), self.reps)

    @property
    def undecided_interval(self) -> tuple[float, float]:
        """95 % Wilson interval of :attr:`undecided`."""
        return wilson_interval(round(self.undecided * self.reps), self.reps)


def learn(data: pd.DataFrame, method: Method = "pc", *, significance: float = 0.01) -> Learned:
    """Learn a partially directed graph from discrete data with pgmpy.

    ``"pc"`` runs :class:`pgmpy.causal_discovery.PC` (the stable variant, chi-square
    tests at level ``significance``); ``"ges"`` runs
    :class:`pgmpy.causal_discovery.GES` with the BIC score for discrete data.
    Both return the equivalence class of the graph they select.

    Raises
    ------
    ValueError
        For an unknown ``method``, an empty frame, or a ``significance`` outside (0, 1).

    Examples
    --------
    >>> from book.models.discovery import VARIABLES, discovery
    >>> g = learn(discovery().sample(2000, np.random.default_rng(0))[list(VARIABLES)], "pc")
    >>> sorted(g.directed)
    [('C', 'Y'), ('D', 'Y'), ('Y', 'S')]
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    if len(data) == 0:
        raise ValueError(f"data must have at least one row, got {len(data)}")
    if not 0.0 < significance < 1.0:
        raise ValueError(f"significance must be in (0, 1), got {significance!r}")
    frame = data.astype("category")
    PC, GES = structure_learners()
    with warnings.catch_warnings():  # pgmpy 1.1.2 deprecation notices raised from generated code
        warnings.simplefilter("ignore", FutureWarning)
        if method == "pc":
            fitted = PC(variant="stable", ci_test="chi_square", significance_level=significance,
                        show_progress=False, n_jobs=1).fit(frame)
        else:
            fitted = GES(scoring_method="bic-d").fit(frame)
    graph = fitted.causal_graph_
    directed = frozenset((str(u), str(v)) for u, v in graph.directed_edges)
    undirected = frozenset(tuple(sorted((str(u), str(v)))) for u, v in graph.undirected_edges)
    return Learned(directed, undirected)


def learned_parents(graph: Learned, target: str) -> frozenset[str] | None:
    """The parents of ``target`` in the learned class, or ``None`` if an edge at ``target`` is undirected.

    Examples
    --------
    >>> learned_parents(Learned(frozenset({("C", "Y")}), frozenset()), "Y")
    frozenset({'C'})
    >>> learned_parents(Learned(frozenset(), frozenset({("C", "Y")})), "Y") is None
    True
    """
    if any(target in edge for edge in graph.undirected):
        return None
    return frozenset(u for u, v in graph.directed if v == target)


def recovery_frequency(
    scm: DiscreteSCM,
    target: str,
    parents: Sequence[str],
    n: int,
    reps: int,
    rng: np.random.Generator,
    method: Method = "pc",
    *,
    variables: Sequence[str] | None = None,
) -> Recovery:
    """How often the learned class names exactly ``parents`` as the parents of ``target``, or leaves them open.

    Draws ``reps`` samples of ``n`` units from ``scm`` (the observed
    ``variables``, by default every endogenous one), learns each with
    :func:`learn`, and returns the frequency :math:`\\hat p` of
    :func:`learned_parents` being ``parents``, and of it being ``None``
    (an undirected edge at ``target``), with standard errors
    :math:`\\sqrt{\\hat p (1 - \\hat p) / \\text{reps}}`.

    Raises
    ------
    ValueError
        For ``n <= 0``, ``reps <= 0`` or an unknown variable.

    Examples
    --------
    >>> from book.models import discovery
    >>> r = recovery_frequency(discovery(), "Y", ["C", "D"], 2000, 2, np.random.default_rng(0))
    >>> r.recovered, r.undecided, r.recovered_se
    (1.0, 0.0, 0.0)
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n <= 0:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    if isinstance(reps, bool) or not isinstance(reps, (int, np.integer)) or reps <= 0:
        raise ValueError(f"reps must be a positive integer, got {reps!r}")
    names = list(variables) if variables is not None else sorted(scm.endogenous)
    for name in [*names, target, *parents]:
        if name not in scm.endogenous:
            raise ValueError(f"unknown variable {name!r}; the model has {list(scm.endogenous)}")
    truth = frozenset(parents)
    hits = open_ = 0
    for _ in range(reps):
        found = learned_parents(learn(scm.sample(int(n), rng)[names], method), target)
        hits += found == truth
        open_ += found is None
    return Recovery(hits / reps, open_ / reps, int(reps))


def _binary_frame(data: pd.DataFrame) -> None:
    if len(data) == 0:
        raise ValueError(f"data must have at least one row, got {len(data)}")
    for column in data.columns:
        values = set(pd.unique(data[column]).tolist())
        if not values <= {0, 1}:
            raise ValueError(f"column {column!r} must be coded 0/1, got the values {sorted(values, key=str)}")


def learn_dag(data: pd.DataFrame, tiers: Sequence[Sequence[str]]) -> tuple[tuple[str, str], ...]:
    """A DAG learned by score-based search (pgmpy hill climbing, BIC) under a tiered background order.

    ``tiers`` lists the variables from causes to effects: an edge may point from
    an earlier tier to a later one, or within a tier (either way), never back.
    The search maximises the BIC score
    :math:`\\log L(G; D) - \\tfrac12 \\log(n)\\,|\\theta_G|` over the DAGs allowed.

    Raises
    ------
    ValueError
        For an empty frame, a column not coded 0/1, or tiers that do not list
        each column exactly once.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> a = rng.integers(0, 2, 2000)
    >>> frame = pd.DataFrame({"A": a, "B": a ^ (rng.random(2000) < 0.1)})
    >>> learn_dag(frame, [["A"], ["B"]])
    (('A', 'B'),)
    """
    _binary_frame(data)
    order = [v for tier in tiers for v in tier]
    if sorted(order) != sorted(data.columns) or len(set(order)) != len(order):
        raise ValueError(f"tiers must list each column once: tiers {list(map(list, tiers))}, "
                         f"columns {list(data.columns)}")
    HillClimbSearch, ExpertKnowledge = score_search()
    knowledge = ExpertKnowledge(temporal_order=[list(t) for t in tiers])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        fitted = HillClimbSearch(scoring_method="bic-d", expert_knowledge=knowledge, return_type="dag",
                                 show_progress=False).fit(data[order].astype("category"))
    return tuple(sorted((str(u), str(v)) for u, v in fitted.causal_graph_.edges()))


def fit_network(data: pd.DataFrame, edges: Sequence[tuple[str, str]], *,
                prior: float = 1.0) -> dict[str, dict[tuple[int, ...], float]]:
    """Fit :math:`P(V = 1 \\mid \\mathrm{pa}(V))` of a binary network with pgmpy's ``BayesianEstimator``.

    With a BDeu prior of equivalent sample size :math:`\\alpha` (``prior``), each
    cell's estimate is :math:`(n_{v=1,\\mathrm{pa}} + \\alpha / (2 q)) / (n_{\\mathrm{pa}} + \\alpha / q)`,
    :math:`q` the number of parent cells: a cell never seen gets 1/2, not a
    division by zero. Returns, for each column, a map from its parents' values
    (in the order of :func:`network_parents`) to the probability of 1.

    Examples
    --------
    >>> frame = pd.DataFrame({"A": [0, 0, 1, 1], "B": [0, 0, 1, 1]})
    >>> p = fit_network(frame, [("A", "B")], prior=0.0001)
    >>> round(p["B"][(1,)], 3), round(p["A"][()], 3)
    (1.0, 0.5)
    """
    _binary_frame(data)
    variables = list(data.columns)
    for u, v in edges:
        if u not in variables or v not in variables:
            raise ValueError(f"edge {(u, v)!r} names a variable that is not a column of the data {variables}")
    if not prior > 0:
        raise ValueError(f"prior must be a positive equivalent sample size, got {prior!r}")
    network = DiscreteBayesianNetwork()
    network.add_nodes_from(variables)
    network.add_edges_from(edges)
    frame = data.astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        estimator = bayesian_estimator()(state_names={v: [0, 1] for v in variables}, prior_type="BDeu",
                                         equivalent_sample_size=prior)
        cpds = {str(c.variable): c for c in estimator.fit(network, frame).parameters_}
    out: dict[str, dict[tuple[int, ...], float]] = {}
    for v in variables:
        cpd = cpds[v]
        parents = _parents(edges, v)
        table = cpd.get_values()  # rows: states of v; columns: parent cells, first parent slowest
        order = list(cpd.variables[1:])
        out[v] = {}
        for j, cell in enumerate(itertools.product((0, 1), repeat=len(order))):
            values = dict(zip(order, cell, strict=True))
            out[v][tuple(values[p] for p in parents)] = float(table[1, j])
    return out


def network_bic(data: pd.DataFrame, edges: Sequence[tuple[str, str]]) -> float:
    """The BIC score of a binary network on ``data`` (the score :func:`learn_dag` maximises).

    .. math:: \\mathrm{BIC}(G) = \\sum_V \\sum_{v, \\mathrm{pa}} n_{v,\\mathrm{pa}}
              \\log \\frac{n_{v,\\mathrm{pa}}}{n_{\\mathrm{pa}}} - \\tfrac12 \\log(n) \\sum_V 2^{|\\mathrm{pa}(V)|}

    Two graphs in the same Markov equivalence class get the same score; a higher score is preferred.

    Raises
    ------
    ValueError
        For an empty frame, a column not coded 0/1, or an edge naming a variable that is not a column.

    Examples
    --------
    >>> frame = pd.DataFrame({"A": [0, 0, 1, 1], "B": [0, 0, 1, 1]})
    >>> network_bic(frame, [("A", "B")]) == network_bic(frame, [("B", "A")])
    True
    """
    _binary_frame(data)
    for edge in edges:
        if any(v not in data.columns for v in edge):
            raise ValueError(f"edge {edge!r} names a variable that is not a column of the data {list(data.columns)}")
    n, score = len(data), 0.0
    for v in data.columns:
        parents = list(_parents(edges, v))
        counts = data.groupby([*parents, v] if parents else [v]).size()
        if parents:
            totals = data.groupby(parents).size()
            cells = counts.index.droplevel(-1)
            score += float((counts.to_numpy() * np.log(counts.to_numpy() / totals.loc[cells].to_numpy())).sum())
        else:
            score += float((counts.to_numpy() * np.log(counts.to_numpy() / n)).sum())
        score -= 0.5 * math.log(n) * 2 ** len(parents)
    return float(score)


def network_parents(edges: Sequence[tuple[str, str]], variable: str) -> tuple[str, ...]:
    """The parents of ``variable`` among ``edges``, sorted by name.

    Examples
    --------
    >>> network_parents([("B", "C"), ("A", "C")], "C")
    ('A', 'B')

    Raises
    ------
    ValueError
        For a variable that no edge names.
    """
    named = {x for edge in edges for x in edge}
    if variable not in named:
        raise ValueError(f"variable {variable!r} is named by no edge {list(edges)}")
    return _parents(edges, variable)


def _parents(edges: Sequence[tuple[str, str]], variable: str) -> tuple[str, ...]:
    return tuple(sorted(u for u, v in edges if v == variable))


def network_scm(edges: Sequence[tuple[str, str]], probabilities: Mapping[str, Mapping[tuple[int, ...], float]],
                ) -> DiscreteSCM:
    """A binary network turned into an SCM by the *comonotone* (threshold) construction.

    Each variable gets one noise :math:`U_V \\sim \\mathrm{Uniform}(0, 1)` and the equation

    .. math:: V := \\mathbb 1[U_V < P(V = 1 \\mid \\mathrm{pa}(V))].

    The network fixes rungs 1 and 2; this choice of equations fixes rung 3: a
    unit's noise is its *rank*, kept across counterfactual worlds, so raising a
    parent never lowers a unit's chance-ordered response (no "defiers"). Other
    SCMs reproduce the same network with different counterfactuals. :math:`U_V`
    is stored exactly as the intervals between the sorted distinct probabilities.

    Examples
    --------
    >>> m = network_scm([("A", "B")], {"A": {(): 0.5}, "B": {(0,): 0.2, (1,): 0.7}})
    >>> round(m.query("B")[1], 3), m.exogenous
    (0.45, ('U_A', 'U_B'))
    """
    named = {x for edge in edges for x in edge}
    if named - set(probabilities):
        raise ValueError(f"the edges name {sorted(named - set(probabilities))}, which have no probabilities")
    for v, table in probabilities.items():
        bad = [p for p in table.values() if not 0.0 <= float(p) <= 1.0]
        if bad:
            raise ValueError(f"the probabilities of {v!r} must lie in [0, 1], got {bad}")
    equations, noise = {}, {}
    for v, table in probabilities.items():
        parents = _parents(edges, v)
        cells = list(itertools.product((0, 1), repeat=len(parents)))
        if set(table) != set(cells):
            raise ValueError(f"the probabilities of {v!r} must cover its parent cells {cells}, got {sorted(table)}")
        cuts = sorted({0.0, 1.0, *(min(max(float(p), 0.0), 1.0) for p in table.values())})
        # State k of U_V is the interval [cuts[k], cuts[k + 1]); V = 1 when the interval lies below p.
        noise[f"U_{v}"] = {k: cuts[k + 1] - cuts[k] for k in range(len(cuts) - 1) if cuts[k + 1] > cuts[k]}
        lookup = {cell: float(table[cell]) for cell in cells}
        uppers = {k: cuts[k + 1] for k in noise[f"U_{v}"]}
        equations[v] = ([*parents, f"U_{v}"], _threshold(parents, lookup, uppers, f"U_{v}"))
    return DiscreteSCM(noise, equations, states={v: (0, 1) for v in probabilities})


def _threshold(parents: tuple[str, ...], lookup: Mapping[tuple[int, ...], float], uppers: Mapping[int, float],
               noise: str):
    def equation(**values: int) -> int:
        return int(uppers[values[noise]] <= lookup[tuple(values[p] for p in parents)] + 1e-12)
    return equation


def consensus(frequencies: Mapping[tuple[str, str], float], order: Sequence[str], *,
              threshold: float = 0.5) -> tuple[tuple[str, str], ...]:
    """The consensus graph of bootstrap edge frequencies.

    A pair :math:`\\{u, v\\}` is adjacent when :math:`\\hat p(u \\to v) + \\hat p(v \\to u) \\ge` ``threshold``;
    it points the more frequent way, and a tie (the data do not decide: the two directions are
    equally often learned) points along ``order``.

    Examples
    --------
    >>> consensus({("K", "S"): 0.5, ("S", "K"): 0.5, ("A", "H"): 1.0, ("M", "Y"): 0.4}, "AHKSMY")
    (('A', 'H'), ('K', 'S'))
    """
    position = {v: i for i, v in enumerate(order)}
    for edge, frequency in frequencies.items():
        if not 0.0 <= float(frequency) <= 1.0:
            raise ValueError(f"the frequency of {edge!r} must be in [0, 1], got {frequency!r}")
        if len(edge) != 2 or edge[0] == edge[1]:
            raise ValueError(f"an edge joins two different variables, got {edge!r}")
    for edge in frequencies:
        for v in edge:
            if v not in position:
                raise ValueError(f"edge {edge!r} names {v!r}, which is not in the order {list(order)}")
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    edges = []
    for u, v in {tuple(sorted(e, key=position.get)) for e in frequencies}:
        forward, backward = frequencies.get((u, v), 0.0), frequencies.get((v, u), 0.0)
        if forward + backward >= threshold - 1e-12:
            edges.append((u, v) if forward >= backward else (v, u))
    return tuple(sorted(edges))
