"""Chapter 1: the three rungs of the ladder of causation, side by side on one model.

Chapter 1 asks three questions of the tutoring model (:func:`book.models.tutoring.tutoring`):

* seeing — how much more often do tutored students pass?
  :math:`P(\\text{Pass} \\mid T = 1) - P(\\text{Pass} \\mid T = 0)`;
* doing — how much would tutoring everyone raise the pass rate?
  :math:`P(\\text{Pass} \\mid do(T = 1)) - P(\\text{Pass} \\mid do(T = 0))`;
* imagining — for Sam, tutored and passed, was tutoring necessary?
  :math:`P(\\text{Pass}_{T = 0} = 0 \\mid T = 1, \\text{Pass} = 1)`.
"""

from __future__ import annotations

from functools import lru_cache

from book.models.tutoring import rung_three_triplet, tutoring
from book.scm import DiscreteSCM
from book.viz import PALETTE, Explorer, Figure, Slider, new_figure

__all__ = [
    "RUNGS",
    "RUNG_LABELS",
    "rung_answers",
    "rung_three_triplet",
    "rungs_alt",
    "rungs_explorer",
    "rungs_figure",
    "tutoring",
]

RUNGS = ("seeing", "doing", "imagining")
RUNG_LABELS = {
    "seeing": "Seeing: pass-rate gap,\ntutored vs not",
    "doing": "Doing: effect of\ntutoring everyone",
    "imagining": "Imagining: P(tutoring was\nnecessary for Sam)",
}


def rung_answers(model: DiscreteSCM) -> dict[str, float]:
    """The three rung-specific answers for a tutoring-shaped model, computed exactly.

    Examples
    --------
    >>> {k: round(v, 3) for k, v in rung_answers(tutoring()).items()}
    {'seeing': 0.524, 'doing': 0.35, 'imagining': 0.345}
    """
    seeing = model.query("Pass", evidence={"Tutored": 1})[1] - model.query("Pass", evidence={"Tutored": 0})[1]
    doing = model.query("Pass", do={"Tutored": 1})[1] - model.query("Pass", do={"Tutored": 0})[1]
    imagining = model.counterfactual("Pass", evidence={"Tutored": 1, "Pass": 1}, do={"Tutored": 0})[0]
    return {"seeing": seeing, "doing": doing, "imagining": imagining}


def rungs_figure(answers: dict[str, float], *, title: str = "") -> Figure:
    """Horizontal bars of the three answers, each labelled with its value."""
    fig, ax = new_figure(6.4, 2.9)
    colours = [PALETTE["sky"], PALETTE["blue"], PALETTE["orange"]]
    ys = list(range(len(RUNGS)))[::-1]
    values = [answers[r] for r in RUNGS]
    ax.barh(ys, values, color=colours, height=0.6)
    for y, v in zip(ys, values, strict=True):
        ax.text(v + 0.015, y, f"{v:.3f}", va="center", fontsize=10)
    ax.set_yticks(ys, [RUNG_LABELS[r] for r in RUNGS], fontsize=9)
    ax.set_xlim(0, 1.0)
    ax.set_xlabel("probability or difference in probability")
    if title:
        ax.set_title(title, fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def rungs_alt(answers: dict[str, float]) -> str:
    """Alt text of :func:`rungs_figure`, written from the same numbers."""
    return (
        f"Bar chart: seeing gap {answers['seeing']:.3f}, effect of tutoring everyone {answers['doing']:.3f}, "
        f"probability tutoring was necessary for Sam {answers['imagining']:.3f}."
    )


@lru_cache(maxsize=64)  # the frame and its alt text need the same numbers: compute them once
def _explorer_answers(confounding: float, easy: float) -> dict[str, float]:
    return rung_answers(tutoring(p_tutored_if_motivated=confounding, p_exam_easy=easy))


def _explorer_frame(confounding: float, easy: float) -> Figure:
    answers = _explorer_answers(confounding, easy)
    return rungs_figure(
        answers, title=f"Tutored only if motivated: {confounding:.2f};  exam easy: {easy:.2f}"
    )


def _explorer_alt(confounding: float, easy: float) -> str:
    a = _explorer_answers(confounding, easy)
    return (
        f"Bar chart for {confounding:.2f} of students tutored only if motivated and an exam easy "
        f"for {easy:.2f}: seeing gap {a['seeing']:.3f}, effect of tutoring everyone "
        f"{a['doing']:.3f}, probability tutoring was necessary for Sam {a['imagining']:.3f}."
    )


def rungs_explorer() -> Explorer:
    """Chapter 1's explorer: confounding strength and exam ease against the three rungs."""
    return Explorer(
        _explorer_frame,
        [
            Slider("confounding", (0.0, 0.1, 0.2, 0.3, 0.4, 0.5), label="share tutored only if motivated",
                   default=0.5, fmt="{:.1f}"),
            Slider("easy", (0.1, 0.2, 0.3, 0.4, 0.5), label="share for whom the exam is easy", default=0.3,
                   fmt="{:.1f}"),
        ],
        title="Seeing, doing, imagining: move the confounder",
        alt=_explorer_alt,
    )
