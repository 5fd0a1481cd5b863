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
from functools import lru_cache

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

__all__ = [
    "DATA",
    "DEFIANT",
    "DELTAS",
    "MONOTONE",
    "REPS",
    "SEED",
    "SIZES",
    "bounds_alt",
    "bounds_explorer",
    "bounds_figure",
    "bounds_table",
    "declarations",
    "discovery_table",
    "evaluation_alt",
    "evaluation_figure",
    "evaluation_samples",
    "evaluation_table",
    "explorer_bounds",
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
