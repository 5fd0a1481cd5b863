"""Chapter 3: fairness against accuracy in the hiring model.

The four predictors the chapter compares (:func:`hiring_predictors`), their
ledger of accuracy and fairness numbers (:func:`predictor_table`), the
trade-off figure with the exact frontiers (:func:`tradeoff_figure`), the
per-group error rates behind the impossibility result (:func:`group_table`),
and the chapter's explorer (:func:`hiring_explorer`).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import lru_cache
from typing import Literal

import numpy as np
import pandas as pd

from book import metrics
from book.models.hiring import ALLOWED, FEATURES, UNFAIR, hiring, unfair_edges
from book.objectives import fairness, ledger
from book.predictors import AnyPredictor, Predictor, attach, bayes_optimal, on_features
from book.scm import DiscreteSCM, Edge
from book.viz import PALETTE, Explorer, Figure, Slider, new_figure

__all__ = [
    "ALLOWED",
    "FEATURES",
    "FRONTIERS",
    "NAMES",
    "UNFAIR",
    "decision_table",
    "frontier_curves",
    "group_table",
    "hiring",
    "hiring_explorer",
    "hiring_predictors",
    "predictor_table",
    "tradeoff_alt",
    "tradeoff_figure",
    "unfair_edges",
]

NAMES = ("unconstrained", "unaware", "selective", "counterfactually fair")
#: The three frontiers: the constraint each one tightens, and how the figure names it.
FRONTIERS = {
    "path-specific": "bound on the unfair-path gap",
    "counterfactual": "bound on the total counterfactual gap",
    "demographic parity": "bound on the demographic parity difference",
}


def hiring_predictors(model: DiscreteSCM, unfair: Sequence[Edge] = UNFAIR) -> dict[str, Predictor]:
    """The chapter's four predictors of the historical label ``Y``.

    * unconstrained: Bayes-optimal on ``A, Q, P``;
    * unaware: Bayes-optimal on ``Q, P`` (fairness through unawareness);
    * selective: the most accurate predictor on ``A, Q, P`` whose decision never
      changes when ``A`` is switched along the ``unfair`` edges
      (:func:`book.objectives.fairness.invariant_predictor`);
    * counterfactually fair: the same with every edge out of ``A`` unfair.

    Examples
    --------
    >>> hs = hiring_predictors(hiring())
    >>> hs["selective"](A=1, Q=0, P=1), hs["unconstrained"](A=1, Q=0, P=1)
    (0, 1)
    """
    return {
        "unconstrained": bayes_optimal(model, "Y", FEATURES),
        "unaware": bayes_optimal(model, "Y", ("Q", "P")),
        "selective": fairness.invariant_predictor(model, "Y", FEATURES, "A", unfair),
        "counterfactually fair": fairness.invariant_predictor(
            model, "Y", FEATURES, "A", fairness.edges_out_of(model, "A")
        ),
    }


def decision_table(predictors: dict[str, Predictor]) -> pd.DataFrame:
    """Each predictor's decision for every applicant profile ``(A, Q, P)``, one column per predictor.

    Examples
    --------
    >>> decision_table(hiring_predictors(hiring())).loc[(1, 0, 0)].tolist()
    [1, 0, 0, 1]
    """
    rows = {}
    for cell in itertools.product((0, 1), repeat=len(FEATURES)):
        values = dict(zip(FEATURES, cell, strict=True))
        rows[cell] = {name: h(**{f: values[f] for f in h.features}) for name, h in predictors.items()}
    table = pd.DataFrame(rows).T
    table.index.names = list(FEATURES)
    return table


def predictor_table(model: DiscreteSCM, unfair: Sequence[Edge] = UNFAIR) -> pd.DataFrame:
    """Accuracy (against ``Y`` and ``Yfair``) and fairness numbers of the four predictors, exactly.

    Columns: accuracy against the historical and the fair-world label, the
    unfair-path gap (:func:`book.objectives.ledger.path_specific_fairness`), the total
    counterfactual gap (:func:`book.objectives.ledger.counterfactual_fairness`), and
    the demographic parity and equalised odds differences
    (:mod:`book.metrics`, fairlearn's definitions, on the exact population).
    """
    rows = {}
    for name, h in hiring_predictors(model, unfair).items():
        m = attach(model, "Yhat", h)
        cols, w = metrics.population_arrays(m, ["Y", "Yhat", "A"])
        group = {"sensitive_features": cols["A"], "sample_weight": w}
        rows[name] = {
            "accuracy (Y)": metrics.accuracy(m, "Yhat", "Y"),
            "accuracy (Yfair)": metrics.accuracy(m, "Yhat", "Yfair"),
            "unfair-path gap": ledger.path_specific_fairness(m, "Yhat", "A", unfair).gap,
            "counterfactual gap": ledger.counterfactual_fairness(m, "Yhat", "A").gap,
            "demographic parity diff.": metrics.demographic_parity_difference(cols["Y"], cols["Yhat"], **group),
            "equalized odds diff.": metrics.equalized_odds_difference(cols["Y"], cols["Yhat"], **group),
        }
    return pd.DataFrame(rows).T.round(3)


def group_table(model: DiscreteSCM, predictor: Predictor, label: str = "Y") -> pd.DataFrame:
    """Per group: base rate, PPV, FNR, FPR, and the FPR the Chouldechova identity predicts from the first three."""
    rates = fairness.group_rates(attach(model, "Yhat", predictor), "Yhat", label, "A")
    return pd.DataFrame(
        {
            f"A = {a}": {
                "base rate p": r.base_rate,
                "PPV": r.ppv,
                "FNR": r.fnr,
                "FPR": r.fpr,
                "FPR from identity": fairness.chouldechova_fpr(r.base_rate, r.ppv, r.fnr),
            }
            for a, r in rates.items()
        }
    ).round(3)


def frontier_curves(
    model: DiscreteSCM, unfair: Sequence[Edge] = UNFAIR, *, kinds: Sequence[fairness.Constraint] = tuple(FRONTIERS),
    n: int = 8,
) -> dict[str, list[tuple[float, float, float]]]:
    """Each frontier as ``(unfair-path gap, accuracy against Y, accuracy against Yfair)`` points.

    The bounds run over ``n`` values from 0 to the constrained quantity of the
    unconstrained predictor (beyond it the bound no longer binds).
    """
    top = bayes_optimal(model, "Y", FEATURES)
    coupling = fairness.switch_coupling(model, FEATURES, "A", unfair)
    out = {}
    for kind in kinds:
        if kind == "demographic parity":
            loosest = fairness.parity_difference(model, top, "A")
        else:
            edges = unfair if kind == "path-specific" else fairness.edges_out_of(model, "A")
            loosest = fairness.decision_change(top, fairness.switch_coupling(model, FEATURES, "A", edges))
        points = fairness.fairness_frontier(
            model, "Y", FEATURES, "A", np.linspace(0.0, loosest, n), constraint=kind, unfair_edges=unfair
        )
        out[kind] = [
            (fairness.decision_change(p.predictor, coupling), p["accuracy"],
             fairness.accuracy_against(model, p.predictor, "Yfair"))
            for p in points
        ]
    return out


def _named_points(model: DiscreteSCM, unfair: Sequence[Edge]) -> dict[str, tuple[float, float, float]]:
    # The same numbers as predictor_table, through the coupling (one exact query for all four).
    coupling = fairness.switch_coupling(model, FEATURES, "A", unfair)
    out = {}
    for name, h in hiring_predictors(model, unfair).items():
        wide: AnyPredictor = on_features(h, FEATURES, {f: model.states(f) for f in FEATURES})
        out[name] = (
            fairness.decision_change(wide, coupling),
            fairness.accuracy_against(model, wide, "Y"),
            fairness.accuracy_against(model, wide, "Yfair"),
        )
    return out


_STYLE = {
    "path-specific": (PALETTE["blue"], "-"),
    "counterfactual": (PALETTE["orange"], "--"),
    "demographic parity": (PALETTE["purple"], ":"),
}
_MARKERS = {"unconstrained": "s", "unaware": "D", "selective": "o", "counterfactually fair": "^"}


def tradeoff_figure(
    model: DiscreteSCM,
    unfair: Sequence[Edge] = UNFAIR,
    *,
    kinds: Sequence[fairness.Constraint] = tuple(FRONTIERS),
    width: float = 8.0,
    height: float = 4.0,
    legend: bool = True,
) -> Figure:
    """Accuracy against the unfair-path gap: the frontiers and the four predictors.

    Left panel: accuracy against the recorded (historical) label ``Y``; right panel:
    against the fair-world label ``Yfair``. Each line is the best accuracy of
    any randomised predictor on ``A, Q, P`` as one fairness bound tightens,
    drawn at the unfair-path gap its solutions reach; the markers are the
    four predictors of :func:`hiring_predictors`, numbered 1-4.
    """
    curves = frontier_curves(model, unfair, kinds=kinds)
    named = _named_points(model, unfair)
    fig, axes = new_figure(width, height, ncols=2)
    for ax, col, title in zip(axes, (1, 2), ("against the recorded label Y", "against the fair-world label Yfair"),
                              strict=True):
        for kind, pts in curves.items():
            colour, style = _STYLE[kind]
            ax.plot([p[0] for p in pts], [p[col] for p in pts], style, color=colour, lw=1.8,
                    marker=".", ms=5, label=FRONTIERS[kind])
        for k, (name, pt) in enumerate(named.items(), start=1):
            ax.scatter(pt[0], pt[col], s=70, marker=_MARKERS[name], color=PALETTE["black"], zorder=4,
                       label=f"{k} {name}")
            ax.annotate(str(k), (pt[0], pt[col]), textcoords="offset points", xytext=(6, 4), fontsize=9,
                        fontweight="bold")
        ax.set_title(f"accuracy {title}", fontsize=10)
        ax.set_xlabel("unfair-path gap P(decision changes)")
        ax.set_ylabel("accuracy")
        ax.grid(alpha=0.3)
        ax.set_xlim(-0.03, max(0.3, max(p[0] for p in named.values()) + 0.08))
    ys = [p[c] for c in (1, 2) for p in named.values()]
    ys += [p[c] for pts in curves.values() for p in pts for c in (1, 2)]
    for ax in axes:
        ax.set_ylim(min(ys) - 0.03, max(ys) + 0.03)
    if legend:
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=8.5, frameon=False)
        fig.tight_layout(rect=(0, 0.17, 1, 1))
    else:
        fig.tight_layout()
    return fig


def tradeoff_alt(model: DiscreteSCM, unfair: Sequence[Edge] = UNFAIR) -> str:
    """Alt text for :func:`tradeoff_figure`, generated from the same numbers."""
    named = _named_points(model, unfair)
    parts = [f"{k} {name}: gap {g:.3f}, accuracy {a:.3f} against Y and {f:.3f} against Yfair"
             for k, (name, (g, a, f)) in enumerate(named.items(), start=1)]
    return ("Two panels plotting accuracy (left against the historical label Y, right against the fair-world label "
            "Yfair) against the unfair-path gap, with the exact frontiers of all randomised predictors under a bound "
            "on the unfair-path gap, on the total counterfactual gap and on demographic parity. " + "; ".join(parts)
            + ".")


@lru_cache(maxsize=64)  # the frame and its alt text need the same numbers: compute them once
def _explorer_numbers(
    qualification_gap: float, proxy_strength: float, label_bias: float, a_to_q: Literal["allowed", "unfair"]
) -> tuple[dict[str, tuple[float, float, float]], list[tuple[float, float, float]]]:
    model = hiring(qualification_gap=qualification_gap, proxy_strength=proxy_strength, label_bias=label_bias)
    unfair = unfair_edges(a_to_q)
    return _named_points(model, unfair), frontier_curves(model, unfair, kinds=("path-specific",), n=5)["path-specific"]


def _frame(qualification_gap: float, proxy_strength: float, label_bias: float, a_to_q: str) -> Figure:
    named, curve = _explorer_numbers(qualification_gap, proxy_strength, label_bias, a_to_q)
    fig, ax = new_figure(5.6, 3.3)
    # A lean frame (one panel, few artists): 24 of them are rendered when the chapter runs.
    ax.plot([p[0] for p in curve], [p[1] for p in curve], "-", color=PALETTE["blue"], lw=1.6,
            label="frontier (Y)")
    ax.plot([p[0] for p in curve], [p[2] for p in curve], "--", color=PALETTE["green"], lw=1.6,
            label="frontier (Yfair)")
    for k, (name, (g, a, f)) in enumerate(named.items(), start=1):
        ax.plot([g, g], [a, f], color=PALETTE["grey"], lw=0.8)
        ax.scatter([g], [a], s=45, marker=_MARKERS[name], color=PALETTE["blue"], zorder=3)
        ax.scatter([g], [f], s=45, marker=_MARKERS[name], facecolors="white", edgecolors=PALETTE["green"],
                   zorder=3)
        ax.annotate(str(k), (g, max(a, f)), textcoords="offset points", xytext=(5, 3), fontsize=9, fontweight="bold")
    ax.set_xlim(-0.03, 0.65)
    ax.set_ylim(0.45, 0.95)
    ax.set_xlabel("unfair-path gap P(decision changes)")
    ax.set_ylabel("accuracy: filled Y, hollow Yfair", fontsize=9)
    ax.set_xticks([0.0, 0.2, 0.4, 0.6])
    ax.set_yticks([0.5, 0.6, 0.7, 0.8, 0.9])
    ax.legend(loc="upper right", fontsize=8, frameon=False)
    key = "  ".join(f"{k} {name}" for k, name in enumerate(named, start=1))
    ax.set_title(key, fontsize=8.5)
    fig.subplots_adjust(left=0.13, right=0.97, bottom=0.15, top=0.9)  # fixed margins: tight_layout is slow
    return fig


def _alt(qualification_gap: float, proxy_strength: float, label_bias: float, a_to_q: str) -> str:
    named, _ = _explorer_numbers(qualification_gap, proxy_strength, label_bias, a_to_q)
    parts = [f"{name} gap {g:.2f}, accuracy {a:.3f} (Y) and {f:.3f} (Yfair)" for name, (g, a, f) in named.items()]
    return (f"Accuracy against the unfair-path gap for A->Q strength {qualification_gap}, A->P strength "
            f"{proxy_strength}, A->Y strength {label_bias}, A->Q {a_to_q}: " + "; ".join(parts) + ".")


def hiring_explorer() -> Explorer:
    """Chapter 3's explorer: the strengths of A -> Q, A -> P, A -> Y and the label of A -> Q."""
    return Explorer(
        _frame,
        [
            Slider("qualification_gap", (0.0, 0.3), label="A → Q strength", default=0.3, fmt="{:.1f}"),
            Slider("proxy_strength", (0.0, 0.8), label="A → P strength", default=0.8, fmt="{:.1f}"),
            Slider("label_bias", (0.0, 0.5), label="A → Y strength (label bias)", default=0.5, fmt="{:.1f}"),
            Slider("a_to_q", ("allowed", "unfair"), label="A → Q is", default="allowed"),
        ],
        title="Fairness against accuracy in the hiring model",
        alt=_alt,
        dpi=72,
    )
