"""Conflicts as frontiers: every candidate predictor on accuracy-versus-gap axes.

A conflict between utility and an invariance shows up as a *frontier*: the
candidates that are invariant (gap 0) are less accurate than the best
candidate overall. Here the candidates are the Bayes-optimal predictors on
every subset of a feature set, each evaluated exactly.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from matplotlib.figure import Figure

from book import metrics
from book.plots import PALETTE, new_figure
from book.predictors import attach, bayes_optimal
from book.scm import DiscreteSCM

GapFunction = Callable[[DiscreteSCM, str], float]


@dataclass(frozen=True)
class Candidate:
    """One predictor: its features, exact accuracy and invariance gaps."""

    features: tuple[str, ...]
    accuracy: float
    gaps: Mapping[str, float]

    @property
    def name(self) -> str:
        """Short label such as ``"{C, S}"``."""
        return "{" + ", ".join(self.features) + "}"

    def invariant(self, gap: str, tolerance: float = 1e-9) -> bool:
        """Whether the candidate passes the named invariance check."""
        return self.gaps[gap] <= tolerance


def feature_subset_candidates(
    scm: DiscreteSCM,
    target: str,
    features: Sequence[str],
    gaps: Mapping[str, GapFunction],
    *,
    prediction: str = "Yhat",
) -> list[Candidate]:
    """Evaluate the Bayes-optimal predictor on every non-empty subset of ``features``.

    Parameters
    ----------
    scm : DiscreteSCM
    target : str
        The label the predictors aim at.
    features : sequence of str
        The candidate features.
    gaps : mapping of str to callable
        Name -> ``gap(scm_with_prediction, prediction_name)`` (e.g. a lambda
        around a function of :mod:`book.invariance`).
    prediction : str
        Name of the prediction variable added to the model.

    Returns
    -------
    list of Candidate
        In order of subset size, then of ``features`` order.
    """
    if not features:
        raise ValueError("feature_subset_candidates needs at least one feature")
    out = []
    for r in range(1, len(features) + 1):
        for subset in itertools.combinations(features, r):
            model = attach(scm, prediction, bayes_optimal(scm, target, subset))
            out.append(
                Candidate(
                    subset,
                    metrics.accuracy(model, prediction, target),
                    {name: fn(model, prediction) for name, fn in gaps.items()},
                )
            )
    return out


def best(candidates: Sequence[Candidate], *, invariant_to: Sequence[str] = ()) -> Candidate:
    """The most accurate candidate passing every named check (fewest features on ties)."""
    passing = [c for c in candidates if all(c.invariant(g) for g in invariant_to)]
    if not passing:
        raise ValueError(f"no candidate is invariant to all of {list(invariant_to)!r}")
    return max(passing, key=lambda c: (round(c.accuracy, 12), -len(c.features)))


def frontier_figure(
    candidates: Sequence[Candidate],
    gap_names: Sequence[str],
    *,
    highlight: Candidate | None = None,
    width: float = 10.0,
) -> Figure:
    """Accuracy against each gap, one panel per gap; distinct predictors only.

    Candidates that compute the same predictor (same accuracy and gaps) are
    drawn once, numbered by accuracy and listed in a key with the smallest
    feature set. The highlighted candidate (e.g. the selective-invariance
    predictor) is ringed.
    """
    fig, axes = new_figure(width, 4.0, ncols=len(gap_names))
    axes = list(axes) if len(gap_names) > 1 else [axes]
    distinct: dict[tuple[float, ...], Candidate] = {}
    for c in sorted(candidates, key=lambda c: len(c.features)):
        key = (round(c.accuracy, 9), *(round(c.gaps[g], 9) for g in gap_names))
        distinct.setdefault(key, c)
    # Number the distinct predictors (most accurate first) and list the numbers in a key beside the
    # panels: short numbers stay legible where several predictors crowd the same corner.
    numbered = sorted(distinct.values(), key=lambda c: (-c.accuracy, len(c.features)))
    span = max(c.accuracy for c in numbered) - min(c.accuracy for c in numbered) or 1.0
    for ax, gap in zip(axes, gap_names, strict=True):
        for k, c in enumerate(numbered, start=1):
            colour = PALETTE["blue"] if c.invariant(gap) else PALETTE["vermillion"]
            marker = "o" if c.invariant(gap) else "s"
            ax.scatter(c.gaps[gap], c.accuracy, color=colour, marker=marker, s=40, zorder=3)
            # Put the number on the side away from the nearest other point, so it cannot be
            # read as that point's label.
            others = [o for o in numbered if o is not c]
            nearest = min(others, key=lambda o: ((o.gaps[gap] - c.gaps[gap]) / 1.1) ** 2
                          + ((o.accuracy - c.accuracy) / span) ** 2) if others else c
            above = nearest.accuracy <= c.accuracy
            ax.annotate(str(k), (c.gaps[gap], c.accuracy), textcoords="offset points",
                        xytext=(5, 5 if above else -12), fontsize=8, color=PALETTE["black"])
        if highlight is not None:
            ax.scatter(highlight.gaps[gap], highlight.accuracy, s=220, facecolors="none",
                       edgecolors=PALETTE["orange"], linewidths=2.2, zorder=4)
        ax.set_xlabel(f"{gap} gap (0 = invariant)")
        ax.set_ylabel("accuracy P(Ŷ = Y)")
        ax.grid(alpha=0.3)
        ax.set_xlim(-0.05, max(1.1, max(c.gaps[gap] for c in candidates) + 0.1))
        low = min(c.accuracy for c in candidates)
        ax.set_ylim(low - 0.04, max(c.accuracy for c in candidates) + 0.04)
    pad = max(12, max(len(c.name) for c in numbered) + 1)  # names such as "{X1, X2, D, S}" need more than 12
    key = "\n".join(f"{k:>2}  {c.name:<{pad}}{c.accuracy:.3f}" for k, c in enumerate(numbered, start=1))
    fig.tight_layout(rect=(0, 0, 0.78, 1))
    fig.text(0.79, 0.93, f"    {'predictor':<{pad}}accuracy\n" + key, ha="left", va="top", fontsize=9.5,
             family="monospace", color=PALETTE["black"])
    return fig
