"""The limits chapter: where the causal resolution is not available, measured.

* identifiability: two SCMs that agree on every observational and
  interventional distribution of ``A -> X`` but not on the counterfactual
  fairness gap of :math:`\\hat Y = X` (:func:`twins`), and the sharp bounds by
  linear programming (:func:`bounds_table`, :mod:`book.objectives.identification`);
* hidden confounding: the range of the unfair-path effect as the confounding
  :math:`\\delta` grows (:func:`sensitivity`);
* normative choices: two declarations of the unfair paths of the hiring model,
  two "fair" predictors, who is affected (:func:`declarations`);
* evaluation: accuracy against interventional validity over every Bayes-optimal
  predictor of the umbrella model (:func:`evaluation_table`, audited with
  :func:`book.audits.audit`), and what a held-out sample can and cannot show
  (:func:`evaluation_samples`);
* an unknown graph: how often pgmpy's PC and GES recover the label's causes
  (:func:`discovery_table`);
* the explorer over the confounding and the data available (:func:`bounds_explorer`).
"""

from __future__ import annotations

import itertools
import json
import math
import os
import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from book.audits import audit
from book.metrics import sample_accuracy
from book.models import discovery, hiring, umbrella
from book.models.discovery import CAUSES, VARIABLES
from book.models.hiring import FEATURES as HIRING_FEATURES
from book.models.hiring import unfair_edges
from book.models.umbrella import FEATURES as UMBRELLA_FEATURES
from book.objectives.discovery import recovery_frequency
from book.objectives.fairness import accuracy_against, invariant_predictor
from book.objectives.identification import Bounds, data_of, response_bounds, response_scm, true_value
from book.predictors import Predictor, attach, bayes_optimal, subset_label
from book.scm import DiscreteSCM
from book.viz import PALETTE, Explorer, Figure, Slider, new_figure

if TYPE_CHECKING:
    from book._pgmpy import DiscreteBayesianNetwork

__all__ = [
    "DATA",
    "DEFIANT",
    "DELTAS",
    "GAMMAS",
    "GRID_COLUMNS",
    "GRID_ROWS",
    "MONOTONE",
    "REPS",
    "SAMPLE_REPS",
    "SAMPLE_ROWS",
    "SAMPLE_SIZES",
    "SCALE_FILE",
    "SEED",
    "SIZES",
    "bounds_alt",
    "bounds_explorer",
    "bounds_figure",
    "bounds_table",
    "contraction_cost",
    "declarations",
    "discovery_table",
    "evaluation_alt",
    "evaluation_figure",
    "evaluation_samples",
    "evaluation_table",
    "explorer_bounds",
    "grid_costs",
    "grid_scm",
    "load_scale",
    "measure_scale",
    "mediation_formula",
    "mediator_scm",
    "mediator_sensitivity",
    "sampling_alt",
    "sampling_error",
    "sampling_figure",
    "scale_alt",
    "scale_figure",
    "scale_table",
    "sensitivity",
    "sensitivity_alt",
    "sensitivity_figure",
    "twins",
]

#: A monotone screening test: nobody's score falls when their group is switched.
MONOTONE = {(0, 0, 0): 0.15, (0, 1, 1): 0.15, (0, 0, 1): 0.2, (1, 0, 0): 0.15, (1, 1, 1): 0.15, (1, 0, 1): 0.2}
#: The same data with defiers: every unit's score moves with the switch of its group.
DEFIANT = {(0, 1, 0): 0.15, (0, 0, 1): 0.35, (1, 1, 0): 0.15, (1, 0, 1): 0.35}
#: What the analyst has: the observational table, plus an experiment, plus (instead) the no-confounding assumption.
DATA = ("observational", "with experiment", "assume no confounding of the marginals")
#: The grid of the confounding bound delta.
DELTAS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
#: Sample sizes and seeded repetitions of the structure-learning experiment.
SIZES = (50, 200, 1000)
REPS = 10
SEED = 12


@lru_cache(maxsize=1)
def twins() -> tuple[DiscreteSCM, DiscreteSCM]:
    """The two SCMs of :data:`MONOTONE` and :data:`DEFIANT` (same data, different rung 3).

    Examples
    --------
    >>> a, b = twins()
    >>> data_of(a) == data_of(b)
    True
    """
    return response_scm(MONOTONE), response_scm(DEFIANT)


def _bounds(data: str, target: str, delta: float = 1.0) -> Bounds:
    observed, experiment = data_of(twins()[0])
    if data not in DATA:
        raise ValueError(f"data must be one of {DATA}, got {data!r}")
    if data == DATA[2]:
        return response_bounds(observed, target, confounding=0.0)
    return response_bounds(observed, target, interventional=experiment if data == "with experiment" else None,
                           confounding=delta)


@lru_cache(maxsize=1)
def bounds_table() -> pd.DataFrame:
    """Sharp bounds on the two targets for each kind of data, beside the two SCMs' true values.

    Examples
    --------
    >>> bounds_table().loc["with experiment", ["flip low", "flip high"]].round(3).tolist()
    [0.4, 1.0]
    """
    monotone, defiant = twins()
    rows = []
    for data in DATA:
        flip, effect = _bounds(data, "flip"), _bounds(data, "effect")
        rows.append({"data": data, "flip low": flip.low, "flip high": flip.high,
                     "effect low": effect.low, "effect high": effect.high})
    table = pd.DataFrame(rows).set_index("data")
    table.attrs["truth"] = {name: {t: true_value(m, t) for t in ("flip", "effect")}
                            for name, m in (("monotone", monotone), ("defiant", defiant))}
    return table


def bounds_figure(table: pd.DataFrame) -> Figure:
    """The flip-gap interval for each kind of data, with the two SCMs' true gaps marked."""
    fig, ax = new_figure(6.4, 3.4)
    ys = list(range(len(table)))[::-1]
    for y, (_, row) in zip(ys, table.iterrows(), strict=True):
        ax.plot([row["flip low"], row["flip high"]], [y, y], color=PALETTE["blue"], linewidth=8, alpha=0.6)
        ax.text(row["flip high"] + 0.02, y, f"[{row['flip low']:.2f}, {row['flip high']:.2f}]", va="center")
    truth = table.attrs["truth"]
    for name, colour, marker in (("monotone", PALETTE["orange"], "o"), ("defiant", PALETTE["vermillion"], "s")):
        ax.scatter([truth[name]["flip"]] * len(ys), ys, color=colour, marker=marker, s=60, zorder=3,
                   label=f"{name} SCM: {truth[name]['flip']:.2f}")
    ax.set_yticks(ys, [label.replace("confounding ", "confounding\n") for label in table.index])
    ax.set_xlim(-0.02, 1.3)
    ax.set_xlabel("counterfactual gap P(decision flips)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=2, fontsize=9)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def bounds_alt(table: pd.DataFrame) -> str:
    """Alt text of :func:`bounds_figure`, from the same numbers."""
    parts = [f"{d}: from {r['flip low']:.2f} to {r['flip high']:.2f}" for d, r in table.iterrows()]
    truth = table.attrs["truth"]
    return ("Interval chart of the counterfactual gap allowed by the data, " + "; ".join(parts)
            + f". The monotone model's gap is {truth['monotone']['flip']:.2f}, the defiant model's "
            f"{truth['defiant']['flip']:.2f}.")


@lru_cache(maxsize=1)
def sensitivity() -> pd.DataFrame:
    """The range of the effect of ``A`` along the unfair edge from observational data, for each delta.

    Examples
    --------
    >>> sensitivity().loc[0.0, ["low", "high"]].round(3).tolist()
    [0.4, 0.4]
    """
    rows = [{"delta": d, "low": b.low, "high": b.high, "width": b.width}
            for d in DELTAS for b in [_bounds("observational", "effect", d)]]
    return pd.DataFrame(rows).set_index("delta")


def sensitivity_figure(table: pd.DataFrame) -> Figure:
    """The band of effects compatible with the data against the confounding bound delta."""
    fig, ax = new_figure(6.4, 3.4)
    d = table.index.to_numpy(dtype=float)
    ax.fill_between(d, table["low"], table["high"], color=PALETTE["sky"], alpha=0.5, label="compatible effects")
    ax.plot(d, table["low"], color=PALETTE["blue"])
    ax.plot(d, table["high"], color=PALETTE["blue"])
    ax.axhline(0.0, color=PALETTE["vermillion"], linestyle="--", label="no unfair effect")
    ax.set_xlabel("confounding allowed, delta")
    ax.set_ylabel("effect of A on X (edge A -> X)")
    ax.legend(loc="lower left", fontsize=9)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def sensitivity_alt(table: pd.DataFrame) -> str:
    """Alt text of :func:`sensitivity_figure`."""
    parts = [f"delta {d:.1f}: {r['low']:.2f} to {r['high']:.2f}" for d, r in table.iterrows()]
    return ("Band chart of the effect of A on X along the single edge A -> X (the unfair path, here equal to "
            "the total effect) compatible with the data: " + "; ".join(parts) + ".")


@lru_cache(maxsize=1)
def declarations() -> tuple[dict[str, Predictor], pd.DataFrame]:
    """The hiring model's two fair predictors (``A -> Q`` allowed, or unfair) and who they treat differently.

    The table has one row per group ``A``: the share hired under each
    declaration, the share whose decision differs between the two, and the
    accuracy of each against ``Y`` and ``Yfair`` is in ``table.attrs``.

    Examples
    --------
    >>> rules, table = declarations()
    >>> table["decision differs"].round(3).tolist()
    [0.6, 0.42]
    """
    m = hiring()
    rules = {a_to_q: invariant_predictor(m, "Y", HIRING_FEATURES, "A", unfair_edges(a_to_q))
             for a_to_q in ("allowed", "unfair")}
    joint = m.joint(list(HIRING_FEATURES))
    rows = []
    for a in (0, 1):
        cells = {c: p for c, p in joint.items() if c[0] == a}
        mass = sum(cells.values())
        row = {"A": a}
        for name, h in rules.items():
            row[f"hired, A -> Q {name}"] = sum(p for c, p in cells.items() if h.table[c] == 1) / mass
        row["decision differs"] = sum(p for c, p in cells.items()
                                      if rules["allowed"].table[c] != rules["unfair"].table[c]) / mass
        rows.append(row)
    table = pd.DataFrame(rows).set_index("A")
    table.attrs["accuracy"] = {name: {label: accuracy_against(m, h, label) for label in ("Y", "Yfair")}
                               for name, h in rules.items()}
    table.attrs["differs"] = sum(p for c, p in joint.items() if rules["allowed"].table[c] != rules["unfair"].table[c])
    return rules, table


@lru_cache(maxsize=1)
def evaluation_table() -> pd.DataFrame:
    """Every Bayes-optimal predictor of the umbrella model: accuracy and interventional-validity gap.

    Each is audited with :func:`book.audits.audit` (``explain=True``): the
    utility row is the accuracy, the explainability row the largest
    interventional-validity gap over the features read.

    Examples
    --------
    >>> t = evaluation_table()
    >>> t["accuracy"].idxmax()
    '{A, C, S}'
    """
    m = umbrella()
    rows = []
    for k in range(1, len(UMBRELLA_FEATURES) + 1):
        for subset in itertools.combinations(UMBRELLA_FEATURES, k):
            result = audit(attach(m, "Yhat", bayes_optimal(m, "Y", list(subset))), "Yhat", "Y", explain=True)
            rows.append({"reads": subset_label(subset), "features": subset, "reads S": "S" in subset,
                         "accuracy": result.accuracy, "validity gap": result.row("explainability").gap})
    return pd.DataFrame(rows).set_index("reads")


def evaluation_figure(table: pd.DataFrame) -> Figure:
    """Accuracy against interventional-validity gap, predictors that read ``S`` marked apart."""
    fig, ax = new_figure(6.4, 3.6)
    for reads_s, colour, marker, label in ((False, PALETTE["blue"], "o", "does not read S"),
                                           (True, PALETTE["vermillion"], "s", "reads S (an effect of Y)")):
        part = table[table["reads S"] == reads_s]
        ax.scatter(part["validity gap"], part["accuracy"], color=colour, marker=marker, s=60, label=label)
    ax.set_xlabel("interventional-validity gap (needs do-data)")
    ax.set_ylabel("held-out accuracy")
    ax.legend(loc="lower right", fontsize=9)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def evaluation_alt(table: pd.DataFrame) -> str:
    """Alt text of :func:`evaluation_figure`."""
    s, other = table[table["reads S"]], table[~table["reads S"]]
    return (f"Scatter of accuracy against interventional-validity gap for {len(table)} predictors. "
            f"The {len(s)} that read S have accuracy {s['accuracy'].min():.3f} to {s['accuracy'].max():.3f} "
            f"and gaps {s['validity gap'].min():.3f} to {s['validity gap'].max():.3f}; the other {len(other)} "
            f"have accuracy {other['accuracy'].min():.3f} to {other['accuracy'].max():.3f} and gaps "
            f"{other['validity gap'].min():.3f} to {other['validity gap'].max():.3f}.")


@lru_cache(maxsize=4)
def evaluation_samples(n: int = 4000, seed: int = SEED) -> pd.DataFrame:
    """The most accurate umbrella predictor evaluated on samples: held-out, and under ``do(S = s)``.

    Rows: ``"held-out"`` (observational test data) and ``"do(S = 0)"``,
    ``"do(S = 1)"`` (an experiment that sets ``S``); columns: the sample
    accuracy, its standard error :math:`\\sqrt{\\hat a (1 - \\hat a)/n}` and the
    exact value.

    Examples
    --------
    >>> t = evaluation_samples(2000, 0)
    >>> bool(abs(t.loc["held-out", "sample"] - t.loc["held-out", "exact"]) < 4 * t.loc["held-out", "s.e."])
    True
    """
    if n <= 0:
        raise ValueError(f"n must be positive, got {n!r}")
    m = umbrella()
    table = evaluation_table()
    best = list(table.loc[table["accuracy"].idxmax(), "features"])
    scm = attach(m, "Yhat", bayes_optimal(m, "Y", best))
    rng = np.random.default_rng(seed)
    rows = []
    for name, do in (("held-out", None), ("do(S = 0)", {"S": 0}), ("do(S = 1)", {"S": 1})):
        frame = scm.sample(n, rng, do=do)
        a = sample_accuracy(frame["Yhat"].to_numpy(), frame["Y"].to_numpy())
        exact = accuracy_against(scm.do(do) if do else scm, bayes_optimal(m, "Y", best), "Y")
        rows.append({"evaluation": name, "sample": a, "s.e.": float(np.sqrt(a * (1 - a) / n)), "exact": exact})
    return pd.DataFrame(rows).set_index("evaluation")


@lru_cache(maxsize=1)
def discovery_table() -> pd.DataFrame:
    """Frequency (95 % Wilson interval, :data:`REPS` seeded repetitions) of learning the label's causes.

    Columns: ``recovered`` (the learned parents of ``Y`` are exactly its causes)
    and ``left open`` (an edge at ``Y`` undirected), each with ``low`` and ``high``
    ends of its Wilson interval (a Wald standard error would be 0 at 0 or 10 of 10).

    ``collider``: the graph ``C -> Y <- D``, ``Y -> S`` (causes ``{C, D}``), at every
    size of :data:`SIZES`; ``chain``: ``C -> Y -> S`` (cause ``{C}``), at the largest
    size only (no sample size orients a Markov-equivalent chain). One generator,
    seeded with :data:`SEED`, runs through the grid in order.
    """
    rng = np.random.default_rng(SEED)
    rows = []
    for graph, model, causes, sizes in (("collider", discovery(), CAUSES, SIZES),
                                        ("chain", discovery(second_cause=False), ("C",), SIZES[-1:])):
        for method in ("pc", "ges"):
            for n in sizes:
                r = recovery_frequency(model, "Y", causes, n, REPS, rng, method, variables=VARIABLES)
                (rl, rh), (ul, uh) = r.recovered_interval, r.undecided_interval
                rows.append({"graph": graph, "method": method, "n": n, "recovered": r.recovered,
                             "recovered low": rl, "recovered high": rh, "left open": r.undecided,
                             "left open low": ul, "left open high": uh})
    return pd.DataFrame(rows).set_index(["graph", "method", "n"])


@lru_cache(maxsize=64)
def explorer_bounds(delta: float, data: str) -> dict[str, Bounds]:
    """The bounds of both targets at one explorer setting (``data`` one of the first two of :data:`DATA`)."""
    if data not in DATA[:2]:
        raise ValueError(f"data must be one of {DATA[:2]}, got {data!r}")
    return {t: _bounds(data, t, delta) for t in ("flip", "effect")}


def _explorer_frame(delta: float, data: str) -> Figure:
    b = explorer_bounds(delta, data)
    fig, ax = new_figure(6.4, 2.6)
    labels = {"effect": "effect of A (rung 2)", "flip": "counterfactual gap (rung 3)"}
    for y, t in ((1, "effect"), (0, "flip")):
        ax.plot([b[t].low, b[t].high], [y, y], color=PALETTE["blue"], linewidth=10, alpha=0.6)
        ax.text(1.04, y, f"[{b[t].low:.2f}, {b[t].high:.2f}]", va="center")
    ax.set_yticks([1, 0], [labels["effect"], labels["flip"]])
    ax.set_xlim(-1.0, 1.5)
    ax.set_ylim(-0.6, 1.6)
    ax.axvline(0, color=PALETTE["grey"], linewidth=1)
    ax.set_xlabel("value compatible with the data")
    ax.set_title(f"{data}, confounding at most {delta:.1f}", fontsize=10)
    fig.tight_layout()
    return fig


def _explorer_alt(delta: float, data: str) -> str:
    b = explorer_bounds(delta, data)
    return (f"Interval chart with {data} data and confounding at most {delta:.1f}: the effect of A lies in "
            f"[{b['effect'].low:.2f}, {b['effect'].high:.2f}], the counterfactual gap in "
            f"[{b['flip'].low:.2f}, {b['flip'].high:.2f}].")


def bounds_explorer() -> Explorer:
    """The chapter's explorer: the bounds as the confounding allowed and the data available change."""
    return Explorer(
        _explorer_frame,
        [Slider("delta", DELTAS, label="confounding allowed", default=0.3, fmt="{:.1f}"),
         Slider("data", DATA[:2], label="data", default="observational")],
        title="What the data can say: bounds as confounding and data change",
        alt=_explorer_alt,
    )


# ---------------------------------------------------------------------------------------------- scale
#: The grid family of the scale benchmark: rows measured, columns fixed.
GRID_ROWS = tuple(range(1, 11))
GRID_COLUMNS = 8
#: Forward sampling: sample sizes and seeded repetitions per size, on the grid with this many rows.
SAMPLE_SIZES = (100, 1_000, 10_000, 100_000)
SAMPLE_REPS = 30
SAMPLE_ROWS = 6
#: Where ``make bench`` stores the measured results (read by the chapter, never recomputed there).
SCALE_FILE = Path(__file__).resolve().parent.parent / "data" / "limits_scale.json"


def grid_scm(rows: int, columns: int = GRID_COLUMNS, seed: int = SEED) -> DiscreteSCM:
    """A binary SCM on a ``rows`` x ``columns`` grid below a root ``A`` (random mechanisms, fixed seed).

    :math:`X_{i,j} := f_{i,j}(X_{i-1,j}, X_{i,j-1}, U_{i,j})` with a random
    lookup table :math:`f_{i,j}`, the first column reading ``A`` instead of a
    left neighbour, :math:`P(U_{i,j} = 1) = 0.2` and :math:`A := U_A`,
    :math:`P(U_A = 1) = 0.5`. Every variable has at most three parents, so the
    size of each table is fixed; what grows with ``rows`` is the width of the
    grid, and with it the treewidth. Every ``X`` is a descendant of ``A``.

    Examples
    --------
    >>> m = grid_scm(2, 3)
    >>> len(m.endogenous), m.parents("X2_2")
    (7, ('X1_2', 'X2_1', 'U_X2_2'))
    """
    for name, value in (("rows", rows), ("columns", columns)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    rng = np.random.default_rng(seed)
    exo: dict = {"U_A": {0: 0.5, 1: 0.5}}
    eq: dict = {"A": (["U_A"], lambda U_A: U_A)}
    for i, j in itertools.product(range(1, rows + 1), range(1, columns + 1)):
        name = f"X{i}_{j}"
        parents = [*([f"X{i - 1}_{j}"] if i > 1 else []), f"X{i}_{j - 1}" if j > 1 else "A", f"U_{name}"]
        exo[f"U_{name}"] = {0: 0.8, 1: 0.2}
        table = dict(zip(itertools.product((0, 1), repeat=len(parents)),
                         rng.integers(0, 2, 2 ** len(parents)).tolist(), strict=True))
        eq[name] = (parents, lambda _t=table, _p=tuple(parents), **v: _t[tuple(v[q] for q in _p)])
    return DiscreteSCM(exo, eq)


def contraction_cost(network: DiscreteBayesianNetwork, targets: Sequence[str]) -> dict[str, int]:
    """Machine-independent cost of the exact query of ``targets`` on a pgmpy network, as the engine computes it.

    pgmpy's ``VariableElimination.query`` multiplies the conditional probability
    tables and sums out every other variable as one tensor contraction, in the
    order opt_einsum's greedy search picks. This replays that search on the
    whole network (without the engine's pruning, which removes nothing here).
    Summing out variables in some order creates intermediate tables; the largest
    has :math:`2^{w+1}` entries for binary variables, where :math:`w` is the
    induced width of the order, at least the treewidth of the moral graph
    (Dechter's bucket elimination: time and memory exponential in :math:`w`).
    Returned: ``nodes``, ``largest`` (entries of the largest intermediate table),
    ``width`` (:math:`\\log_2` of ``largest``: the number of binary variables
    that table spans, the order's induced width plus one) and ``flops``
    (opt_einsum's count of scalar operations).

    Examples
    --------
    >>> c = contraction_cost(grid_scm(1, 3).network, ["X1_3"])
    >>> c["nodes"], c["largest"] >= 2
    (8, True)
    """
    import opt_einsum

    nodes = list(network.nodes())
    for t in targets:
        if t not in nodes:
            raise ValueError(f"target {t!r} is not a node of the network")
    index = {v: i for i, v in enumerate(nodes)}
    operands: list = []
    for cpd in network.get_cpds():
        operands += [cpd.values, [index[v] for v in cpd.variables]]
    _, info = opt_einsum.contract_path(*operands, [index[t] for t in targets], optimize="greedy")
    largest = int(info.largest_intermediate)
    return {"nodes": len(nodes), "largest": largest, "width": round(math.log2(largest)),
            "flops": int(info.opt_cost)}


def grid_costs(rows: int) -> dict[str, dict[str, int]]:
    """:func:`contraction_cost` of the two benchmark queries on the grid with ``rows`` rows.

    Rung 2: :math:`P(X_{\\text{corner}} \\mid do(A = 1))` on the intervened network.
    Rung 3: the joint of :math:`X_{\\text{corner}}` and its counterfactual copy on
    the twin network of ``do(A = 1)``: every ``X`` descends from ``A``, so every
    endogenous variable gets a copy while the exogenous noise is shared.
    ``endogenous`` counts the endogenous nodes of the network.

    Examples
    --------
    >>> c = grid_costs(1)
    >>> c["rung 3"]["endogenous"] == 2 * c["rung 2"]["endogenous"]
    True
    """
    m = grid_scm(rows)
    corner = _corner(rows)
    out = {}
    for rung, network, targets in (("rung 2", m.do({"A": 1}).network, [corner]),
                                   ("rung 3", m.twin_network({"A": 1}), [corner, f"{corner}*"])):
        cost = contraction_cost(network, targets)
        cost["endogenous"] = sum(1 for v in network.nodes() if v.removesuffix("*") in m.endogenous)
        out[rung] = cost
    return out


def _corner(rows: int) -> str:
    return f"X{rows}_{GRID_COLUMNS}"


def sampling_error(n: int, reps: int, rng: np.random.Generator, rows: int = SAMPLE_ROWS) -> dict[str, float]:
    """Forward sampling's error for :math:`p = P(X_{\\text{corner}} = 1 \\mid do(A = 1))` on the grid.

    Each of ``reps`` repetitions draws ``n`` units from the intervened grid and
    estimates :math:`\\hat p`. Returned: the exact ``p``, the root-mean-square
    error ``rmse`` of :math:`\\hat p` over the repetitions, the standard error
    :math:`\\sqrt{p(1-p)/n}` it should match (``se``), and the median ``seconds``
    per estimate on this machine.

    Examples
    --------
    >>> r = sampling_error(400, 50, np.random.default_rng(0), rows=2)
    >>> bool(0.5 < r["rmse"] / r["se"] < 1.5)
    True
    """
    if isinstance(n, bool) or not isinstance(n, int) or n <= 0:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    if isinstance(reps, bool) or not isinstance(reps, int) or reps < 2:
        raise ValueError(f"reps must be an integer >= 2, got {reps!r}")
    m = grid_scm(rows)
    corner = _corner(rows)
    p = m.query(corner, do={"A": 1}).get(1, 0.0)
    estimates, seconds = [], []
    for _ in range(reps):
        start = time.perf_counter()
        estimates.append(float((m.sample(n, rng, do={"A": 1})[corner] == 1).mean()))
        seconds.append(time.perf_counter() - start)
    return {"n": n, "p": p, "rmse": float(np.sqrt(np.mean((np.array(estimates) - p) ** 2))),
            "se": float(np.sqrt(p * (1 - p) / n)), "seconds": float(np.median(seconds))}


def _timed(compute: Callable[[], object], repeats: int) -> float:
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        compute()
        best = min(best, time.perf_counter() - start)
    return best


def measure_scale(rows: Sequence[int] = GRID_ROWS, repeats: int = 3, limit: float = 30.0,
                  sizes: Sequence[int] = SAMPLE_SIZES, reps: int = SAMPLE_REPS) -> dict:
    """The scale benchmark (``make bench`` stores it in :data:`SCALE_FILE`): costs and seconds, side by side.

    For each grid size: :func:`grid_costs`, and the seconds (best of
    ``repeats``, model compiled afresh each time) of the rung-2 query
    :math:`P(X_{\\text{corner}} \\mid do(A = 1))` and of the rung-3 query, the
    joint of :math:`X_{\\text{corner}}` and its counterfactual under
    :math:`do(A = 1)` given :math:`A = 0` (the decision-flip probability of the
    counterfactual gap), on the twin network. A rung stops being timed once it
    takes more than ``limit`` seconds. Then :func:`sampling_error` for each of
    ``sizes`` in order, ``reps`` repetitions each, from one generator seeded
    with :data:`SEED`. Timings depend on the machine; the
    costs and the sampling errors do not.
    """
    import platform
    from datetime import UTC, datetime
    from importlib.metadata import version

    grid = []
    slow = {"rung 2": False, "rung 3": False}
    for r in rows:
        entry: dict = {"rows": r, **grid_costs(r)}
        corner = _corner(r)
        queries = {"rung 2": lambda r=r, c=corner: grid_scm(r).query(c, do={"A": 1}),
                   "rung 3": lambda r=r, c=corner: grid_scm(r).counterfactual_joint([c], do={"A": 1},
                                                                                    evidence={"A": 0})}
        for rung, query in queries.items():
            seconds = None if slow[rung] else _timed(query, repeats)
            slow[rung] = slow[rung] or (seconds is not None and seconds > limit)
            entry[rung]["seconds"] = seconds
        grid.append(entry)
    rng = np.random.default_rng(SEED)
    sampling = [sampling_error(n, reps, rng) for n in sizes]
    exact = _timed(lambda: grid_scm(SAMPLE_ROWS).query(_corner(SAMPLE_ROWS), do={"A": 1}), repeats)
    return {"machine": {"platform": platform.platform(), "processor": platform.machine(),
                        "cpus": os.cpu_count(), "python": platform.python_version()},
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "versions": {p: version(p) for p in ("pgmpy", "numpy", "networkx", "opt_einsum")},
            "columns": GRID_COLUMNS, "grid": grid,
            "sampling": {"rows": SAMPLE_ROWS, "reps": reps, "exact seconds": exact, "sizes": sampling}}


def load_scale(path: Path = SCALE_FILE) -> dict:
    """The stored results of :func:`measure_scale` (measured once, on the machine named inside)."""
    if not Path(path).is_file():
        raise ValueError(f"no stored scale benchmark at {str(path)!r}; run `make bench`")
    return json.loads(Path(path).read_text())


def scale_table(scale: dict) -> pd.DataFrame:
    """One row per grid of the stored benchmark: endogenous nodes, largest table and seconds, both rungs."""
    rows = []
    for e in scale["grid"]:
        row: dict = {"rows": e["rows"]}
        for rung in ("rung 2", "rung 3"):
            row[f"{rung} endogenous"] = e[rung]["endogenous"]
            row[f"{rung} largest table"] = e[rung]["largest"]
            row[f"{rung} seconds"] = e[rung]["seconds"]
        rows.append(row)
    return pd.DataFrame(rows).set_index("rows")


def scale_figure(scale: dict) -> Figure:
    """Left: the largest intermediate table (machine-independent); right: the measured seconds; both rungs."""
    t = scale_table(scale)
    fig, axes = new_figure(6.4, 3.2, ncols=2)
    for rung, colour, marker in (("rung 2", PALETTE["blue"], "o"), ("rung 3", PALETTE["vermillion"], "s")):
        label = "do-query" if rung == "rung 2" else "counterfactual (twin)"
        axes[0].plot(t.index, t[f"{rung} largest table"], color=colour, marker=marker, label=label)
        axes[1].plot(t.index, t[f"{rung} seconds"], color=colour, marker=marker, label=label)
    axes[0].set_ylabel("largest table (entries)")
    axes[1].set_ylabel("seconds (one machine)")
    for ax in axes:
        ax.set_yscale("log")
        ax.set_xlabel(f"grid rows ({scale['columns']} columns)")
        ax.grid(alpha=0.3)
    axes[0].legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def scale_alt(scale: dict) -> str:
    """Alt text of :func:`scale_figure`, from the stored numbers."""
    t = scale_table(scale)
    first, last = t.index[0], t.index[-1]
    parts = [f"{rung}: largest table {t.loc[first, rung + ' largest table']} entries at {first} row(s), "
             f"{t.loc[last, rung + ' largest table']} at {last} rows; {t.loc[first, rung + ' seconds']:.3f} s to "
             f"{t.loc[last, rung + ' seconds']:.3f} s" for rung in ("rung 2", "rung 3")]
    return ("Two log-scale line charts against the number of grid rows. " + "; ".join(parts)
            + f". Measured on one machine, {scale['date']}.")


def sampling_figure(scale: dict) -> Figure:
    """Forward sampling's root-mean-square error against n, with the standard error it should match."""
    s = pd.DataFrame(scale["sampling"]["sizes"])
    fig, ax = new_figure(6.4, 3.2)
    ax.plot(s["n"], s["se"], color=PALETTE["grey"], linestyle="--", label="s.e. sqrt(p(1-p)/n)")
    ax.plot(s["n"], s["rmse"], color=PALETTE["blue"], marker="o", label="measured error")
    for _, r in s.iterrows():
        ax.annotate(f"{r['seconds']:.3f} s", (r["n"], r["rmse"]), textcoords="offset points", xytext=(4, 6),
                    fontsize=8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("samples n")
    ax.set_ylabel("error of the estimate")
    ax.legend(loc="lower left", fontsize=9)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def sampling_alt(scale: dict) -> str:
    """Alt text of :func:`sampling_figure`."""
    parts = [f"n = {r['n']}: error {r['rmse']:.4f} (s.e. {r['se']:.4f}), {r['seconds']:.3f} s"
             for r in scale["sampling"]["sizes"]]
    return "Log-log chart of forward sampling's error against the number of samples: " + "; ".join(parts) + "."


# ------------------------------------------------------------------------------------ hidden mediator cause
#: Strengths of the hidden common cause of mediator and outcome in :func:`mediator_scm`.
GAMMAS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
_INDIRECT = (("A", "M"), ("M", "Y"))


def mediator_scm(gamma: float) -> DiscreteSCM:
    """``A -> M -> Y`` and ``A -> Y`` with a hidden common cause ``H`` of ``M`` and ``Y`` of strength ``gamma``.

    :math:`A := U_A`, :math:`M := H` if :math:`S_M = 1` else :math:`A \\lor U_M`,
    :math:`Y := (H` if :math:`S_Y = 1` else :math:`M) \\oplus (A \\land U_Y)`, with
    :math:`P(S_M = 1) = P(S_Y = 1) = \\gamma`, :math:`P(H = 1) = P(U_A = 1) = 0.5`,
    :math:`P(U_M = 1) = 0.3`, :math:`P(U_Y = 1) = 0.2`. The group is randomised;
    with ``gamma = 0`` nothing but ``A`` is shared by ``M`` and ``Y``.

    Examples
    --------
    >>> mediator_scm(0.0).parents("M")
    ('A', 'H', 'S_M', 'U_M')
    """
    if not 0.0 <= gamma <= 1.0:
        raise ValueError(f"gamma must be in [0, 1], got {gamma!r}")
    exo = {"U_A": {0: 0.5, 1: 0.5}, "H": {0: 0.5, 1: 0.5}, "S_M": {0: 1 - gamma, 1: gamma},
           "S_Y": {0: 1 - gamma, 1: gamma}, "U_M": {0: 0.7, 1: 0.3}, "U_Y": {0: 0.8, 1: 0.2}}
    exo = {name: {s: p for s, p in dist.items() if p > 0} for name, dist in exo.items()}
    eq = {"A": (["U_A"], lambda U_A: U_A),
          "M": (["A", "H", "S_M", "U_M"], lambda A, H, S_M, U_M: H if S_M else A | U_M),
          "Y": (["A", "M", "H", "S_Y", "U_Y"], lambda A, M, H, S_Y, U_Y: (H if S_Y else M) ^ (A & U_Y))}
    return DiscreteSCM(exo, eq, states={"M": (0, 1), "Y": (0, 1)})


def mediation_formula(scm: DiscreteSCM) -> float:
    """The indirect effect an analyst computes from :math:`P(A, M, Y)` alone (the mediation formula).

    .. math:: \\sum_m P(Y = 1 \\mid A = 0, M = m)\\,[P(M = m \\mid A = 1) - P(M = m \\mid A = 0)]

    It equals the effect along ``A -> M -> Y`` when, among other conditions,
    no hidden variable causes both ``M`` and ``Y``.

    Examples
    --------
    >>> round(mediation_formula(mediator_scm(0.0)), 3)
    0.7
    """
    m1, m0 = scm.query("M", evidence={"A": 1}), scm.query("M", evidence={"A": 0})
    return sum(scm.query("Y", evidence={"A": 0, "M": m})[1] * (m1[m] - m0[m])
               for m in (0, 1) if m0[m] > 0)


@lru_cache(maxsize=1)
def mediator_sensitivity() -> pd.DataFrame:
    """For each :data:`GAMMAS`: the true effect along ``A -> M -> Y``, the mediation formula, their difference.

    The true effect is :meth:`DiscreteSCM.path_specific` with the edges of the
    indirect path, from ``A = 0`` to ``A = 1``, minus the baseline
    :math:`P(Y = 1 \\mid do(A = 0))`.

    Examples
    --------
    >>> mediator_sensitivity().loc[0.0, "bias"].round(3)
    np.float64(0.0)
    """
    rows = []
    for g in GAMMAS:
        m = mediator_scm(g)
        true = (m.path_specific("Y", intervention={"A": 1}, baseline={"A": 0}, edges=_INDIRECT)[1]
                - m.query("Y", do={"A": 0})[1])
        formula = mediation_formula(m)
        rows.append({"gamma": g, "true": true, "formula": formula, "bias": formula - true})
    return pd.DataFrame(rows).set_index("gamma")
