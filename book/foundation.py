"""Foundation models in miniature: a corpus written by an SCM, pre-training, fine-tuning, audit and repair.

A *document* is a bag of tokens, one from each *token class*; a token class
writes one discrete variable of a :class:`~book.scm.DiscreteSCM` (the
vocabulary maps each variable to one token per state). A :class:`Corpus` is a
finite set of documents with weights (probabilities for a population corpus,
relative frequencies for a sampled one) and, for fine-tuning, labels.

The pipeline, all numpy, deterministic and exact given its corpus:

* :func:`pretrain`: token embeddings from the positive pointwise mutual
  information (PPMI) of token co-occurrence, factorised by a truncated SVD
  (no labels are read);
* :func:`fine_tune`: a logistic head on the document representation (the sum
  of its token embeddings), fitted by a fixed number of Newton steps with a
  small ridge penalty;
* :func:`as_predictor`: the fine-tuned model as a :class:`~book.predictors.Predictor`
  on the SCM's features, so the book's exact fairness, accuracy and robustness
  functions measure it;
* :func:`swap_augment` (a heuristic word list) and :func:`counterfactual_augment`
  (twins from the SCM, rung 3) for counterfactual data augmentation;
* :func:`unit_effects` (causal mediation through each unit of the
  representation) and :func:`erase` (a linear erasure of directions of the
  representation, then a new head).

Bit-stability: no randomness outside a :class:`numpy.random.Generator` passed
in, no iteration whose count depends on floating-point convergence, documents
kept in a canonical (sorted) order, and each singular vector's sign fixed by
its largest entry.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from book.objectives.fairness import switch_edges
from book.predictors import Predictor
from book.scm import DiscreteSCM, Edge

__all__ = [
    "Corpus",
    "Embedding",
    "FineTuned",
    "Vocabulary",
    "as_predictor",
    "cooccurrence",
    "counterfactual_augment",
    "erase",
    "fine_tune",
    "mean_difference",
    "mix",
    "population_corpus",
    "pretrain",
    "represent",
    "sample_corpus",
    "swap_augment",
    "switch_directions",
    "unit_effects",
]

Vocabulary = Mapping[str, Sequence[str]]
Document = tuple[str, ...]


def _vocabulary(scm: DiscreteSCM, vocabulary: Vocabulary) -> dict[str, tuple[str, ...]]:
    if not vocabulary:
        raise ValueError("the vocabulary is empty: it needs at least one token class")
    out: dict[str, tuple[str, ...]] = {}
    seen: set[str] = set()
    for name, tokens in vocabulary.items():
        states = scm.states(name)  # ValueError naming an unknown token class
        tokens = tuple(tokens)
        if len(tokens) != len(states):
            raise ValueError(f"token class {name!r} has {len(tokens)} tokens for {len(states)} states")
        for t in tokens:
            if t in seen:
                raise ValueError(f"token {t!r} is used twice in the vocabulary")
            seen.add(t)
        out[name] = tokens
    return out


@dataclass(frozen=True)
class Corpus:
    """Weighted documents, optionally labelled.

    Attributes
    ----------
    documents : tuple of tuple of str
        Each document's tokens, one per token class, in class order.
    weights : tuple of float
        Non-negative, summing to one.
    labels : tuple of int, optional
        One label per document (0 or 1), or ``None`` for an unlabelled corpus.
    """

    documents: tuple[Document, ...]
    weights: tuple[float, ...]
    labels: tuple[int, ...] | None = None
    vocabulary: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.documents:
            raise ValueError("the corpus is empty: it has no documents")
        if len(self.weights) != len(self.documents):
            raise ValueError(f"{len(self.weights)} weights for {len(self.documents)} documents")
        if self.labels is not None and len(self.labels) != len(self.documents):
            raise ValueError(f"{len(self.labels)} labels for {len(self.documents)} documents")
        bad = [w for w in self.weights if not (math.isfinite(w) and w >= 0)]
        if bad:
            raise ValueError(f"weights must be finite and non-negative, got {bad[0]!r}")
        if abs(sum(self.weights) - 1.0) > 1e-9:
            raise ValueError(f"weights must sum to 1, they sum to {sum(self.weights)!r}")
        if self.labels is not None:
            wrong = [y for y in self.labels if isinstance(y, bool) or y not in (0, 1)]
            if wrong:
                raise ValueError(f"labels must be 0 or 1, got {wrong[0]!r}")

    def tokens(self) -> tuple[str, ...]:
        """Every token of the vocabulary, in class order (those of the documents if none was given)."""
        if self.vocabulary:
            return self.vocabulary
        return tuple(sorted({t for d in self.documents for t in d}))


def _canonical(rows: Mapping[tuple[Document, int | None], float], vocabulary: tuple[str, ...],
               labelled: bool) -> Corpus:
    items = sorted((k, w) for k, w in rows.items() if w > 0)
    total = sum(w for _, w in items)
    return Corpus(
        documents=tuple(k[0] for k, _ in items),
        weights=tuple(w / total for _, w in items),
        labels=tuple(int(k[1]) for k, _ in items) if labelled else None,  # type: ignore[arg-type]
        vocabulary=vocabulary,
    )


def population_corpus(scm: DiscreteSCM, vocabulary: Vocabulary, *, label: str | None = None) -> Corpus:
    """Every document the SCM can write, weighted by its exact probability.

    .. math:: w(d, y) = P(X_F = x(d),\\ Y = y)

    Examples
    --------
    >>> from book.models.resumes import VOCABULARY, resumes
    >>> c = population_corpus(resumes(), VOCABULARY, label="Y")
    >>> len(c.documents), round(sum(c.weights), 6)
    (32, 1.0)
    """
    vocab = _vocabulary(scm, vocabulary)
    names = list(vocab) + ([label] if label is not None else [])
    joint = scm.memo(("corpus joint", tuple(names)), lambda: scm.joint(names))
    rows: dict[tuple[Document, int | None], float] = {}
    for key, p in joint.items():
        doc = tuple(vocab[n][scm.states(n).index(s)] for n, s in zip(vocab, key, strict=False))
        y = key[-1] if label is not None else None
        rows[(doc, y)] = rows.get((doc, y), 0.0) + p
    return _canonical(rows, tuple(t for ts in vocab.values() for t in ts), label is not None)


def sample_corpus(
    scm: DiscreteSCM, vocabulary: Vocabulary, n: int, rng: np.random.Generator, *, label: str | None = None
) -> Corpus:
    """``n`` documents drawn from the SCM (seeded), weighted by their relative frequency.

    Examples
    --------
    >>> from book.models.resumes import VOCABULARY, resumes
    >>> c = sample_corpus(resumes(), VOCABULARY, 100, np.random.default_rng(0), label="Y")
    >>> round(sum(c.weights), 6), len(c.documents) <= 32
    (1.0, True)
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    vocab = _vocabulary(scm, vocabulary)
    frame = scm.sample(n, rng)
    columns = [frame[v].map(dict(zip(scm.states(v), vocab[v], strict=True))) for v in vocab]
    if label is not None:
        columns.append(frame[label].astype(int))
    counts = pd.concat(columns, axis=1).value_counts(sort=False)
    rows: dict[tuple[Document, int | None], float] = {}
    for key, count in counts.items():
        doc = tuple(key[: len(vocab)])
        y = int(key[-1]) if label is not None else None
        rows[(doc, y)] = rows.get((doc, y), 0.0) + float(count)
    return _canonical(rows, tuple(t for ts in vocab.values() for t in ts), label is not None)


def mix(corpora: Sequence[Corpus], weights: Sequence[float] | None = None) -> Corpus:
    """The mixture of several corpora (sources), equal weights by default.

    Examples
    --------
    >>> a = Corpus((("x",),), (1.0,))
    >>> b = Corpus((("y",),), (1.0,))
    >>> mix([a, b]).weights
    (0.5, 0.5)
    """
    if not corpora:
        raise ValueError("mix needs at least one corpus, got none")
    weights = [1.0 / len(corpora)] * len(corpora) if weights is None else [float(w) for w in weights]
    if len(weights) != len(corpora) or any(w < 0 for w in weights) or abs(sum(weights) - 1) > 1e-9:
        raise ValueError(f"mixture weights must be one per corpus, non-negative, summing to 1: {weights!r}")
    labelled = all(c.labels is not None for c in corpora)
    rows: dict[tuple[Document, int | None], float] = {}
    for c, w in zip(corpora, weights, strict=True):
        for i, (doc, p) in enumerate(zip(c.documents, c.weights, strict=True)):
            key = (doc, c.labels[i] if labelled and c.labels is not None else None)
            rows[key] = rows.get(key, 0.0) + w * p
    return _canonical(rows, corpora[0].vocabulary, labelled)


def cooccurrence(corpus: Corpus) -> tuple[tuple[str, ...], np.ndarray]:
    """Expected co-occurrence of every pair of distinct tokens in a document.

    .. math:: C_{ij} = \\sum_d w(d)\\, [i \\in d]\\, [j \\in d], \\qquad i \\neq j

    Examples
    --------
    >>> tokens, c = cooccurrence(Corpus((("a", "b"), ("a", "c")), (0.75, 0.25)))
    >>> tokens, c[0].tolist()
    (('a', 'b', 'c'), [0.0, 0.75, 0.25])
    """
    tokens = corpus.tokens()
    index = {t: i for i, t in enumerate(tokens)}
    matrix = np.zeros((len(tokens), len(tokens)))
    for doc, w in zip(corpus.documents, corpus.weights, strict=True):
        ids = [index[t] for t in doc]
        for i, j in itertools.permutations(ids, 2):
            matrix[i, j] += w
    return tokens, matrix


@dataclass(frozen=True)
class Embedding:
    """Token embeddings: one row of ``vectors`` per token."""

    tokens: tuple[str, ...]
    vectors: np.ndarray

    def vector(self, token: str) -> np.ndarray:
        """The embedding of ``token``; ``ValueError`` naming an unknown token."""
        if token not in self.tokens:
            raise ValueError(f"unknown token {token!r}; the vocabulary is {list(self.tokens)}")
        return self.vectors[self.tokens.index(token)]


def pretrain(corpus: Corpus, dim: int) -> Embedding:
    """Token embeddings from the truncated SVD of the PPMI matrix (no labels read).

    .. math:: \\mathrm{PPMI}_{ij} = \\max\\Big(0,\\ \\log
              \\frac{C_{ij}\\, C_{\\cdot\\cdot}}{C_{i\\cdot}\\, C_{\\cdot j}}\\Big),
              \\qquad \\mathrm{PPMI} = U S V^\\top,\\quad E = U_{:, :k}\\, S_{:k}^{1/2}

    Each singular vector's sign is fixed so that its largest-magnitude entry is
    positive, and singular values below :math:`10^{-10}` times the largest are
    set to zero (a direction the corpus does not support carries no rounding
    noise): the same corpus gives the same bytes.

    Examples
    --------
    >>> from book.models.resumes import VOCABULARY, resumes
    >>> e = pretrain(population_corpus(resumes(), VOCABULARY), 3)
    >>> e.vectors.shape
    (8, 3)
    """
    tokens, c = cooccurrence(corpus)
    if isinstance(dim, bool) or not isinstance(dim, int) or not 1 <= dim <= len(tokens):
        raise ValueError(f"dim must be an integer between 1 and {len(tokens)}, got {dim!r}")
    total, rows, cols = c.sum(), c.sum(axis=1), c.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(c * total / np.outer(rows, cols))
    ppmi = np.where(np.isfinite(pmi) & (pmi > 0), pmi, 0.0)
    u, s, _ = np.linalg.svd(ppmi)
    s = np.where(s > 1e-10 * s[0], s, 0.0)  # a numerically zero direction is dropped, not kept as noise
    u = u[:, :dim]
    signs = np.sign(u[np.argmax(np.abs(u), axis=0), np.arange(dim)])
    return Embedding(tokens, u * signs * np.sqrt(s[:dim]))


def represent(embedding: Embedding, documents: Iterable[Document]) -> np.ndarray:
    """Document representations: the sum of their tokens' embeddings, one row per document.

    .. math:: r(d) = \\sum_{t \\in d} E_t

    Examples
    --------
    >>> e = Embedding(("a", "b"), np.array([[1.0, 0.0], [0.0, 2.0]]))
    >>> represent(e, [("a", "b"), ("a",)]).tolist()
    [[1.0, 2.0], [1.0, 0.0]]
    """
    return np.array([sum((embedding.vector(t) for t in doc), np.zeros(embedding.vectors.shape[1]))
                     for doc in documents])


@dataclass(frozen=True)
class FineTuned:
    """A pre-trained representation, an optional linear projection, and a logistic head.

    The model's probability of the positive label for a document :math:`d` is
    :math:`\\sigma(w^\\top \\Pi\\, r(d) + b)`, with :math:`\\Pi` the projection
    (the identity unless directions were erased).
    """

    embedding: Embedding
    weights: np.ndarray
    bias: float
    projection: np.ndarray

    def features(self, documents: Iterable[Document]) -> np.ndarray:
        """The representations the head reads: :math:`\\Pi\\, r(d)` for each document."""
        return represent(self.embedding, documents) @ self.projection.T

    def probability(self, documents: Iterable[Document]) -> np.ndarray:
        """:math:`P(\\hat Y = 1 \\mid d)` for each document."""
        return _sigmoid(self.features(documents) @ self.weights + self.bias)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def fine_tune(
    embedding: Embedding,
    corpus: Corpus,
    *,
    projection: np.ndarray | None = None,
    ridge: float = 1e-3,
    steps: int = 30,
) -> FineTuned:
    """Fit a logistic head on the (projected) representations of a labelled corpus.

    Minimises the weighted log-loss plus :math:`\\tfrac{\\lambda}{2}\\lVert w \\rVert^2`
    by exactly ``steps`` Newton steps from zero (no stopping rule, so the
    result does not depend on a convergence test).

    Examples
    --------
    >>> from book.models.resumes import VOCABULARY, resumes
    >>> m = resumes()
    >>> e = pretrain(population_corpus(m, VOCABULARY), 4)
    >>> head = fine_tune(e, population_corpus(m, VOCABULARY, label="Y"))
    >>> head.weights.shape
    (4,)
    """
    if corpus.labels is None:
        raise ValueError("fine-tuning needs a labelled corpus; this one has no labels")
    if not (isinstance(steps, int) and steps >= 1) or not (ridge > 0 and math.isfinite(ridge)):
        raise ValueError(f"steps must be a positive integer and ridge positive, got {steps!r}, {ridge!r}")
    k = embedding.vectors.shape[1]
    proj = np.eye(k) if projection is None else np.asarray(projection, dtype=float)
    if proj.shape != (k, k):
        raise ValueError(f"projection must be {k}x{k}, got shape {proj.shape}")
    x = represent(embedding, corpus.documents) @ proj.T
    x1 = np.hstack([x, np.ones((len(x), 1))])
    y = np.array(corpus.labels, dtype=float)
    w = np.array(corpus.weights)
    theta = np.zeros(k + 1)
    penalty = np.diag([ridge] * k + [0.0])
    for _ in range(steps):
        p = _sigmoid(x1 @ theta)
        grad = x1.T @ (w * (p - y)) + penalty @ theta
        hess = (x1 * (w * p * (1 - p))[:, None]).T @ x1 + penalty + 1e-12 * np.eye(k + 1)
        theta = theta - np.linalg.solve(hess, grad)
    return FineTuned(embedding, theta[:k], float(theta[k]), proj)


def as_predictor(model: FineTuned, scm: DiscreteSCM, vocabulary: Vocabulary) -> Predictor:
    """The fine-tuned model as a deterministic predictor on the SCM's features (positive if :math:`p \\ge 1/2`).

    Its features are the vocabulary's token classes; the book's exact
    fairness and accuracy functions then measure it.

    Examples
    --------
    >>> from book.models.resumes import FEATURES, UNFAIR, VOCABULARY, resumes
    >>> from book.objectives.fairness import switch_coupling
    >>> m = resumes()
    >>> labelled = population_corpus(m, VOCABULARY, label="Y")
    >>> e = pretrain(population_corpus(m, VOCABULARY), 8)
    >>> h = as_predictor(fine_tune(e, labelled), m, VOCABULARY)
    >>> h.features, len(h.table)
    (('A', 'Q', 'P', 'T'), 16)
    """
    vocab = _vocabulary(scm, vocabulary)
    cells = list(itertools.product(*(scm.states(n) for n in vocab)))
    docs = [tuple(vocab[n][scm.states(n).index(s)] for n, s in zip(vocab, cell, strict=True)) for cell in cells]
    probs = model.probability(docs)
    return Predictor(tuple(vocab), {c: int(p >= 0.5) for c, p in zip(cells, probs, strict=True)}, (0, 1))


def swap_augment(corpus: Corpus, pairs: Iterable[tuple[str, str]]) -> Corpus:
    """Add to every document its copy with each listed pair of tokens swapped, same label, equal weight.

    The heuristic of counterfactual data augmentation with a word list.

    Examples
    --------
    >>> c = swap_augment(Corpus((("she", "chess"),), (1.0,), (1,), ("she", "he", "chess")), [("she", "he")])
    >>> c.documents, c.weights
    ((('he', 'chess'), ('she', 'chess')), (0.5, 0.5))
    """
    swap: dict[str, str] = {}
    for a, b in pairs:
        if a not in corpus.tokens() or b not in corpus.tokens():
            raise ValueError(f"swap pair {(a, b)!r} names a token not in the vocabulary")
        swap[a], swap[b] = b, a
    rows: dict[tuple[Document, int | None], float] = {}
    for i, (doc, w) in enumerate(zip(corpus.documents, corpus.weights, strict=True)):
        y = corpus.labels[i] if corpus.labels is not None else None
        for d in (doc, tuple(swap.get(t, t) for t in doc)):
            rows[(d, y)] = rows.get((d, y), 0.0) + w / 2
    return _canonical(rows, corpus.vocabulary, corpus.labels is not None)


def counterfactual_augment(
    corpus: Corpus,
    scm: DiscreteSCM,
    vocabulary: Vocabulary,
    *,
    attribute: str,
    unfair_edges: Iterable[Edge],
    label: str,
) -> Corpus:
    """Add to every labelled document its twins: ``attribute`` switched along the unfair edges only.

    The twins come from the SCM at rung 3: for a document :math:`d` with
    label :math:`y`, the twin :math:`d'` has weight
    :math:`P(X_F^{A \\leftarrow a' \\text{ along unfair}} = x(d') \\mid X_F = x(d), Y = y)`
    (abduction of the background from the document and its label), and keeps
    the label :math:`y`. Original and twins get equal total weight.

    Examples
    --------
    >>> from book.models.resumes import FEATURES, UNFAIR, VOCABULARY, resumes
    >>> from book.objectives.fairness import switch_coupling
    >>> m = resumes()
    >>> labelled = population_corpus(m, VOCABULARY, label="Y")
    >>> e = pretrain(population_corpus(m, VOCABULARY), 8)
    >>> twins = counterfactual_augment(labelled, m, VOCABULARY, attribute="A", unfair_edges=UNFAIR, label="Y")
    >>> round(sum(twins.weights), 6), twins.labels is not None
    (1.0, True)
    """
    vocab = _vocabulary(scm, vocabulary)
    if corpus.labels is None:
        raise ValueError("counterfactual augmentation needs a labelled corpus; this one has no labels")
    a0, a1 = scm.binary_states(attribute)
    features = list(vocab)
    edges = switch_edges(scm, attribute, unfair_edges)
    k = len(features)
    token_of = {(n, s): vocab[n][scm.states(n).index(s)] for n in vocab for s in scm.states(n)}
    state_of = {t: (n, s) for (n, s), t in token_of.items()}

    def twins(a: Any) -> dict[tuple[Any, ...], dict[tuple[Any, ...], float]]:
        other = a1 if a == a0 else a0
        key = ("twins", tuple(features), label, attribute, a, frozenset(edges))
        joint = scm.memo(key, lambda: scm.path_specific_joint(
            [*features, label], intervention={attribute: other}, baseline={attribute: a},
            edges=edges, evidence={attribute: a}))
        out: dict[tuple[Any, ...], dict[tuple[Any, ...], float]] = {}
        for states, p in joint.items():
            if p > 0:
                given = tuple(states[: k + 1])
                out.setdefault(given, {})
                twin = tuple(states[k + 1: 2 * k + 1])
                out[given][twin] = out[given].get(twin, 0.0) + p
        return out

    tables = {a0: twins(a0), a1: twins(a1)}
    if attribute not in vocab:
        raise ValueError(f"the attribute {attribute!r} must be a token class of the vocabulary")
    rows: dict[tuple[Document, int | None], float] = {}
    for doc, y, w in zip(corpus.documents, corpus.labels, corpus.weights, strict=True):
        cell = tuple(state_of[t][1] for t in doc)
        a = cell[features.index(attribute)]
        given = (*cell, y)
        dist = tables[a].get(given)
        if not dist:
            raise ValueError(f"document {doc!r} with label {y!r} has probability zero under the SCM")
        total = sum(dist.values())
        rows[(doc, y)] = rows.get((doc, y), 0.0) + w / 2
        for twin, p in dist.items():
            d2 = tuple(token_of[(n, s)] for n, s in zip(features, twin, strict=True))
            rows[(d2, y)] = rows.get((d2, y), 0.0) + w / 2 * p / total
    return _canonical(rows, corpus.vocabulary, True)


def _pairs(scm: DiscreteSCM, vocabulary: Vocabulary, coupling: Mapping[tuple[tuple, tuple], float]
           ) -> tuple[list[Document], list[Document], np.ndarray]:
    vocab = _vocabulary(scm, vocabulary)
    if not coupling:
        raise ValueError("the coupling is empty: it has no (x, x') pairs to switch")

    def doc(cell: tuple) -> Document:
        return tuple(vocab[n][scm.states(n).index(s)] for n, s in zip(vocab, cell, strict=True))

    items = sorted(coupling.items())
    return [doc(x) for (x, _), _ in items], [doc(x2) for (_, x2), _ in items], np.array([w for _, w in items])


def unit_effects(
    model: FineTuned,
    scm: DiscreteSCM,
    vocabulary: Vocabulary,
    coupling: Mapping[tuple[tuple, tuple], float],
    units: Sequence[int] | None = None,
) -> dict[str, float]:
    """Causal mediation through the representation's units (Vig et al., 2020, in miniature).

    For a switch coupling :math:`w(x, x')` (:func:`book.objectives.fairness.switch_coupling`),
    the total effect is :math:`\\sum w\\, |p(r') - p(r)|` and the indirect
    effect through unit :math:`j` is :math:`\\sum w\\, |p(r \\text{ with } r_j \\leftarrow r'_j) - p(r)|`,
    where :math:`r, r'` are the head's inputs for the factual and the switched
    document and :math:`p` the head's probability.

    Returns
    -------
    dict
        ``"total"`` and ``"unit j"`` for each requested unit.

    Examples
    --------
    >>> from book.models.resumes import FEATURES, UNFAIR, VOCABULARY, resumes
    >>> from book.objectives.fairness import switch_coupling
    >>> m = resumes()
    >>> labelled = population_corpus(m, VOCABULARY, label="Y")
    >>> e = pretrain(population_corpus(m, VOCABULARY), 8)
    >>> w = switch_coupling(m, list(FEATURES), "A", UNFAIR)
    >>> effects = unit_effects(fine_tune(e, labelled), m, VOCABULARY, w, [0])
    >>> sorted(effects), round(effects["total"], 3)
    (['total', 'unit 0'], 0.254)
    """
    k = model.weights.shape[0]
    units = list(range(k)) if units is None else list(units)
    for j in units:
        if isinstance(j, bool) or not isinstance(j, (int, np.integer)) or not 0 <= j < k:
            raise ValueError(f"unit {j!r} does not exist: the representation has units 0 to {k - 1}")
    before, after, w = _pairs(scm, vocabulary, coupling)
    r, r2 = model.features(before), model.features(after)

    def p(x: np.ndarray) -> np.ndarray:
        return _sigmoid(x @ model.weights + model.bias)

    out = {"total": float(w @ np.abs(p(r2) - p(r)))}
    for j in units:
        mixed = r.copy()
        mixed[:, j] = r2[:, j]
        out[f"unit {j}"] = float(w @ np.abs(p(mixed) - p(r)))
    return out


def switch_directions(
    model: FineTuned, scm: DiscreteSCM, vocabulary: Vocabulary, coupling: Mapping[tuple[tuple, tuple], float],
    *, tol: float = 1e-8,
) -> np.ndarray:
    """An orthonormal basis (rows) of the directions in which the switch moves the representation.

    The span of :math:`\\sqrt{w}\\,(r(x') - r(x))` over the coupling: erasing it
    makes every document's representation equal to its switched twin's.

    Examples
    --------
    >>> from book.models.resumes import FEATURES, UNFAIR, VOCABULARY, resumes
    >>> from book.objectives.fairness import switch_coupling
    >>> m = resumes()
    >>> labelled = population_corpus(m, VOCABULARY, label="Y")
    >>> e = pretrain(population_corpus(m, VOCABULARY), 8)
    >>> w = switch_coupling(m, list(FEATURES), "A", UNFAIR)
    >>> b = switch_directions(fine_tune(e, labelled), m, VOCABULARY, w)
    >>> b.shape, bool(np.allclose(b @ b.T, np.eye(2)))
    ((2, 8), True)
    """
    if not (isinstance(tol, (int, float)) and math.isfinite(tol) and tol >= 0):
        raise ValueError(f"tol must be a finite non-negative number, got {tol!r}")
    before, after, w = _pairs(scm, vocabulary, coupling)
    diff = (represent(model.embedding, after) - represent(model.embedding, before)) * np.sqrt(w)[:, None]
    _, s, vt = np.linalg.svd(diff, full_matrices=False)
    keep = vt[s > tol * max(1.0, s[0] if len(s) else 0.0)]
    signs = np.sign(keep[np.arange(len(keep)), np.argmax(np.abs(keep), axis=1)]) if len(keep) else np.ones(0)
    return keep * signs[:, None]


def mean_difference(embedding: Embedding, corpus: Corpus, token_class: Sequence[str]) -> np.ndarray:
    """The unit direction between the mean representations of documents with one or the other token.

    ``token_class`` is the pair of tokens of a binary class (e.g. the
    pronouns). Projecting it out equalises the two class-conditional means, so
    no linear head can then predict the class better than a constant (the
    condition of Belrose et al., 2023).

    Examples
    --------
    >>> from book.models.resumes import FEATURES, UNFAIR, VOCABULARY, resumes
    >>> from book.objectives.fairness import switch_coupling
    >>> m = resumes()
    >>> labelled = population_corpus(m, VOCABULARY, label="Y")
    >>> e = pretrain(population_corpus(m, VOCABULARY), 8)
    >>> d = mean_difference(e, labelled, ("she", "he"))
    >>> d.shape, round(float(np.linalg.norm(d)), 6)
    ((1, 8), 1.0)
    """
    if isinstance(token_class, str) or len(token_class) != 2:
        raise ValueError(f"token_class must be a pair of tokens, got {token_class!r}")
    t0, t1 = token_class
    for t in (t0, t1):
        embedding.vector(t)
    r = represent(embedding, corpus.documents)
    w = np.array(corpus.weights)
    means = []
    for t in (t0, t1):
        mask = np.array([t in d for d in corpus.documents])
        if not (w[mask].sum() > 0):
            raise ValueError(f"no document contains the token {t!r}")
        means.append((w[mask] @ r[mask]) / w[mask].sum())
    delta = means[1] - means[0]
    return (delta / np.linalg.norm(delta))[None, :]


def erase(
    embedding: Embedding, corpus: Corpus, directions: np.ndarray, *, ridge: float = 1e-3, steps: int = 30
) -> FineTuned:
    """Project the listed directions (orthonormal rows) out of the representation, then fit a new head.

    .. math:: \\Pi = I - B^\\top B

    Examples
    --------
    >>> from book.models.resumes import FEATURES, UNFAIR, VOCABULARY, resumes
    >>> from book.objectives.fairness import switch_coupling
    >>> m = resumes()
    >>> labelled = population_corpus(m, VOCABULARY, label="Y")
    >>> e = pretrain(population_corpus(m, VOCABULARY), 8)
    >>> w = switch_coupling(m, list(FEATURES), "A", UNFAIR)
    >>> b = switch_directions(fine_tune(e, labelled), m, VOCABULARY, w)
    >>> round(unit_effects(erase(e, labelled, b), m, VOCABULARY, w, [])["total"], 6)
    0.0
    """
    k = embedding.vectors.shape[1]
    b = np.atleast_2d(np.asarray(directions, dtype=float))
    if b.size and b.shape[1] != k:
        raise ValueError(f"directions must have {k} columns, got shape {b.shape}")
    if not np.isfinite(b).all():
        raise ValueError(f"directions must be finite, got {b.tolist()!r}")
    if b.size and not np.allclose(b @ b.T, np.eye(len(b)), atol=1e-8):
        gram = (b @ b.T).round(6).tolist()
        raise ValueError(f"directions must be orthonormal rows (B B^T = I), got B B^T = {gram!r}")
    proj = np.eye(k) - (b.T @ b if b.size else 0.0)
    return fine_tune(embedding, corpus, projection=proj, ridge=ridge, steps=steps)

