"""Chapter 9: explanations and recourse on chapter 5's records model, with and without differential privacy.

One *repetition* draws four independent samples of ``n`` records from
:func:`book.models.records.records`: the training set (the members), a fresh
set from the same population (the non-members, who are also the people
explained and offered recourse), and the attacker's own pair, a shadow
training set and shadow non-members. Each *route* fits a histogram table
(:func:`book.objectives.privacy.fit_histogram`), with and without
:math:`\\varepsilon`-DP, and releases with every decision

* an **attribution**, :func:`book.objectives.explainability.flip_attributions`
  (how much the score drops when one feature alone is flipped), and
* a **counterfactual explanation**, the nearest cell with the other decision
  (:func:`book.objectives.recourse.hypercube_counterfactuals`), which is also
  the recourse offered to a person flagged at risk (decision 1): "change your
  features to these".

The routes:

* ``"associational"`` reads every feature ``C1, C2, N1, ..., Nd``;
* ``"causal"`` reads the causes ``C1, C2``; its table *is* the mechanism
  :math:`P(Y \\mid C_1, C_2)` of the SCM learned from data, and since the
  causes are roots, :math:`P(Y \\mid do(C)) = P(Y \\mid C)`: its counterfactual
  is an intervention on the causes;
* ``"small non-causal"`` reads ``N1, N2`` (chapter 5's control: as small as the
  causal table, but reading effects of ``Y``; only when ``d >= 2``);
* ``"public SCM"`` uses the true mechanism of the records model (no training
  data at all): the decision "at risk" iff ``C1 or C2``, and the recourse
  ``do(C1 = 0, C2 = 0)``.

Leakage is the membership advantage of attackers who learn their rule on the
shadow model (:func:`book.objectives.privacy.shadow_rule`): chapter 5's
loss-threshold attack on the model's output (``model_advantage``, which reads the
score at ``x`` and the label), an attack that sees only the model's score at
``x`` and asks whether it is the prior, the score of a cell never seen
(``score_advantage``, no label), an attack that sees only the attribution's
mean magnitude (``attribution_advantage``, a function of the scores at ``x`` and
its ``k`` neighbours) and one that sees only the counterfactual's distance
(``counterfactual_advantage``).
Explanation quality is the attribution's distance to the non-private model's
(``attribution_error``), and recourse quality the fraction of flagged
non-members at risk who are offered a change and whose outcome becomes ``Y = 0``
when they carry it out (``validity``, through
:func:`book.models.records.outcome_after`; a flagged person offered no change,
because the table flags every cell, counts as a failure, and ``no_recourse`` is
the fraction of flagged people offered nothing), beside ``decision_validity``,
the fraction of recommended changes that the non-private model also accepts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from book.models.records import CAUSES, draw, outcome_after, records
from book.objectives import privacy
from book.objectives.explainability import flip_attributions, mean_attribution_distance
from book.objectives.recourse import hypercube_counterfactuals
from book.viz import PALETTE, SERIES, Explorer, Figure, Slider, new_figure
from book.viz.palette import bare_figure

__all__ = [
    "COLOURS",
    "D_VALUES",
    "EPSILONS",
    "HEADLINE",
    "LABELS",
    "METRICS",
    "ROUTES",
    "by_epsilon",
    "counterfactual_records",
    "explorer",
    "leakage_alt",
    "leakage_figure",
    "paired_difference",
    "quality_alt",
    "quality_figure",
    "simulate",
    "summarise",
    "table",
    "true_mechanism",
]

ROUTES = ("associational", "causal", "small non-causal", "public SCM")
METRICS = (
    "accuracy", "model_advantage", "model_rule_advantage", "score_advantage", "attribution_advantage",
    "counterfactual_advantage", "attribution_error", "validity", "decision_validity", "flagged", "no_recourse",
)
LABELS = {
    "accuracy": "test accuracy",
    "model_advantage": "loss attack (model only)",
    "model_rule_advantage": "loss attack, shadow-learned rule",
    "score_advantage": "score attack (no label)",
    "attribution_advantage": "attribution attack",
    "counterfactual_advantage": "counterfactual attack",
    "attribution_error": "attribution error",
    "validity": "recourse validity",  # among the flagged who are at risk: offered a change that gives Y = 0
    "decision_validity": "accepted by the non-private model",
    "flagged": "flagged at risk",
    "no_recourse": "flagged, offered no recourse",
}
COLOURS = {"associational": SERIES[3], "causal": SERIES[0], "small non-causal": SERIES[2], "public SCM": SERIES[1]}
_COLOUR_NAMES = {"associational": "vermillion", "causal": "blue", "small non-causal": "bluish green",
                 "public SCM": "orange"}
EPSILONS = (0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, math.inf)
D_VALUES = (0, 2, 4, 6, 8, 10)
HEADLINE = {"n": 200, "d": 10, "reps": 30, "seed": 2026}
_ROLES = ("train", "test", "shadow", "shadow_test")


@lru_cache(maxsize=1)
def true_mechanism() -> privacy.HistogramModel:
    """The public SCM's mechanism as a table over ``(C1, C2)``: counts proportional to the exact :math:`P(C, Y)`.

    Computed by exact inference on :func:`book.models.records.records`; the
    table's score is then :math:`P(Y = 1 \\mid C) = P(Y = 1 \\mid do(C))`, and it
    depends on no training record.

    Examples
    --------
    >>> privacy.cell_probabilities(true_mechanism()).round(3).tolist()
    [0.15, 0.85, 0.85, 0.85]
    """
    scm = records(0)
    joint = scm.joint(["C1", "C2", "Y"])
    counts = np.zeros((4, 2))
    for (c1, c2, y), p in joint.items():
        counts[2 * c1 + c2, y] = 1e6 * p
    return privacy.HistogramModel(counts, math.inf, 1.0)


def _columns(route: str, d: int) -> slice:
    start = len(CAUSES)
    return {"associational": slice(0, start + d), "causal": slice(0, start), "public SCM": slice(0, start),
            "small non-causal": slice(start, start + 2)}[route]


def _fit(route: str, X: np.ndarray, y: np.ndarray, epsilon: float, seed: Sequence[int]) -> privacy.HistogramModel:
    if route == "public SCM":
        return true_mechanism()
    return privacy.fit_histogram(X, y, epsilon=epsilon, rng=np.random.default_rng(list(seed)))


def _release_table(model: privacy.HistogramModel) -> dict[str, np.ndarray]:
    """Per cell: the score, the decision, and the counterfactual (nearest cell with the other decision)."""
    scores = privacy.cell_probabilities(model)
    decisions = (scores > 0.5).astype(np.int64)
    distance, target = np.full(len(scores), np.inf), np.full(len(scores), -1)
    for wanted in (0, 1):  # the counterfactual has the other decision
        d_to, cell_to = hypercube_counterfactuals(decisions, desired=wanted)
        mine = decisions != wanted
        distance[mine], target[mine] = d_to[mine], cell_to[mine]
    k = model.n_features
    return {"scores": scores, "decision": decisions, "target": target,
            "distance": np.where(np.isfinite(distance), distance, k + 1.0)}  # none: beyond any cell


def _released(table: dict[str, np.ndarray], X: np.ndarray) -> dict[str, np.ndarray]:
    """What one query releases beside the decision: attribution, its mean magnitude, counterfactual and distance."""
    c = privacy.cells(X)
    phi = flip_attributions(table["scores"], X)
    return {"decision": table["decision"][c], "phi": phi, "attribution": np.abs(phi).mean(axis=1),
            "distance": table["distance"][c], "target": table["target"][c]}


def _evaluate(
    route: str, samples: dict[str, tuple[np.ndarray, np.ndarray]], d: int, epsilon: float,
    seed: tuple[int, ...], reference: dict[str, Any] | None,
) -> tuple[dict[str, float], dict[str, Any]]:
    cols = _columns(route, d)
    (X, y), (Xt, yt), (Xs, ys), (Xo, yo) = (samples[r] for r in _ROLES)
    model = _fit(route, X[:, cols], y, epsilon, (*seed, 0))
    shadow = _fit(route, Xs[:, cols], ys, epsilon, (*seed, 1))
    table, shadow_table = _release_table(model), _release_table(shadow)
    mem, non = _released(table, X[:, cols]), _released(table, Xt[:, cols])
    smem, snon = _released(shadow_table, Xs[:, cols]), _released(shadow_table, Xo[:, cols])
    advantages = {
        f"{key}_advantage": privacy.rule_attack(mem[stat], non[stat],
                                                privacy.shadow_rule(smem[stat], snon[stat])).advantage
        for key, stat in (("attribution", "attribution"), ("counterfactual", "distance"))
    }
    # Chapter 5's attack on the model's output, unchanged: Yeom's threshold (the shadow's mean training loss).
    member_loss, nonmember_loss = model.loss(X[:, cols], y), model.loss(Xt[:, cols], yt)
    advantages["model_advantage"] = privacy.threshold_attack(
        member_loss, nonmember_loss, privacy.shadow_threshold(shadow, Xs[:, cols], ys)).advantage
    # The same statistic under the explanation attackers' rule (threshold and side learned on the shadow).
    loss_rule = privacy.shadow_rule(shadow.loss(Xs[:, cols], ys), shadow.loss(Xo[:, cols], yo))
    advantages["model_rule_advantage"] = privacy.rule_attack(member_loss, nonmember_loss, loss_rule).advantage
    # The model's score at x alone, no label: is it other than the prior, the score of a cell never seen?
    def off_prior(m: privacy.HistogramModel, Z: np.ndarray) -> np.ndarray:
        return (np.abs(m.proba(Z) - m.prior) > 1e-12).astype(float)

    score_rule = privacy.shadow_rule(off_prior(shadow, Xs[:, cols]), off_prior(shadow, Xo[:, cols]))
    advantages["score_advantage"] = privacy.rule_attack(off_prior(model, X[:, cols]), off_prior(model, Xt[:, cols]),
                                                        score_rule).advantage
    # Recourse for the flagged non-members who are at risk (Y = 1): carry out the counterfactual on the
    # features the route reads, and ask the SCM whether the outcome becomes Y = 0. A flagged person offered
    # no change (every cell flagged) counts as a failure of recourse.
    flagged = non["decision"] == 1
    offered = flagged & (non["target"] >= 0)
    at_risk = flagged & (yt == 1)
    X_new = Xt.copy()
    X_new[:, cols] = privacy.cell_features(model.n_features)[np.maximum(non["target"], 0)]
    after = outcome_after(Xt, yt, X_new)
    ref = reference if reference is not None else {"scores": table["scores"], "phi": non["phi"]}
    metrics = {
        "accuracy": float(np.mean(non["decision"] == yt)),
        **advantages,
        "attribution_error": mean_attribution_distance(non["phi"], ref["phi"]),
        "validity": float(np.mean(offered[at_risk] & (after[at_risk] == 0))) if at_risk.any() else math.nan,
        "decision_validity": (float(np.mean(ref["scores"][non["target"][offered]] <= 0.5))
                              if offered.any() else math.nan),
        "flagged": float(np.mean(flagged)),
        "no_recourse": float(np.mean(~offered[flagged])) if flagged.any() else math.nan,
    }
    return metrics, ref


def _check(n: int, reps: int, epsilons: Sequence[float], d_values: Sequence[int]) -> list[float]:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer (records per training set), got {n!r}")
    if isinstance(reps, bool) or not isinstance(reps, int) or reps < 2:
        raise ValueError(f"reps must be an integer >= 2 (a standard error needs two repetitions), got {reps!r}")
    eps = [float(e) for e in epsilons]
    if not eps:
        raise ValueError("epsilons must list at least one value (math.inf: no noise)")
    for e in eps:
        if not e > 0:
            raise ValueError(f"every epsilon must be positive (math.inf: no noise), got {e!r}")
    for d in d_values:
        if isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 16:
            raise ValueError(f"every d must be an integer between 0 and 16, got {d!r}")
    if not d_values:
        raise ValueError("d_values must list at least one number of non-causal features")
    return sorted(set(eps), key=lambda e: -e)  # math.inf first: it is every route's reference


def simulate(
    *,
    n: int = 200,
    d_values: Sequence[int] = D_VALUES,
    epsilons: Sequence[float] = EPSILONS,
    reps: int = 30,
    seed: int = 2026,
) -> pd.DataFrame:
    """Repeat the experiment ``reps`` times; one row per repetition, ``d``, route and epsilon.

    The noise of each fit is re-seeded per (repetition, ``d``, role), so every
    epsilon scales the same standard Laplace draw (as in chapter 5); the
    attribution error at each epsilon compares with the same repetition's
    non-private fit (``math.inf`` is always run). The public SCM fits nothing,
    so its rows repeat across epsilons.

    Examples
    --------
    >>> runs = simulate(n=50, d_values=(2,), epsilons=(1.0,), reps=2)
    >>> sorted(set(runs["route"]))
    ['associational', 'causal', 'public SCM', 'small non-causal']
    """
    eps = _check(n, reps, epsilons, d_values)
    if math.inf not in eps:
        eps = [math.inf, *eps]
    return _simulate(n, tuple(d_values), tuple(eps), reps, seed).copy()


def _simulate(n: int, d_values: tuple[int, ...], eps: tuple[float, ...], reps: int, seed: int) -> pd.DataFrame:
    return pd.concat([_simulate_d(n, d, eps, reps, seed) for d in d_values], ignore_index=True)


@lru_cache(maxsize=16)
def _simulate_d(n: int, d: int, eps: tuple[float, ...], reps: int, seed: int) -> pd.DataFrame:
    # One d at a time, cached: the chapter's figures, its explorer and its self-checks share runs.
    data = {role: draw(d, n * reps, np.random.default_rng([seed, d, k])) for k, role in enumerate(_ROLES)}
    routes = [r for r in ROUTES if r != "small non-causal" or d >= 2]
    rows = []
    for rep in range(reps):
        samples = {role: (X[rep * n:(rep + 1) * n], y[rep * n:(rep + 1) * n]) for role, (X, y) in data.items()}
        for route in routes:
            reference = None
            for e in eps:
                metrics, reference = _evaluate(route, samples, d, e, (seed, rep, d), reference)
                rows.append({"rep": rep, "d": d, "route": route, "epsilon": e, **metrics})
    return pd.DataFrame(rows)


def summarise(runs: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard error (:math:`s / \\sqrt{R}`) of every metric per ``d``, route and epsilon."""
    if runs.empty:
        raise ValueError("no runs to summarise")
    grouped = runs.groupby(["d", "route", "epsilon"], sort=True)[list(METRICS)]
    return grouped.mean().join((grouped.std(ddof=1) / np.sqrt(grouped.count())).add_suffix("_se"))


def paired_difference(
    runs: pd.DataFrame, metric: str, first: tuple[str, float], second: tuple[str, float], *, d: int
) -> tuple[float, float]:
    """Mean and standard error over repetitions of ``metric(first) - metric(second)``, each a (route, epsilon).

    Paired by repetition (the same samples), so the standard error is that of the difference.
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; known: {list(METRICS)}")
    part = runs[runs["d"] == d]
    if part.empty:
        raise ValueError(f"the runs have no d = {d!r}")
    values = []
    for route, e in (first, second):
        rows = part[(part["route"] == route) & (part["epsilon"] == e)].set_index("rep")[metric]
        if rows.empty:
            raise ValueError(f"the runs have no route {route!r} at epsilon {e!r}")
        values.append(rows)
    diff = (values[0] - values[1]).dropna()
    return float(diff.mean()), float(diff.std(ddof=1) / math.sqrt(len(diff)))


def counterfactual_records(n: int = 200, d: int = 10, seed: int = 2026) -> dict[str, float]:
    """How often the non-private associational counterfactual offered to a flagged person is a training record.

    On one sample: every cell that the non-private table does not flag holds at
    least one training record when the prior flags (an unseen cell gets the
    prior); the fractions of flagged non-members whose counterfactual cell
    holds a training record, and exactly one (that record is then revealed
    whole, its label included: it is the only record in a cell decided 0).
    """
    X, y = draw(d, n, np.random.default_rng([seed, d, 0]))
    Xt, _ = draw(d, n, np.random.default_rng([seed, d, 1]))
    model = privacy.fit_histogram(X, y)
    scores = privacy.cell_probabilities(model)
    decisions = (scores > 0.5).astype(np.int64)
    counts = privacy.count_table(X, y).sum(axis=1)
    _, target = hypercube_counterfactuals(decisions, desired=0)
    flagged = decisions[privacy.cells(Xt)] == 1
    cf = target[privacy.cells(Xt)][flagged]
    return {
        "unflagged_cells_with_a_record": float(np.mean(counts[decisions == 0] >= 1)),
        "counterfactual_is_a_record": float(np.mean(counts[cf] >= 1)),
        "counterfactual_is_one_record": float(np.mean(counts[cf] == 1)),
        "prior": float(scores[counts == 0][0]) if (counts == 0).any() else math.nan,
    }


# ---------------------------------------------------------------------------- tables
def _eps_label(epsilon: float) -> str:
    return "∞" if math.isinf(epsilon) else f"{epsilon:g}"


def table(summary: pd.DataFrame, metrics: Sequence[str], *, d: int) -> pd.DataFrame:
    """The chosen metrics at one ``d`` as ``"mean ± se"`` strings, one row per route and epsilon."""
    unknown = [m for m in metrics if m not in METRICS]
    if unknown:
        raise ValueError(f"unknown metric(s) {unknown!r}; known: {list(METRICS)}")
    part = summary.xs(d, level="d")
    out = pd.DataFrame(index=part.index)
    for m in metrics:
        out[LABELS[m]] = [f"{a:.3f} ± {s:.3f}" for a, s in zip(part[m], part[f"{m}_se"], strict=True)]
    out.index = pd.MultiIndex.from_tuples([(r, _eps_label(e)) for r, e in out.index], names=["route", "ε"])
    return out


def by_epsilon(summary: pd.DataFrame, metric: str, *, d: int, routes: Sequence[str] = ROUTES) -> pd.DataFrame:
    """One metric at one ``d`` as ``"mean ± se"``: a row per epsilon, a column per route."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; known: {list(METRICS)}")
    part = summary.xs(d, level="d")
    held = set(part.index.get_level_values("route"))
    eps = sorted(set(part.index.get_level_values("epsilon")))
    cells = {r: [f"{part.loc[(r, e), metric]:.3f} ± {part.loc[(r, e), f'{metric}_se']:.3f}" for e in eps]
             for r in routes if r in held}
    return pd.DataFrame(cells, index=pd.Index([_eps_label(e) for e in eps], name="ε"))


# ---------------------------------------------------------------------------- figures
_ATTACKS = (("model_advantage", "loss attack on the model (chapter 5)", "o", "-"),
            ("score_advantage", "score attack on the model (no label)", "D", "-."),
            ("attribution_advantage", "attack on the attribution only", "s", "--"),
            ("counterfactual_advantage", "attack on the counterfactual only", "^", ":"))


def leakage_figure(summary: pd.DataFrame) -> Figure:
    """Membership advantage against ``d`` without noise: four attacks on the associational model, one causal."""
    fig, ax = new_figure(6.4, 3.8)
    free = summary.xs(math.inf, level="epsilon")
    assoc = free.xs("associational", level="route")
    for metric, label, marker, style in _ATTACKS:
        ax.errorbar(assoc.index, assoc[metric], yerr=assoc[f"{metric}_se"], color=COLOURS["associational"],
                    marker=marker, ls=style, capsize=2, label=f"associational: {label}")
    causal = free.xs("causal", level="route")
    ax.errorbar(causal.index, causal["attribution_advantage"], yerr=causal["attribution_advantage_se"],
                color=COLOURS["causal"], marker="s", ls="--", capsize=2, label="causal: attack on the attribution")
    ax.axhline(0, color=PALETTE["grey"], lw=0.8)
    ax.set_xlabel("non-causal features d")
    ax.set_ylabel("membership advantage TPR − FPR")
    ax.set_ylim(-0.1, 1.0)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def leakage_alt(summary: pd.DataFrame) -> str:
    """Alt text of :func:`leakage_figure`, from the same numbers."""
    free = summary.xs(math.inf, level="epsilon")
    assoc = free.xs("associational", level="route")
    lo, hi = assoc.index.min(), assoc.index.max()
    parts = [f"{label}: from {assoc.loc[lo, m]:.2f} at d = {lo} to {assoc.loc[hi, m]:.2f} at d = {hi}"
             for m, label, _, _ in _ATTACKS]
    causal = free.xs("causal", level="route")["attribution_advantage"]
    return (f"Membership advantage against the number of non-causal features d, no noise. Associational model "
            f"(vermillion), {'; '.join(parts)}. Causal model (blue), attack on the attribution: between "
            f"{causal.min():.2f} and {causal.max():.2f} at every d.")


def quality_figure(summary: pd.DataFrame, d: int) -> Figure:
    """Two panels against epsilon: attribution error, and recourse validity, for every route."""
    fig, (left, right) = new_figure(8.0, 3.6, ncols=2)
    part = summary.xs(d, level="d")
    for route in ROUTES:
        if route not in set(part.index.get_level_values("route")):
            continue
        r = part.xs(route, level="route").sort_index()
        eps = r.index.to_numpy()
        x = np.where(np.isfinite(eps), eps, 32.0)  # ∞ drawn at the right edge
        left.errorbar(x, r["attribution_error"], yerr=r["attribution_error_se"], color=COLOURS[route],
                      marker="o", ms=4, capsize=2, label=route)
        right.errorbar(x, r["validity"], yerr=r["validity_se"], color=COLOURS[route], marker="o", ms=4,
                       capsize=2, label=route)
    for ax, label in ((left, "attribution error, mean |Δφ|"), (right, "recourse validity")):
        ax.set_xscale("log")
        ax.set_xticks([0.1, 1, 8, 32], ["0.1", "1", "8", "∞"])
        ax.set_xlabel("privacy ε (log scale)")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    right.set_ylim(-0.05, 1.05)
    left.legend(loc="upper right", fontsize=8)  # the left panel's upper right is empty
    fig.tight_layout()
    return fig


def quality_alt(summary: pd.DataFrame, d: int) -> str:
    """Alt text of :func:`quality_figure`, from the same numbers."""
    part = summary.xs(d, level="d")
    lo, hi = min(part.index.get_level_values("epsilon")), math.inf
    parts = []
    for route in ROUTES:
        if route not in set(part.index.get_level_values("route")):
            continue
        r = part.xs(route, level="route")
        parts.append(f"{route} ({_COLOUR_NAMES[route]}): attribution error {r.loc[lo, 'attribution_error']:.2f} "
                     f"at epsilon {lo:g} and {r.loc[hi, 'attribution_error']:.2f} without noise, validity "
                     f"{r.loc[lo, 'validity']:.2f} at epsilon {lo:g} and {r.loc[hi, 'validity']:.2f} without noise")
    return (f"Two panels against the privacy parameter epsilon on a log scale, d = {d}: left the attribution "
            "error, right the recourse validity. " + "; ".join(parts) + ".")


# ---------------------------------------------------------------------------- explorer
EXPLORER_EPSILONS = ("0.1", "0.5", "1", "2", "8", "∞")
EXPLORER_D = (0, 2, 6, 10)
EXPLORER_REPS = 10
_EXPLORER_ROUTES = ("associational", "causal")
_FRAME_METRICS = (("attribution_advantage", "attribution leakage"), ("counterfactual_advantage",
                  "counterfactual leakage"), ("validity", "recourse validity"))


@lru_cache(maxsize=1)
def _explorer_summary() -> pd.DataFrame:
    eps = [math.inf if e == "∞" else float(e) for e in EXPLORER_EPSILONS]
    return summarise(simulate(n=HEADLINE["n"], d_values=EXPLORER_D, epsilons=eps, reps=EXPLORER_REPS, seed=5))


def _two(value: float) -> str:
    return f"{round(float(value), 2) + 0.0:.2f}"  # + 0.0 turns -0.0 into 0.0: no "-0.00"


def _row(epsilon: str, d: int, route: str) -> pd.Series:
    return _explorer_summary().loc[(d, route, math.inf if epsilon == "∞" else float(epsilon))]


def _frame(epsilon: str, d: int) -> Figure:
    fig = bare_figure(6.0, 2.7)
    ax = fig.subplots()
    xs, heights, colours, errs = [], [], [], []
    for g, (metric, _) in enumerate(_FRAME_METRICS):
        for j, route in enumerate(_EXPLORER_ROUTES):
            r = _row(epsilon, d, route)
            x = g * 2.6 + j * 0.9
            xs.append(x)
            heights.append(r[metric])
            colours.append(COLOURS[route])
            errs.append(r[f"{metric}_se"])
            ax.text(x, max(r[metric], 0.0) + r[f"{metric}_se"] + 0.03, _two(r[metric]), ha="center", fontsize=8)
    bars = ax.bar(xs, heights, color=colours, width=0.8)
    ax.errorbar(xs, heights, yerr=errs, fmt="none", ecolor=PALETTE["black"], capsize=3, elinewidth=1)
    ax.set_xticks([g * 2.6 + 0.45 for g in range(len(_FRAME_METRICS))], [lab for _, lab in _FRAME_METRICS],
                  fontsize=9)
    handles, labels = list(bars.patches[:2]), list(_EXPLORER_ROUTES)
    bound = privacy.advantage_bound(math.inf if epsilon == "∞" else float(epsilon))
    if bound < 1:  # the tight DP bound over the two leakage groups
        (line,) = ax.plot([-0.5, 2.6 + 0.9 + 0.5], [bound, bound], color=PALETTE["black"], ls="--", lw=1.2)
        handles.append(line)
        labels.append("tight DP bound")
    ax.set_ylim(-0.1, 1.22)
    ax.axhline(0, color=PALETTE["grey"], lw=0.8)
    ax.legend(handles, labels, loc="upper center", fontsize=8, ncols=len(handles), frameon=False)
    fig.subplots_adjust(left=0.07, right=0.99, bottom=0.1, top=0.97)
    return fig


def _alt(epsilon: str, d: int) -> str:
    groups = "; ".join(
        f"{label} " + ", ".join(f"{_two(_row(epsilon, d, r)[m])} ({r})" for r in _EXPLORER_ROUTES)
        for m, label in _FRAME_METRICS
    )
    bound = privacy.advantage_bound(math.inf if epsilon == "∞" else float(epsilon))
    limit = (f" The tight DP bound on either leakage, {bound:.2f}, is drawn as a dashed line." if bound < 1
             else " Without noise there is no DP bound.")
    return f"Bar chart for epsilon {epsilon} and {d} non-causal features: {groups}.{limit}"


def explorer() -> Explorer:
    """Chapter 9's explorer: epsilon and the number of non-causal features."""
    return Explorer(
        _frame,
        [Slider("epsilon", EXPLORER_EPSILONS, label="privacy ε (∞ = no noise)", default="∞"),
         Slider("d", EXPLORER_D, label="non-causal features d", default=10)],
        title="Explanation leakage and recourse validity of the two routes",
        alt=_alt,
    )
