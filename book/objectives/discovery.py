"""Learning the graph from data (pgmpy's PC and GES) and reading the selective predictor off it.

The robust, selective-invariance predictor of a label reads the label's causal
parents (chapter 4). When the graph is unknown it must be learned; what data
can learn is an equivalence class, drawn as a partially directed graph: an
undirected edge is one whose direction no observational data decide (Markov
equivalence). :func:`learned_parents` returns the label's parents when every
edge at the label is directed, and ``None`` when the class leaves them open.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from book._pgmpy import structure_learners
from book.metrics import wilson_interval
from book.scm import DiscreteSCM

__all__ = ["METHODS", "Learned", "Recovery", "learn", "learned_parents", "recovery_frequency"]

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
