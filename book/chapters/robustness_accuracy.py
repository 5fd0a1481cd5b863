"""Chapter 4: the screening model across hospitals, its tables, figures and explorer.

Takes the environment families of :mod:`book.models.hospitals` and puts the
measurements of :mod:`book.objectives.robustness` into the chapter's tables
and figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import pandas as pd

from book.models.hospitals import (
    DEPLOYED,
    FEATURES,
    TRAINING_MISMATCH,
    family,
    hospitals,
    hospitals_reversed,
    reversed_family,
)
from book.objectives import robustness as env
from book.objectives.frontiers import FrontierPoint
from book.objectives.robustness import Environments, InvarianceTest
from book.predictors import AnyPredictor, subset_label, uses
from book.scm import TOLERANCE
from book.viz import PALETTE, Explorer, Figure, Slider, new_figure
from book.viz.frontier import mark_invariance, ring

__all__ = [
    "DEPLOYED",
    "FEATURES",
    "LEARNER_RULES",
    "PENALTY_GRID",
    "SUBSETS",
    "TRAINING_MISMATCH",
    "conditional_table",
    "crossing_mismatch",
    "deployed_risk",
    "family",
    "frontier_alt",
    "hospital_explorer",
    "hospital_frontier_figure",
    "hospitals",
    "hospitals_reversed",
    "learner_choices",
    "learner_table",
    "reads",
    "reversed_family",
    "risk_table",
    "subset_label",
]

SUBSETS: tuple[tuple[str, ...], ...] = (("C", "S"), ("C",), ("S",), ())
name = subset_label  # short, for the many labels below


def risk_table(fam: Environments, subsets: Sequence[Sequence[str]] = SUBSETS) -> pd.DataFrame:
    """Training-optimal predictor on each subset: risk in training, in each hospital, and the worst."""
    rows = []
    for subset in subsets:
        h = env.optimal_predictor(fam, subset)
        per = env.environment_risks(fam, h)
        rows.append({"predictor": name(subset), "training": env.environment_risk(fam, h), **per,
                     "worst": max(per.values())})
    # Fixed three decimals (strings), so the table shows 0.310 as the prose does, not 0.31.
    return pd.DataFrame(rows).set_index("predictor").map(lambda v: f"{v:.3f}")


def conditional_table(test: InvarianceTest, features: Sequence[str]) -> pd.DataFrame:
    """:math:`P_e(Y = 1 \\mid x)` for one subset: a row per feature value, a column per environment."""
    result = test.result(features)
    envs = list(result.conditionals)
    rows = []
    for x in result.conditionals[envs[0]]:
        label = ", ".join(f"{f}={v}" for f, v in zip(result.features, x, strict=True)) or "(all)"
        rows.append({"x": label, **{e: result.conditionals[e].get(x, (float("nan"),) * 2)[1] for e in envs}})
    return pd.DataFrame(rows).set_index("x").map(lambda v: f"{v:.3f}")


def deployed_risk(features: Sequence[str], mismatch: float, *, training: tuple[float, float] = TRAINING_MISMATCH,
                  ) -> float:
    """Risk in the deployment hospital (scanner mismatch ``mismatch``) of the training-optimal predictor."""
    fam = family(training=training, deployed=mismatch)
    return env.environment_risk(fam, env.optimal_predictor(fam, features), DEPLOYED)


def crossing_mismatch(*, training: tuple[float, float] = TRAINING_MISMATCH) -> float:
    """The deployment mismatch at which the predictor on (C, S) becomes worse than the one on C."""
    return env.crossing(
        lambda q: deployed_risk(FEATURES, q, training=training),
        lambda q: deployed_risk(("C",), q, training=training),
        0.0, 1.0, tolerance=1e-7,
    )


# ---------------------------------------------------------------------------- the learner's view
#: The gap penalties the learner tries: every step of 0.01 in [0, 1] (101 values).
PENALTY_GRID: tuple[float, ...] = tuple(k / 100 for k in range(101))
#: The rules of :func:`learner_choices`, in the order of :func:`learner_table`.
LEARNER_RULES: tuple[str, ...] = (
    "training-optimal",
    "gap penalty, each λ",
    "minimax over 0 and 1",
    "training frontier",
    "invariance test",
)


def reads(predictor: AnyPredictor, feature: str) -> bool:
    """Whether ``predictor`` depends on ``feature`` (``False`` if the feature is not among its inputs).

    :func:`book.predictors.uses`, extended to predictors that do not take the feature at all.

    Examples
    --------
    >>> fam = family()
    >>> reads(env.optimal_predictor(fam, FEATURES), "S"), reads(env.optimal_predictor(fam, ["C"]), "S")
    (True, False)
    """
    return feature in predictor.features and uses(predictor, feature)


def learner_choices(
    fam: Environments, penalties: Sequence[float] = PENALTY_GRID, *, points: int = 5,
) -> dict[str, list[AnyPredictor]]:
    """What each rule picks on the features (C, S) when it sees the training hospitals only.

    With :math:`\\mathcal{E}_{\\text{tr}}` the training hospitals of ``fam`` (those with
    positive weight), and :math:`R_e` the exact risk in hospital :math:`e`:

    * *training-optimal*: :math:`\\arg\\min_f R_{\\text{train}}(f)`;
    * *gap penalty*: :math:`\\arg\\min_f R_{\\text{train}}(f) + \\lambda\\,(\\max_{e \\in \\mathcal{E}_{\\text{tr}}}
      R_e(f) - R_{\\text{train}}(f))`, one predictor per :math:`\\lambda` in ``penalties``
      (:func:`book.objectives.robustness.penalised_predictor` with ``envs`` the training hospitals);
    * *minimax*: :math:`\\arg\\min_f \\max_{e \\in \\mathcal{E}_{\\text{tr}}} R_e(f)` (the penalty at
      :math:`\\lambda = 1`);
    * *frontier*: the predictors at ``points`` points of the frontier between training risk and
      worst training-hospital risk (:func:`book.objectives.robustness.frontier` on the training hospitals);
    * *invariance test*: the Bayes-optimal predictor on the accepted subset of lowest training risk
      (:func:`book.objectives.robustness.select_invariant` after
      :func:`book.objectives.robustness.invariance_test` on the training hospitals).

    The deployment hospital enters none of them.

    Raises
    ------
    ValueError
        For an empty ``penalties``, a penalty outside [0, 1], or a family with fewer than two
        training hospitals (the invariance test needs two).

    Examples
    --------
    >>> picked = learner_choices(family(), penalties=(0.0, 1.0), points=2)
    >>> {rule: [reads(h, "S") for h in hs] for rule, hs in picked.items()}  # doctest: +NORMALIZE_WHITESPACE
    {'training-optimal': [True], 'gap penalty, each λ': [True, True], 'minimax over 0 and 1': [True],
     'training frontier': [True, True], 'invariance test': [False]}
    """
    penalties = tuple(penalties)
    if not penalties:
        raise ValueError("penalties must hold at least one value of λ, got an empty sequence")
    bad = [lam for lam in penalties if not (isinstance(lam, int | float) and 0.0 <= lam <= 1.0)]
    if bad:
        raise ValueError(f"every penalty must lie in [0, 1], got {bad!r}")
    train = list(fam.training)
    if len(train) < 2:
        raise ValueError(f"the learner's view needs at least two training hospitals, got {train!r}")
    test = env.invariance_test(fam, FEATURES, train)
    return dict(zip(LEARNER_RULES, (
        [env.optimal_predictor(fam, FEATURES)],
        [env.penalised_predictor(fam, FEATURES, float(lam), train) for lam in penalties],
        [env.penalised_predictor(fam, FEATURES, 1.0, train)],
        [p.predictor for p in env.frontier(fam, FEATURES, train, points=points)],
        [env.optimal_predictor(fam, env.select_invariant(fam, test))],
    ), strict=True))


def _span(values: Sequence[float]) -> str:
    low, high = min(values), max(values)
    return f"{low:.3f}" if high - low <= TOLERANCE else f"{low:.3f}–{high:.3f}"


def learner_table(fam: Environments, penalties: Sequence[float] = PENALTY_GRID) -> pd.DataFrame:
    """One row per rule of :func:`learner_choices`: how many of its predictors read S, and their risks.

    Columns: the number of predictors the rule returned (one per λ for the penalty, one per point
    for the frontier), how many of them read the scanner flag S, the training risk, the risk in the
    worse training hospital, and the risk in the deployment hospital, each as one value or as the
    range over the rule's predictors.
    """
    train = list(fam.training)
    rows = []
    for rule, chosen in learner_choices(fam, penalties).items():
        rows.append({
            "rule": rule,
            "predictors": len(chosen),
            "read S": sum(reads(h, "S") for h in chosen),
            "training": _span([env.environment_risk(fam, h) for h in chosen]),
            "worse of " + " and ".join(e[-1] for e in train): _span([env.worst_risk(fam, h, train)[1] for h in chosen]),
            f"hospital {DEPLOYED[-1]}": _span([env.environment_risk(fam, h, DEPLOYED) for h in chosen]),
        })
    return pd.DataFrame(rows).set_index("rule")


def _subset_points(fam: Environments) -> dict[tuple[str, ...], tuple[float, float, bool]]:
    """Per subset: worst-hospital accuracy, in-distribution accuracy, whether it passes the invariance test."""
    out = {}
    for subset in SUBSETS:
        h = env.optimal_predictor(fam, subset)
        out[subset] = (1 - env.worst_risk(fam, h)[1], 1 - env.environment_risk(fam, h),
                       env.conditional_invariance(fam, subset).holds)
    return out


def hospital_frontier_figure(fam: Environments, points: Sequence[FrontierPoint]) -> Figure:
    """In-distribution accuracy against worst-hospital accuracy: the exact frontier and every subset."""
    fig, ax = new_figure(6.4, 4.2)
    xs = [1 - p["worst risk"] for p in points]
    ys = [1 - p["training risk"] for p in points]
    ax.plot(xs, ys, color=PALETTE["grey"], lw=2, zorder=1, label="frontier: best randomised predictors on (C, S)")
    ax.scatter(xs, ys, color=PALETTE["grey"], s=14, zorder=2)
    offsets = {("C", "S"): (-8, 8, "right"), ("C",): (8, -14, "left"), ("S",): (8, 6, "left"), (): (8, 6, "left")}
    for subset, (x, y, invariant) in _subset_points(fam).items():
        mark_invariance(ax, x, y, invariant, size=60)
        dx, dy, ha = offsets[subset]
        ax.annotate(name(subset), (x, y), textcoords="offset points", xytext=(dx, dy),
                    ha=ha, fontsize=9, color=PALETTE["black"])
    c = env.optimal_predictor(fam, ("C",))
    ring(ax, 1 - env.worst_risk(fam, c)[1], 1 - env.environment_risk(fam, c), size=260,
         label="selected by the invariance test")
    ax.set_xlabel("worst-hospital accuracy (higher = more robust)")
    ax.set_ylabel("in-distribution accuracy")
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(0.5, 0.95)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=8.5, frameon=True)
    fig.tight_layout()
    return fig


def frontier_alt(fam: Environments, points: Sequence[FrontierPoint]) -> str:
    """Alt text of :func:`hospital_frontier_figure`, written from the same numbers."""
    at = _subset_points(fam)
    xs = [1 - p["worst risk"] for p in points]
    ys = [1 - p["training risk"] for p in points]
    slope = (ys[-1] - ys[0]) / (xs[-1] - xs[0]) if xs[-1] != xs[0] else 0.0
    straight = all(abs(y - ys[0] - slope * (x - xs[0])) <= TOLERANCE for x, y in zip(xs, ys, strict=True))
    below = [s for s in (("S",), ()) if any(at[s][0] <= x + 1e-12 and at[s][1] <= y + 1e-12
                                            for x, y in zip(xs, ys, strict=True))]
    where = "lie below the frontier" if len(below) == 2 else "lie off the frontier"
    (a, b, _), (c, d, _), (e, f, _), (g, h, _) = (at[s] for s in SUBSETS)
    return (
        "Scatter plot of in-distribution accuracy against worst-hospital accuracy. The predictor on C and S "
        f"sits at {b:.3f} and {a:.3f}, the predictor on C, ringed, at {d:.3f} and {c:.3f}; a "
        f"{'straight ' if straight else ''}grey frontier joins them. The predictor on S alone ({f:.3f}, {e:.3f}) "
        f"and the constant predictor ({h:.3f}, {g:.3f}) {where}."
    )


# ---------------------------------------------------------------------------- explorer
@lru_cache(maxsize=64)  # a frame and its alt text need the same numbers
def _frame_data(mismatch_1: float, deployed: float) -> tuple[dict[str, dict[str, float]], InvarianceTest, tuple]:
    fam = family(training=(TRAINING_MISMATCH[0], mismatch_1), deployed=deployed)
    test = env.invariance_test(fam, FEATURES)
    selected = env.select_invariant(fam, test)
    shown = [("C", "S"), ("C",)] + ([selected] if selected not in (("C", "S"), ("C",)) else [])
    bars = {name(s): env.environment_risks(fam, env.optimal_predictor(fam, s)) for s in shown}
    return bars, test, selected


def _frame(mismatch_1: float, deployed: float) -> Figure:
    bars, test, selected = _frame_data(mismatch_1, deployed)
    fig, ax = new_figure(6.4, 3.0)
    ax.set_position((0.1, 0.17, 0.52, 0.75))
    labels = ["hospital 0\n(train)", "hospital 1\n(train)", "hospital 2\n(deployed)"]
    colours = [PALETTE["vermillion"], PALETTE["blue"], PALETTE["orange"]]
    width = 0.8 / len(bars)
    for k, (pred, per) in enumerate(bars.items()):
        xs = [i + (k - (len(bars) - 1) / 2) * width for i in range(3)]
        tag = " (selected)" if pred == name(selected) else ""
        ax.bar(xs, list(per.values()), width=width * 0.95, color=colours[k], label=f"predictor on {pred}{tag}")
        for x, v in zip(xs, per.values(), strict=True):
            ax.text(x, v + 0.02, f"{v:.2f}", ha="center", fontsize=8.5)
    ax.set_xticks(range(3), labels, fontsize=9)
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("risk P(Ŷ ≠ Y)", fontsize=9.5)
    ax.legend(fontsize=8.5, loc="upper left", frameon=False)
    ax.grid(axis="y", alpha=0.3)
    # The marker table is plain figure text: a second Axes would cost a third of the rendering time.
    fig.text(0.66, 0.93, "invariance test\n(hospitals 0 and 1)", fontsize=10, va="top")
    for i, r in enumerate(test.results):
        y = 0.7 - i * 0.12
        mark, colour = ("pass", PALETTE["blue"]) if r.holds else ("fail", PALETTE["vermillion"])
        fig.text(0.66, y, r.name, fontsize=10.5)
        fig.text(0.77, y, f"gap {r.gap:.2f}", fontsize=10)
        fig.text(0.92, y, mark, fontsize=10.5, color=colour, weight="bold")
    fig.text(0.66, 0.1, f"selected: {name(selected)}", fontsize=10.5, weight="bold")
    return fig


def _alt(mismatch_1: float, deployed: float) -> str:
    bars, test, selected = _frame_data(mismatch_1, deployed)
    cs, c = bars["{C, S}"], bars["{C}"]
    passing = ", ".join(name(s) for s in test.accepted) or "none"
    extra = "".join(
        f" The selected predictor on {p} has {v['E=0']:.2f}, {v['E=1']:.2f}, {v['E=2']:.2f}."
        for p, v in bars.items() if p not in ("{C, S}", "{C}")
    )
    return (
        f"Bar chart of the risk in hospitals 0, 1 and 2 for scanner mismatch {TRAINING_MISMATCH[0]:.2f} and "
        f"{mismatch_1:.2f} in the training hospitals and {deployed:.2f} in the deployment hospital: the predictor "
        f"on C and S has risks {cs['E=0']:.2f}, {cs['E=1']:.2f}, {cs['E=2']:.2f}; the predictor on C has "
        f"{c['E=0']:.2f}, {c['E=1']:.2f}, {c['E=2']:.2f}.{extra} Subsets passing the invariance test: {passing}; "
        f"selected: {name(selected)}."
    )


EXPLORER_MISMATCH_1 = (0.05, 0.15, 0.25, 0.35)
EXPLORER_DEPLOYED = (0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95)


def hospital_explorer() -> Explorer:
    """The chapter's explorer: the training hospitals' disagreement and the deployment hospital's mismatch."""
    return Explorer(
        _frame,
        [
            Slider("mismatch_1", EXPLORER_MISMATCH_1, label="scanner mismatch in training hospital 1",
                   default=0.25, fmt="{:.2f}"),
            Slider("deployed", EXPLORER_DEPLOYED, label="scanner mismatch in the deployment hospital",
                   default=0.8, fmt="{:.2f}"),
        ],
        title="Risk per hospital and the invariance test",
        alt=_alt,
        dpi=90,
    )
