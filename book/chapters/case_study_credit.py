"""The credit case study: auditing a logistic regression on real data with a learned causal model.

* the data, coded (:func:`credit_data`), and the graph learned over bootstrap
  resamples (:func:`edge_table`, :func:`consensus_graph`, :func:`top_graphs`);
* one replicate of the whole pipeline on a resample (:func:`replicate`): the
  network fitted on the consensus graph, the classifier trained, audited
  (:func:`book.audits.audit`), the selective predictor chosen
  (:func:`book.audits.select`) and the counterfactual gap bounded
  (:func:`book.objectives.identification.response_bounds`);
* the bootstrap of :func:`replicate`, cached in ``book/data/credit_bootstrap.csv``
  (:func:`bootstrap`, :func:`load_bootstrap`, :func:`interval_table`);
* how the audit moves across the most frequent learned graphs (:func:`graph_table`);
* the explorer over the declared unfair edges and the shift (:func:`audit_explorer`).
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from book.audits import audit, select
from book.data import load_credit
from book.metrics import bootstrap_rows, percentile_interval
from book.models.credit import ACTIONABLE, CORRECTED, DOCUMENTED, FEATURES, LABEL, TIERS, VARIABLES, credit, discretise
from book.objectives import recourse
from book.objectives.discovery import consensus, learn_dag
from book.objectives.identification import response_bounds
from book.objectives.robustness import Environments
from book.predictors import Predictor, attach, logistic_predictor
from book.viz import PALETTE, Explorer, Figure, Slider, new_figure

__all__ = [
    "BOOTSTRAP_FILE",
    "DECLARATIONS",
    "EDGE_FILE",
    "GAPS",
    "GRAPH_REPS",
    "GRAPH_SEED",
    "METRICS",
    "POINT_FILE",
    "REPS",
    "SEED",
    "SHIFT",
    "SHIFTS",
    "audit_alt",
    "audit_explorer",
    "audit_figure",
    "bootstrap",
    "cached_graphs",
    "classifier",
    "coding_table",
    "consensus_graph",
    "credit_data",
    "edge_table",
    "environments",
    "explorer_gaps",
    "fresh_point",
    "graph_counts",
    "graph_table",
    "interval_alt",
    "interval_figure",
    "interval_table",
    "learned_graphs",
    "load_bootstrap",
    "point",
    "recourse_examples",
    "replicate",
    "selective_ledger",
    "top_graphs",
]

#: Bootstrap resamples of the structure learning, and their seed.
GRAPH_REPS = 100
GRAPH_SEED = 2026
#: Bootstrap resamples of the audit pipeline (on the consensus graph), and their seed.
REPS = 200
SEED = 13
#: The declared shift: in a downturn, every applicant's chance of holding a checking account
#: (K = 1) is multiplied by this factor.
SHIFT = 0.8
#: The explorer's grid of that factor.
SHIFTS = (1.0, 0.8, 0.6)
#: The two declarations of unfair edges, for the model with the classifier attached as ``Yhat``:
#: every path from age (counterfactual fairness), or only the classifier's direct use of age.
DECLARATIONS: dict[str, tuple[tuple[str, str], ...] | None] = {
    "every path from age": None,
    "direct use of age only": (("A", "Yhat"),),
}
#: The cached file of :func:`bootstrap` and of the structure bootstrap, in ``book/data``.
BOOTSTRAP_FILE = "credit_bootstrap.csv"
POINT_FILE = "credit_point.csv"
EDGE_FILE = "credit_graphs.csv"
#: The numbers of one replicate, in the order of :func:`replicate`.
METRICS: tuple[str, ...] = (
    "accuracy", "fairness (every path)", "fairness (direct use)", "robustness", "explainability",
    "recourse", "share refused", "selective accuracy", "selective fairness (every path)",
    "selective robustness", "cost in accuracy", "irreducible (every path)", "flip low", "flip high",
    "effect", "out-of-bag accuracy", "selective out-of-bag accuracy", "out-of-bag cost",
)


@lru_cache(maxsize=1)
def credit_data() -> pd.DataFrame:
    """The shipped records, coded as the eight binary variables of :mod:`book.models.credit`."""
    return discretise(load_credit())


def coding_table() -> pd.DataFrame:
    """Each code of the checking, savings and housing columns: its size, good-risk rate and two readings.

    "Statlog documentation" is what the old code table (and the file's label) says the code means;
    "corrected" is Groemping's corrected code table, which the size and good-risk rate match one to one.
    """
    raw = load_credit()
    rows = []
    for column, codes in CORRECTED.items():
        for code, meaning in codes.items():
            part = raw[raw[column] == code]
            rows.append({"column": column, "file code": code, "records": len(part),
                         "good risks": f"{part['risk'].mean():.3f}",
                         "Statlog documentation": DOCUMENTED[column][code], "corrected": meaning})
    return pd.DataFrame(rows).set_index(["column", "file code"])


def learned_graphs(reps: int = GRAPH_REPS, seed: int = GRAPH_SEED, *,
                   first: int | None = None) -> list[tuple[tuple[str, str], ...]]:
    """The graph learned on each of ``reps`` bootstrap resamples (one generator seeded with ``seed``).

    ``first`` learns only the first resamples (for the test that the cache matches a fresh computation).
    """
    data = credit_data()
    rows = bootstrap_rows(len(data), reps, np.random.default_rng(seed))
    return [learn_dag(data.iloc[r].reset_index(drop=True), TIERS) for r in rows[:first]]


@lru_cache(maxsize=1)
def cached_graphs() -> tuple[tuple[tuple[str, str], ...], ...]:
    """The graphs of :func:`learned_graphs` as cached in ``book/data/credit_graphs.csv``."""
    with resources.files("book.data").joinpath(EDGE_FILE).open("r", encoding="utf-8") as handle:
        frame = pd.read_csv(handle)
    graphs = []
    for text in frame["edges"]:
        graphs.append(tuple(tuple(e.split("->")) for e in text.split(" ")) if isinstance(text, str) else ())
    return tuple(graphs)


def graph_counts() -> Counter:
    """How many of the :data:`GRAPH_REPS` cached bootstrap graphs are each distinct graph."""
    return Counter(cached_graphs())


def edge_table() -> pd.DataFrame:
    """Each learned edge's bootstrap frequency with its standard error, most frequent first."""
    graphs = cached_graphs()
    counts = Counter(e for g in graphs for e in g)
    rows = [{"edge": f"{u} -> {v}", "frequency": c / len(graphs),
             "s.e.": float(np.sqrt(c / len(graphs) * (1 - c / len(graphs)) / len(graphs)))}
            for (u, v), c in counts.items()]
    return pd.DataFrame(rows).sort_values(["frequency", "edge"], ascending=[False, True]).set_index("edge")


def consensus_graph() -> tuple[tuple[str, str], ...]:
    """The consensus of the cached bootstrap graphs (:func:`book.objectives.discovery.consensus`)."""
    graphs = cached_graphs()
    counts = Counter(e for g in graphs for e in g)
    return consensus({e: c / len(graphs) for e, c in counts.items()}, VARIABLES)


def _check_count(k) -> None:
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")


def top_graphs(k: int = 3) -> list[tuple[tuple[tuple[str, str], ...], float]]:
    """The ``k`` most frequent learned graphs and their frequencies (ties by the edges' text)."""
    _check_count(k)
    counts = graph_counts()
    total = sum(counts.values())
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(g, c / total) for g, c in ranked[:k]]


def classifier(data: pd.DataFrame) -> Predictor:
    """The logistic regression (L2 penalty 1) on every feature, threshold 1/2."""
    return logistic_predictor(data, LABEL, FEATURES)


def environments(data: pd.DataFrame, edges, predictor: Predictor | None, factor: float = SHIFT) -> Environments:
    """The declared shift: the fitted model and the downturn (K's mechanism scaled by ``factor``)."""
    base, downturn = credit(data, edges), credit(data, edges, scale={"K": factor})
    if predictor is not None:
        base, downturn = attach(base, "Yhat", predictor), attach(downturn, "Yhat", predictor)
    return Environments(LABEL, {"as fitted": base, "downturn": downturn}, ["as fitted"])


def _sample_accuracy(h: Predictor, test: pd.DataFrame) -> float:
    decisions = np.array([h.table[tuple(row)] for row in test[list(h.features)].itertuples(index=False)])
    return float(np.mean(decisions == test[LABEL].to_numpy()))


def replicate(data: pd.DataFrame, edges, test: pd.DataFrame | None = None) -> dict[str, float]:
    """Every number of the audit on one data set (:data:`METRICS`, in order).

    The network on ``edges`` is fitted to ``data``, the classifier trained on
    it, both attached and audited: fairness under the two
    :data:`DECLARATIONS`, robustness to the downturn :data:`SHIFT`,
    explainability, recourse (:data:`book.models.credit.ACTIONABLE`). The
    selective predictor is :func:`book.audits.select` over the features but age
    that passes robustness (age's direct use excluded); "irreducible" is 1 when
    no non-constant predictor passes both robustness and fairness along every
    path. ``flip low``/``flip high`` bound the classifier's counterfactual gap
    over every SCM with the same :math:`P(A, \\hat Y)` and no confounding of age
    (age is a root), ``effect`` is the rung-2 effect of age on the decision.
    The out-of-bag numbers are both predictors' accuracies on the records of ``test``
    (those a bootstrap resample left out; NaN without ``test``), measured on data, not on the model.
    """
    h = classifier(data)
    family = environments(data, edges, h)
    model = family.scm("as fitted")
    full = audit(model, "Yhat", LABEL, attribute="A", environment=family, explain=True, actionable=ACTIONABLE)
    direct = audit(model, "Yhat", LABEL, attribute="A", unfair_edges=DECLARATIONS["direct use of age only"])
    plain = environments(data, edges, None)
    others = [f for f in FEATURES if f != "A"]
    chosen = select(plain.scm("as fitted"), LABEL, others, environment=plain)
    strict = select(plain.scm("as fitted"), LABEL, others, attribute="A", environment=plain)
    s_model = attach(plain.scm("as fitted"), "Yhat", chosen.predictor)
    s_fair = audit(s_model, "Yhat", LABEL, attribute="A").row("fairness").gap
    joint = model.joint(["A", "Yhat"])
    observed = {(a, y): float(joint.get((a, y), 0.0)) for a in (0, 1) for y in (0, 1)}
    flip = response_bounds(observed, "flip", confounding=0.0)
    effect = response_bounds(observed, "effect", confounding=0.0)
    values = [full.accuracy, full.row("fairness").gap, direct.row("fairness").gap, full.row("robustness").gap,
              full.row("explainability").gap, full.row("recourse").gap,
              full.row("recourse").values["share refused"], chosen.audit.accuracy, s_fair,
              chosen.audit.row("robustness").gap, full.accuracy - chosen.audit.accuracy,
              float(strict.irreducible), flip.low, flip.high, effect.low]
    if test is None:
        values += [float("nan")] * 3
    else:
        held = (_sample_accuracy(h, test), _sample_accuracy(chosen.predictor, test))
        values += [held[0], held[1], held[0] - held[1]]
    return {name: float(round(v, 12)) + 0.0 for name, v in zip(METRICS, values, strict=True)}


def fresh_point() -> dict[str, float]:
    """:func:`replicate` on the full data and the consensus graph: the point estimates (computed)."""
    return replicate(credit_data(), consensus_graph())


@lru_cache(maxsize=1)
def point() -> dict[str, float]:
    """The point estimates as cached in ``book/data/credit_point.csv`` (:func:`fresh_point`)."""
    with resources.files("book.data").joinpath(POINT_FILE).open("r", encoding="utf-8") as handle:
        row = pd.read_csv(handle).iloc[0]
    return {name: float(row[name]) for name in METRICS}


def bootstrap(reps: int = REPS, seed: int = SEED, *, first: int | None = None) -> pd.DataFrame:
    """:func:`replicate` on ``reps`` bootstrap resamples (graph fixed: the consensus), one row each.

    ``first`` computes only the first resamples (the same ones: the generator draws all rows first),
    for the test that the cache matches a fresh computation.
    """
    data = credit_data()
    edges = consensus_graph()
    rows = bootstrap_rows(len(data), reps, np.random.default_rng(seed))
    out = [replicate(data.iloc[r].reset_index(drop=True), edges,
                     data.drop(index=np.unique(r)).reset_index(drop=True)) for r in rows[:first]]
    return pd.DataFrame(out, columns=list(METRICS)).rename_axis("resample")


@lru_cache(maxsize=1)
def load_bootstrap() -> pd.DataFrame:
    """The cached :func:`bootstrap` (``book/data/credit_bootstrap.csv``)."""
    with resources.files("book.data").joinpath(BOOTSTRAP_FILE).open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, index_col="resample")


def interval_table(names=METRICS) -> pd.DataFrame:
    """Point estimate and 95 % bootstrap percentile interval of each named number.

    The estimate is :func:`point` (full data), except for the out-of-bag numbers: their mean over resamples
    (there are no held-out records on the full data); the column "estimate from" says which.
    """
    unknown = [n for n in names if n not in METRICS]
    if isinstance(names, str) or unknown:
        raise ValueError(f"unknown quantities {unknown or names!r}; known: {list(METRICS)}")
    boot, est = load_bootstrap(), point()
    rows = []
    for name in names:
        low, high = percentile_interval(boot[name].to_numpy())
        held_out = name.startswith(("out-of-bag", "selective out-of-bag"))
        value = float(boot[name].mean()) if held_out else est[name]
        rows.append({"quantity": name, "estimate": f"{value:.3f}",
                     "estimate from": "mean over resamples" if held_out else "full data",
                     "95 % interval": f"[{low:.3f}, {high:.3f}]"})
    return pd.DataFrame(rows).set_index("quantity")


#: The gaps drawn by :func:`interval_figure`, with their labels.
GAPS = {"fairness (every path)": "classifier: fairness, every path",
        "fairness (direct use)": "classifier: fairness, direct use",
        "explainability": "classifier: explainability",
        "selective fairness (every path)": "selective: fairness, every path"}


def interval_figure() -> Figure:
    """The point estimate and 95 % bootstrap interval of each gap of :data:`GAPS`, against the tolerance."""
    boot, est = load_bootstrap(), point()
    fig, ax = new_figure(6.4, 3.0)
    ys = list(range(len(GAPS)))[::-1]
    for y, name in zip(ys, GAPS, strict=True):
        low, high = percentile_interval(boot[name].to_numpy())
        ax.plot([low, high], [y, y], color=PALETTE["blue"], linewidth=6, alpha=0.6)
        ax.scatter([est[name]], [y], color=PALETTE["vermillion"], zorder=3, s=40)
    ax.axvline(0.01, color="black", linestyle=":", label="tolerance 0.01")
    ax.set_yticks(ys, list(GAPS.values()))
    ax.set_xlabel("gap (dot: full data; bar: 95 % bootstrap interval)")
    ax.legend(loc="lower right", fontsize=9)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def interval_alt() -> str:
    """Alt text of :func:`interval_figure`, from the same numbers."""
    boot, est = load_bootstrap(), point()
    parts = []
    for name, label in GAPS.items():
        low, high = percentile_interval(boot[name].to_numpy())
        parts.append(f"{label}: {est[name]:.3f}, interval {low:.3f} to {high:.3f}")
    return "Interval chart of four audit gaps against the tolerance 0.01. " + "; ".join(parts) + "."


def recourse_examples(k: int = 3) -> pd.DataFrame:
    """The ``k`` most frequent profiles the classifier refuses (full data), the advice and what acting brings.

    The advice is the cheapest edit of the actionable features the classifier accepts
    (:func:`book.objectives.recourse.nearest_counterfactual`); "promised" is
    :math:`P(Y = 1)` among applicants who already look like the advised profile, "acting" is
    :math:`P(Y = 1)` for this applicant after the intervention (:func:`book.objectives.recourse.evaluate`).
    """
    _check_count(k)
    data = credit_data()
    h = classifier(data)
    model = environments(data, consensus_graph(), h).scm("as fitted")
    joint = model.joint(list(FEATURES))
    refused = sorted(((p, cell) for cell, p in joint.items() if p > 0 and h.table[cell] == 0), reverse=True)
    rows = []
    for p, cell in refused[:k]:
        x = dict(zip(FEATURES, cell, strict=True))
        action = recourse.nearest_counterfactual(h, x, states={f: (0, 1) for f in FEATURES}, weights=ACTIONABLE)
        plan = recourse.evaluate(model, x, action, weights=ACTIONABLE)
        promised = model.query(LABEL, evidence={**x, **action})[1]
        now = model.query(LABEL, evidence=x)[1]
        rows.append({"profile": " ".join(f"{f}={v}" for f, v in x.items()), "share": f"{p:.3f}",
                     "advice": plan.advice, "cost": f"{plan.cost:g}", "P(Y=1) now": f"{now:.3f}",
                     "promised": f"{promised:.3f}", "acting": f"{plan.outcome_validity:.3f}"})
    return pd.DataFrame(rows).set_index("profile")


def selective_ledger() -> pd.DataFrame:
    """The selective predictor's whole audit ledger on the full data (every row; no bootstrap)."""
    data, edges = credit_data(), consensus_graph()
    plain = environments(data, edges, None)
    chosen = select(plain.scm("as fitted"), LABEL, [f for f in FEATURES if f != "A"], environment=plain)
    family = environments(data, edges, chosen.predictor)
    return audit(family.scm("as fitted"), "Yhat", LABEL, attribute="A", environment=family, explain=True,
                 actionable=ACTIONABLE).table()


def graph_table(k: int = 3) -> pd.DataFrame:
    """The classifier's audit on each of the ``k`` most frequent learned graphs (full data).

    Beside the explainability gap (the largest over the features read), the gaps of the amount ``M``
    and the savings ``S``, the two features whose causal role the graphs disagree on.
    """
    _check_count(k)
    data = credit_data()
    h = classifier(data)
    rows = []
    for edges, freq in top_graphs(k):
        family = environments(data, edges, h)
        result = audit(family.scm("as fitted"), "Yhat", LABEL, attribute="A", environment=family, explain=True)
        rows.append({"graph": ", ".join(f"{u}->{v}" for u, v in edges), "frequency": f"{freq:.2f}",
                     "accuracy": f"{result.accuracy:.3f}",
                     **{o: f"{result.row(o).gap:.3f}" for o in ("fairness", "robustness", "explainability")},
                     **{f"explainability of {f}": f"{result.row('explainability').values[f'gap of {f}']:.3f}"
                        for f in ("M", "S")}})
    return pd.DataFrame(rows).set_index("graph")


@lru_cache(maxsize=32)
def explorer_gaps(declaration: str, factor: float) -> dict[str, dict[str, float]]:
    """Fairness and robustness gaps of the classifier and the selective predictor at one setting."""
    if declaration not in DECLARATIONS:
        raise ValueError(f"declaration must be one of {list(DECLARATIONS)}, got {declaration!r}")
    if factor not in SHIFTS:
        raise ValueError(f"factor must be one of {SHIFTS}, got {factor!r}")
    data, edges = credit_data(), consensus_graph()
    out = {}
    plain = environments(data, edges, None, factor)
    others = [f for f in FEATURES if f != "A"]
    if declaration == "direct use of age only":
        chosen = select(plain.scm("as fitted"), LABEL, others, environment=plain)
    else:
        chosen = select(plain.scm("as fitted"), LABEL, others, attribute="A", environment=plain)
    for name, h in (("logistic regression", classifier(data)), ("selective", chosen.predictor)):
        family = environments(data, edges, h, factor)
        edges_declared = DECLARATIONS[declaration] if name == "logistic regression" or declaration != \
            "direct use of age only" else ()
        result = audit(family.scm("as fitted"), "Yhat", LABEL, attribute="A", environment=family,
                       unfair_edges=None if edges_declared is None else [e for e in edges_declared
                                                                         if e in family.scm("as fitted").edges()])
        out[name] = {"accuracy": result.accuracy, "fairness": result.row("fairness").gap,
                     "robustness": result.row("robustness").gap}
    return out


def audit_figure(declaration: str, factor: float) -> Figure:
    """Grouped bars: the fairness and robustness gaps of both predictors at one explorer setting."""
    gaps = explorer_gaps(declaration, factor)
    fig, ax = new_figure(6.4, 3.2)
    names = list(gaps)
    for i, (row, colour) in enumerate((("fairness", PALETTE["vermillion"]), ("robustness", PALETTE["blue"]))):
        xs = np.arange(len(names)) + (i - 0.5) * 0.35
        heights = [gaps[n][row] for n in names]
        ax.bar(xs, heights, width=0.35, color=colour, label=f"{row} gap")
        for x, v in zip(xs, heights, strict=True):
            ax.text(x, v + 0.005, f"{v:.3f}", ha="center", fontsize=9)
    ax.axhline(0.01, color="black", linestyle=":", label="tolerance 0.01")
    ax.set_xticks(range(len(names)), [f"{n}\naccuracy {gaps[n]['accuracy']:.3f}" for n in names])
    ax.set_ylabel("gap")
    ax.set_ylim(0, 0.3)
    ax.legend(loc="upper right", fontsize=9)
    fig.tight_layout()
    return fig


def audit_alt(declaration: str, factor: float) -> str:
    """Alt text of :func:`audit_figure`, from the same numbers."""
    gaps = explorer_gaps(declaration, factor)
    parts = [f"{n}: accuracy {g['accuracy']:.3f}, fairness gap {g['fairness']:.3f}, robustness gap "
             f"{g['robustness']:.3f}" for n, g in gaps.items()]
    return (f"Bar chart of the audit with unfair edges '{declaration}' and the checking-account factor "
            f"{factor:.1f}. " + "; ".join(parts) + ". The tolerance is 0.01.")


def audit_explorer() -> Explorer:
    """The explorer over the declaration of unfair edges and the size of the downturn."""
    return Explorer(
        audit_figure,
        [Slider("declaration", tuple(DECLARATIONS), label="unfair edges", default="every path from age"),
         Slider("factor", SHIFTS, label="downturn factor on P(K = 1)", default=SHIFT, fmt="{:.1f}")],
        title="How the credit audit's verdicts move with the declarations",
        alt=audit_alt,
    )
