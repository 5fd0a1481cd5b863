"""Chapter 4: the screening model across hospitals, its tables, figures and explorer.

Builds the environment families of :func:`book.scms.hospitals` and
:func:`book.scms.hospitals_reversed` and puts the measurements of
:mod:`book.environments` into the chapter's tables and figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import pandas as pd
from matplotlib.figure import Figure

from book import environments as env
from book.environments import Environments, InvarianceTest
from book.plots import PALETTE, new_figure
from book.scms import hospitals, hospitals_reversed
from book.widgets import Explorer, Slider

FEATURES = ("C", "S")
SUBSETS: tuple[tuple[str, ...], ...] = (("C", "S"), ("C",), ("S",), ())
TRAINING_MISMATCH = (0.05, 0.25)
DEPLOYED = "E=2"


def name(features: Sequence[str]) -> str:
    """``"{C, S}"``, or ``"∅"`` (the constant predictor) for no features."""
    return "{" + ", ".join(features) + "}" if features else "∅"


def family(
    *, training: tuple[float, float] = TRAINING_MISMATCH, deployed: float = 0.8
) -> Environments:
    """Hospitals 0 and 1 (training, equal weights) and hospital 2 (deployment) with their scanner mismatches.

    Examples
    --------
    >>> family()
    Environments of 'Y': ['E=0', 'E=1', 'E=2']; training: E=0 (0.50), E=1 (0.50)
    """
    return Environments.from_variable(hospitals(mismatch=(*training, deployed)), "E", "Y")


def reversed_family(*, exposure: tuple[float, float, float] = (0.2, 0.6, 0.05)) -> Environments:
    """The same hospitals when ``S`` causes ``Y`` (an exposure) and the hospital sets ``P(S)``."""
    return Environments.from_variable(hospitals_reversed(exposure=exposure), "E", "Y")


def risk_table(fam: Environments, subsets: Sequence[Sequence[str]] = SUBSETS) -> pd.DataFrame:
    """Training-optimal predictor on each subset: risk in training, in each hospital, and the worst."""
    rows = []
    for subset in subsets:
        h = env.optimal_predictor(fam, subset)
        per = env.risks(fam, h)
        rows.append({"predictor": name(subset), "training": env.risk(fam, h), **per, "worst": max(per.values())})
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
    return env.risk(fam, env.optimal_predictor(fam, features), DEPLOYED)


def crossing_mismatch(*, training: tuple[float, float] = TRAINING_MISMATCH) -> float:
    """The deployment mismatch at which the predictor on (C, S) becomes worse than the one on C."""
    return env.crossing(
        lambda q: deployed_risk(FEATURES, q, training=training),
        lambda q: deployed_risk(("C",), q, training=training),
        0.0, 1.0, tolerance=1e-7,
    )


def frontier_figure(fam: Environments, points: Sequence[env.FrontierPoint]) -> Figure:
    """In-distribution accuracy against worst-hospital accuracy: the exact frontier and every subset."""
    fig, ax = new_figure(6.4, 4.2)
    xs = [1 - p.worst_risk for p in points]
    ys = [1 - p.training_risk for p in points]
    ax.plot(xs, ys, color=PALETTE["grey"], lw=2, zorder=1, label="frontier: best randomised predictors on (C, S)")
    ax.scatter(xs, ys, color=PALETTE["grey"], s=14, zorder=2)
    offsets = {("C", "S"): (-8, 8, "right"), ("C",): (8, -14, "left"), ("S",): (8, 6, "left"), (): (8, 6, "left")}
    for subset in SUBSETS:
        h = env.optimal_predictor(fam, subset)
        x, y = 1 - env.worst_risk(fam, h)[1], 1 - env.risk(fam, h)
        invariant = env.conditional_invariance(fam, subset).holds
        ax.scatter(x, y, s=60, zorder=3, marker="o" if invariant else "s",
                   color=PALETTE["blue"] if invariant else PALETTE["vermillion"])
        dx, dy, ha = offsets[subset]
        ax.annotate(name(subset), (x, y), textcoords="offset points", xytext=(dx, dy),
                    ha=ha, fontsize=9, color=PALETTE["black"])
    c = env.optimal_predictor(fam, ("C",))
    ax.scatter(1 - env.worst_risk(fam, c)[1], 1 - env.risk(fam, c), s=260, facecolors="none",
               edgecolors=PALETTE["orange"], linewidths=2.2, zorder=4, label="selected by the invariance test")
    ax.set_xlabel("worst-hospital accuracy (higher = more robust)")
    ax.set_ylabel("in-distribution accuracy")
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(0.5, 0.95)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=8.5, frameon=True)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------- explorer
@lru_cache(maxsize=64)  # a frame and its alt text need the same numbers
def _frame_data(mismatch_1: float, deployed: float) -> tuple[dict[str, dict[str, float]], InvarianceTest, tuple]:
    fam = family(training=(TRAINING_MISMATCH[0], mismatch_1), deployed=deployed)
    test = env.invariance_test(fam, FEATURES)
    selected = env.select_invariant(fam, test)
    shown = [("C", "S"), ("C",)] + ([selected] if selected not in (("C", "S"), ("C",)) else [])
    bars = {name(s): env.risks(fam, env.optimal_predictor(fam, s)) for s in shown}
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
