"""Chapter 8: fairness versus privacy on the lending model, sampled, noised and summarised.

One *repetition* draws a training set of ``n`` applicants from
:func:`book.models.lending.lending` (the counts of the 32 joint states of
``A, Q, P, Y`` are multinomial: sampling the records and counting them is the
same thing) and fits three lookup-table predictors on Laplace-noised counts
(the Laplace mechanism of :mod:`book.objectives.privacy`, sensitivity 2), each its own
:math:`\\varepsilon`-DP release:

* ``"lookup table"`` reads everything the lender holds, ``A, Q, P`` (16 cells),
  and approves a cell when its noisy repayments exceed its noisy defaults;
* ``"group thresholds"`` reads ``A, Q`` and releases the counts of repayers per
  group and income band; each group approves from a threshold on ``Q`` set so
  that its *estimated* true positive rate is :data:`TARGET_TPR` (equal opportunity,
  :func:`book.objectives.private_fairness.equal_opportunity_policy`);
* ``"selective"`` reads only the income band ``Q`` (4 cells), the feature on
  the allowed path, with the noisy majority vote.

Every repetition is then measured *exactly* on the population
(:func:`book.objectives.private_fairness.policy_rates`): each group's accuracy,
the equal-opportunity and parity gaps, and the path-specific gap along the
unfair edges ``A -> P, A -> Y``, which counts a decision's direct use of ``A`` as unfair
(:func:`book.objectives.private_fairness.switch_gap`).
The noise of every count is one standard Laplace draw scaled by :math:`2/\\varepsilon`,
added here rather than by :func:`book.objectives.privacy.laplace_mechanism` (which draws
afresh on every call), so that curves over :math:`\\varepsilon` use common random numbers.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from book.models.lending import ALLOWED, FEATURES, UNFAIR, lending
from book.objectives import private_fairness as pf
from book.objectives.fairness import switch_coupling
from book.objectives.privacy import SENSITIVITY
from book.viz import PALETTE, SERIES, Explorer, Figure, Slider, new_figure
from book.viz.palette import bare_figure

__all__ = [
    "ALLOWED",
    "AWARE_EPSILON",
    "COLOURS",
    "EPSILONS",
    "FEATURES",
    "HEADLINE",
    "LOSS_EPSILON",
    "METRICS",
    "PREDICTORS",
    "READS",
    "SHARES",
    "TARGET_TPR",
    "UNFAIR",
    "audit_alt",
    "audit_errors",
    "audit_figure",
    "cost_alt",
    "cost_figure",
    "exact_accuracy",
    "exact_curves",
    "frontier_alt",
    "frontier_figure",
    "lending",
    "lending_explorer",
    "opportunity_alt",
    "opportunity_figure",
    "population",
    "simulate",
    "summarise",
]

PREDICTORS = ("lookup table", "group thresholds", "selective")
READS = {"lookup table": "A, Q, P", "group thresholds": "A, Q", "selective": "Q"}
COLOURS = {"lookup table": SERIES[3], "group thresholds": SERIES[1], "selective": SERIES[0]}
_COLOUR_NAMES = {"lookup table": "vermillion", "group thresholds": "orange", "selective": "blue"}
METRICS = ("acc_majority", "acc_minority", "accuracy", "acc_gap", "opportunity_gap", "parity_gap", "path_gap")
TARGET_TPR = 0.8
EPSILONS = (0.1, 0.2, 0.5, 1.0, 2.0, 4.0, math.inf)
SHARES = (0.02, 0.05, 0.1, 0.2, 0.3, 0.5)
LOSS_EPSILON = 0.5  # the privacy level of the cost figure's right panel
AWARE_EPSILON = 2.0  # the minority's cells' privacy level under a group-aware budget
HEADLINE = {"n": 1000, "p_minority": 0.1, "reps": 400, "seed": 2026}


def _three(value: float) -> str:
    return f"{round(float(value), 3) + 0.0:.3f}"  # + 0.0 turns -0.0 into 0.0: no "-0.000"


def _eps_label(epsilon: float) -> str:
    return "∞" if math.isinf(epsilon) else f"{epsilon:g}"


# ---------------------------------------------------------------------------- the population
@lru_cache(maxsize=16)
def population(p_minority: float = 0.1) -> dict[str, Any]:
    """Exact tables and switch couplings of the lending model with minority share ``p_minority``.

    Keys: ``"model"``, ``"joint"`` (probabilities of the 32 states of ``A, Q, P, Y``
    as an array of shape ``(2, 4, 2, 2)``), ``"T_QP"`` and ``"T_Q"`` (population
    tables :func:`book.objectives.private_fairness.group_table` over the cells
    of ``Q, P`` and of ``Q``), and, per predictor, the switch coupling along
    the unfair edges with its cells (``"coupling"``: name -> (coupling, cells)). Cached: the
    dictionary and its arrays are shared, do not modify them.
    """
    model = lending(p_minority=p_minority)
    joint = np.zeros((2, 4, 2, 2))
    for (a, q, p, y), prob in model.joint(["A", "Q", "P", "Y"]).items():
        joint[a, q, p, y] += prob
    coupling = {}
    for name, features in (("lookup table", ("A", "Q", "P")), ("group thresholds", ("A", "Q")), ("selective", ("Q",))):
        cells = list(itertools.product(*(model.states(f) for f in features)))
        coupling[name] = (switch_coupling(model, features, "A", UNFAIR), cells)
    return {
        "model": model,
        "joint": joint,
        "T_QP": pf.group_table(model, "A", ["Q", "P"], "Y"),
        "T_Q": pf.group_table(model, "A", ["Q"], "Y"),
        "coupling": coupling,
    }


# ---------------------------------------------------------------------------- the experiment
def _check(n: int, p_minority: float, reps: int, epsilons: Sequence[float]) -> list[float]:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer (applicants per training set), got {n!r}")
    if not (isinstance(p_minority, int | float) and 0 < p_minority < 1):
        raise ValueError(f"p_minority must be a group share strictly between 0 and 1, got {p_minority!r}")
    if isinstance(reps, bool) or not isinstance(reps, int) or reps < 2:
        raise ValueError(f"reps must be an integer >= 2 (a standard error needs two repetitions), got {reps!r}")
    eps = [float(e) for e in epsilons]
    if not eps or any(not e > 0 for e in eps):
        raise ValueError(f"epsilons must be positive numbers (math.inf: no noise), got {list(epsilons)!r}")
    return eps


def _measure(name: str, epsilon: float, h: np.ndarray, pop: dict[str, Any]) -> dict[str, np.ndarray]:
    table = pop["T_QP"] if name == "lookup table" else pop["T_Q"]
    rates = pf.policy_rates(table, h)
    coupling, cells = pop["coupling"][name]
    return {
        "acc_majority": rates.accuracy[:, 0],
        "acc_minority": rates.accuracy[:, 1],
        "accuracy": rates.overall,
        "acc_gap": rates.accuracy[:, 0] - rates.accuracy[:, 1],
        "opportunity_gap": rates.opportunity_gap,
        "parity_gap": rates.parity_gap,
        "path_gap": pf.switch_gap(h.reshape(len(h), -1), coupling, cells),
    }


@lru_cache(maxsize=64)
def _simulate(n: int, p_minority: float, epsilons: tuple[float, ...], reps: int, seed: int) -> pd.DataFrame:
    pop = population(p_minority)
    counts = np.random.default_rng([seed, 0]).multinomial(n, pop["joint"].ravel(), size=reps).reshape(reps, 2, 4, 2, 2)
    tables = {
        "lookup table": counts.reshape(reps, 2, 8, 2),  # cells (Q, P) within each group
        "group thresholds": counts.sum(axis=3)[..., 1],  # repayers per group and income band
        "selective": counts.sum(axis=(1, 3)),  # (Q, Y), the groups pooled
    }
    rows = []
    for k, (name, table) in enumerate(tables.items()):
        z = np.random.default_rng([seed, 1, k]).laplace(0.0, 1.0, size=table.shape)  # one standard draw, scaled
        for eps in epsilons:
            noisy = table + (0.0 if math.isinf(eps) else SENSITIVITY / eps) * z
            if name == "group thresholds":
                h = pf.equal_opportunity_policy(noisy, TARGET_TPR)
            else:
                h = (noisy[..., 1] > noisy[..., 0]).astype(float)  # ties (no noise) deny
            frame = pd.DataFrame(_measure(name, eps, h, pop))
            frame.insert(0, "epsilon", eps)
            frame.insert(0, "predictor", name)
            frame.insert(0, "rep", np.arange(reps))
            rows.append(frame)
    return pd.concat(rows, ignore_index=True)


def simulate(
    *, n: int = 1000, p_minority: float = 0.1, epsilons: Sequence[float] = EPSILONS, reps: int = 400,
    seed: int = 2026,
) -> pd.DataFrame:
    """Repeat the experiment ``reps`` times: one row per repetition, predictor and epsilon.

    Columns ``rep, predictor, epsilon`` and :data:`METRICS`: each group's exact
    accuracy (``acc_majority``, ``acc_minority``), the overall accuracy, their
    difference ``acc_gap`` (majority minus minority), the equal-opportunity and
    parity gaps and the path-specific gap. Cached: the same arguments return
    the same (shared, do not modify) table.

    Examples
    --------
    >>> runs = simulate(n=200, epsilons=(1.0,), reps=3)
    >>> sorted(set(runs["predictor"])), len(runs)
    (['group thresholds', 'lookup table', 'selective'], 9)
    """
    eps = _check(n, p_minority, reps, epsilons)
    return _simulate(n, float(p_minority), tuple(eps), reps, seed)


def summarise(runs: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard error over repetitions, indexed by ``(predictor, epsilon)``.

    Columns are each metric and ``<metric>_se`` (standard deviation / sqrt(reps)).
    """
    grouped = runs.groupby(["predictor", "epsilon"])[list(METRICS)]
    mean, se = grouped.mean(), grouped.std(ddof=1) / np.sqrt(grouped.count())
    return mean.join(se.add_suffix("_se"))


def exact_accuracy(name: str, n: int, p_minority: float, epsilon: float) -> np.ndarray:
    """Exact expected accuracy of each group (majority, minority) for a majority-vote predictor.

    ``name`` is ``"lookup table"`` or ``"selective"``
    (:func:`book.objectives.private_fairness.expected_group_accuracy`).

    Examples
    --------
    >>> exact_accuracy("selective", 1000, 0.1, math.inf).round(3).tolist()
    [0.73, 0.694]
    """
    if name not in ("lookup table", "selective"):
        raise ValueError(f"exact accuracies exist for 'lookup table' and 'selective', got {name!r}")
    return _exact(name, int(n), float(p_minority), float(epsilon)).copy()


@lru_cache(maxsize=1024)
def _exact(name: str, n: int, p_minority: float, epsilon: float) -> np.ndarray:
    pop = population(p_minority)
    table = pop["T_QP"] if name == "lookup table" else pop["T_Q"]
    return pf.expected_group_accuracy(table, n, epsilon, reads_attribute=name == "lookup table")


def exact_curves(n: int, p_minority: float, epsilons: Sequence[float] = EPSILONS) -> pd.DataFrame:
    """Exact expected group accuracies of both majority-vote predictors over ``epsilons``.

    Index ``(predictor, epsilon)``; columns ``acc_majority, acc_minority, acc_gap``.
    """
    rows = []
    for name in ("lookup table", "selective"):
        for eps in epsilons:
            maj, mino = exact_accuracy(name, n, p_minority, eps)
            rows.append({"predictor": name, "epsilon": float(eps), "acc_majority": maj, "acc_minority": mino,
                         "acc_gap": maj - mino})
    return pd.DataFrame(rows).set_index(["predictor", "epsilon"])


def audit_errors(n: int, shares: Sequence[float], epsilons: Sequence[float]) -> pd.DataFrame:
    """Mean absolute error of the DP release of the minority's approval rate and TPR.

    The minority has ``share * n`` applicants, of whom
    ``share * n * P(Y = 1 | A = 1)`` repaid (rounded, at least 1); the errors
    are :func:`book.objectives.private_fairness.rate_release_error`.
    """
    rows = []
    for share in shares:
        pos = population(share)["T_Q"][1, :, 1].sum() / share
        size, positives = max(round(share * n), 1), max(round(share * n * pos), 1)
        for eps in epsilons:
            rows.append({"share": share, "epsilon": eps, "group_size": size, "positives": positives,
                         "rate_error": pf.rate_release_error(size, eps),
                         "tpr_error": pf.rate_release_error(positives, eps)})
    return pd.DataFrame(rows).set_index(["share", "epsilon"])


# ---------------------------------------------------------------------------- figures
def _finite(index: pd.Index) -> list[float]:
    return [e for e in index if math.isfinite(e)]


def cost_figure(n: int, p_minority: float, summary: pd.DataFrame) -> Figure:
    """Left: each group's accuracy against epsilon (exact lines, simulated means ± 1 s.e. as points).

    Right: the accuracy each group loses to the noise at :data:`LOSS_EPSILON` against the minority's share (exact).
    """
    fig, (left, right) = new_figure(8.0, 3.6, ncols=2)
    eps = _finite(sorted(set(EPSILONS)))
    curves = exact_curves(n, p_minority, eps)
    for name in ("lookup table", "selective"):
        part, sim = curves.xs(name, level="predictor"), summary.xs(name, level="predictor")
        for col, style, label in (("acc_majority", "-", "majority"), ("acc_minority", "--", "minority")):
            left.plot(eps, part[col], color=COLOURS[name], ls=style, lw=1.8, label=f"{name}, {label}")
            left.errorbar(eps, sim.loc[eps, col], yerr=sim.loc[eps, f"{col}_se"], fmt="o", ms=3,
                          color=COLOURS[name], capsize=2)
    left.set_xscale("log")
    left.set_xlabel("privacy ε (log scale)")
    left.set_ylabel("accuracy in the group")
    left.legend(fontsize=8, loc="lower right")
    left.grid(alpha=0.3)
    for name, group, style in (("lookup table", 1, "--"), ("lookup table", 0, "-"), ("selective", 1, "--")):
        right.plot(SHARES, _noise_losses(name, n, group), color=COLOURS[name], ls=style, marker="o", ms=4, lw=1.8,
                   label=f"{name}, {'minority' if group else 'majority'}")
    right.axhline(0, color=PALETTE["grey"], lw=0.8)
    right.set_xlabel("minority share of applicants")
    right.set_ylabel("accuracy lost to the noise")
    right.set_title(f"ε = {LOSS_EPSILON:g}", fontsize=10)
    right.legend(fontsize=8)
    right.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def _noise_losses(name: str, n: int, group: int) -> list[float]:
    """Exact accuracy a group loses to the noise at :data:`LOSS_EPSILON`, for each share of :data:`SHARES`."""
    return [float(exact_accuracy(name, n, s, math.inf)[group] - exact_accuracy(name, n, s, LOSS_EPSILON)[group])
            for s in SHARES]


_SMALL = 1e-4  # "hardly any loss" in the cost figure's alt text


def cost_alt(n: int, p_minority: float) -> str:
    """Alt text of :func:`cost_figure`, from the same exact numbers."""
    lo = min(_finite(EPSILONS))
    parts = []
    for name in ("lookup table", "selective"):
        top, bottom = exact_accuracy(name, n, p_minority, math.inf), exact_accuracy(name, n, p_minority, lo)
        parts.append(f"the {name} ({_COLOUR_NAMES[name]}) goes from {_three(top[0])} to {_three(bottom[0])} for "
                     f"the majority and from {_three(top[1])} to {_three(bottom[1])} for the minority as epsilon "
                     f"falls from infinity to {lo:g}")
    minority, majority = _noise_losses("lookup table", n, 1), _noise_losses("lookup table", n, 0)
    selective = _noise_losses("selective", n, 1)
    return (f"Two panels for {n} training applicants. Left: accuracy in each group against epsilon on a log "
            f"scale, minority share {p_minority:g}, solid lines the majority, dashed the minority: "
            + "; ".join(parts) + f". Right: accuracy lost to the noise at epsilon {LOSS_EPSILON:g} against the "
            f"minority's share: for the lookup table's minority from {_three(minority[0])} at share {SHARES[0]:g} "
            f"to {_three(minority[-1])} at share {SHARES[-1]:g}, for its majority from {_three(majority[0])} to "
            f"{_three(majority[-1])}, for the selective predictor's minority below {_SMALL:g} at every share (largest "
            f"{max(selective):.1e}): its cells pool both groups and hardly ever flip.")


def opportunity_figure(summaries: dict[int, pd.DataFrame]) -> Figure:
    """The group-threshold predictor's equal-opportunity gap against epsilon, one line per n (mean ± 1 s.e.)."""
    fig, ax = new_figure(6.4, 3.6)
    for k, (n, summary) in enumerate(sorted(summaries.items())):
        part = summary.xs("group thresholds", level="predictor")
        eps = _finite(part.index)
        ax.errorbar(eps, part.loc[eps, "opportunity_gap"], yerr=part.loc[eps, "opportunity_gap_se"],
                    color=SERIES[k], marker="o", ms=4, capsize=2, label=f"n = {n}")
        ax.axhline(part.loc[math.inf, "opportunity_gap"], color=SERIES[k], ls=":", lw=1.2)
    ax.set_xscale("log")
    ax.set_xlabel("privacy ε (log scale)")
    ax.set_ylabel("equal-opportunity gap |TPR₁ − TPR₀|")
    ax.legend(fontsize=9, title="dotted: no noise", title_fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def opportunity_alt(summaries: dict[int, pd.DataFrame]) -> str:
    """Alt text of :func:`opportunity_figure`."""
    parts = []
    for n, summary in sorted(summaries.items()):
        part = summary.xs("group thresholds", level="predictor")
        eps = _finite(part.index)
        parts.append(f"n = {n}: {part.loc[eps[0], 'opportunity_gap']:.3f} at epsilon {eps[0]:g}, "
                     f"{part.loc[eps[-1], 'opportunity_gap']:.3f} at epsilon {eps[-1]:g}, "
                     f"{part.loc[math.inf, 'opportunity_gap']:.3f} without noise (dotted line)")
    return ("The group-threshold predictor's equal-opportunity gap against epsilon on a log scale, mean over "
            "repetitions with error bars, one line per training-set size; " + "; ".join(parts) + ".")


def frontier_figure(summary: pd.DataFrame) -> Figure:
    """Accuracy against the equal-opportunity gap (left) and the path-specific gap (right), one point per ε."""
    fig, axes = new_figure(8.0, 3.6, ncols=2)
    for ax, metric, label in zip(axes, ("opportunity_gap", "path_gap"),
                                 ("equal-opportunity gap", "path-specific gap (A→P, A→Y, direct A)"), strict=True):
        for name in PREDICTORS:
            part = summary.xs(name, level="predictor").sort_index()
            ax.errorbar(part[metric], part["accuracy"], xerr=part[f"{metric}_se"], yerr=part["accuracy_se"],
                        color=COLOURS[name], marker="o", ms=4, lw=1.2, capsize=2, label=f"{name} ({READS[name]})")
            for end in (part.index[0], part.index[-1]):
                ax.annotate(f"ε={_eps_label(end)}", (part.loc[end, metric], part.loc[end, "accuracy"]),
                            textcoords="offset points", xytext=(5, -9), fontsize=8, color=COLOURS[name])
        ax.set_xlabel(label)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("accuracy")
    axes[0].legend(fontsize=8, loc="center")
    fig.tight_layout()
    return fig


def frontier_alt(summary: pd.DataFrame) -> str:
    """Alt text of :func:`frontier_figure`."""
    parts = []
    for name in PREDICTORS:
        part = summary.xs(name, level="predictor").sort_index()
        lo, hi = part.iloc[0], part.iloc[-1]
        parts.append(
            f"{name} ({_COLOUR_NAMES[name]}, reads {READS[name]}): accuracy {lo['accuracy']:.3f} to "
            f"{hi['accuracy']:.3f}, equal-opportunity gap {lo['opportunity_gap']:.3f} to {hi['opportunity_gap']:.3f}, "
            f"path-specific gap {lo['path_gap']:.3f} to {hi['path_gap']:.3f} (epsilon {_eps_label(part.index[0])} "
            f"to {_eps_label(part.index[-1])})"
        )
    return ("Two panels sharing the vertical axis, accuracy, one point per privacy level with error bars: left "
            "against the equal-opportunity gap, right against the path-specific gap (along A to P, A to Y and the "
            "decision's direct use of A). " + "; ".join(parts) + ".")


def audit_figure(errors: pd.DataFrame, gap: float) -> Figure:
    """Mean absolute error of the minority's released TPR against epsilon, one line per share (log-log)."""
    fig, ax = new_figure(6.4, 3.6)
    for k, share in enumerate(sorted(set(errors.index.get_level_values("share")))):
        part = errors.xs(share, level="share")
        ax.plot(part.index, part["tpr_error"], color=SERIES[k], marker="o", ms=4,
                label=f"share {share:g} ({int(part['positives'].iloc[0])} repayers)")
    ax.axhline(gap, color=PALETTE["black"], ls="--", lw=1.2, label=f"gap to detect, {gap:.3f}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("privacy ε of the audit (log scale)")
    ax.set_ylabel("mean error of the minority's TPR")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, which="both")
    fig.tight_layout()
    return fig


def audit_alt(errors: pd.DataFrame, gap: float) -> str:
    """Alt text of :func:`audit_figure`."""
    parts = []
    for share in sorted(set(errors.index.get_level_values("share"))):
        part = errors.xs(share, level="share").sort_index()
        parts.append(f"share {share:g}: {part['tpr_error'].iloc[0]:.3f} at epsilon {part.index[0]:g} down to "
                     f"{part['tpr_error'].iloc[-1]:.4f} at epsilon {part.index[-1]:g}")
    return ("Log-log lines of the mean absolute error of the minority's released true positive rate against the "
            f"audit's epsilon, one per minority share, under a dashed line at the gap to detect, {gap:.3f}: "
            + "; ".join(parts) + ".")


# ---------------------------------------------------------------------------- explorer
EXPLORER_EPSILONS = ("0.1", "0.5", "2", "∞")
EXPLORER_SHARES = (0.05, 0.1, 0.5)
EXPLORER_SIZES = (300, 1000, 3000)
EXPLORER_REPS = 100
_FRAME = (("acc_majority", "majority acc."), ("acc_minority", "minority acc."),
          ("opportunity_gap", "equal-opp. gap"), ("path_gap", "path gap"))
_SHOWN = ("group thresholds", "selective")


def _eps(label: str) -> float:
    return math.inf if label == "∞" else float(label)


@lru_cache(maxsize=32)
def _explorer_summary(share: float, n: int) -> pd.DataFrame:
    # One simulation per (share, n) covers every epsilon (common random numbers along the epsilon slider).
    return summarise(simulate(n=n, p_minority=share, epsilons=[_eps(e) for e in EXPLORER_EPSILONS],
                              reps=EXPLORER_REPS, seed=8))


def _explorer_rows(epsilon: str, share: float, n: int) -> dict[str, pd.Series]:
    summary = _explorer_summary(share, n)
    return {name: summary.loc[(name, _eps(epsilon))] for name in _SHOWN}


def _frame(epsilon: str, share: float, n: int) -> Figure:
    fig = bare_figure(6.0, 2.7)
    ax = fig.subplots()
    rows = _explorer_rows(epsilon, share, n)
    xs, heights, colours, errs = [], [], [], []
    for k, (metric, _) in enumerate(_FRAME):
        for j, name in enumerate(_SHOWN):
            x = k * 2.6 + j
            value = float(rows[name][metric])
            xs.append(x)
            heights.append(value)
            colours.append(COLOURS[name])
            errs.append(float(rows[name][f"{metric}_se"]))
            ax.text(x, value + errs[-1] + 0.03, f"{value:.2f}", ha="center", fontsize=8)
    bars = ax.bar(xs, heights, color=colours, width=0.85)
    ax.errorbar(xs, heights, yerr=errs, fmt="none", ecolor=PALETTE["black"], capsize=3, elinewidth=1)
    ax.set_xticks([k * 2.6 + 0.5 for k in range(len(_FRAME))], [label for _, label in _FRAME], fontsize=9)
    ax.set_ylim(0, 1.1)
    ax.legend(bars.patches[:2], [f"{n_} ({READS[n_]})" for n_ in _SHOWN], loc="upper right", fontsize=8, ncols=2,
              frameon=False)
    fig.subplots_adjust(left=0.07, right=0.99, bottom=0.1, top=0.97)
    return fig


def _alt(epsilon: str, share: float, n: int) -> str:
    rows = _explorer_rows(epsilon, share, n)
    groups = "; ".join(f"{label} " + ", ".join(f"{rows[name][metric]:.2f} ({name})" for name in _SHOWN)
                       for metric, label in _FRAME)
    return (f"Bar chart for epsilon {epsilon}, minority share {share:g} and {n} training applicants, mean over "
            f"{EXPLORER_REPS} repetitions: {groups}.")


def lending_explorer() -> Explorer:
    """Chapter 8's explorer: epsilon, the minority's share and n, for the group-threshold and selective predictors."""
    return Explorer(
        _frame,
        [
            Slider("epsilon", EXPLORER_EPSILONS, label="privacy ε (∞ = no noise)", default="0.5"),
            Slider("share", EXPLORER_SHARES, label="minority share", default=0.1),
            Slider("n", EXPLORER_SIZES, label="training applicants n", default=1000),
        ],
        title="Per-group accuracy and fairness gaps under differential privacy",
        alt=_alt,
    )
