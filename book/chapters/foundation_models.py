"""The foundation-models chapter: explicit, implicit and hybrid causal assumptions, in miniature.

A corpus of résumés written by an SCM (:func:`book.models.resumes.resumes`),
token embeddings pre-trained on it without labels, a logistic head fine-tuned
on historical hiring labels (:mod:`book.foundation`), and the book's exact
fairness, accuracy and robustness functions applied to the result:

* implicit assumptions: pre-training on one source or on many
  (:func:`pretraining_table`, :func:`source_table`), and augmentation
  strategies chosen with or without the graph (:func:`strategy_table`,
  :func:`sampled_table` for finite corpora over seeds);
* explicit: counterfactual twins from the SCM (the ``"SCM twins"`` strategy);
* hybrid: a mediation audit of the representation (:func:`mediation_table`),
  then erasure of what carries the unfair paths (:func:`erasure_table`,
  :func:`erasure_sweep`);
* causal questions with exact answers (:func:`questions`);
* the explorer over augmentation strategy and proxy strength (:func:`strategy_explorer`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Literal, get_args

import numpy as np
import pandas as pd

from book.audits import audit
from book.foundation import (
    Corpus,
    Embedding,
    FineTuned,
    as_predictor,
    counterfactual_augment,
    erase,
    fine_tune,
    mean_difference,
    mix,
    population_corpus,
    pretrain,
    sample_corpus,
    swap_augment,
    switch_directions,
    unit_effects,
)
from book.models.resumes import FEATURES, FINE_TUNING_SOURCE, SOURCES, UNFAIR, VOCABULARY, resumes
from book.objectives.fairness import accuracy_against, decision_change, switch_coupling
from book.objectives.robustness import Environments
from book.predictors import attach
from book.questions import causal_questions, questions_table
from book.scm import DiscreteSCM
from book.viz import PALETTE, SERIES, Explorer, Figure, Slider, new_figure

__all__ = [
    "DIM",
    "DRAWS",
    "PROXY_STRENGTHS",
    "QUALIFICATION_GAPS",
    "SAMPLED_MEASURES",
    "SECOND_SEED",
    "SEED",
    "STRATEGIES",
    "WORD_LIST",
    "Strategy",
    "audit_table",
    "augment",
    "documents_table",
    "embedding",
    "erasure_sweep",
    "erasure_table",
    "evaluate",
    "fitted",
    "layout_modes",
    "mediation_table",
    "model",
    "paired_difference",
    "pretraining_table",
    "questions",
    "sampled_draws",
    "sampled_table",
    "source_alt",
    "source_figure",
    "source_table",
    "strategy_alt",
    "strategy_explorer",
    "strategy_figure",
    "strategy_table",
    "token_reliance",
]

Strategy = Literal["none", "swap pronouns", "word list", "SCM twins"]
#: The augmentation strategies, in the order of the tables.
STRATEGIES: tuple[str, ...] = get_args(Strategy)
#: A heuristic list of "gendered" words to swap, drawn up without a graph: the pronouns and the degree words.
WORD_LIST: tuple[tuple[str, str], ...] = (("she", "he"), ("no-degree", "degree"))
#: The embedding dimension: every direction the PPMI matrix has (eight tokens).
DIM = 8
#: Seed of the finite-corpus experiment, a second seed its claim tests re-run it with, and its number of draws.
SEED = 11
SECOND_SEED = 1
DRAWS = 100
#: The measures the finite-corpus experiment reports.
SAMPLED_MEASURES: tuple[str, ...] = ("unfair gap", "accuracy", "worst source", "style reliance")
#: The explorer's grid of proxy strengths, and the erasure sweep's qualification gaps.
PROXY_STRENGTHS: tuple[float, ...] = (0.5, 0.6, 0.8, 1.0)
QUALIFICATION_GAPS: tuple[float, ...] = (0.0, 0.3, 0.6)


@lru_cache(maxsize=32)
def model(proxy_strength: float = 0.8, qualification_gap: float = 0.3, style_link: float = FINE_TUNING_SOURCE
          ) -> DiscreteSCM:
    """The résumé SCM of one source (cached: its exact answers are memoised on it)."""
    return resumes(proxy_strength=proxy_strength, qualification_gap=qualification_gap, style_link=style_link)


@lru_cache(maxsize=32)
def embedding(sources: tuple[float, ...] = SOURCES, proxy_strength: float = 0.8,
              qualification_gap: float = 0.3) -> Embedding:
    """Token embeddings pre-trained on the pooled population corpora of ``sources`` (style links)."""
    corpora = [population_corpus(model(proxy_strength, qualification_gap, s), VOCABULARY) for s in sources]
    return pretrain(mix(corpora), DIM)


def augment(corpus: Corpus, strategy: Strategy, scm: DiscreteSCM) -> Corpus:
    """The fine-tuning corpus under one augmentation strategy.

    ``"none"``: as is; ``"swap pronouns"``: each document plus its copy with
    *she* and *he* swapped; ``"word list"``: also the degree words swapped;
    ``"SCM twins"``: each document plus its twins with ``A`` switched along the
    unfair edges only (:func:`book.foundation.counterfactual_augment`).
    """
    if strategy == "none":
        return corpus
    if strategy == "swap pronouns":
        return swap_augment(corpus, WORD_LIST[:1])
    if strategy == "word list":
        return swap_augment(corpus, WORD_LIST)
    if strategy == "SCM twins":
        return counterfactual_augment(corpus, scm, VOCABULARY, attribute="A", unfair_edges=UNFAIR, label="Y")
    raise ValueError(f"strategy must be one of {STRATEGIES}, got {strategy!r}")


def fitted(strategy: Strategy = "none", sources: Sequence[float] = SOURCES, proxy_strength: float = 0.8,
           qualification_gap: float = 0.3) -> FineTuned:
    """The model pre-trained on ``sources`` and fine-tuned on the population corpus of the fine-tuning source.

    ``sources`` is any sequence of style links (a list is accepted); the result is cached.
    """
    if isinstance(sources, (str, bytes)) or not isinstance(sources, Sequence) or not sources:
        raise ValueError(f"sources must be a non-empty sequence of style links, got {sources!r}")
    return _fitted(strategy, tuple(float(s) for s in sources), proxy_strength, qualification_gap)


@lru_cache(maxsize=128)
def _fitted(strategy: Strategy, sources: tuple[float, ...], proxy_strength: float, qualification_gap: float
            ) -> FineTuned:
    scm = model(proxy_strength, qualification_gap)
    labelled = population_corpus(scm, VOCABULARY, label="Y")
    return fine_tune(embedding(sources, proxy_strength, qualification_gap), augment(labelled, strategy, scm))


def evaluate(fine_tuned: FineTuned, proxy_strength: float = 0.8, qualification_gap: float = 0.3
             ) -> dict[str, float]:
    """Exact measurements of a fine-tuned model on the résumé SCM.

    ``unfair gap``: probability that the decision changes when ``A`` is
    switched along the unfair edges (:func:`book.objectives.fairness.decision_change`);
    ``score change``: the mean absolute change of the model's probability under
    the same switch; ``accuracy``: against the historical label ``Y`` of the
    fine-tuning source; ``fair accuracy``: against ``Yfair``; ``worst source``:
    the lowest accuracy against ``Y`` over :data:`~book.models.resumes.SOURCES`;
    ``style reliance``: probability that the decision changes when the style
    token alone is switched.
    """
    scm = model(proxy_strength, qualification_gap)
    h = as_predictor(fine_tuned, scm, VOCABULARY)
    coupling = switch_coupling(scm, list(FEATURES), "A", UNFAIR)
    style = switch_coupling(scm, list(FEATURES), "T", [])
    return {
        "unfair gap": decision_change(h, coupling),
        "score change": unit_effects(fine_tuned, scm, VOCABULARY, coupling, [])["total"],
        "accuracy": accuracy_against(scm, h, "Y"),
        "fair accuracy": accuracy_against(scm, h, "Yfair"),
        "worst source": min(accuracy_against(model(proxy_strength, qualification_gap, s), h, "Y")
                            for s in SOURCES),
        "style reliance": decision_change(h, style),
    }


def token_reliance(fine_tuned: FineTuned, variable: str) -> float:
    """Probability that the decision changes when the token of ``variable`` alone is switched.

    The coupling switches ``variable`` with no edges out of it
    (:func:`book.objectives.fairness.switch_coupling`), so every other token
    keeps its value; ``"T"`` gives :func:`evaluate`'s style reliance.

    Examples
    --------
    >>> round(token_reliance(fitted("word list"), "P"), 3)
    1.0
    """
    if variable not in FEATURES:
        raise ValueError(f"variable must be one of the token classes {FEATURES}, got {variable!r}")
    scm = model()
    coupling = switch_coupling(scm, list(FEATURES), variable, [])
    return decision_change(as_predictor(fine_tuned, scm, VOCABULARY), coupling)


def documents_table(top: int = 6) -> pd.DataFrame:
    """The ``top`` most probable labelled documents of the fine-tuning source, with their probabilities."""
    c = population_corpus(model(), VOCABULARY, label="Y")
    rows = sorted(zip(c.documents, c.labels or (), c.weights, strict=True), key=lambda r: (-r[2], r[0], r[1]))
    return pd.DataFrame([{"document": " ".join(d), "hired (Y)": y, "probability": f"{w:.3f}"}
                         for d, y, w in rows[:top]])


@lru_cache(maxsize=1)
def pretraining_table() -> pd.DataFrame:
    """One source (style link 0.9) against the five pooled sources, fine-tuned without augmentation.

    Columns: the distance between the two style tokens' embeddings, then :func:`evaluate`'s measures.
    """
    rows = {}
    for name, sources in (("one source", (FINE_TUNING_SOURCE,)), ("five sources", SOURCES)):
        e = embedding(sources)
        rows[name] = {"style distance": float(np.linalg.norm(e.vector("ornate") - e.vector("plain"))),
                      **evaluate(fitted("none", sources))}
    return pd.DataFrame(rows).T


@lru_cache(maxsize=1)
def source_table() -> pd.DataFrame:
    """Accuracy against ``Y`` in every source, for the two pre-trainings (no augmentation)."""
    out = {}
    for name, sources in (("one source", (FINE_TUNING_SOURCE,)), ("five sources", SOURCES)):
        h = as_predictor(fitted("none", sources), model(), VOCABULARY)
        out[name] = {s: accuracy_against(model(style_link=s), h, "Y") for s in SOURCES}
    frame = pd.DataFrame(out)
    frame.index.name = "style link of the source"
    return frame


def source_figure(table: pd.DataFrame) -> Figure:
    """Accuracy across sources for the two pre-trainings."""
    fig, ax = new_figure(5.6, 3.4)
    for (name, col), colour, marker in zip(table.items(), SERIES, ("o", "s"), strict=False):
        ax.plot(table.index, col.to_numpy(), marker=marker, color=colour, label=f"pre-trained on {name}")
    ax.axvline(FINE_TUNING_SOURCE, color=PALETTE["grey"], linestyle=":", linewidth=1)
    ax.set_xlabel("style link P(T = Yfair) of the deployment source")
    ax.set_ylabel("accuracy")
    ax.set_ylim(0.3, 0.9)
    ax.legend(loc="lower right", frameon=False)
    fig.tight_layout()
    return fig


def source_alt(table: pd.DataFrame) -> str:
    """Alt text of :func:`source_figure`, from the same numbers."""
    one, five = table["one source"], table["five sources"]
    return (f"Line chart of accuracy against the style link of the deployment source. Pre-trained on one source, "
            f"accuracy falls from {one.iloc[-1]:.3f} at link {table.index[-1]:.1f} to {one.iloc[0]:.3f} at "
            f"link {table.index[0]:.1f}. Pre-trained on five sources, it is {five.min():.3f} in every source.")


@lru_cache(maxsize=1)
def strategy_table() -> pd.DataFrame:
    """:func:`evaluate` for every augmentation strategy (pre-trained on the five sources)."""
    return pd.DataFrame({s: evaluate(fitted(s)) for s in STRATEGIES}).T


def strategy_figure(table: pd.DataFrame) -> Figure:
    """Unfair-path gap against accuracy, one marker per strategy."""
    fig, ax = new_figure(5.6, 3.6)
    for (name, row), colour, marker in zip(table.iterrows(), SERIES, ("o", "s", "^", "D", "v"), strict=False):
        ax.scatter(row["unfair gap"], row["accuracy"], color=colour, marker=marker, s=70, label=name, zorder=3)
    ax.set_xlabel("unfair-path gap (decisions that change)")
    ax.set_ylabel("accuracy (historical labels)")
    ax.set_xlim(-0.05, 1.0)
    ax.legend(loc="lower left", frameon=False)
    fig.tight_layout()
    return fig


def strategy_alt(table: pd.DataFrame) -> str:
    """Alt text of :func:`strategy_figure`, from the same numbers."""
    parts = [f"{name}: gap {r['unfair gap']:.3f}, accuracy {r['accuracy']:.3f}" for name, r in table.iterrows()]
    return "Scatter plot of unfair-path gap against accuracy for each fine-tuning strategy. " + "; ".join(parts) + "."


@lru_cache(maxsize=4)
def sampled_draws(seeds: int = DRAWS, n: int = 1000, n_pretrain: int = 1000, seed: int = SEED) -> pd.DataFrame:
    """The strategies trained on sampled corpora: one row per draw and strategy, measured exactly.

    Each draw samples ``n_pretrain`` unlabelled documents from each of the five
    sources and ``n`` labelled documents from the fine-tuning source (one
    ``numpy.random.Generator`` seeded with ``seed`` for all draws); the
    fine-tuned models are then evaluated exactly on the SCM. Columns: ``draw``,
    ``strategy`` and :func:`evaluate`'s measures.

    Examples
    --------
    >>> d = sampled_draws(2, 50, 50)
    >>> len(d), sorted(set(d["strategy"])) == sorted(STRATEGIES)
    (8, True)
    """
    if isinstance(seeds, bool) or not isinstance(seeds, int) or seeds < 2 or n < 1 or n_pretrain < 1:
        raise ValueError(f"need at least 2 seeds and positive sizes, got {seeds!r}, {n!r}, {n_pretrain!r}")
    rng = np.random.default_rng(seed)
    scm = model()
    rows = []
    for i in range(seeds):
        e = pretrain(mix([sample_corpus(model(style_link=s), VOCABULARY, n_pretrain, rng) for s in SOURCES]), DIM)
        labelled = sample_corpus(scm, VOCABULARY, n, rng, label="Y")
        rows += [{"draw": i, "strategy": s, **evaluate(fine_tune(e, augment(labelled, s, scm)))} for s in STRATEGIES]
    return pd.DataFrame(rows)


def sampled_table(seeds: int = DRAWS, n: int = 1000, n_pretrain: int = 1000, seed: int = SEED) -> pd.DataFrame:
    """Mean and standard error over the draws of :func:`sampled_draws`, one row per strategy."""
    draws = sampled_draws(seeds, n, n_pretrain, seed)
    rows = {}
    for s in STRATEGIES:
        frame = draws[draws["strategy"] == s]
        rows[s] = {**{c: frame[c].mean() for c in SAMPLED_MEASURES},
                   **{f"{c} s.e.": frame[c].std(ddof=1) / np.sqrt(seeds) for c in SAMPLED_MEASURES}}
    return pd.DataFrame(rows).T


def paired_difference(first: Strategy, second: Strategy, measure: str, *, seeds: int = DRAWS,
                      seed: int = SEED) -> tuple[float, float]:
    """Mean and standard error over the draws of ``measure(first) - measure(second)``, paired by draw.

    Both strategies are fine-tuned on the same sampled corpora in each draw,
    so the paired difference has a smaller standard error than the two means.
    """
    if measure not in SAMPLED_MEASURES or first not in STRATEGIES or second not in STRATEGIES:
        raise ValueError(f"need two strategies of {STRATEGIES} and a measure of {SAMPLED_MEASURES}, "
                         f"got {first!r}, {second!r}, {measure!r}")
    d = sampled_draws(seeds, seed=seed).pivot(index="draw", columns="strategy", values=measure)
    diff = d[first] - d[second]
    return float(diff.mean()), float(diff.std(ddof=1) / np.sqrt(len(diff)))


def layout_modes(strategy: Strategy = "word list", *, threshold: float = 0.4, seeds: int = DRAWS,
                 seed: int = SEED) -> pd.DataFrame:
    """The draws of one strategy split by whether the model reads the layout (style reliance ``>= threshold``).

    Columns: the share of draws, and their mean accuracy and style reliance.
    """
    d = sampled_draws(seeds, seed=seed)
    d = d[d["strategy"] == strategy]
    reads = d["style reliance"] >= threshold
    return pd.DataFrame({name: {"share of draws": float(part.mean()),
                                "accuracy": float(d.loc[part, "accuracy"].mean()),
                                "style reliance": float(d.loc[part, "style reliance"].mean())}
                         for name, part in (("reads the layout", reads), ("ignores it", ~reads))}).T


@lru_cache(maxsize=1)
def mediation_table() -> pd.DataFrame:
    """How much of the unfair switch's effect on the score each unit of the representation carries.

    For the model fine-tuned without augmentation: the indirect effect
    through each unit (:func:`book.foundation.unit_effects`), and the total.
    """
    scm = model()
    coupling = switch_coupling(scm, list(FEATURES), "A", UNFAIR)
    effects = unit_effects(fitted("none"), scm, VOCABULARY, coupling)
    return pd.DataFrame({"effect on the score": effects})


@lru_cache(maxsize=8)
def erasure_table(qualification_gap: float = 0.3) -> pd.DataFrame:
    """Before and after erasing directions of the representation, beside the SCM twins.

    Rows: no change; the pronoun direction erased; the mean-difference
    direction of the pronouns erased (statistical, in the spirit of LEACE);
    the directions the unfair switch moves erased (causal, from the audit);
    and the SCM twins for comparison. Each erased model gets a new head.
    """
    scm = model(qualification_gap=qualification_gap)
    e = embedding(SOURCES, 0.8, qualification_gap)
    labelled = population_corpus(scm, VOCABULARY, label="Y")
    coupling = switch_coupling(scm, list(FEATURES), "A", UNFAIR)
    base = fitted("none", SOURCES, 0.8, qualification_gap)
    pronoun = e.vector("he") - e.vector("she")
    models = {
        "no change": base,
        "erase the pronoun direction": erase(e, labelled, (pronoun / np.linalg.norm(pronoun))[None, :]),
        "erase the group mean difference": erase(e, labelled, mean_difference(e, labelled, VOCABULARY["A"])),
        "erase the switch directions": erase(e, labelled, switch_directions(base, scm, VOCABULARY, coupling)),
        "SCM twins": fitted("SCM twins", SOURCES, 0.8, qualification_gap),
    }
    return pd.DataFrame({k: evaluate(m, 0.8, qualification_gap) for k, m in models.items()}).T


@lru_cache(maxsize=1)
def erasure_sweep() -> pd.DataFrame:
    """The score change left by the two erasures as the allowed path ``A -> Q`` strengthens."""
    rows = {}
    for g in QUALIFICATION_GAPS:
        t = erasure_table(g)
        rows[g] = {"group mean difference": t.loc["erase the group mean difference", "score change"],
                   "switch directions": t.loc["erase the switch directions", "score change"]}
    frame = pd.DataFrame(rows).T
    frame.index.name = "qualification gap"
    return frame


@lru_cache(maxsize=1)
def audit_table() -> pd.DataFrame:
    """Three fine-tuned models read by :func:`book.audit`: fairness and robustness rows, and accuracy.

    The fairness row switches ``A`` along the declared unfair edges; the
    robustness row compares :math:`P(Y \\mid X_S)` over the features the model
    reads across the five sources (an :class:`~book.objectives.robustness.Environments`
    family trained on the fine-tuning source), at the audit's default tolerance.
    """
    models = {"one source, no augmentation": fitted("none", (FINE_TUNING_SOURCE,)),
              "five sources, no augmentation": fitted("none"),
              "five sources, SCM twins": fitted("SCM twins")}
    rows = {}
    for name, m in models.items():
        h = as_predictor(m, model(), VOCABULARY)
        family = Environments("Y", {f"link {s:.1f}": attach(model(style_link=s), "Yhat", h) for s in SOURCES},
                              training=[f"link {FINE_TUNING_SOURCE:.1f}"])
        a = audit(attach(model(), "Yhat", h), "Yhat", "Y", attribute="A", unfair_edges=UNFAIR, environment=family)
        fair, robust = a.row("fairness"), a.row("robustness")
        rows[name] = {"fairness gap": f"{fair.gap:.3f}", "fairness": fair.verdict,
                      "robustness gap": f"{robust.gap:.3f}", "robustness": robust.verdict,
                      "accuracy": f"{a.accuracy:.3f}"}
    return pd.DataFrame(rows).T


def questions() -> pd.DataFrame:
    """Generated causal questions about the résumé SCM, with exact answers (rungs 1 to 3)."""
    return questions_table(causal_questions(model(), [("Q", "Y"), ("A", "Q")]))


# ------------------------------------------------------------------ explorer
def _explorer_frame(strategy: str, proxy_strength: float) -> Figure:
    rows = {s: evaluate(fitted(s, SOURCES, proxy_strength), proxy_strength) for s in STRATEGIES}
    fig, ax = new_figure(6.4, 3.6)
    for (name, r), marker in zip(rows.items(), ("o", "s", "^", "D"), strict=True):
        chosen = name == strategy  # the chosen strategy filled, the others hollow so overlaps stay visible
        ax.scatter(r["unfair gap"], r["accuracy"], marker=marker, s=110 if chosen else 70,
                   facecolors=PALETTE["vermillion"] if chosen else "none",
                   edgecolors=PALETTE["vermillion"] if chosen else PALETTE["edge"], linewidths=1.5,
                   zorder=3 if chosen else 2, label=name)
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(0.55, 0.85)
    ax.set_xlabel("unfair-path gap")
    ax.set_ylabel("accuracy (historical labels)")
    ax.set_title(f"{strategy}, proxy strength {proxy_strength:.1f}", fontsize=10)
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=9)
    fig.tight_layout()
    return fig


def _explorer_alt(strategy: str, proxy_strength: float) -> str:
    r = evaluate(fitted(strategy, SOURCES, proxy_strength), proxy_strength)  # type: ignore[arg-type]
    return (f"Scatter of unfair-path gap against accuracy for four strategies at proxy strength "
            f"{proxy_strength:.1f}; highlighted, {strategy}: gap {r['unfair gap']:.3f}, accuracy {r['accuracy']:.3f}.")


def strategy_explorer() -> Explorer:
    """The chapter's explorer: augmentation strategy and proxy strength."""
    return Explorer(
        _explorer_frame,
        [Slider("strategy", STRATEGIES, label="augmentation", default="swap pronouns"),
         Slider("proxy_strength", PROXY_STRENGTHS, label="proxy strength", default=0.8, fmt="{:.1f}")],
        title="Augmentation strategy and proxy strength: unfair-path gap and accuracy",
        alt=_explorer_alt,
    )
