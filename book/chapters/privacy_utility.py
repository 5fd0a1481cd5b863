"""Chapter 5: privacy experiments on the records model, repeated and summarised.

One *repetition* draws four independent samples of ``n`` records from
:func:`book.models.records.records`: the training set (the members), a fresh test set
from the same population (the non-members), a shadow training set for the
attacker, and a test set from the shifted environment ``do(E = 1)``. Three
histogram predictors (:func:`book.objectives.privacy.fit_histogram`) are fitted, with and
without differential privacy:

* ``"associational"`` reads every feature, ``C1, C2, N1, ..., Nd`` (``2**(d + 2)`` cells);
* ``"causal"`` reads the causes of ``Y`` only, ``C1, C2`` (4 cells);
* ``"small non-causal"`` reads the two most informative effects of ``Y``, ``N1, N2``
  (4 cells, like the causal one; fitted only when ``d >= 2``): a control that
  separates the size of a table from whether it reads causes.

For each it records utility (train and test accuracy, the gap between them,
accuracy under the shift) and leakage (the advantage and AUC of the
loss-threshold membership attack, with Yeom's threshold learned on the shadow
model, against fresh and against shifted non-members). A member-free control,
``shifted_baseline``, runs the same attack with the fresh non-members in place
of the members: it measures how well the threshold tells the environments
apart, with no membership in play. With one threshold the true positive rates
cancel, so ``shifted_advantage == advantage + shifted_baseline`` exactly: the
shifted attack's membership part is the unshifted advantage. :func:`simulate`
repeats this ``reps`` times from one seed; :func:`summarise` reports each
metric as mean and standard error over the repetitions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from book.metrics import sample_accuracy
from book.models.records import CAUSES, TARGET, draw, feature_names, records
from book.objectives import privacy
from book.objectives.privacy import unique_fraction
from book.viz import PALETTE, SERIES, Explorer, Figure, Slider, new_figure
from book.viz.palette import bare_figure

__all__ = [
    "CAUSES",
    "COLOURS",
    "EPSILONS",
    "HEADLINE",
    "LABELS",
    "METRICS",
    "PREDICTORS",
    "READS",
    "SMALL_NONCAUSAL",
    "TARGET",
    "bound_alt",
    "bound_figure",
    "bound_table",
    "by_epsilon",
    "draw",
    "feature_names",
    "noise_cost",
    "privacy_frontier_alt",
    "privacy_frontier_figure",
    "records",
    "records_explorer",
    "shift_table",
    "simulate",
    "summarise",
    "table",
    "unique_fraction",
]

PREDICTORS = ("associational", "causal", "small non-causal")
#: The non-causal features the small non-causal predictor reads: the two informative effects of Y.
SMALL_NONCAUSAL = ("N1", "N2")
#: What each predictor reads, for legends and alt texts.
READS = {"associational": "all features", "causal": "C1, C2", "small non-causal": "N1, N2"}
METRICS = (
    "train_accuracy", "test_accuracy", "gap", "advantage", "auc", "unique",
    "shifted_accuracy", "shifted_advantage", "shifted_baseline",
)
LABELS = {
    "train_accuracy": "train accuracy",
    "test_accuracy": "test accuracy",
    "gap": "train - test",
    "advantage": "attack advantage",
    "auc": "attack AUC",
    "unique": "unique records",
    "shifted_accuracy": "accuracy after shift",
    "shifted_advantage": "advantage after shift",
    "shifted_baseline": "environment-only advantage",
}
COLOURS = {"associational": SERIES[3], "causal": SERIES[0], "small non-causal": SERIES[2]}
_COLOUR_NAMES = {"associational": "vermillion", "causal": "blue", "small non-causal": "bluish green"}


def _evaluate(
    samples: dict[str, tuple[np.ndarray, np.ndarray]], epsilon: float, seed: tuple[int, ...]
) -> dict[str, float]:
    """Fit the learner and its shadow on one repetition's samples and measure everything."""
    (X, y), (Xt, yt), (Xs, ys), (Xq, yq) = (samples[k] for k in ("train", "test", "shadow", "shifted"))
    # Re-seeded per (repetition, size, role), so the noise for every epsilon is the same standard
    # Laplace draw, scaled: curves over epsilon are then smooth instead of re-randomised at each point.
    model = privacy.fit_histogram(X, y, epsilon=epsilon, rng=np.random.default_rng([*seed, 0]))
    shadow = privacy.fit_histogram(Xs, ys, epsilon=epsilon, rng=np.random.default_rng([*seed, 1]))
    threshold = privacy.shadow_threshold(shadow, Xs, ys)
    (train_pred, train_loss), (test_pred, test_loss), (shifted_pred, shifted_loss) = (
        model.evaluate(Xa, ya) for Xa, ya in ((X, y), (Xt, yt), (Xq, yq))
    )
    train_acc, test_acc = sample_accuracy(train_pred, y), sample_accuracy(test_pred, yt)
    return {
        "train_accuracy": train_acc,
        "test_accuracy": test_acc,
        "gap": train_acc - test_acc,
        "advantage": privacy.threshold_attack(train_loss, test_loss, threshold).advantage,
        "auc": privacy.attack_auc(train_loss, test_loss),
        "unique": unique_fraction(X),
        "shifted_accuracy": sample_accuracy(shifted_pred, yq),
        "shifted_advantage": privacy.threshold_attack(train_loss, shifted_loss, threshold).advantage,
        # The member-free control: fresh E = 0 non-members against E = 1 non-members, same threshold.
        # Whatever advantage it has comes from recognising the environment, not membership.
        "shifted_baseline": privacy.threshold_attack(test_loss, shifted_loss, threshold).advantage,
    }


def _draw_all(n_noncausal: int, n: int, reps: int, seed: int, model: dict[str, Any]) -> dict[str, tuple]:
    # One call per role for all repetitions (vectorised sampling), then split into repetitions.
    out = {}
    for k, role in enumerate(("train", "test", "shadow", "shifted")):
        X, y = draw(n_noncausal, n * reps, np.random.default_rng([seed, k]), shifted=role == "shifted", **model)
        out[role] = (X.reshape(reps, n, -1), y.reshape(reps, n))
    return out


def _check_run(n: int, reps: int, epsilons: Sequence[float]) -> list[float]:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer (records per training set), got {n!r}")
    if isinstance(reps, bool) or not isinstance(reps, int) or reps < 2:
        raise ValueError(f"reps must be an integer >= 2 (a standard error needs two repetitions), got {reps!r}")
    eps = [float(e) for e in epsilons]
    for e in eps:
        if not e > 0:
            raise ValueError(f"every epsilon must be positive (math.inf: no noise), got {e!r}")
    if not eps:
        raise ValueError("epsilons must list at least one value (math.inf: no noise)")
    return eps


EPSILONS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, math.inf)  # the chapter's privacy levels
HEADLINE = {"n": 200, "n_noncausal": 10, "reps": 40, "seed": 2026}  # the chapter's running example


def simulate(
    *,
    n: int = 200,
    n_noncausal: int = 10,
    epsilons: Sequence[float] = (math.inf,),
    reps: int = 40,
    seed: int = 2026,
    sizes: Sequence[int] | None = None,
    **model: Any,
) -> pd.DataFrame:
    """Repeat the experiment ``reps`` times; one row per repetition, predictor, epsilon (and size).

    Parameters
    ----------
    n : int
        Records per sample (training, test, shadow and shifted sets alike).
    n_noncausal : int
        ``d``, the number of non-causal features of :func:`book.models.records.records`.
    epsilons : sequence of float
        Privacy parameters; ``math.inf`` fits without noise.
    reps : int
        Repetitions (each with fresh samples and fresh noise).
    seed : int
        Seeds every sample and every noise draw: the same seed, the same table.
    sizes : sequence of int, optional
        Several training-set sizes at once: the samples of size ``max(sizes)``
        are drawn once and each size uses their first records, so sizes are
        compared on common random numbers. Overrides ``n``.
    **model
        Keyword arguments of :func:`book.models.records.records` (e.g. ``label_noise``).

    Returns
    -------
    pandas.DataFrame
        Columns ``rep, n, predictor, epsilon`` and every metric of :data:`METRICS`;
        the small non-causal predictor appears only when ``n_noncausal >= 2``.

    Examples
    --------
    >>> runs = simulate(n=50, n_noncausal=2, reps=2)
    >>> sorted(set(runs["predictor"]))
    ['associational', 'causal', 'small non-causal']
    """
    sizes = [n] if sizes is None else list(sizes)
    if not sizes:
        raise ValueError("sizes must list at least one training-set size")
    eps = _check_run(sizes[0], reps, epsilons)
    for size in sizes:
        _check_run(size, reps, eps)
    # Cached: the chapter, its self-checks and its explorer ask for the same experiments.
    key = (tuple(sizes), n_noncausal, tuple(eps), reps, seed, tuple(sorted(model.items())))
    return _simulate(*key).copy()


@lru_cache(maxsize=32)
def _simulate(
    sizes: tuple[int, ...], n_noncausal: int, eps: tuple[float, ...], reps: int, seed: int,
    model_items: tuple[tuple[str, Any], ...],
) -> pd.DataFrame:
    model = dict(model_items)
    samples = _draw_all(n_noncausal, max(sizes), reps, seed, model)
    start = len(CAUSES)  # N1, N2 follow C1, C2 (feature_names)
    columns = {"associational": slice(None), "causal": slice(0, start),
               "small non-causal": slice(start, start + len(SMALL_NONCAUSAL))}
    fitted = [name for name in PREDICTORS if name != "small non-causal" or n_noncausal >= len(SMALL_NONCAUSAL)]
    rows = []
    for size in sizes:
        for rep in range(reps):
            for name in fitted:
                one = {role: (X[rep, :size, columns[name]], y[rep, :size]) for role, (X, y) in samples.items()}
                for e in eps:
                    # The noise seed leaves out the predictor: with d = 0 the associational and the causal
                    # predictor are one learner and must give one result (and the two 4-cell tables get
                    # the same noise draws: common random numbers).
                    metrics = _evaluate(one, e, (seed, rep, size))
                    rows.append({"rep": rep, "n": size, "predictor": name, "epsilon": e, **metrics})
    return pd.DataFrame(rows)


def summarise(runs: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard error of every metric, per predictor and epsilon (and size).

    The standard error is :math:`s / \\sqrt{R}` over the :math:`R` repetitions.
    Columns are ``<metric>`` (the mean) and ``<metric>_se``.
    """
    if runs.empty:
        raise ValueError("no runs to summarise")
    keys = (["n"] if runs["n"].nunique() > 1 else []) + ["predictor", "epsilon"]
    grouped = runs.groupby(keys, sort=True)[list(METRICS)]
    mean = grouped.mean()
    se = grouped.std(ddof=1) / np.sqrt(grouped.count())
    return mean.join(se.add_suffix("_se"))


def table(summary: pd.DataFrame, metrics: Sequence[str]) -> pd.DataFrame:
    """The chosen metrics as ``"mean ± se"`` strings with three decimals, for display."""
    unknown = [m for m in metrics if m not in METRICS]
    if unknown:
        raise ValueError(f"unknown metric(s) {unknown!r}; known: {list(METRICS)}")
    out = pd.DataFrame(index=summary.index)
    for m in metrics:
        out[LABELS[m]] = [f"{a:.3f} ± {s:.3f}" for a, s in zip(summary[m], summary[f"{m}_se"], strict=True)]
    out.index = out.index.set_names([("ε" if k == "epsilon" else k) for k in out.index.names])
    return out


def _present(summary: pd.DataFrame, predictors: Sequence[str] = PREDICTORS) -> list[str]:
    """The predictors of ``predictors`` that ``summary`` holds, in the order given."""
    unknown = [p for p in predictors if p not in PREDICTORS]
    if unknown:
        raise ValueError(f"unknown predictor(s) {unknown!r}; known: {list(PREDICTORS)}")
    held = set(summary.index.get_level_values("predictor"))
    return [p for p in predictors if p in held]


def _finite_epsilons(summary: pd.DataFrame) -> list[float]:
    finite = sorted(e for e in set(summary.index.get_level_values("epsilon")) if math.isfinite(e))
    if not finite:
        raise ValueError("the summary has no finite epsilon: run simulate with epsilons below math.inf")
    return finite


def by_epsilon(summary: pd.DataFrame, metric: str) -> pd.DataFrame:
    """One metric as ``"mean ± se"``: a row per epsilon, a column per predictor.

    Examples
    --------
    >>> s = summarise(simulate(n=50, n_noncausal=2, epsilons=(1.0, math.inf), reps=2))
    >>> list(by_epsilon(s, "test_accuracy").columns)
    ['associational', 'causal', 'small non-causal']
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; known: {list(METRICS)}")
    if "n" in summary.index.names:
        raise ValueError("the summary has several sizes n: select one with summary.xs(n, level='n') first")
    names = _present(summary)
    eps = sorted(set(summary.index.get_level_values("epsilon")))
    cells = {name: [f"{summary.loc[(name, e), metric]:.3f} ± {summary.loc[(name, e), f'{metric}_se']:.3f}"
                    for e in eps] for name in names}
    return pd.DataFrame(cells, index=pd.Index([_eps_label(e) for e in eps], name="ε"))


def bound_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Per finite epsilon: both DP bounds on the advantage beside each predictor's measured advantage.

    The tight bound :math:`(e^{\\varepsilon} - 1) / (e^{\\varepsilon} + 1)`
    (:func:`book.objectives.privacy.advantage_bound`) and Yeom et al.'s
    :math:`e^{\\varepsilon} - 1` (:func:`book.objectives.privacy.yeom_bound`).
    """
    finite = _finite_epsilons(summary)
    advantages = by_epsilon(summary, "advantage").loc[[_eps_label(e) for e in finite]]
    bounds = pd.DataFrame(
        {"tight bound": [f"{privacy.advantage_bound(e):.3f}" for e in finite],
         "Yeom's e^ε − 1": [f"{privacy.yeom_bound(e):.3f}" for e in finite]},
        index=advantages.index,
    )
    return bounds.join(advantages.add_prefix("advantage, "))


def noise_cost(
    runs: pd.DataFrame, predictor: str, epsilon: float, *, metric: str = "test_accuracy", n: int | None = None
) -> tuple[float, float]:
    """What the noise of ``epsilon`` costs one predictor, paired over repetitions: mean and standard error.

    Each repetition fits the predictor without noise and with noise on the same
    samples, so the cost is measured per repetition,
    :math:`d_r = m_r(\\infty) - m_r(\\varepsilon)`, and reported as
    :math:`\\bar d \\pm s_d / \\sqrt{R}`. Pairing removes the sampling
    variation the two fits share, so the standard error is that of the
    difference, not of either accuracy.

    Examples
    --------
    >>> runs = simulate(n=200, n_noncausal=2, epsilons=(0.5, math.inf), reps=3)
    >>> [round(x, 3) for x in noise_cost(runs, "causal", 0.5)]
    [0.0, 0.0]
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; known: {list(METRICS)}")
    rows = runs[runs["predictor"] == predictor]
    if rows.empty:
        raise ValueError(f"no runs of the predictor {predictor!r}; the runs hold {sorted(set(runs['predictor']))}")
    if n is not None:
        rows = rows[rows["n"] == n]
    elif rows["n"].nunique() > 1:
        raise ValueError(f"the runs have several sizes {sorted(set(rows['n']))}: choose one with n=")
    per_rep = rows.pivot(index="rep", columns="epsilon", values=metric)
    for e in (epsilon, math.inf):
        if e not in per_rep.columns:
            raise ValueError(f"the runs have no epsilon {e!r} (needed for the paired cost)")
    d = per_rep[math.inf] - per_rep[epsilon]
    return float(d.mean()), float(d.std(ddof=1) / math.sqrt(len(d)))


def shift_table(summaries: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Non-private utility and leakage before and after the shift ``do(E = 1)``, one block per setting.

    Beside the attack's advantage against fresh and against shifted non-members
    it shows the member-free control (``shifted_baseline``, "environment-only
    advantage"): the same attack telling fresh from shifted non-members.
    """
    metrics = ["test_accuracy", "shifted_accuracy", "advantage", "shifted_advantage", "shifted_baseline"]
    blocks = {label: table(s.xs(math.inf, level="epsilon"), metrics) for label, s in summaries.items()}
    return pd.concat(blocks, names=["setting"])


def _two(value: float) -> str:
    return f"{round(float(value), 2) + 0.0:.2f}"  # + 0.0 turns -0.0 into 0.0: no "-0.00"


def _eps_label(epsilon: float) -> str:
    return "∞" if math.isinf(epsilon) else f"{epsilon:g}"


# ---------------------------------------------------------------------------- figures
_LABEL_OFFSETS = {"associational": (7, -10), "causal": (7, 4), "small non-causal": (-7, -3)}


def privacy_frontier_figure(summary: pd.DataFrame, predictors: Sequence[str] = PREDICTORS) -> Figure:
    """Utility against leakage: test accuracy against attack advantage, one curve per predictor over epsilon.

    Each point is one privacy level (labelled by its epsilon; ∞ = no noise),
    with ± 1 standard error bars from the repetitions. The small non-causal
    predictor's labels stand left of its points, so that they do not cover the
    causal predictor's.
    """
    names = _present(summary, predictors)
    fig, ax = new_figure(7.0, 4.2)
    shown = summary[summary.index.get_level_values("predictor").isin(names)]
    spans = (max(np.ptp(shown["advantage"]), 0.1), max(np.ptp(shown["test_accuracy"]), 0.1))
    for name in names:
        part = summary.xs(name, level="predictor").sort_index()
        ax.errorbar(part["advantage"], part["test_accuracy"], xerr=part["advantage_se"],
                    yerr=part["test_accuracy_se"], color=COLOURS[name], marker="o", ms=5, lw=1.5,
                    capsize=2, label=f"{name} ({READS[name]})")
        dx, dy = _LABEL_OFFSETS[name]
        for (lo, hi), (x, y) in _label_groups(part, spans):
            text = f"ε={_eps_label(lo)}" if lo == hi else (
                f"ε ≥ {_eps_label(lo)}" if math.isinf(hi) else f"ε={_eps_label(lo)}–{_eps_label(hi)}")
            ax.annotate(text, (x, y), textcoords="offset points", xytext=(dx, dy), fontsize=8,
                        color=COLOURS[name], ha="right" if dx < 0 else "left")
    ax.axvline(0, color=PALETTE["grey"], lw=0.8)
    left = shown["advantage"].min() - 0.03 - (0.09 if "small non-causal" in names else 0.0)  # room for labels
    ax.set_xlim(min(-0.04, left), shown["advantage"].max() + 0.09)
    ax.set_xlabel("membership-attack advantage TPR − FPR  (0 = leaks nothing)")
    ax.set_ylabel("test accuracy")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right", fontsize=9)
    fig.tight_layout()
    return fig


def privacy_frontier_alt(summary: pd.DataFrame, predictors: Sequence[str] = PREDICTORS) -> str:
    """Alt text of :func:`privacy_frontier_figure`, written from the same numbers."""
    parts = []
    for name in _present(summary, predictors):
        part = summary.xs(name, level="predictor").sort_index()
        lo, hi = part.iloc[0], part.iloc[-1]
        parts.append(
            f"the {name} predictor ({_COLOUR_NAMES[name]}, reads {READS[name]}) runs from accuracy "
            f"{_two(lo['test_accuracy'])} at advantage {_two(lo['advantage'])} (epsilon {_eps_label(part.index[0])}) "
            f"to accuracy {_two(hi['test_accuracy'])} at advantage {_two(hi['advantage'])} "
            f"(epsilon {_eps_label(part.index[-1])})"
        )
    levels = summary.index.get_level_values("epsilon").nunique()
    return f"Test accuracy against membership-attack advantage at {levels} privacy levels: " + "; ".join(parts) + "."


def _label_groups(
    part: pd.DataFrame, spans: tuple[float, float], near: float = 0.04
) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Runs of consecutive epsilons whose points (nearly) coincide, each labelled once at its first point.

    Distances are measured in units of the figure's data ranges ``spans``, so "near" means close on the page.
    """
    xs, ys = part["advantage"].to_numpy(), part["test_accuracy"].to_numpy()
    span_x, span_y = spans
    groups: list[list[int]] = []
    for k in range(len(part)):
        if groups and math.hypot((xs[k] - xs[groups[-1][0]]) / span_x, (ys[k] - ys[groups[-1][0]]) / span_y) < near:
            groups[-1].append(k)
        else:
            groups.append([k])
    eps = part.index.to_numpy()
    return [((eps[g[0]], eps[g[-1]]), (xs[g[0]], ys[g[0]])) for g in groups]


def bound_figure(summary: pd.DataFrame) -> Figure:
    """Attack advantage against epsilon for every predictor, under the tight bound and Yeom's bound.

    The tight bound :math:`(e^{\\varepsilon} - 1)/(e^{\\varepsilon} + 1)` is
    the solid black curve, Yeom's :math:`e^{\\varepsilon} - 1` the dashed one
    (cut at the top of the axes, where it exceeds 1).
    """
    fig, ax = new_figure(7.0, 3.8)
    finite = summary[np.isfinite(summary.index.get_level_values("epsilon"))]
    low, high = finite.index.get_level_values("epsilon").min(), finite.index.get_level_values("epsilon").max()
    grid = np.geomspace(min(low, 0.5 * high), max(high, 2 * low))  # a visible range even for one epsilon
    ax.plot(grid, np.tanh(grid / 2), color=PALETTE["black"], lw=1.6,
            label="tight bound $(e^{\\varepsilon} - 1)/(e^{\\varepsilon} + 1)$")
    ax.plot(grid, np.minimum(np.expm1(grid), 1.05), color=PALETTE["black"], lw=1.2, ls="--",
            label="Yeom's bound $e^{\\varepsilon} - 1$")
    ax.axvspan(math.log(2), grid.max() * 1.1, color=PALETTE["grey"], alpha=0.15, lw=0)
    ax.text(grid.max(), 0.18, "shaded: Yeom's bound > 1", fontsize=8, ha="right", color=PALETTE["black"])
    for name in _present(finite):
        part = finite.xs(name, level="predictor").sort_index()
        ax.errorbar(part.index, part["advantage"], yerr=part["advantage_se"], color=COLOURS[name], marker="o",
                    ms=4, capsize=2, label=f"{name} (measured)")
    ax.set_xscale("log")
    ax.set_ylim(-0.05, 1.05)
    ax.set_xlim(grid.min() / 1.1, grid.max() * 1.1)
    ax.set_xlabel("privacy parameter ε (log scale)")
    ax.set_ylabel("attack advantage")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def bound_alt(summary: pd.DataFrame) -> str:
    """Alt text of :func:`bound_figure`, written from the same numbers."""
    finite = summary[np.isfinite(summary.index.get_level_values("epsilon"))]
    names = _present(finite)
    below = all(r["advantage"] <= privacy.advantage_bound(e) for (_, e), r in finite.iterrows())
    a = finite.xs("associational", level="predictor").sort_index() if "associational" in names else None
    others = [n for n in names if n != "associational"]
    rise = (f"The associational advantage rises from {_two(a['advantage'].iloc[0])} at epsilon "
            f"{_eps_label(a.index[0])} to {_two(a['advantage'].iloc[-1])} at epsilon {_eps_label(a.index[-1])}; "
            if a is not None else "")
    flat = " and ".join(f"the {n} one stays at or below {_two(finite.xs(n, level='predictor')['advantage'].max())}"
                        for n in others)
    colours = [f"the {n} ({_COLOUR_NAMES[n]})" for n in names]
    colours_text = colours[0] if len(colours) == 1 else ", ".join(colours[:-1]) + " and " + colours[-1]
    return (
        f"Attack advantage against epsilon on a log scale for {colours_text} predictor"
        f"{'s' if len(names) > 1 else ''}, under two curves: the tight "
        "bound (e^epsilon - 1)/(e^epsilon + 1), solid, and Yeom's bound e^epsilon - 1, dashed. "
        f"{'Every point lies below the tight bound. ' if below else ''}{rise}{flat}. The shaded region right "
        "of epsilon = ln 2 is where Yeom's bound exceeds 1; the tight bound stays below 1 at every epsilon."
    )


# ---------------------------------------------------------------------------- explorer
EXPLORER_EPSILONS = ("0.1", "0.5", "1", "2", "4", "∞")  # strings, so that the slider can show ∞
EXPLORER_SIZES = (50, 200, 1600)
EXPLORER_D = (0, 2, 10)
EXPLORER_REPS = 10


@lru_cache(maxsize=8)
def _explorer_summary(n_noncausal: int) -> pd.DataFrame:
    # One simulation per d covers every size and epsilon (common random numbers across the sliders).
    runs = simulate(sizes=EXPLORER_SIZES, n_noncausal=n_noncausal, epsilons=[_eps(e) for e in EXPLORER_EPSILONS],
                    reps=EXPLORER_REPS, seed=5)
    return summarise(runs)


def _eps(label: str) -> float:
    return math.inf if label == "∞" else float(label)


def _explorer_row(epsilon: str, n: int, d: int, name: str) -> pd.Series | None:
    """The explorer's summary row, or ``None`` for the small non-causal predictor when ``d < 2``."""
    summary = _explorer_summary(d)
    key = (n, name, _eps(epsilon))
    return summary.loc[key] if key in summary.index else None


_FRAME_METRICS = (("test_accuracy", "test accuracy"), ("advantage", "attack advantage"),
                  ("shifted_accuracy", "accuracy after shift"))


def _frame(epsilon: str, n: int, d: int) -> Figure:
    # One Axes, a fixed layout (no tight_layout), a Figure outside pyplot (no figure manager) and one
    # bar and one errorbar call for all bars: every frame is rendered when the chapter runs, so each
    # must take a few tens of milliseconds.
    fig = bare_figure(6.0, 2.7)
    ax = fig.subplots()
    rows = {name: _explorer_row(epsilon, n, d, name) for name in PREDICTORS}
    step, gap = 0.9, 0.7  # bar spacing within a group, extra space between groups
    starts = [k * (len(PREDICTORS) * step + gap) for k in range(len(_FRAME_METRICS))]
    xs, heights, colours, shown = [], [], [], []
    for (metric, _), x0 in zip(_FRAME_METRICS, starts, strict=True):
        for j, name in enumerate(PREDICTORS):
            x, r = x0 + j * step, rows[name]
            xs.append(x)
            heights.append(0.0 if r is None else r[metric])  # the small non-causal predictor needs N1, N2
            colours.append(COLOURS[name])
            if r is None:
                ax.text(x, 0.03, "n/a", ha="center", fontsize=8, color=PALETTE["grey"])
            else:
                shown.append((x, r[metric], r[f"{metric}_se"]))
                top = max(r[metric], 0.0) + r[f"{metric}_se"]  # the value sits above its error bar
                ax.text(x, top + 0.03, f"{r[metric]:.2f}", ha="center", fontsize=8)
    bars = ax.bar(xs, heights, color=colours, width=0.8)
    x_err, y_err, e_err = zip(*shown, strict=True)
    ax.errorbar(x_err, y_err, yerr=e_err, fmt="none", ecolor=PALETTE["black"], capsize=3, elinewidth=1)
    # The first group's bars, one per predictor in order, are the legend's handles; the bound, when
    # drawn, is named in the legend too (a label beside the line would sit on the bars' values).
    handles, labels = list(bars.patches[:len(PREDICTORS)]), list(PREDICTORS)
    bound = privacy.advantage_bound(_eps(epsilon))
    if bound < 1:
        x0 = starts[1]
        (line,) = ax.plot([x0 - 0.5, x0 + (len(PREDICTORS) - 1) * step + 0.5], [bound, bound],
                          color=PALETTE["black"], ls="--", lw=1.2)
        handles.append(line)
        labels.append("tight DP bound")
    centres = [x0 + (len(PREDICTORS) - 1) * step / 2 for x0 in starts]
    ax.set_xticks(centres, [label for _, label in _FRAME_METRICS], fontsize=9)
    ax.set_xlim(-0.6, starts[-1] + (len(PREDICTORS) - 1) * step + 0.6)
    ax.set_ylim(-0.1, 1.22)
    ax.axhline(0, color=PALETTE["grey"], lw=0.8)
    ax.legend(handles, labels, loc="upper center", fontsize=8, ncols=len(handles), frameon=False)
    fig.subplots_adjust(left=0.07, right=0.99, bottom=0.1, top=0.97)
    return fig


def _alt(epsilon: str, n: int, d: int) -> str:
    rows = {name: _explorer_row(epsilon, n, d, name) for name in PREDICTORS}
    shown = [name for name in PREDICTORS if rows[name] is not None]
    groups = "; ".join(
        f"{label} " + ", ".join(f"{rows[name][metric]:.2f} ({name})" for name in shown)
        for metric, label in _FRAME_METRICS
    )
    missing = "" if len(shown) == len(PREDICTORS) else " The small non-causal predictor needs d of at least 2."
    bound = privacy.advantage_bound(_eps(epsilon))
    limit = (f" The tight DP bound on the advantage, {bound:.2f}, is drawn as a dashed line." if bound < 1
             else " Without noise there is no DP bound.")
    return (
        f"Bar charts for epsilon {epsilon}, {n} training records and {d} non-causal features: {groups}."
        f"{missing}{limit}"
    )


def records_explorer() -> Explorer:
    """Chapter 5's explorer: epsilon, training-set size and number of non-causal features."""
    return Explorer(
        _frame,
        [
            Slider("epsilon", EXPLORER_EPSILONS, label="privacy ε (∞ = no noise)", default="∞"),
            Slider("n", EXPLORER_SIZES, label="training records n", default=200),
            Slider("d", EXPLORER_D, label="non-causal features d", default=10),
        ],
        title="Utility, leakage and robustness of the three predictors",
        alt=_alt,
    )
