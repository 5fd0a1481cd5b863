"""Chapter 7: fairness against robustness, a screening model deployed in other regions.

The four predictors trained in region 0 (:func:`region_predictors`), their
fairness and accuracy in every region of a family that changes one mechanism
(:func:`measures`, :func:`transfer_table`, :func:`transfer_figure`), the two
direction tasks (:func:`direction_predictors`, :func:`direction_table`), the
conflict that survives (:func:`parity_everywhere`), the frontier of accuracy
against the worst region's gap (:func:`frontier_points`,
:func:`frontier_figure`) and the explorer (:func:`region_explorer`).
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import Literal

import numpy as np
import pandas as pd

from book.models.regions import (
    ALLOWED,
    DIRECTION_FEATURES,
    DIRECTIONS,
    FEATURES,
    MECHANISMS,
    NEW_PATH,
    SIZES,
    TRAINING,
    UNFAIR,
    Direction,
    Mechanism,
    direction_family,
    region_family,
    regions,
)
from book.objectives import fairness
from book.objectives.robustness import Environments
from book.predictors import AnyPredictor, RandomizedPredictor, bayes_optimal, positive_probabilities
from book.scm import TOLERANCE, DiscreteSCM
from book.viz import PALETTE, SERIES, Explorer, Figure, Slider, new_figure

__all__ = [
    "ALLOWED",
    "DEPLOYMENT",
    "FEATURES",
    "METRICS",
    "NEW_PATH",
    "PREDICTORS",
    "SHIFTED",
    "UNFAIR",
    "deployment_regions",
    "direction_predictors",
    "direction_table",
    "face_range",
    "family",
    "frontier_alt",
    "frontier_figure",
    "frontier_points",
    "measures",
    "observationally_identical",
    "parity_everywhere",
    "postcode_blind",
    "region_explorer",
    "region_predictors",
    "regions",
    "same_policy",
    "slack_predictors",
    "transfer_alt",
    "transfer_figure",
    "transfer_table",
]

#: The predictors trained in region 0, in the order of every table and figure.
PREDICTORS: tuple[str, ...] = ("unconstrained", "parity in region 0", "equalised odds in region 0", "selective")
#: What :func:`measures` reports for each predictor in one region.
METRICS: tuple[str, ...] = ("accuracy", "parity gap", "odds gap", "unfair-path gap", "unfair-path gap with A → G")
#: The mechanisms the chapter shifts (``"label bias"`` is the target's own and is refused).
SHIFTED: tuple[str, ...] = tuple(m for m in MECHANISMS if m != "label bias")
#: The regions of the frontier: every region of the proxy and qualification-access families.
DEPLOYMENT: tuple[str, ...] = ("proxy", "qualification access")


@lru_cache(maxsize=8)
def family(mechanism: Mechanism) -> Environments:
    """:func:`book.models.regions.region_family` for ``mechanism`` with the chapter's sizes, built once."""
    return region_family(mechanism, SIZES)


@lru_cache(maxsize=1)
def _predictors() -> dict[str, AnyPredictor]:
    train = family("proxy").scm(TRAINING)
    best = fairness.fairness_frontier
    return {
        "unconstrained": bayes_optimal(train, "Y", FEATURES),
        "parity in region 0": best(train, "Y", FEATURES, "A", [0.0], constraint="demographic parity")[0].predictor,
        "equalised odds in region 0": best(train, "Y", FEATURES, "A", [0.0], constraint="equalised odds")[0].predictor,
        "selective": fairness.invariant_predictor(train, "Y", FEATURES, "A", UNFAIR),
    }


def region_predictors() -> dict[str, AnyPredictor]:
    """The four predictors of :data:`PREDICTORS`, all trained on region 0 alone.

    The Bayes-optimal one; the most accurate randomised ones with zero parity
    gap and with zero equalised-odds gap in region 0 (exact linear programmes,
    :func:`book.objectives.fairness.fairness_frontier`); and the selective one,
    the most accurate predictor whose decision never changes when ``A`` is
    switched along the declared unfair edges.

    Examples
    --------
    >>> sorted(region_predictors()) == sorted(PREDICTORS)
    True
    """
    return dict(_predictors())


@lru_cache(maxsize=64)
def _measures(mechanism: str, label: str) -> dict[str, dict[str, float]]:
    m = family(mechanism).scm(label)
    declared = fairness.switch_coupling(m, FEATURES, "A", UNFAIR)
    every = fairness.switch_coupling(m, FEATURES, "A", UNFAIR + NEW_PATH)
    out = {}
    for name, h in _predictors().items():
        out[name] = {
            "accuracy": fairness.accuracy_against(m, h, "Y"),
            "parity gap": fairness.parity_difference(m, h, "A"),
            "odds gap": fairness.odds_difference(m, h, "A", "Y"),
            "unfair-path gap": fairness.decision_change(h, declared),
            "unfair-path gap with A → G": fairness.decision_change(h, every),
        }
    return out


def measures(mechanism: Mechanism, label: str) -> dict[str, dict[str, float]]:
    """Every metric of :data:`METRICS` for every predictor in region ``label`` of ``mechanism``'s family.

    The unfair-path gap switches ``A`` along the declared edges :data:`UNFAIR`;
    the last metric also along the dormant edge ``A -> G``, which a new region
    may switch on.

    Examples
    --------
    >>> round(measures("proxy", "region 0")["parity in region 0"]["parity gap"], 3)
    0.0
    """
    family(mechanism).scm(label)  # raises ValueError for an unknown label
    return {k: dict(v) for k, v in _measures(mechanism, label).items()}


def transfer_table(mechanism: Mechanism, metric: str) -> pd.DataFrame:
    """One metric for every predictor (rows) in every region of the family (columns), three decimals."""
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {METRICS}, got {metric!r}")
    fam = family(mechanism)
    rows = {name: {label: measures(mechanism, label)[name][metric] for label in fam.labels} for name in PREDICTORS}
    return pd.DataFrame(rows).T.map(lambda v: f"{v:.3f}")


def same_policy(first: AnyPredictor, second: AnyPredictor) -> bool:
    """Whether two predictors on the same features hire every profile with the same probability.

    Examples
    --------
    >>> hs = region_predictors()
    >>> same_policy(hs["selective"], hs["selective"]), same_policy(hs["selective"], hs["unconstrained"])
    (True, False)
    """
    if first.features != second.features:
        raise ValueError(f"the predictors read different features: {first.features!r} and {second.features!r}")
    a, b = positive_probabilities(first), positive_probabilities(second)
    return all(abs(a[x] - b[x]) <= 1e-7 for x in a)


def observationally_identical(size: float, *, tolerance: float = TOLERANCE) -> bool:
    """Whether the new-path region and the access region of this ``size`` have the same law of (A, Q, P, Y).

    Examples
    --------
    >>> observationally_identical(0.5)
    True
    """
    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}, got {size!r}")
    label = TRAINING if size == 0 else f"size {size:.2f}"
    first = family("new unfair path").joint([*FEATURES, "Y"], label)
    second = family("qualification access").joint([*FEATURES, "Y"], label)
    return all(abs(first.get(k, 0.0) - second.get(k, 0.0)) <= tolerance for k in set(first) | set(second))


_TUNED = {"parity in region 0": ("demographic parity", "demographic parity"),
          "equalised odds in region 0": ("equalised odds", "equalised odds")}


@lru_cache(maxsize=64)
def _face_range(predictor: str, regions_: tuple[tuple[str, str], ...]) -> fairness.FaceRange:
    constraint, gap = _TUNED[predictor]
    deployments = [family(mech).scm(label) for mech, label in regions_]  # type: ignore[arg-type]
    return fairness.optimal_face_range(family("proxy").scm(TRAINING), "Y", FEATURES, "A", deployments,
                                       constraint=constraint, gap=gap)  # type: ignore[arg-type]


def face_range(predictor: str, mechanism: Mechanism, label: str | None = None) -> fairness.FaceRange:
    """Range of a group-tuned predictor's own gap over **all** equally accurate choices (the optimal face).

    ``predictor`` is ``"parity in region 0"`` (parity gap) or ``"equalised odds in region 0"``
    (odds gap); the range is of the worst gap over every region of ``mechanism``'s family, or over
    region ``label`` alone (:func:`book.objectives.fairness.optimal_face_range`, bound 0).

    Examples
    --------
    >>> r = face_range("parity in region 0", "qualification access")
    >>> round(r.low, 3), round(r.high, 3)
    (0.36, 0.36)
    """
    if predictor not in _TUNED:
        raise ValueError(f"predictor must be one of {tuple(_TUNED)}, got {predictor!r}")
    labels = family(mechanism).labels if label is None else (family(mechanism).scm(label) and (label,))
    return _face_range(predictor, tuple((mechanism, e) for e in labels))


@lru_cache(maxsize=2)
def _blind(constraint: str) -> AnyPredictor:
    train = family("proxy").scm(TRAINING)
    return fairness.fairness_frontier(train, "Y", ("A", "Q"), "A", [0.0], constraint=constraint)[0].predictor  # type: ignore[arg-type]


def postcode_blind(constraint: Literal["demographic parity", "equalised odds"]) -> AnyPredictor:
    """The most accurate predictor on ``(A, Q)`` alone with zero parity (odds) gap in region 0.

    The causal graph says the postcode is a proxy of ``A`` with no other path to ``Y``; this is
    the group-tuned predictor that follows it and does not read ``P``.

    Examples
    --------
    >>> postcode_blind("demographic parity").features
    ('A', 'Q')
    """
    if constraint not in ("demographic parity", "equalised odds"):
        raise ValueError(f"constraint must be 'demographic parity' or 'equalised odds', got {constraint!r}")
    return _blind(constraint)


# ---------------------------------------------------------------------------- figure of sections 1, 2 and 4
_OWN = {"parity in region 0": "parity gap", "equalised odds in region 0": "odds gap",
        "selective": "unfair-path gap with A → G"}


def _curves() -> dict[str, dict[str, list[float]]]:
    return {mech: {name: [measures(mech, label)[name][metric] for label in family(mech).labels]
                   for name, metric in _OWN.items()} for mech in SHIFTED}


def transfer_figure() -> Figure:
    """Each constrained predictor's own gap as each mechanism's shift grows: one panel per mechanism."""
    fig, axes = new_figure(10.0, 3.6, ncols=3)
    styles = {"parity in region 0": (SERIES[1], "s", "parity gap of the parity-trained predictor"),
              "equalised odds in region 0": (SERIES[2], "^", "odds gap of the odds-trained predictor"),
              "selective": (SERIES[0], "o", "unfair-path gap of the selective predictor")}
    for ax, (mech, curves) in zip(axes, _curves().items(), strict=True):
        for name, ys in curves.items():
            colour, marker, label = styles[name]
            ax.plot(SIZES, ys, color=colour, marker=marker, lw=2, label=label)
            if name in _TUNED:  # every equally accurate choice in region 0 lies in the band
                band = [face_range(name, mech, e) for e in family(mech).labels]
                ax.fill_between(SIZES, [r.low for r in band], [r.high for r in band], color=colour, alpha=0.2)
        ax.set_title(f"shift of: {mech}", fontsize=11)
        ax.set_xlabel("shift size (0 = region 0)", fontsize=10)
        ax.set_ylim(-0.03, 0.7)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("gap in that region", fontsize=10)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=9, frameon=False)
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    return fig


def transfer_alt() -> str:
    """Alt text of :func:`transfer_figure`, from the same numbers."""
    parts = []
    for mech, curves in _curves().items():
        text = ", ".join(f"{_OWN[name].replace(' with A → G', '')} of the {name.split(' in ')[0]} predictor from "
                         f"{ys[0]:.3f} to {ys[-1]:.3f}" for name, ys in curves.items())
        parts.append(f"Shift of {mech}: {text}.")
    bands = []
    for mech in SHIFTED:
        for name in _TUNED:
            r = face_range(name, mech, family(mech).labels[-1])
            bands.append(f"{mech}, {name.split(' in ')[0]}: {r.low:.3f} to {r.high:.3f}")
    return ("Three line charts of a gap against the shift size from 0 to 1, one per mechanism the region changes. "
            + " ".join(parts) + " Shaded bands: the range of that gap over every predictor that is equally "
            "accurate under the same constraint in region 0; at size 1: " + "; ".join(bands) + ".")


# ---------------------------------------------------------------------------- section 3: direction
@lru_cache(maxsize=2)
def _direction(direction: str) -> tuple[Environments, dict[str, AnyPredictor]]:
    fam = direction_family(direction)
    train = fam.scm(fam.labels[0])
    features = DIRECTION_FEATURES
    best = fairness.fairness_frontier
    predictors = {
        "unconstrained": bayes_optimal(train, "Y", features),
        "parity in the first region": best(train, "Y", features, "A", [0.0], constraint="demographic parity")[0]
        .predictor,
        "equalised odds in the first region": best(train, "Y", features, "A", [0.0], constraint="equalised odds")[0]
        .predictor,
        "counterfactually invariant": fairness.invariant_predictor(
            train, "Y", features, "A", fairness.edges_out_of(train, "A")),
    }
    return fam, predictors


def direction_predictors(direction: Direction) -> tuple[Environments, dict[str, AnyPredictor]]:
    """A direction task's family and four predictors trained in its first region.

    Examples
    --------
    >>> fam, hs = direction_predictors("anticausal")
    >>> fam.training, hs["counterfactually invariant"].table[(1, 0)]
    ({'link 0.60': 1.0}, 1)
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, got {direction!r}")
    fam, predictors = _direction(direction)
    return fam, dict(predictors)


def _direction_metric(m: DiscreteSCM, h: AnyPredictor, metric: str) -> float:
    if metric == "accuracy":
        return fairness.accuracy_against(m, h, "Y")
    if metric == "parity gap":
        return fairness.parity_difference(m, h, "A")
    return fairness.odds_difference(m, h, "A", "Y")


def direction_table(direction: Direction) -> pd.DataFrame:
    """Accuracy, parity gap and odds gap of each predictor (rows) in each region (columns)."""
    fam, predictors = direction_predictors(direction)
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for name, h in predictors.items():
        for metric in ("accuracy", "parity gap", "odds gap"):
            rows[(name, metric)] = {label: f"{_direction_metric(fam.scm(label), h, metric):.3f}"
                                    for label in fam.labels}
    return pd.DataFrame(rows).T


# ---------------------------------------------------------------------------- section 4: parity everywhere
@lru_cache(maxsize=4)
def _parity_everywhere(mechanism: str) -> RandomizedPredictor:
    fam = family(mechanism)
    return fairness.group_fair_everywhere(fam.scm(TRAINING), "Y", FEATURES, "A", fam.members.values())


def parity_everywhere(mechanism: Mechanism = "qualification access") -> RandomizedPredictor:
    """The most accurate predictor in region 0 whose parity gap is 0 in **every** region of the family.

    .. math:: \\max_h P_0(\\hat Y = Y) \\quad \\text{s.t.} \\quad
              P_e(\\hat Y = 1 \\mid A = 1) = P_e(\\hat Y = 1 \\mid A = 0) \\ \\text{for every region } e

    an exact linear programme (:func:`book.objectives.fairness.group_fair_everywhere`): the best case
    of a learner who knew every region in advance.

    Examples
    --------
    >>> h = parity_everywhere()
    >>> round(max(fairness.parity_difference(family("qualification access").scm(e), h, "A")
    ...           for e in family("qualification access").labels), 6)
    0.0
    """
    if mechanism not in SHIFTED:
        raise ValueError(f"mechanism must be one of {SHIFTED}, got {mechanism!r}")
    return _parity_everywhere(mechanism)


# ---------------------------------------------------------------------------- section 5: frontier
def deployment_regions() -> list[tuple[str, str]]:
    """The regions of the frontier, as ``(mechanism, label)``: every region of the :data:`DEPLOYMENT` families."""
    return [(mech, label) for mech in DEPLOYMENT for label in family(mech).labels]


#: Bounds of the two frontiers, on the training region's gap.
_BOUNDS = tuple(round(0.05 * k, 2) for k in range(13))
_FAMILIES = {"parity-constrained": ("demographic parity", "demographic parity"),
             "selective": ("path-specific", "path-specific")}


@lru_cache(maxsize=1)
def _frontier() -> dict[str, list[dict[str, float]]]:
    train = family("proxy").scm(TRAINING)
    deployments = [family(mech).scm(label) for mech, label in deployment_regions()]  # type: ignore[arg-type]
    out: dict[str, list[dict[str, float]]] = {}
    for name, (constraint, gap) in _FAMILIES.items():
        rows = []
        for tau in _BOUNDS:
            r = fairness.optimal_face_range(train, "Y", FEATURES, "A", deployments, bound=tau,
                                            constraint=constraint, unfair_edges=UNFAIR, gap=gap)  # type: ignore[arg-type]
            rows.append({"bound": tau, "training accuracy": r.accuracy, "lowest worst gap": r.low,
                         "highest worst gap": r.high})
        out[name] = rows
    return out


def frontier_points() -> dict[str, list[dict[str, float]]]:
    """Both frontiers, trained on region 0, with the range of their worst deployment gap.

    Per family (``"parity-constrained"``: parity gap at most the bound in region 0, measured by the
    parity gap; ``"selective"``: unfair-path gap at most the bound in region 0, measured by the
    unfair-path gap) and per bound in 0, 0.05, ..., 0.6: the training accuracy, and the lowest and
    the highest worst gap over :func:`deployment_regions` among **all** equally accurate predictors
    (:func:`book.objectives.fairness.optimal_face_range`).
    """
    return {k: [dict(r) for r in v] for k, v in _frontier().items()}


def frontier_figure() -> Figure:
    """The worst deployment gap against the bound in region 0, as a band over the optimal predictors."""
    data = frontier_points()
    fig, axes = new_figure(10.0, 4.0, ncols=2)
    titles = {"parity-constrained": "parity family: worst parity gap", "selective": "selective family: worst "
              "unfair-path gap"}
    styles = {"parity-constrained": SERIES[1], "selective": SERIES[0]}
    for ax, (name, rows) in zip(axes, data.items(), strict=True):
        xs = [r["bound"] for r in rows]
        low, high = [r["lowest worst gap"] for r in rows], [r["highest worst gap"] for r in rows]
        ax.fill_between(xs, low, high, color=styles[name], alpha=0.3, label="range over equally accurate predictors")
        ax.plot(xs, low, color=styles[name], lw=2, marker="o", ms=4, label="lowest")
        ax.plot(xs, high, color=styles[name], lw=1.5, ls="--", label="highest")
        ax.plot([0, 0.6], [0, 0.6], color=PALETTE["black"], lw=1, ls=":", label="worst gap = bound")
        ax.set_title(titles[name], fontsize=11)
        ax.set_xlabel("bound in region 0", fontsize=10)
        ax.set_ylabel("worst gap over the 9 regions", fontsize=10)
        ax.set_xlim(0, 0.6)
        ax.set_ylim(0, 0.65)
        ax.grid(alpha=0.3)
    axes[1].legend(fontsize=8.5, loc="lower right")
    fig.tight_layout()
    return fig


def frontier_alt() -> str:
    """Alt text of :func:`frontier_figure`, from the same numbers."""
    d = frontier_points()
    p, s = d["parity-constrained"], d["selective"]
    return (
        "Two charts of the worst gap over nine deployment regions against the bound imposed in region 0, as a "
        "band from the lowest to the highest value among equally accurate predictors, with the diagonal where the "
        f"worst gap equals the bound. Parity family: at bound 0 the band is {p[0]['lowest worst gap']:.3f} to "
        f"{p[0]['highest worst gap']:.3f}, at bound 0.05 {p[1]['lowest worst gap']:.3f} to "
        f"{p[1]['highest worst gap']:.3f}, above the diagonal. Selective family: at bound 0 the band is "
        f"{s[0]['lowest worst gap']:.3f} to {s[0]['highest worst gap']:.3f}, at bound 0.05 "
        f"{s[1]['lowest worst gap']:.3f} to {s[1]['highest worst gap']:.3f}: its lower edge lies on the diagonal up "
        "to bound 0.5."
    )


def slack_predictors(bound: float = 0.05) -> dict[str, RandomizedPredictor]:
    """Two predictors that spend an unfair-path allowance ``bound`` in region 0 on different units.

    Both hire exactly the qualified, except unqualified group-1 applicants of one postcode, hired
    with the probability that makes the unfair-path gap in region 0 equal to ``bound``:
    ``"postcode 0"`` (units whose postcode is a coin) or ``"postcode 1"`` (units whose postcode
    may follow their group).

    Examples
    --------
    >>> hs = slack_predictors()
    >>> round(hs["postcode 0"].table[(1, 0, 0)][1], 3), round(hs["postcode 1"].table[(1, 0, 1)][1], 3)
    (0.98, 0.109)
    """
    if not 0 <= bound <= 0.05:
        raise ValueError(f"bound must lie in [0, 0.05] (a hiring probability of at most 1), got {bound!r}")
    m = family("proxy").scm(TRAINING)
    coupling = fairness.switch_coupling(m, FEATURES, "A", UNFAIR)
    out = {}
    for p in (0, 1):
        cell = (1, 0, p)
        weight = sum(w for (x, x2), w in coupling.items() if (x == cell) != (x2 == cell) and x[1] == 0)
        table = {x: {0: 1.0 - x[1], 1: float(x[1])} for x in itertools.product((0, 1), repeat=len(FEATURES))}
        table[cell] = {0: 1.0 - bound / weight, 1: bound / weight}
        out[f"postcode {p}"] = RandomizedPredictor(FEATURES, table, (0, 1))
    return out


# ---------------------------------------------------------------------------- explorer
_SHORT = {"unconstrained": "unconstrained", "parity in region 0": "parity-trained",
          "equalised odds in region 0": "odds-trained", "selective": "selective"}


def _label(size: float) -> str:
    return TRAINING if size == 0 else f"size {size:.2f}"


def _frame(mechanism: str, size: float) -> Figure:
    here, base = measures(mechanism, _label(size)), measures(mechanism, TRAINING)  # type: ignore[arg-type]
    fig, (left, right) = new_figure(9.0, 3.4, ncols=2)
    gaps = ("parity gap", "odds gap", "unfair-path gap with A → G")
    names = ("parity", "odds", "unfair path")
    width = 0.8 / len(gaps)
    xs = np.arange(len(PREDICTORS))
    for k, (metric, short) in enumerate(zip(gaps, names, strict=True)):
        ys = [here[p][metric] for p in PREDICTORS]
        left.bar(xs + (k - 1) * width, ys, width=width * 0.95, color=SERIES[k + 1], label=f"{short} gap")
    left.set_xticks(xs, [_SHORT[p] for p in PREDICTORS], fontsize=9, rotation=15)
    left.set_ylim(0, 0.9)
    left.set_ylabel("gap in the shifted region", fontsize=10)
    left.legend(fontsize=8.5, frameon=False, loc="upper right")
    left.grid(axis="y", alpha=0.3)
    for k, (which, source) in enumerate((("region 0", base), ("shifted region", here))):
        ys = [source[p]["accuracy"] for p in PREDICTORS]
        right.bar(xs + (k - 0.5) * 0.4, ys, width=0.38, color=(PALETTE["grey"], SERIES[0])[k], label=which)
        for x, v in zip(xs + (k - 0.5) * 0.4, ys, strict=True):
            right.text(x, v + 0.01, f"{v:.3f}", ha="center", fontsize=8)
    right.set_xticks(xs, [_SHORT[p] for p in PREDICTORS], fontsize=9, rotation=15)
    right.set_ylim(0.5, 0.95)
    right.set_ylabel("accuracy P(Ŷ = Y)", fontsize=10)
    right.legend(fontsize=8.5, frameon=False, loc="upper left")
    # Fixed margins: tight_layout would measure every label of every frame again.
    fig.subplots_adjust(left=0.07, right=0.99, bottom=0.2, top=0.96, wspace=0.22)
    return fig


def _alt(mechanism: str, size: float) -> str:
    here = measures(mechanism, _label(size))  # type: ignore[arg-type]
    base = measures(mechanism, TRAINING)  # type: ignore[arg-type]
    text = "; ".join(
        f"{_SHORT[p]}: parity gap {here[p]['parity gap']:.3f}, odds gap {here[p]['odds gap']:.3f}, unfair-path gap "
        f"{here[p]['unfair-path gap with A → G']:.3f}, accuracy {base[p]['accuracy']:.3f} in region 0 and "
        f"{here[p]['accuracy']:.3f} here" for p in PREDICTORS)
    return f"Bar charts for a shift of {mechanism} of size {size:.2f}. {text}."


def region_explorer() -> Explorer:
    """The chapter's explorer: which mechanism the region changes, and by how much (3 x 5 frames).

    Examples
    --------
    >>> region_explorer().n_frames
    15
    """
    return Explorer(
        _frame,
        [Slider("mechanism", SHIFTED, label="mechanism the region changes", default="proxy"),
         Slider("size", SIZES, label="shift size", default=0.5, fmt="{:.2f}")],
        title="Fairness and accuracy of four predictors in a shifted region",
        alt=_alt,
        dpi=80,
    )
