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

import inspect
import itertools
from collections.abc import Mapping, Sequence
from functools import lru_cache
from types import MappingProxyType
from typing import Any

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
    "EXPLORER_GRID",
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


#: The explorer's grid: four strengths for each edge out of ``A``, and the chapter's model as the first frame.
#: The ``A -> Y`` grid starts above 0: without label bias ``Y = Yfair``, the proxy changes no number drawn, and
#: frames that differ only in the ``A -> P`` strength would be identical. Declaring ``A -> Q`` unfair needs no
#: switch: the selective predictor then *is* the counterfactually fair one, marker 4 of every frame.
EXPLORER_GRID: Mapping[str, tuple[float, ...]] = MappingProxyType(
    {
        "qualification_gap": (0.0, 0.1, 0.2, 0.3),
        "proxy_strength": (0.0, 0.2, 0.5, 0.8),
        "label_bias": (0.25, 0.5, 0.75, 1.0),
    }
)
_EXPLORER_EDGES = {"qualification_gap": "A → Q", "proxy_strength": "A → P", "label_bias": "A → Y"}
#: Fixed axes, the same in every frame, so a slider moves the points and not the scale (a test checks every
#: point of the grid, and its label, fits).
_GAP_LIMITS = (-0.08, 0.62)
_ACCURACY_LIMITS = (0.4, 1.0)
_COINCIDE = 5e-4  # half a unit of the printed third decimal
_MARKER_SIZE = 36  # points squared: a 6 pt disc
_LABEL_SIZE = 9  # points
#: Where a marker's label may go, in order of preference: (dx, dy) in points and the text's alignment.
_LABEL_OFFSETS = ((5, 2, "left", "bottom"), (5, -2, "left", "top"), (-5, 2, "right", "bottom"),
                  (-5, -2, "right", "top"), (5, 8, "left", "bottom"), (-5, 8, "right", "bottom"))


_Point = tuple[float, float, float]  # (unfair-path gap, accuracy against Y, accuracy against Yfair)
_Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in display units


@lru_cache(maxsize=128)  # the frame and its alt text need the same numbers: compute them once
def _explorer_numbers(
    qualification_gap: float, proxy_strength: float, label_bias: float
) -> tuple[dict[str, _Point], list[_Point]]:
    # The four predictors as (unfair-path gap, accuracy against Y, against Yfair) and the path-specific frontier.
    model = hiring(qualification_gap=qualification_gap, proxy_strength=proxy_strength, label_bias=label_bias)
    return _named_points(model, UNFAIR), frontier_curves(model, UNFAIR, kinds=("path-specific",), n=5)["path-specific"]


def _coincident(named: dict[str, _Point]) -> list[tuple[tuple[int, ...], _Point]]:
    # The predictors, numbered from 1, grouped where they coincide at the printed precision (every coordinate
    # within half a unit of the third decimal of the group's first point): a group is drawn and labelled once
    # ("3, 4"), and the alt text says they coincide.
    groups: list[tuple[list[int], _Point]] = []
    for k, point in enumerate(named.values(), start=1):
        for members, first in groups:
            if all(abs(u - v) <= _COINCIDE for u, v in zip(point, first, strict=True)):
                members.append(k)
                break
        else:
            groups.append(([k], point))
    return [(tuple(members), first) for members, first in groups]


def _explorer_settings(qualification_gap: float, proxy_strength: float, label_bias: float) -> str:
    values = {"qualification_gap": qualification_gap, "proxy_strength": proxy_strength, "label_bias": label_bias}
    return ", ".join(f"{_EXPLORER_EDGES[name]} {v:g}" for name, v in values.items())


def _label_box(ax: Any, anchor: tuple[float, float], text: str, offset: tuple[float, float, str, str]) -> _Box:
    # The label's box in display units, from its anchor in data units and its offset in points
    # (DejaVu Sans digits are 0.64 em wide; no renderer needed, so no draw before saving).
    scale = ax.figure.dpi / 72
    x, y = ax.transData.transform(anchor)
    dx, dy, ha, va = offset
    width, height = 0.64 * _LABEL_SIZE * len(text) * scale, _LABEL_SIZE * scale
    x0 = x + dx * scale - (width if ha == "right" else 0.0)
    y0 = y + dy * scale - (height if va == "top" else 0.0)
    return (x0, y0, x0 + width, y0 + height)


def _place_labels(ax: Any, groups: list[tuple[tuple[int, ...], _Point]],
                  markers: list[tuple[float, float]]) -> list[tuple[str, tuple[float, float], int]]:
    """Each group's label, its anchor (the top of its marker pair) and the chosen offset (an index of
    :data:`_LABEL_OFFSETS`): the first offset whose box stays inside the axes and clears every marker and every
    label placed before it; if none does, the one that overlaps least."""
    radius = np.sqrt(_MARKER_SIZE * 1.3) / 2 * ax.figure.dpi / 72  # the larger (filled) disc
    discs = [(x - radius, y - radius, x + radius, y + radius)
             for x, y in (ax.transData.transform(m) for m in markers)]
    inside = tuple(ax.bbox.extents)
    placed: list[_Box] = []
    out = []
    for ks, (g, a, f) in groups:
        text, anchor = ", ".join(map(str, ks)), (g, max(a, f))
        costs = []
        for j, offset in enumerate(_LABEL_OFFSETS):
            box = _label_box(ax, anchor, text, offset)
            overlap = sum(_overlap(box, other) for other in (*discs, *placed))
            outside = _overlap(box, box) - _overlap(box, inside)
            costs.append((overlap + 10 * outside, j, box))
        _, j, box = min(costs, key=lambda c: (c[0], c[1]))
        placed.append(box)
        out.append((text, anchor, j))
    return out


def _overlap(a: _Box, b: _Box) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return max(width, 0.0) * max(height, 0.0)


def _distinct(markers: list[tuple[float, float]]) -> list[tuple[float, float]]:
    # Markers of different predictors at the same place (at the printed precision) are drawn once.
    out: list[tuple[float, float]] = []
    for m in markers:
        if not any(abs(m[0] - o[0]) <= _COINCIDE and abs(m[1] - o[1]) <= _COINCIDE for o in out):
            out.append(m)
    return out


def _frame(qualification_gap: float, proxy_strength: float, label_bias: float) -> Figure:
    named, curve = _explorer_numbers(qualification_gap, proxy_strength, label_bias)
    groups = _coincident(named)
    fig, ax = new_figure(4.8, 3.4)
    # A lean frame (one panel, few artists, fixed margins: tight_layout is slow): 64 are rendered per run.
    fig.subplots_adjust(left=0.14, right=0.97, bottom=0.22, top=0.83)
    ax.set_xlim(*_GAP_LIMITS)
    ax.set_ylim(*_ACCURACY_LIMITS)
    for col, colour, style in ((1, PALETTE["blue"], "-"), (2, PALETTE["green"], "--")):
        ax.plot([p[0] for p in curve], [p[col] for p in curve], style, color=colour, lw=1.5)
    filled = _distinct([(g, a) for _, (g, a, _) in groups])
    hollow = _distinct([(g, f) for _, (g, _, f) in groups])
    for _, (g, a, f) in groups:
        ax.plot([g, g], [a, f], color=PALETTE["grey"], lw=0.8)
    # a white rim keeps two nearly coinciding discs apart (they still differ at the printed precision)
    ax.scatter(*zip(*filled, strict=True), s=_MARKER_SIZE * 1.3, color=PALETTE["blue"], edgecolors="white",
               linewidths=0.8, zorder=3)
    ax.scatter(*zip(*hollow, strict=True), s=_MARKER_SIZE, facecolors="white", edgecolors=PALETTE["green"],
               linewidths=1.3, zorder=3)
    for text, anchor, j in _place_labels(ax, groups, filled + hollow):
        dx, dy, ha, va = _LABEL_OFFSETS[j]
        ax.annotate(text, anchor, textcoords="offset points", xytext=(dx, dy), ha=ha, va=va,
                    fontsize=_LABEL_SIZE, fontweight="bold")
    ax.set_xlabel("unfair-path gap P(decision changes)", fontsize=9)
    ax.set_ylabel("accuracy (lines: frontier)", fontsize=9)
    ax.set_xticks([0.0, 0.2, 0.4, 0.6])
    ax.set_yticks([0.4, 0.6, 0.8, 1.0])
    ax.tick_params(labelsize=8)
    fig.text(0.5, 0.975, _explorer_settings(qualification_gap, proxy_strength, label_bias), ha="center",
             va="top", fontsize=10, fontweight="bold")
    fig.text(0.5, 0.905, "  ".join(f"{k} {name}" for k, name in enumerate(named, start=1)), ha="center",
             va="top", fontsize=8)
    # The key to the two series as coloured text (a legend costs a fifth of the frame's drawing time).
    for x, ha, colour, text in ((0.5, "right", PALETTE["blue"], "● —— against Y"),
                                (0.54, "left", PALETTE["green"], "○ - - against Yfair")):
        fig.text(x, 0.015, text, ha=ha, va="bottom", fontsize=8.5, color=colour)
    # Text without anti-aliasing (crisp at this size, hinted glyphs): anti-aliased glyphs cost over half of the
    # PNG's bytes, and 64 frames must fit one page of about 1 MB.
    for text in fig.findobj(lambda artist: hasattr(artist, "get_text") and hasattr(artist, "set_antialiased")):
        text.set_antialiased(False)
    return fig


def _alt(qualification_gap: float, proxy_strength: float, label_bias: float) -> str:
    named, curve = _explorer_numbers(qualification_gap, proxy_strength, label_bias)
    names = list(named)
    parts = []
    for ks, (g, a, f) in _coincident(named):
        who = " and ".join(f"{k} {names[k - 1]}" for k in ks)
        parts.append(f"{who}{' coincide' if len(ks) > 1 else ''}: gap {g:.3f}, accuracy {a:.3f} (Y) and {f:.3f} "
                     "(Yfair)")
    (g0, a0, f0), (g1, a1, f1) = curve[0], curve[-1]
    return (f"Accuracy against the unfair-path gap, for the strengths "
            f"{_explorer_settings(qualification_gap, proxy_strength, label_bias)}. The path-specific frontier runs "
            f"from gap {g0:.3f}, accuracy {a0:.3f} (Y) and {f0:.3f} (Yfair), to gap {g1:.3f}, accuracy {a1:.3f} (Y) "
            f"and {f1:.3f} (Yfair). " + "; ".join(parts) + ".")


def hiring_explorer() -> Explorer:
    """Chapter 3's explorer: the strengths of ``A -> Q``, ``A -> P`` and ``A -> Y``, four values each.

    Every frame plots the four predictors of :func:`hiring_predictors` (numbered 1-4; predictors that coincide
    are drawn and labelled once, e.g. ``3, 4``) and the path-specific frontier, against ``Y`` and ``Yfair``,
    at the unfair-path gap; its title states the three strengths. The grid is :data:`EXPLORER_GRID` (64
    frames); the default frame is the chapter's model, :func:`book.models.hiring` with its defaults.

    Examples
    --------
    >>> ex = hiring_explorer()
    >>> ex.n_frames, [len(s.values) for s in ex.sliders]
    (64, [4, 4, 4])
    """
    chapter_model = inspect.signature(hiring).parameters  # the default frame: the chapter's model
    return Explorer(
        _frame,
        [
            Slider(name, values, label=f"{_EXPLORER_EDGES[name]} strength", default=chapter_model[name].default,
                   fmt="{:g}")
            for name, values in EXPLORER_GRID.items()
        ],
        title="Fairness against accuracy in the hiring model",
        alt=_alt,
        dpi=80,
    )
