"""Frontier figures: candidates on accuracy-versus-gap axes, in one visual language.

Every frontier figure of the book marks a predictor the same way: a blue
circle when it passes an invariance check, a vermillion square when it fails
(shape and colour, so the distinction survives colour blindness and
greyscale), and an orange ring around the predictor selective invariance picks
(:func:`mark_invariance`, :func:`ring`). :func:`frontier_figure` draws the
candidates of :func:`book.objectives.frontiers.feature_subset_candidates`;
the chapters draw their own frontiers with the same two markers.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from book.objectives.frontiers import Candidate
from book.viz.palette import PALETTE, new_figure

__all__ = ["frontier_figure", "mark_invariance", "ring"]


def mark_invariance(ax: Axes, x: float, y: float, invariant: bool, *, size: float = 40, **style: object) -> None:
    """One predictor: a blue circle if it passes the invariance check, a vermillion square if not."""
    colour = PALETTE["blue"] if invariant else PALETTE["vermillion"]
    ax.scatter(x, y, color=colour, marker="o" if invariant else "s", s=size, zorder=3, **style)


def ring(ax: Axes, x: float, y: float, *, size: float = 220, label: str | None = None) -> None:
    """The orange ring around the predictor selective invariance picks."""
    ax.scatter(x, y, s=size, facecolors="none", edgecolors=PALETTE["orange"], linewidths=2.2, zorder=4,
               label=label)


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
            mark_invariance(ax, c.gaps[gap], c.accuracy, c.invariant(gap), size=40)
            # Put the number on the side away from the nearest other point, so it cannot be
            # read as that point's label.
            others = [o for o in numbered if o is not c]
            nearest = min(others, key=lambda o: ((o.gaps[gap] - c.gaps[gap]) / 1.1) ** 2
                          + ((o.accuracy - c.accuracy) / span) ** 2) if others else c
            above = nearest.accuracy <= c.accuracy
            ax.annotate(str(k), (c.gaps[gap], c.accuracy), textcoords="offset points",
                        xytext=(5, 5 if above else -12), fontsize=8, color=PALETTE["black"])
        if highlight is not None:
            ring(ax, highlight.gaps[gap], highlight.accuracy, size=220)
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
