"""Chapter 3: fairness against accuracy in the hiring model.

The four predictors the chapter compares (:func:`hiring_predictors`), their
ledger of accuracy and fairness numbers (:func:`predictor_table`), the classes
of profiles a switch of ``A`` connects (:func:`profile_classes`),
counterfactually fair predictors built from the background
(:func:`background_predictors`, :func:`background_table`), the decomposition
of each disparity into direct, indirect and spurious effects
(:func:`decomposition_table`), the trade-off figure with the exact frontiers
(:func:`tradeoff_figure`), what a fresh lottery draw would do to the gaps
(:func:`lottery_table`), the per-group error rates behind the impossibility
results (:func:`group_table`), and the chapter's explorer
(:func:`hiring_explorer`).
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
from book.predictors import AnyPredictor, Predictor, attach, bayes_optimal, mixture, on_features
from book.scm import DiscreteSCM, Edge
from book.viz import PALETTE, Explorer, Figure, Slider, new_figure

__all__ = [
    "ALLOWED",
    "BACKGROUND",
    "FEATURES",
    "FRONTIERS",
    "NAMES",
    "RECORD_BACKGROUND",
    "UNFAIR",
    "background_predictors",
    "background_table",
    "decision_table",
    "decomposition_table",
    "frontier_curves",
    "group_table",
    "hiring",
    "hiring_explorer",
    "hiring_predictors",
    "lottery_table",
    "predictor_table",
    "profile_classes",
    "tradeoff_alt",
    "tradeoff_figure",
    "unfair_edges",
]

NAMES = ("unconstrained", "unaware", "selective", "counterfactually fair")
#: The qualification an applicant has whatever the group: the background of Kusner et al.'s predictor.
BACKGROUND = ("U_Q",)
#: All the background noise the record (A, Q, P) carries information about, none of it caused by A.
RECORD_BACKGROUND = ("U_Q", "U_AQ", "U_PA", "U_P")
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
    rows = {name: _row(model, h, unfair) for name, h in hiring_predictors(model, unfair).items()}
    return pd.DataFrame(rows).T.round(3) + 0.0  # + 0.0 turns a rounded -0.0 into 0.0


def _row(model: DiscreteSCM, h: Predictor, unfair: Sequence[Edge]) -> dict[str, float]:
    m = attach(model, "Yhat", h)
    cols, w = metrics.population_arrays(m, ["Y", "Yhat", "A"])
    group = {"sensitive_features": cols["A"], "sample_weight": w}
    return {
        "accuracy (Y)": metrics.accuracy(m, "Yhat", "Y"),
        "accuracy (Yfair)": metrics.accuracy(m, "Yhat", "Yfair"),
        "unfair-path gap": ledger.path_specific_fairness(m, "Yhat", "A", unfair).gap,
        "counterfactual gap": ledger.counterfactual_fairness(m, "Yhat", "A").gap,
        "demographic parity diff.": metrics.demographic_parity_difference(cols["Y"], cols["Yhat"], **group),
        "equalized odds diff.": metrics.equalized_odds_difference(cols["Y"], cols["Yhat"], **group),
    }


def profile_classes(model: DiscreteSCM, edges: Sequence[Edge]) -> list[str]:
    """The classes of profiles ``(A, Q, P)`` that switching ``A`` along ``edges`` connects, as text.

    Each class lists its profiles as ``AQP`` digit strings
    (:func:`book.objectives.fairness.switch_classes`).

    Examples
    --------
    >>> profile_classes(hiring(), UNFAIR)
    ['000 001 100 101', '010 011 110 111']
    """
    classes = fairness.switch_classes(model, FEATURES, "A", edges)
    return [" ".join("".join(str(v) for v in profile) for profile in members) for members in classes]


def background_predictors(model: DiscreteSCM) -> dict[str, Predictor]:
    """Kusner et al.'s counterfactually fair predictors of ``Y``, from background noise ``A`` does not cause.

    * ``"background U_Q"``: the best predictor reading :data:`BACKGROUND`;
    * ``"all background"``: the best predictor reading :data:`RECORD_BACKGROUND`.

    Both read noise variables, not the record; run them on the record with
    :func:`book.objectives.fairness.abduce`.

    Examples
    --------
    >>> background_predictors(hiring())["background U_Q"].table  # hire exactly when U_Q = 1
    {(0,): 0, (1,): 1}
    """
    return {
        "background U_Q": fairness.background_predictor(model, "Y", BACKGROUND, "A"),
        "all background": fairness.background_predictor(model, "Y", RECORD_BACKGROUND, "A"),
    }


def background_table(model: DiscreteSCM, unfair: Sequence[Edge] = UNFAIR) -> pd.DataFrame:
    """Accuracy and fairness of :func:`background_predictors`, and their gap when re-inferred.

    Columns: accuracy against ``Y`` and ``Yfair``, the counterfactual gap and
    the demographic parity difference (as in :func:`predictor_table`), and the
    counterfactual gap of the abduced predictor
    (:func:`book.objectives.fairness.abduce`) read as a rule that re-infers the
    background from the *switched* record, with one lottery ticket per unit.
    """
    rows = {}
    total = fairness.switch_coupling(model, FEATURES, "A", fairness.edges_out_of(model, "A"))
    keep = ("accuracy (Y)", "accuracy (Yfair)", "counterfactual gap", "demographic parity diff.")
    for name, g in background_predictors(model).items():
        row = _row(model, g, unfair)
        rows[name] = {**{k: row[k] for k in keep},
                      "counterfactual gap, re-inferred": fairness.decision_change(fairness.abduce(model, g, FEATURES),
                                                                                  total)}
    return pd.DataFrame(rows).T.round(3) + 0.0


def decomposition_table(model: DiscreteSCM, unfair: Sequence[Edge] = UNFAIR) -> pd.DataFrame:
    """Plečko and Bareinboim's decomposition of each disparity, for the recorded label and the four predictors.

    Columns: ``TV``, ``Ctf-DE``, ``Ctf-IE``, ``Ctf-SE``
    (:func:`book.objectives.fairness.causal_decomposition`, group 0 as
    :math:`x_0`) and ``DE - IE - SE``, which equals ``TV`` by construction.

    Examples
    --------
    >>> decomposition_table(hiring()).loc["selective"].tolist()
    [0.18, 0.0, -0.18, 0.0, 0.18]
    """
    parts = {"recorded label Y": fairness.causal_decomposition(model, "Y", "A")}
    for name, h in hiring_predictors(model, unfair).items():
        parts[name] = fairness.causal_decomposition(attach(model, "Yhat", h), "Yhat", "A")
    rows = {
        name: {"TV": d.tv, "Ctf-DE": d.de, "Ctf-IE": d.ie, "Ctf-SE": d.se, "DE - IE - SE": d.de - d.ie - d.se}
        for name, d in parts.items()
    }
    return pd.DataFrame(rows).T.round(3) + 0.0


def lottery_table(model: DiscreteSCM, unfair: Sequence[Edge] = UNFAIR) -> pd.DataFrame:
    """Four randomised predictors' gaps with one lottery ticket per unit (shared) and with fresh draws (independent).

    Rows: the path-specific frontier's predictor at bound 0.2, the demographic
    parity frontier's at bound 0, the counterfactual frontier's at bound 0.1,
    and a fair coin choosing between the selective and the unconstrained
    predictor (:func:`book.predictors.mixture`). Columns:
    accuracy against ``Y``, then the unfair-path and the counterfactual gap
    under each lottery (:func:`book.objectives.fairness.decision_change`).
    """
    path = fairness.switch_coupling(model, FEATURES, "A", unfair)
    total = fairness.switch_coupling(model, FEATURES, "A", fairness.edges_out_of(model, "A"))
    hs = hiring_predictors(model, unfair)

    def best(constraint: fairness.Constraint, bound: float) -> AnyPredictor:
        return fairness.fairness_frontier(model, "Y", FEATURES, "A", [bound], constraint=constraint,
                                          unfair_edges=unfair)[0].predictor

    chosen = {
        "path-specific, bound 0.2": best("path-specific", 0.2),
        "parity, bound 0": best("demographic parity", 0.0),
        "counterfactual, bound 0.1": best("counterfactual", 0.1),
        "coin: selective or unconstrained": mixture(hs["selective"], hs["unconstrained"], 0.5),
    }
    rows = {}
    for name, h in chosen.items():
        rows[name] = {"accuracy (Y)": fairness.accuracy_against(model, h, "Y")}
        for label, coupling in (("unfair-path gap", path), ("counterfactual gap", total)):
            for lottery in fairness.LOTTERIES:
                rows[name][f"{label}, {lottery}"] = fairness.decision_change(h, coupling, lottery=lottery)
    return pd.DataFrame(rows).T.round(3) + 0.0


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


def _background_point(model: DiscreteSCM, unfair: Sequence[Edge]) -> tuple[float, float, float]:
    # Kusner et al.'s predictor from U_Q: it reads the unit's background, so it sits on the same axes through
    # attach (its unfair-path gap is 0 by construction, computed here all the same).
    g = background_predictors(model)["background U_Q"]
    m = attach(model, "Yhat", g)
    return (ledger.path_specific_fairness(m, "Yhat", "A", unfair).gap, metrics.accuracy(m, "Yhat", "Y"),
            metrics.accuracy(m, "Yhat", "Yfair"))


_STYLE = {
    "path-specific": (PALETTE["blue"], "-"),
    "counterfactual": (PALETTE["orange"], "--"),
    "demographic parity": (PALETTE["purple"], ":"),
}
_MARKERS = {"unconstrained": "s", "unaware": "D", "selective": "o", "counterfactually fair": "^",
            "from the background U_Q": "v"}


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
    four predictors of :func:`hiring_predictors`, numbered 1-4, and Kusner et
    al.'s predictor from the background :math:`U_Q`, numbered 5
    (:func:`background_predictors`).
    """
    curves = frontier_curves(model, unfair, kinds=kinds)
    named = {**_named_points(model, unfair), "from the background U_Q": _background_point(model, unfair)}
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
        fig.tight_layout(rect=(0, 0.2, 1, 1))
    else:
        fig.tight_layout()
    return fig


def tradeoff_alt(model: DiscreteSCM, unfair: Sequence[Edge] = UNFAIR) -> str:
    """Alt text for :func:`tradeoff_figure`, generated from the same numbers."""
    named = {**_named_points(model, unfair), "from the background U_Q": _background_point(model, unfair)}
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
