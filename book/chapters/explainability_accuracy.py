"""Chapter 6: explanations and recourse for a refused loan applicant.

Ties :func:`book.models.loans.loans` to :mod:`book.objectives.explainability`
and :mod:`book.objectives.recourse`: the two predictors the chapter compares, the named
applicants, the tables it prints, the frontier of every feature set and the
explorer. The explanation gaps are named for what they measure: ``"validity"``
(interventional validity: the predictor's attributions against the outcome's own)
and ``"stability"`` (the attributions across environments). Fidelity to the
model is not a gap here: every attribution is an exact Shapley value of the
predictor, so it has fidelity by construction. Models are built once and kept (the exact computations are cached
per model object).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any, Literal

import pandas as pd

from book.models.loans import CAUSES, FEATURES, WEIGHTS, loans
from book.objectives import explainability as ex
from book.objectives import recourse as rc
from book.objectives.frontiers import Candidate, feature_subset_candidates, trade_off
from book.predictors import Predictor, attach, bayes_optimal, bayes_score
from book.scm import DiscreteSCM
from book.viz import PALETTE, Explorer, Figure, Slider, new_figure
from book.viz.frontier import frontier_figure as candidates_figure

__all__ = [
    "APPLICANTS",
    "FEATURES",
    "GAPS",
    "MIN_VALIDITY",
    "NAMES",
    "PREDICTORS",
    "WEIGHTS",
    "attribution_table",
    "attributions",
    "decision",
    "deployed",
    "environments",
    "explanation_candidates",
    "explanation_check",
    "frontier_alt",
    "frontier_figure",
    "game_gap",
    "improvement_plan",
    "loans_explorer",
    "mean_share_among_refused",
    "model",
    "plan_table",
    "plans",
    "score",
    "share",
    "summary",
    "truth",
    "value_function_table",
    "wrong_graph_plans",
]

PredictorName = Literal["associational", "causal"]
PREDICTORS = {"associational": FEATURES, "causal": CAUSES}
MIN_VALIDITY = 0.9  # causal recourse must flip the decision with at least this probability
GAPS = ("validity", "stability")  # interventional validity, stability across environments
NAMES = {"X1": "education X1", "X2": "income X2", "D": "debt D", "S": "spending S"}
# The chapter's applicants: the first is refused only by the associational predictor.
APPLICANTS = {
    "Alex": {"X1": 1, "X2": 1, "D": 0, "S": 0},
    "Bo": {"X1": 0, "X2": 0, "D": 0, "S": 0},
    "Cam": {"X1": 1, "X2": 0, "D": 0, "S": 0},
}


@lru_cache(maxsize=8)
def model(missing_edge: tuple[str, str] | None = None) -> DiscreteSCM:
    """The chapter's SCM (default parameters), or the analyst's wrong one without ``missing_edge``."""
    return loans(missing_edge=missing_edge)


@lru_cache(maxsize=2)
def environments() -> tuple[DiscreteSCM, DiscreteSCM]:
    """The model in environment 0 and in environment 1 (only the mechanism of S differs)."""
    m = model()
    return m.do({"E": 0}), m.do({"E": 1})


def _check_name(name: PredictorName) -> tuple[str, ...]:
    if name not in PREDICTORS:
        raise ValueError(f"unknown predictor {name!r}; choose one of {list(PREDICTORS)}")
    return PREDICTORS[name]


@lru_cache(maxsize=8)
def decision(name: PredictorName) -> Predictor:
    """The Bayes-optimal decision (1 = grant the loan) of the named predictor."""
    return bayes_optimal(model(), "Y", _check_name(name))


@lru_cache(maxsize=8)
def score(name: PredictorName) -> Predictor:
    """The named predictor's score :math:`P(Y = 1 \\mid x_F)`; the decision is ``score > 1/2``."""
    return bayes_score(model(), "Y", _check_name(name))


@lru_cache(maxsize=16)
def deployed(name: PredictorName, missing_edge: tuple[str, str] | None = None) -> DiscreteSCM:
    """The (true or wrong) model with the named predictor's decision attached as ``Yhat``."""
    return attach(model(missing_edge), "Yhat", decision(name))


def attributions(
    name: PredictorName,
    x: Mapping[str, Any],
    kind: ex.ValueFunction = "causal",
    missing_edge: tuple[str, str] | None = None,
) -> dict[str, float]:
    """Exact Shapley values of the named predictor's score at ``x`` (players: all four features).

    With ``missing_edge`` the value function is computed in the analyst's wrong
    model (:func:`model`), as an explanation would be if that edge were
    believed absent; the predictor itself is unchanged.
    """
    return ex.feature_shapley(model(missing_edge), score(name), x, features=FEATURES, kind=kind)


def truth(x: Mapping[str, Any]) -> dict[str, float]:
    """The outcome's own attributions at ``x``: Shapley values of :math:`P(Y = 1 \\mid do(x_T))`."""
    return ex.outcome_shapley(model(), "Y", x, features=FEATURES)


def share(phi: Mapping[str, float], feature: str) -> float:
    """The share :math:`|\\phi_j| / \\sum_k |\\phi_k|` of one feature in an attribution."""
    total = sum(abs(v) for v in phi.values())
    if feature not in phi:
        raise ValueError(f"{feature!r} is not among the attributed features {sorted(phi)!r}")
    return abs(phi[feature]) / total if total > 0 else 0.0


def mean_share_among_refused(name: PredictorName, feature: str = "S") -> float:
    """Average share of ``feature`` in the attributions of everyone the predictor refuses."""
    h, total, acc = decision(name), 0.0, 0.0
    for x, p in ex.individuals(model(), FEATURES):
        if h(**x) == 0:
            total += p
            acc += p * share(attributions(name, x), feature)
    return acc / total


def attribution_table(x: Mapping[str, Any]) -> pd.DataFrame:
    """Per feature: both predictors' attributions, the outcome's, and the effects of setting it."""
    m = model()
    phi_a, phi_c, phi_y = attributions("associational", x), attributions("causal", x), truth(x)
    rows = []
    for j in FEATURES:
        rows.append({
            "feature": NAMES[j],
            "value": x[j],
            "Shapley (associational)": round(phi_a[j], 3),
            "Shapley (causal)": round(phi_c[j], 3),
            "Shapley of Y itself": round(phi_y[j], 3),
            "population effect of do on decision": round(
                ex.interventional_effect(deployed("associational"), "Yhat", j, x[j]), 3),
            "population effect of do on Y": round(ex.interventional_effect(m, "Y", j, x[j]), 3),
        })
    return pd.DataFrame(rows).set_index("feature")


@lru_cache(maxsize=8)
def explanation_check(name: PredictorName, kind: ex.ValueFunction = "causal") -> tuple[float, float]:
    """(validity gap, stability gap) of the named predictor's attributions with one value function.

    The validity gap is :func:`book.objectives.explainability.interventional_invalidity`
    (0 = interventionally valid), the stability gap
    :func:`book.objectives.explainability.instability` across the two environments.
    """
    f = score(name)
    return (
        ex.interventional_invalidity(model(), f, "Y", features=FEATURES, kind=kind),
        ex.instability(model(), environments(), f, features=FEATURES, kind=kind),
    )


def value_function_table() -> pd.DataFrame:
    """Validity gap and stability gap of both predictors under each value function."""
    rows = []
    for kind in ex.VALUE_FUNCTIONS:
        for name in PREDICTORS:
            invalid, unstable = explanation_check(name, kind)
            rows.append({"value function": kind, "predictor": name,
                         "validity gap": round(invalid, 3), "stability gap": round(unstable, 3)})
    return pd.DataFrame(rows).set_index(["value function", "predictor"])


def _gap(kind: str) -> Callable[[DiscreteSCM, str], float]:
    # A gap function for feature_subset_candidates: it reads the candidate's features off the model.
    def gap(scm: DiscreteSCM, prediction: str) -> float:
        features = scm.parents(prediction)
        f = bayes_score(model(), "Y", features)
        if kind == "validity":
            return ex.interventional_invalidity(model(), f, "Y", features=FEATURES)
        return ex.instability(model(), environments(), f, features=FEATURES)

    return gap


@lru_cache(maxsize=8)
def game_gap(name: PredictorName, kind: ex.ValueFunction = "causal") -> float:
    """Largest difference between the named predictor's game and the outcome's, over applicants and coalitions.

    0 means the predictor's attributions equal the outcome's for every applicant, so its
    validity gap is 0 by construction (see :func:`book.objectives.explainability.game_gap`).
    """
    return ex.game_gap(model(), score(name), "Y", features=FEATURES, kind=kind)


@lru_cache(maxsize=1)
def explanation_candidates() -> tuple[Candidate, ...]:
    """The Bayes-optimal predictor on every feature subset, with both explanation gaps."""
    return tuple(feature_subset_candidates(model(), "Y", FEATURES, {g: _gap(g) for g in GAPS}))


def summary() -> str:
    """The conflict in numbers: the most accurate predictor and the causal one, and what beats the causal one."""
    candidates = explanation_candidates()
    causal = _causal_candidate(candidates)
    found = trade_off(candidates, causal)
    top, better = found["top"], found["better"]
    lines = [f"{c.name:>16}: accuracy {c.accuracy:.3f}  validity gap {c.gaps['validity']:.3f}  "
             f"stability gap {c.gaps['stability']:.3f}" for c in (top, causal)]
    all_s = ", all reading S" if all("S" in c.features for c in better) else ""
    lines.append(f"{len(better)} predictors beat the causal one on accuracy{all_s}")
    smallest = found["smallest gaps"]
    lines.append(f"their smallest gaps: validity {smallest['validity']:.3f}, "
                 f"stability {smallest['stability']:.3f}")
    return "\n".join(lines)


def _causal_candidate(candidates: tuple[Candidate, ...]) -> Candidate:
    return next(c for c in candidates if c.features == PREDICTORS["causal"])


def frontier_figure() -> Figure:
    """Accuracy against the validity and stability gaps for every feature subset, the causal one ringed."""
    candidates = explanation_candidates()
    return candidates_figure(candidates, GAPS, highlight=_causal_candidate(candidates))


def frontier_alt() -> str:
    """Alt text of the chapter's frontier figure, written from the same candidates."""
    candidates = explanation_candidates()
    causal = _causal_candidate(candidates)
    better = trade_off(candidates, causal)["better"]
    claim = ("reads S and has both gaps positive"
             if all("S" in c.features and min(c.gaps[g] for g in GAPS) > 0 for c in better)
             else "is plotted with its gaps")
    zero = "has both gaps zero" if all(causal.invariant(g) for g in GAPS) else "has gaps " + ", ".join(
        f"{causal.gaps[g]:.3f}" for g in GAPS)
    return (
        "Two scatter plots of accuracy against the validity gap (left) and the stability gap (right) for the "
        f"Bayes-optimal predictor on every subset of {', '.join(FEATURES)}. Every predictor more accurate than "
        f"{causal.accuracy:.3f} {claim}; the causal predictor on {', '.join(causal.features)}, ringed, {zero}."
    )


def plans(name: PredictorName, x: Mapping[str, Any]) -> tuple[rc.Plan, rc.Plan]:
    """The nearest counterfactual and the minimal causal intervention for ``x``, both acted upon."""
    m, world = model(), deployed(name)
    nearest = rc.nearest_counterfactual(
        decision(name), x, states={j: m.states(j) for j in FEATURES}, weights=WEIGHTS)
    causal = rc.causal_recourse(world, x, weights=WEIGHTS, min_validity=MIN_VALIDITY)
    return (
        rc.evaluate(world, x, nearest, weights=WEIGHTS, method="nearest counterfactual"),
        rc.evaluate(world, x, causal, weights=WEIGHTS, method="causal recourse"),
    )


def improvement_plan(name: PredictorName, x: Mapping[str, Any]) -> rc.Plan:
    """The cheapest action under which ``x`` repays with probability at least :data:`MIN_VALIDITY`, acted upon.

    The same search as the causal recourse of :func:`plans`, but aimed at the outcome
    :math:`Y` instead of the decision (improvement rather than acceptance); the plan is
    then evaluated against the named predictor's decision.
    """
    world = deployed(name)
    action = rc.causal_recourse(world, x, weights=WEIGHTS, prediction="Y", min_validity=MIN_VALIDITY)
    return rc.evaluate(world, x, action, weights=WEIGHTS, method="improvement (targets Y)")


def plan_table(plans_: tuple[rc.Plan, ...]) -> pd.DataFrame:
    """Plans side by side: advice, cost and the two validities."""
    return pd.DataFrame([
        # Fixed-width strings: the printed numbers keep their trailing zeros (0.40, not 0.4).
        {"method": p.method, "advice": p.advice, "cost": f"{p.cost:.2f}",
         "P(model accepts)": f"{p.decision_validity:.3f}", "P(repays)": f"{p.outcome_validity:.3f}"}
        for p in plans_
    ]).set_index("method")


def wrong_graph_plans(x: Mapping[str, Any], name: PredictorName = "causal") -> tuple[rc.Plan, ...]:
    """Causal recourse planned in the true model and in each wrong one, all acted upon in the true one."""
    out = []
    for missing, label in ((None, "true graph"), (("X1", "X2"), "no X1->X2"), (("X1", "D"), "no X1->D")):
        action = rc.causal_recourse(deployed(name, missing), x, weights=WEIGHTS, min_validity=MIN_VALIDITY)
        out.append(rc.evaluate(deployed(name), x, action, weights=WEIGHTS, method=label))
    return tuple(out)


# ---------------------------------------------------------------- explorer
EXPLORER_APPLICANTS = {
    "X1=0 X2=0 D=0 S=0": APPLICANTS["Bo"],
    "X1=0 X2=1 D=0 S=0": {"X1": 0, "X2": 1, "D": 0, "S": 0},
    "X1=1 X2=0 D=0 S=0": APPLICANTS["Cam"],
    "X1=1 X2=1 D=0 S=0": APPLICANTS["Alex"],
    "X1=1 X2=1 D=1 S=1": {"X1": 1, "X2": 1, "D": 1, "S": 1},
    "X1=2 X2=2 D=1 S=0": {"X1": 2, "X2": 2, "D": 1, "S": 0},
}


@lru_cache(maxsize=32)
def _frame_data(applicant: str, predictor: str) -> dict[str, Any]:
    x = EXPLORER_APPLICANTS[applicant]
    refused = decision(predictor)(**x) == 0
    phi, truth_ = attributions(predictor, x), truth(x)
    return {
        "phi": phi,
        "truth": truth_,
        "gap": ex.attribution_distance(phi, truth_),
        "effect": {j: ex.interventional_effect(model(), "Y", j, x[j]) for j in FEATURES},
        "refused": refused,
        "plans": plans(predictor, x) if refused else (),
    }


def _frame(applicant: str, predictor: str) -> Figure:
    data = _frame_data(applicant, predictor)
    fig, (ax, text) = new_figure(8.0, 3.4, ncols=2)
    width = 0.27
    series = (("phi", f"attribution ({predictor})", PALETTE["vermillion"]),
              ("truth", "attribution of Y itself", PALETTE["blue"]),
              ("effect", "population effect of do(feature) on Y", PALETTE["green"]))
    for k, (key, label, colour) in enumerate(series):
        ax.bar([i + (k - 1) * width for i in range(len(FEATURES))], [data[key][j] for j in FEATURES],
               width, label=label, color=colour)
    ax.axhline(0, color=PALETTE["black"], linewidth=0.8)
    ax.set_xticks(range(len(FEATURES)), [NAMES[j] for j in FEATURES], fontsize=8)
    ax.set_ylabel("change in P(repay)")
    ax.set_ylim(-0.45, 0.45)
    # The key sits under the plans, where it cannot hide a bar.
    text.legend(*ax.get_legend_handles_labels(), fontsize=8, loc="lower left", frameon=False)
    ax.set_title(f"applicant {applicant}", fontsize=9)
    text.axis("off")
    gap = f"Validity gap here: {data['gap']:.2f}"
    if not data["refused"]:
        lines = [gap, "", f"The {predictor} predictor grants the loan:", "no recourse needed."]
    else:
        lines = [gap, "", f"Refused by the {predictor} predictor."]
        for plan in data["plans"]:
            lines += ["", f"{plan.method}:", f"  {plan.advice} (cost {plan.cost:.1f})",
                      f"  model accepts {plan.decision_validity:.2f}, repays {plan.outcome_validity:.2f}"]
    text.text(0.0, 0.95, "\n".join(lines), va="top", ha="left", fontsize=9, family="monospace",
              color=PALETTE["black"])
    fig.tight_layout()
    text.set_position((0.56, 0.05, 0.43, 0.9))
    return fig


def _alt(applicant: str, predictor: str) -> str:
    data = _frame_data(applicant, predictor)
    phi = ", ".join(f"{NAMES[j]} {data['phi'][j]:+.2f}" for j in FEATURES)
    head = (f"Bar chart for the applicant with {applicant}: the {predictor} predictor's attributions "
            f"are {phi}; the spending pattern's true effect on repayment is 0; the distance between these "
            f"attributions and the outcome's own (the validity gap for this applicant) is {data['gap']:.2f}. ")
    if not data["refused"]:
        return head + "The loan is granted."
    nearest, causal = data["plans"]
    return head + (
        f"Nearest counterfactual: {nearest.advice}, cost {nearest.cost:.1f}, the model then accepts with "
        f"probability {nearest.decision_validity:.2f}. Causal recourse: {causal.advice}, cost "
        f"{causal.cost:.1f}, accepted with probability {causal.decision_validity:.2f}.")


def loans_explorer() -> Explorer:
    """Chapter 6's explorer: pick an applicant and a predictor; see attributions and both recourse plans."""
    return Explorer(
        _frame,
        [
            Slider("applicant", tuple(EXPLORER_APPLICANTS), label="applicant", default="X1=1 X2=1 D=0 S=0"),
            Slider("predictor", tuple(PREDICTORS), label="predictor", default="associational"),
        ],
        title="Explanations and recourse for one applicant",
        alt=_alt,
        dpi=100,  # the plans are text: keep them legible
    )
