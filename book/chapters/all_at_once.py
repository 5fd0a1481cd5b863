"""Chapter 10: every trust objective at once on the atlas model, and the atlas of their conflicts.

The *family* (:func:`family`) is every distinct predictor of ``Y`` the bank can
build from the features of :data:`book.models.atlas.FEATURES`: for each
non-empty subset, the Bayes-optimal rule (``"plain"``) and the best rule whose
decision never changes when ``A`` is switched along the unfair edges
(``"path-fair"``, :func:`book.objectives.fairness.invariant_predictor`), plus
the constant. Each is written on the features it actually reads and audited by
:func:`book.audits.audit` (:func:`ledger`): the exact rows (fairness,
robustness, explainability, recourse), accuracy against the recorded label,
against the fair-world label ``Y0`` and in region ``do(E = 1)``. The privacy
row depends only on the features read; :func:`privacy` samples it with the
audit's histogram learner, without noise and :math:`\\varepsilon`-DP, beside the
learner's own accuracy (:func:`learner_accuracy`). For the constant too: its decision
reads nothing, but the learner the row audits still learns the label frequency of its
training records.

:func:`relation` and :func:`atlas_matrix` turn the measured ledgers into the
atlas: for each pair of objectives, whether the family's best on one is also
best on the other (*align*), whether one of them does not move over the family
(*settled*), or neither (*conflict*, with the two ends of the trade-off).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
import pandas as pd

from book.audits import Audit, AuditRow, audit, select
from book.metrics import accuracy
from book.models.atlas import COSTS, FAIR_LABEL, FEATURES, GROUPS, MARKERS, UNFAIR, atlas
from book.objectives import ledger
from book.objectives import privacy as dp
from book.objectives.fairness import GroupRates, group_rates, invariant_predictor
from book.objectives.ledger import features_read
from book.predictors import Predictor, attach, bayes_optimal, constant, most_likely, narrow, subset_label
from book.scm import DiscreteSCM
from book.viz import PALETTE, Explorer, Figure, Slider, new_figure

__all__ = [
    "CHAPTERS",
    "EPSILON",
    "KINDS",
    "N_TRAIN",
    "OBJECTIVES",
    "REPS",
    "SEED",
    "TOLERANCE",
    "Member",
    "Relation",
    "atlas_explorer",
    "atlas_matrix",
    "atlas_table",
    "default_model",
    "error_rates",
    "explainability_gap",
    "explorer_rows",
    "family",
    "full_audit",
    "headline",
    "learner_accuracy",
    "ledger_alt",
    "ledger_figure",
    "ledger_table",
    "narrow",
    "on_read",
    "privacy",
    "privacy_table",
    "privacy_verdict",
    "relation",
    "scores",
]

#: The two ways of fitting a predictor on a feature subset.
KINDS = ("plain", "path-fair")
#: The audit's tolerance for every exact row.
TOLERANCE = 0.01
#: The privacy row: training-set size, the DP learner's epsilon, repetitions, seed.
N_TRAIN = 40
EPSILON = 1.0
REPS = 20
SEED = 10
#: The objectives of the atlas, utility first.
OBJECTIVES = ("utility", "fairness", "robustness", "explainability", "recourse", "privacy")
#: The chapter that shows each pair of objectives in conflict (see :func:`atlas_matrix` for the rest).
CHAPTERS: Mapping[frozenset[str], int] = {
    frozenset({"utility", "fairness"}): 3,
    frozenset({"utility", "robustness"}): 4,
    frozenset({"utility", "privacy"}): 5,
    frozenset({"utility", "explainability"}): 6,
    frozenset({"utility", "recourse"}): 6,
    frozenset({"fairness", "robustness"}): 7,
    frozenset({"fairness", "privacy"}): 8,
    frozenset({"privacy", "explainability"}): 9,
}
Relation = Literal["conflict", "align", "settled"]


@lru_cache(maxsize=1)
def default_model() -> DiscreteSCM:
    """The chapter's model, :func:`book.models.atlas.atlas` with its defaults, built once.

    One object, so the exact answers memoised on it (:meth:`book.scm.DiscreteSCM.memo`)
    are shared by every function of the chapter.

    Examples
    --------
    >>> default_model() is default_model()
    True
    """
    return atlas()


@dataclass(frozen=True)
class Member:
    """One predictor of the family and its exact ledger.

    ``kinds`` lists every way of fitting that produced it (``"plain"``,
    ``"path-fair"``, ``"constant"``); ``accuracy_fair`` is against ``Y0``,
    ``accuracy_shift`` against ``Y`` in region ``do(E = 1)``.
    """

    predictor: Predictor
    kinds: tuple[str, ...]
    audit: Audit
    accuracy_fair: float
    accuracy_shift: float

    @property
    def features(self) -> tuple[str, ...]:
        """The features the predictor reads."""
        return self.predictor.features

    @property
    def name(self) -> str:
        """``"{Q, S}"``, or ``"constant"``."""
        return subset_label(self.features) if self.features else "constant"

    def gap(self, objective: str) -> float:
        """The gap of an exact row; 0.0 for the constant's undeclared recourse row (it grants everyone)."""
        row = self.audit.row(objective)  # type: ignore[arg-type]
        return 0.0 if row.gap is None else row.gap


def _audit(model: DiscreteSCM, h: Predictor) -> Audit:
    actionable = {f: c for f, c in COSTS.items() if f in h.features}
    return audit(attach(model, "Yhat", h), "Yhat", "Y", attribute="A", unfair_edges=UNFAIR, environment="E",
                 explain=True, actionable=actionable if actionable else None, tolerance=TOLERANCE)


def _member(model: DiscreteSCM, h: Predictor, kinds: tuple[str, ...]) -> Member:
    deployed = attach(model, "Yhat", h)
    return Member(h, kinds, _audit(model, h), accuracy(deployed, "Yhat", FAIR_LABEL),
                  accuracy(deployed, "Yhat", "Y", do={"E": 1}))


def _constant(model: DiscreteSCM) -> Predictor:
    labels = model.states("Y")
    prior = model.query("Y")
    return constant(model, "Y", most_likely([prior[y] for y in labels], labels))


def family(model: DiscreteSCM | None = None,
           groups: Sequence[Sequence[str]] = GROUPS) -> list[Member]:
    """Every distinct predictor of the family, most accurate first, each with its exact ledger.

    The family fits both kinds on every non-empty union of ``groups`` (the
    two bureau markers come as one group), and adds the constant.

    Examples
    --------
    >>> members = family()
    >>> members[0].name, members[-1].name
    ('{Q, P, S, N1, N2}', 'constant')
    """
    model = model if model is not None else default_model()
    return list(_family(model, tuple(tuple(g) for g in groups)))


def _family(model: DiscreteSCM, groups: tuple[tuple[str, ...], ...]) -> tuple[Member, ...]:
    def compute() -> tuple[Member, ...]:
        rules: dict[tuple, tuple[Predictor, list[str]]] = {}
        for size in range(1, len(groups) + 1):
            for chosen in itertools.combinations(groups, size):
                subset = tuple(f for g in chosen for f in g)
                for kind in KINDS:
                    h = (bayes_optimal(model, "Y", subset) if kind == "plain"
                         else invariant_predictor(model, "Y", subset, "A", UNFAIR))
                    read = features_read(attach(model, "Yhat", h), "Yhat")
                    h = narrow(h, read) if read else _constant(model)
                    key = (h.features, tuple(sorted(h.table.items())))
                    entry = rules.setdefault(key, (h, []))
                    if kind not in entry[1]:
                        entry[1].append(kind)
        h0 = _constant(model)
        rules.setdefault((h0.features, tuple(sorted(h0.table.items()))), (h0, []))[1].append("constant")
        members = [_member(model, h, tuple(kinds)) for h, kinds in rules.values()]
        return tuple(sorted(members, key=lambda m: (-round(m.audit.accuracy, 12), len(m.features), m.name)))

    return model.memo(("all_at_once.family", groups), compute)


def headline(members: Sequence[Member], model: DiscreteSCM | None = None) -> dict[str, Member]:
    """The three predictors of the lesson: the most accurate, the uniformly invariant (constant), the selective.

    The selective one is :func:`book.audits.select` on the family's features;
    the function checks that it is a member.

    Examples
    --------
    >>> named = headline(family())
    >>> {role: m.name for role, m in named.items()}
    {'most accurate': '{Q, P, S, N1, N2}', 'uniformly invariant': 'constant', 'selective': '{Q}'}
    """
    model = model if model is not None else default_model()
    chosen = select(model, "Y", FEATURES, attribute="A", unfair_edges=UNFAIR, environment="E",
                    tolerance=TOLERANCE).predictor
    read = tuple(f for f in chosen.features if f in features_read(attach(model, "Yhat", chosen), "Yhat"))
    chosen = narrow(chosen, read) if read else _constant(model)
    by_rule = {(m.features, tuple(sorted(m.predictor.table.items()))): m for m in members}
    key = (chosen.features, tuple(sorted(chosen.table.items())))
    if key not in by_rule:
        raise ValueError(f"the selective predictor on {chosen.features!r} is not a member of the family")
    return {
        "most accurate": members[0],
        "uniformly invariant": next(m for m in members if "constant" in m.kinds),
        "selective": by_rule[key],
    }


# ---------------------------------------------------------------------------- privacy (sampled)
def learner_accuracy(model: DiscreteSCM, features: Sequence[str], *, n: int, epsilon: float, reps: int,
                     rng: np.random.Generator) -> tuple[float, float]:
    """Population accuracy of the histogram learner fitted on ``n`` records: mean and standard error.

    For each of ``reps`` training sets drawn with ``rng``, fits
    :func:`book.objectives.privacy.fit_histogram` (``epsilon``-DP if finite)
    on the binary ``features`` and computes its accuracy exactly on the model,
    :math:`\\sum_{x, y} P(x, y)\\,[\\hat h(x) = y]`. Only the training set is
    sampled.

    Examples
    --------
    >>> mean, se = learner_accuracy(atlas(), ["Q"], n=100, epsilon=math.inf, reps=5, rng=np.random.default_rng(0))
    >>> round(mean, 3)
    0.823
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    if isinstance(reps, bool) or not isinstance(reps, int) or reps < 2:
        raise ValueError(f"reps must be an integer of at least 2 (a standard error needs two), got {reps!r}")
    features = list(features)
    joint = model.joint([*features, "Y"])
    # every cell of the binary features (one empty cell when there are none)
    cells = np.array(list(itertools.product((0, 1), repeat=len(features))), dtype=np.int64).reshape(
        2 ** len(features), len(features))
    values = []
    for _ in range(reps):
        frame = model.sample(n, rng)
        X = frame[features].to_numpy(dtype=np.int64).reshape(n, len(features))
        fitted = dp.fit_histogram(X, frame["Y"].to_numpy(dtype=np.int64), epsilon=epsilon, rng=rng)
        decisions = fitted.predict(cells)
        values.append(sum(joint[(*map(int, x), int(d))] for x, d in zip(cells, decisions, strict=True)))
    return float(np.mean(values)), float(np.std(values, ddof=1) / math.sqrt(reps))


def on_read(model: DiscreteSCM, h: Predictor, features: Sequence[str]) -> Predictor:
    """``h`` if it reads every one of ``features``, else a rule that does (the privacy row needs them read)."""
    if all(f in features_read(attach(model, "Yhat", h), "Yhat") for f in features):
        return h
    # The histogram learner reads the features whatever the population rule ignores: a table that
    # depends on every feature (the parity of the cell) makes the audit's privacy row read them all.
    table = {cell: int(sum(cell) % 2) for cell in itertools.product((0, 1), repeat=len(features))}
    return Predictor(tuple(features), table, (0, 1))


def full_audit(model: DiscreteSCM, member: Member) -> Audit:
    """A member's audit with every objective declared, the privacy row as in :func:`privacy`.

    Same declarations as the family's ledger plus the learner (``n=N_TRAIN``,
    ``reps=REPS``, no noise) with the same seed as :func:`privacy`, so the
    numbers agree with :func:`ledger_table`.

    Examples
    --------
    >>> top = family()[0]
    >>> full_audit(default_model(), top).row("privacy").gap == privacy(top)["advantage"]
    True
    """
    actionable = {f: c for f, c in COSTS.items() if f in member.features}
    return audit(attach(model, "Yhat", member.predictor), "Yhat", "Y", attribute="A", unfair_edges=UNFAIR,
                 environment="E", explain=True, actionable=actionable or None, n=N_TRAIN, reps=REPS,
                 rng=_rng(member.features, math.inf, 0), tolerance=TOLERANCE)


def _rng(features: tuple[str, ...], epsilon: float, part: int) -> np.random.Generator:
    # A fixed seed per (feature set, epsilon, what is sampled): the position of each feature in FEATURES.
    code = sum(2 ** FEATURES.index(f) for f in features)
    return np.random.default_rng([SEED, code, 0 if math.isinf(epsilon) else 1, part])


@lru_cache(maxsize=64)
def _advantage(features: tuple[str, ...], epsilon: float) -> tuple[float, float]:
    model = default_model()
    h = on_read(model, bayes_optimal(model, "Y", features), features) if features else _constant(model)
    row = audit(attach(model, "Yhat", h), "Yhat", "Y", n=N_TRAIN, epsilon=epsilon, reps=REPS,
                rng=_rng(features, epsilon, 0)).row("privacy")
    return float(row.gap or 0.0), float(row.standard_error or 0.0)


@lru_cache(maxsize=64)
def _learner(features: tuple[str, ...], epsilon: float) -> tuple[float, float]:
    return learner_accuracy(default_model(), features, n=N_TRAIN, epsilon=epsilon, reps=REPS,
                            rng=_rng(features, epsilon, 1))


def privacy(member: Member, epsilon: float = math.inf, *, learner: bool = False) -> dict[str, float]:
    """The sampled privacy row of a member's features: mean and standard error of the attack's advantage.

    The audit's privacy row (:func:`book.audits.audit` with ``n=N_TRAIN``,
    ``reps=REPS``) for the histogram learner on the features the member
    reads, ``epsilon``-DP if finite. With ``learner=True`` also the learner's
    population accuracy (:func:`learner_accuracy`). Each feature set and
    epsilon has its own fixed seed. The constant is sampled like the others:
    the audited learner reads no feature but fits the label frequency of its
    records, which the attack can detect; its advantage is not 0 by construction.

    Examples
    --------
    >>> p = privacy(family()[0])
    >>> p["advantage"] > 3 * p["advantage s.e."]
    True
    """
    adv, adv_se = _advantage(member.features, float(epsilon))
    out = {"advantage": adv, "advantage s.e.": adv_se}
    if learner:
        acc, acc_se = _learner(member.features, float(epsilon))
        out |= {"learner accuracy": acc, "learner accuracy s.e.": acc_se}
    return out


# ---------------------------------------------------------------------------- the ledger
def scores(member: Member) -> dict[str, float]:
    """Accuracy and every gap of one member (privacy: the non-private learner's advantage).
    Examples
    --------
    >>> round(scores(family()[0])["robustness"], 3)
    0.459
    """
    return {
        "utility": member.audit.accuracy,
        **{o: member.gap(o) for o in ("fairness", "robustness", "explainability", "recourse")},
        "privacy": privacy(member)["advantage"],
    }


def _pm(values: Mapping[str, float], name: str) -> str:
    return f"{values[name]:.3f} ± {values[name + ' s.e.']:.3f}"


_MARKS = {"holds": "✓", "fails": "✗", "inconclusive": "?", "not declared": ""}


def privacy_verdict(member: Member) -> str:
    """The verdict of a member's sampled privacy row, by the audit's rule (:attr:`book.audits.AuditRow.verdict`).

    Examples
    --------
    >>> privacy_verdict(family()[0])
    'fails'
    """
    p = privacy(member)
    return AuditRow("privacy", "", "", p["advantage"], TOLERANCE, p["advantage s.e."]).verdict


def ledger_table(members: Sequence[Member], named: Mapping[str, Member]) -> pd.DataFrame:
    """One row per predictor: accuracies, the exact gaps and the sampled privacy row (mean ± s.e.).

    Each gap carries its verdict: ✓ holds, ✗ fails, ? inconclusive (a sampled row within two
    standard errors of the tolerance); the constant's recourse row is not declared (it refuses nobody).

    Examples
    --------
    >>> members = family()
    >>> ledger_table(members, headline(members)).loc["{Q}", "role"]
    'selective'
    """
    role = {id(m): k for k, m in named.items()}
    return pd.DataFrame([{
        "predictor": m.name,
        "role": role.get(id(m), ""),
        "accuracy": f"{m.audit.accuracy:.3f}",
        "vs Y0": f"{m.accuracy_fair:.3f}",
        "in E=1": f"{m.accuracy_shift:.3f}",
        **{o: f"{m.gap(o):.3f} {_MARKS[m.audit.row(o).verdict]}".rstrip()  # type: ignore[arg-type]
           for o in ("fairness", "robustness", "explainability", "recourse")},
        "privacy": f"{_pm(privacy(m), 'advantage')} {_MARKS[privacy_verdict(m)]}",
    } for m in members]).set_index("predictor")


def privacy_table(named: Mapping[str, Member]) -> pd.DataFrame:
    """The learner of each named predictor without noise and epsilon-DP: attack advantage and accuracy.
    Examples
    --------
    >>> len(privacy_table(headline(family())))
    6
    """
    rows = []
    for role, m in named.items():
        for epsilon in (math.inf, EPSILON):
            p = privacy(m, epsilon, learner=True)
            rows.append({
                "predictor": f"{role} {m.name}",
                "epsilon": f"{epsilon:g}",
                "attack advantage": f"{p['advantage']:.3f} ± {p['advantage s.e.']:.3f}",
                "learner accuracy": f"{p['learner accuracy']:.3f} ± {p['learner accuracy s.e.']:.3f}",
            })
    return pd.DataFrame(rows).set_index(["predictor", "epsilon"])


def explainability_gap(model: DiscreteSCM, member: Member, label: str) -> float:
    """The explainability row of a member against another label (e.g. the fair-world ``Y0``).

    The largest gap of :func:`book.objectives.ledger.interventional_validity`
    over the features the member reads (0 for the constant).

    Examples
    --------
    >>> selective = headline(family())["selective"]
    >>> explainability_gap(default_model(), selective, "Y0")
    0.0
    """
    deployed = attach(model, "Yhat", member.predictor)
    return max((ledger.interventional_validity(deployed, "Yhat", label, f).gap for f in member.features),
               default=0.0)


def error_rates(model: DiscreteSCM, member: Member) -> dict[int, GroupRates]:
    """Base rate, PPV, FPR and FNR per group of a member against the recorded label.

    Examples
    --------
    >>> rates = error_rates(default_model(), headline(family())["selective"])
    >>> round(rates[0].fpr, 3), round(rates[1].fpr, 3)
    (0.105, 0.196)
    """
    return group_rates(attach(model, "Yhat", member.predictor), "Yhat", "Y", "A")


# ---------------------------------------------------------------------------- the atlas
def relation(first: Sequence[float], second: Sequence[float], *, tolerances: tuple[float, float]) -> Relation:
    """How two objectives relate over a family of predictors (both scores: larger is better).

    * ``"settled"``: one of them does not move over the family (its
      spread is at most its tolerance), so the family cannot trade it;
    * ``"align"``: some predictor is within tolerance of the best on both;
    * ``"conflict"``: no predictor is: the best on one costs the other.

    Examples
    --------
    >>> relation([0.9, 0.8], [-0.3, 0.0], tolerances=(0.01, 0.01))
    'conflict'
    >>> relation([0.9, 0.8], [0.0, -0.3], tolerances=(0.01, 0.01))
    'align'
    >>> relation([0.9, 0.8], [0.0, 0.0], tolerances=(0.01, 0.01))
    'settled'
    """
    a, b = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    if a.shape != b.shape or a.size == 0:
        raise ValueError(f"first and second must be non-empty and equally long: {a.size} vs {b.size}")
    for t in tolerances:
        if not (isinstance(t, int | float) and t > 0):
            raise ValueError(f"tolerances must be positive numbers, got {tolerances!r}")
    if np.ptp(a) <= tolerances[0] or np.ptp(b) <= tolerances[1]:
        return "settled"
    both = (a >= a.max() - tolerances[0]) & (b >= b.max() - tolerances[1])
    return "align" if both.any() else "conflict"


def _costs(a: np.ndarray, b: np.ndarray, tolerances: tuple[float, float]) -> tuple[float, float]:
    """What the best on each objective gives up on the other (ties broken by the other objective)."""
    best_a = np.flatnonzero(a >= a.max() - tolerances[0])
    best_b = np.flatnonzero(b >= b.max() - tolerances[1])
    i = best_a[np.argmax(b[best_a])]  # best on the first, then on the second
    j = best_b[np.argmax(a[best_b])]  # best on the second, then on the first
    return float(a.max() - a[j]), float(b.max() - b[i])


def atlas_matrix(members: Sequence[Member], *, tolerance: float = TOLERANCE) -> pd.DataFrame:
    """The relation of every pair of objectives, over the whole family, without the constant, and selectively.

    Scores are accuracy and minus each gap. The *selective* family keeps the
    members whose fairness and robustness rows hold. The privacy score's
    tolerance is three standard errors of the sampled advantage (the largest
    in the family) or ``tolerance``, whichever is larger. Columns:
    ``"whole family"`` (no invariance chosen); for a conflict there,
    ``"first given up"`` (by the best predictor on the second objective) and
    ``"second given up"`` (by the best on the first), the two ends of the
    frontier; ``"without the constant"`` (the constant has every exact trust gap
    0, so with it two trust objectives can never conflict); ``"selective
    invariance chosen"``; ``"chapter"`` (where the book shows the pair's
    conflict: 10 for this chapter, ``"—"`` for a pair no chapter shows in conflict).

    Examples
    --------
    >>> atlas_matrix(family()).loc["utility / explainability", "selective invariance chosen"]
    'conflict'
    """
    def table(group: Sequence[Member]) -> dict[str, np.ndarray]:
        s = [scores(m) for m in group]
        return {o: np.array([x[o] if o == "utility" else -x[o] for x in s]) for o in OBJECTIVES}

    se = max(privacy(m)["advantage s.e."] for m in members)
    tol = {o: max(tolerance, 3 * se) if o == "privacy" else tolerance for o in OBJECTIVES}
    everyone = table(members)
    non_constant = table([m for m in members if m.features])
    passing = [m for m in members if m.audit.row("fairness").holds and m.audit.row("robustness").holds]
    chosen = table(passing)
    rows = []
    for x, y in itertools.combinations(OBJECTIVES, 2):
        before = relation(everyone[x], everyone[y], tolerances=(tol[x], tol[y]))
        after = relation(chosen[x], chosen[y], tolerances=(tol[x], tol[y]))
        lost = _costs(everyone[x], everyone[y], (tol[x], tol[y])) if before == "conflict" else (math.nan, math.nan)
        rows.append({
            "pair": f"{x} / {y}",
            "whole family": before,
            "first given up": lost[0],
            "second given up": lost[1],
            "without the constant": relation(non_constant[x], non_constant[y], tolerances=(tol[x], tol[y])),
            "selective invariance chosen": after,
            "chapter": CHAPTERS.get(frozenset({x, y}), 10 if before == "conflict" else "—"),
        })
    return pd.DataFrame(rows).set_index("pair")


def atlas_table(matrix: pd.DataFrame) -> pd.DataFrame:
    """The atlas matrix for display: costs to 3 decimals, survivors marked.

    Examples
    --------
    >>> atlas_table(atlas_matrix(family()))["survives"].tolist().count("yes")
    1
    """
    shown = matrix.copy()
    for column in ("first given up", "second given up"):
        shown[column] = [f"{v:.3f}" if not math.isnan(v) else "" for v in matrix[column]]
    shown["survives"] = ["yes" if a == "conflict" else "" for a in matrix["selective invariance chosen"]]
    return shown


# ---------------------------------------------------------------------------- the figure
_PANELS = ("fairness", "robustness", "explainability", "recourse", "privacy")
_STYLE = {
    "most accurate": dict(marker="s", color=PALETTE["vermillion"], s=110),
    "selective": dict(marker="o", color=PALETTE["blue"], s=110),
    "uniformly invariant": dict(marker="^", color=PALETTE["black"], s=110),
}


def _hollow(style: Mapping) -> dict:
    # Open symbols, so that a grey dot under a marked predictor stays visible.
    return {**{k: v for k, v in style.items() if k != "color"}, "facecolors": "none", "edgecolors": style["color"],
            "linewidths": 2.0}


def ledger_figure(members: Sequence[Member], named: Mapping[str, Member]) -> Figure:
    """Small multiples: accuracy against each trust gap, every member grey, the three of the lesson marked.

    The three are open symbols drawn under the grey dots (a member next to one stays visible);
    the privacy panel's bars are ± 2 standard errors of the sampled advantage.
    """
    fig, _ = new_figure(6.4, 8.4, ncols=2)
    fig.clf()
    grid = fig.subplots(3, 2)
    everyone = [scores(m) for m in members]
    for ax, objective in zip(grid.flat, _PANELS, strict=False):
        if objective == "privacy":
            ax.errorbar([s[objective] for s in everyone], [s["utility"] for s in everyone],
                        xerr=[2 * privacy(m)["advantage s.e."] for m in members], fmt="none",
                        ecolor=PALETTE["grey"], elinewidth=1.0, capsize=2, zorder=1)
            ax.axvline(0, color=PALETTE["black"], linewidth=0.8, zorder=1)
        ax.scatter([s[objective] for s in everyone], [s["utility"] for s in everyone], marker=".", s=40,
                   color=PALETTE["grey"], zorder=3)
        for role, m in named.items():
            s = scores(m)
            ax.scatter(s[objective], s["utility"], zorder=2, **_hollow(_STYLE[role]))
        ax.set_title(objective, fontsize=13)
        ax.set_xlabel("gap" if objective != "privacy" else "attack advantage", fontsize=11)
        ax.set_ylabel("accuracy", fontsize=11)
        ax.grid(alpha=0.3)
    legend_ax = grid.flat[-1]
    legend_ax.axis("off")
    for role in named:
        legend_ax.scatter([], [], label=role, **_hollow(_STYLE[role]))
    legend_ax.scatter([], [], marker=".", s=40, color=PALETTE["grey"],
                      label="other predictors")
    legend_ax.legend(loc="center", fontsize=11, frameon=False)
    fig.tight_layout()
    return fig


def ledger_alt(members: Sequence[Member], named: Mapping[str, Member]) -> str:
    """Alt text of :func:`ledger_figure`, from the same numbers.

    Examples
    --------
    >>> members = family()
    >>> "accuracy 0.823" in ledger_alt(members, headline(members))
    True
    """
    parts = []
    for role, m in named.items():
        s = scores(m)
        gaps = ", ".join(f"{o} {s[o]:.3f}" for o in _PANELS[:-1])
        p = privacy(m)
        parts.append(f"the {role} predictor ({m.name}) has accuracy {s['utility']:.3f}, gaps {gaps}, "
                     f"and attack advantage {p['advantage']:.3f} ± {p['advantage s.e.']:.3f}")
    return (f"Five scatter plots of accuracy against one trust gap each (fairness, robustness, explainability, "
            f"recourse, privacy attack advantage with bars of ± 2 standard errors) for the {len(members)} "
            f"distinct predictors of the family: " + "; ".join(parts) + ".")


# ---------------------------------------------------------------------------- the explorer
_ROLES = ("most accurate", "selective")


_EXPLORED = ("fairness", "robustness", "explainability")


@lru_cache(maxsize=32)
def explorer_rows(shift: float, bias: float) -> tuple[tuple[str, tuple], ...]:
    """The explorer's numbers: per role, (name, accuracy, fairness, robustness, explainability gaps).

    Examples
    --------
    >>> dict(explorer_rows(0.5, 0.2))["selective"][0]
    '{Q}'
    """
    model = atlas(spurious_noise=(0.1, shift), label_bias=bias)
    top = bayes_optimal(model, "Y", FEATURES)
    top = narrow(top, features_read(attach(model, "Yhat", top), "Yhat"))
    # The selective rule here: path-fair on the features whose mechanism the region leaves alone
    # (the claim test checks that book.select picks the same rule at every setting of the grid).
    chosen = invariant_predictor(model, "Y", ("Q", "P", *MARKERS), "A", UNFAIR)
    chosen = narrow(chosen, features_read(attach(model, "Yhat", chosen), "Yhat"))
    out = []
    for role, h in (("most accurate", top), ("selective", chosen)):
        result = audit(attach(model, "Yhat", h), "Yhat", "Y", attribute="A", unfair_edges=UNFAIR, environment="E",
                       explain=True, tolerance=TOLERANCE)
        gaps = tuple(float(result.row(o).gap or 0.0) for o in _EXPLORED)  # type: ignore[arg-type]
        out.append((role, (subset_label(h.features), result.accuracy, *gaps)))
    return tuple(out)


def _explorer_frame(shift: float, bias: float) -> Figure:
    rows = dict(explorer_rows(shift, bias))
    labels = ("accuracy", *_EXPLORED)
    fig, ax = new_figure(6.4, 4.2)
    y = np.arange(len(labels))
    for k, role in enumerate(_ROLES):
        values = rows[role][1:]
        bars = ax.barh(y + (0.2 if k == 0 else -0.2), values, height=0.38, color=_STYLE[role]["color"],
                       hatch="//" if k == 0 else None, edgecolor="white", label=f"{role} {rows[role][0]}")
        ax.bar_label(bars, fmt="%.3f", padding=3, fontsize=9)
    ax.set_yticks(y, labels, fontsize=11)
    ax.invert_yaxis()
    ax.set_xlim(-0.05, 1.12)
    ax.set_xlabel("accuracy (top) or gap (0 = invariant)", fontsize=11)
    ax.legend(loc="lower right", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def _explorer_alt(shift: float, bias: float) -> str:
    rows = dict(explorer_rows(shift, bias))
    parts = []
    for role in _ROLES:
        name, acc, *gaps = rows[role]
        described = ", ".join(f"{o} {g:.3f}" for o, g in zip(_EXPLORED, gaps, strict=True))
        parts.append(f"{role} predictor {name}: accuracy {acc:.3f}, gaps {described}")
    return (f"Bar chart of two ledgers with noise of S in region 1 {shift:.2f} and label bias {bias:.2f}: "
            + "; ".join(parts) + ".")


def atlas_explorer() -> Explorer:
    """The chapter's explorer: the spurious shift and the label bias against the exact rows of two ledgers.

    The rows shown are accuracy, fairness, robustness and explainability (recourse and the sampled
    privacy row are left out so that each frame is cheap and exact).
    """
    return Explorer(
        _explorer_frame,
        [
            Slider("shift", (0.3, 0.5), label="noise of S in region 1", default=0.5, fmt="{:.1f}"),
            Slider("bias", (0.0, 0.2, 0.4), label="label bias P(U_B = 1)", default=0.2, fmt="{:.1f}"),
        ],
        title="Two ledgers: the most accurate predictor and the selective one",
        alt=_explorer_alt,
        dpi=80,
    )
