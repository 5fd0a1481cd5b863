"""Unit tests of book.foundation: corpora, pre-training, fine-tuning, augmentation, mediation, erasure."""

import numpy as np
import pytest

from book.foundation import (
    Corpus,
    as_predictor,
    cooccurrence,
    counterfactual_augment,
    erase,
    fine_tune,
    mean_difference,
    mix,
    population_corpus,
    pretrain,
    represent,
    sample_corpus,
    swap_augment,
    switch_directions,
    unit_effects,
)
from book.models.resumes import FEATURES, UNFAIR, VOCABULARY, resumes
from book.objectives.fairness import decision_change, switch_coupling


@pytest.fixture(scope="module")
def scm():
    return resumes()


@pytest.fixture(scope="module")
def labelled(scm):
    return population_corpus(scm, VOCABULARY, label="Y")


def test_population_corpus_is_the_exact_joint(scm, labelled):
    assert sum(labelled.weights) == pytest.approx(1.0)
    p = sum(w for d, y, w in zip(labelled.documents, labelled.labels, labelled.weights, strict=True)
            if d[0] == "he" and y == 1)
    assert p == pytest.approx(scm.probability({"A": 1, "Y": 1}))
    assert labelled.documents == tuple(sorted(labelled.documents))


def test_sampled_corpus_is_seeded_and_converges(scm):
    a = sample_corpus(scm, VOCABULARY, 2000, np.random.default_rng(3), label="Y")
    b = sample_corpus(scm, VOCABULARY, 2000, np.random.default_rng(3), label="Y")
    assert a == b
    share = sum(w for d, w in zip(a.documents, a.weights, strict=True) if d[1] == "degree")
    assert abs(share - scm.query("Q")[1]) < 4 * np.sqrt(0.25 / 2000)


def test_bad_input_names_the_problem(scm, labelled):
    with pytest.raises(ValueError, match="the corpus is empty"):
        Corpus((), ())
    with pytest.raises(ValueError, match="unknown variable 'Z'"):
        population_corpus(scm, {"Z": ("a", "b")})
    with pytest.raises(ValueError, match="the vocabulary is empty"):
        population_corpus(scm, {})
    with pytest.raises(ValueError, match="token class 'A' has 3 tokens"):
        population_corpus(scm, {"A": ("x", "y", "z")})
    with pytest.raises(ValueError, match="token 'x' is used twice"):
        population_corpus(scm, {"A": ("x", "y"), "Q": ("x", "z")})
    with pytest.raises(ValueError, match="n must be a positive integer"):
        sample_corpus(scm, VOCABULARY, 0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="dim must be an integer between 1 and 8, got 9"):
        pretrain(labelled, 9)
    with pytest.raises(ValueError, match="needs a labelled corpus"):
        fine_tune(pretrain(labelled, 4), population_corpus(scm, VOCABULARY))
    with pytest.raises(ValueError, match="unknown token 'cat'"):
        represent(pretrain(labelled, 4), [("cat",)])
    with pytest.raises(ValueError, match=r"swap pair .* not in the vocabulary"):
        swap_augment(labelled, [("she", "cat")])
    with pytest.raises(ValueError, match="mixture weights"):
        mix([labelled], [0.5])
    with pytest.raises(ValueError, match="mix needs at least one corpus"):
        mix([])
    with pytest.raises(ValueError, match="weights must be finite and non-negative, got nan"):
        Corpus((("a",), ("b",)), (float("nan"), 1.0))
    with pytest.raises(ValueError, match=r"weights must be finite and non-negative, got -0\.5"):
        Corpus((("a",), ("b",)), (-0.5, 1.5))
    with pytest.raises(ValueError, match=r"weights must sum to 1, they sum to 0\.5"):
        Corpus((("a",),), (0.5,))
    with pytest.raises(ValueError, match="labels must be 0 or 1, got 7"):
        Corpus((("a",),), (1.0,), (7,))


def test_cooccurrence_and_pretraining_are_deterministic(labelled):
    tokens, c = cooccurrence(labelled)
    assert np.allclose(c, c.T) and np.all(np.diag(c) == 0)
    assert c.sum() == pytest.approx(12.0)  # four tokens per document: 12 ordered pairs
    a, b = pretrain(labelled, 8), pretrain(labelled, 8)
    assert a.vectors.tobytes() == b.vectors.tobytes()
    assert a.tokens == tokens


def test_identical_rows_give_identical_embeddings():
    corpus = mix([population_corpus(resumes(style_link=s), VOCABULARY) for s in (0.1, 0.9)])
    e = pretrain(corpus, 8)
    assert np.allclose(e.vector("plain"), e.vector("ornate"))


def test_fine_tuning_fits_the_labels(scm, labelled):
    model = fine_tune(pretrain(labelled, 8), labelled)
    probs = model.probability(labelled.documents)
    assert np.all((probs > 0) & (probs < 1))
    h = as_predictor(model, scm, VOCABULARY)
    assert h.features == FEATURES and set(h.table.values()) <= {0, 1}


def test_augmentations(scm, labelled):
    swapped = swap_augment(labelled, [("she", "he")])
    she = sum(w for d, w in zip(swapped.documents, swapped.weights, strict=True) if d[0] == "she")
    assert she == pytest.approx(0.5)
    twins = counterfactual_augment(labelled, scm, VOCABULARY, attribute="A", unfair_edges=UNFAIR, label="Y")
    assert sum(twins.weights) == pytest.approx(1.0)
    # the degree never changes in a twin: the allowed path is not switched
    degree_before = sum(w for d, w in zip(labelled.documents, labelled.weights, strict=True) if d[1] == "degree")
    degree_after = sum(w for d, w in zip(twins.documents, twins.weights, strict=True) if d[1] == "degree")
    assert degree_after == pytest.approx(degree_before)
    with pytest.raises(ValueError, match="needs a labelled corpus"):
        counterfactual_augment(population_corpus(scm, VOCABULARY), scm, VOCABULARY, attribute="A",
                               unfair_edges=UNFAIR, label="Y")
    with pytest.raises(ValueError, match="not an edge out of 'A'"):
        counterfactual_augment(labelled, scm, VOCABULARY, attribute="A", unfair_edges=[("Q", "Yfair")], label="Y")


def test_mediation_and_erasure(scm, labelled):
    e = pretrain(labelled, 8)
    model = fine_tune(e, labelled)
    coupling = switch_coupling(scm, list(FEATURES), "A", UNFAIR)
    effects = unit_effects(model, scm, VOCABULARY, coupling)
    assert set(effects) == {"total"} | {f"unit {j}" for j in range(8)}
    with pytest.raises(ValueError, match="unit 8 does not exist"):
        unit_effects(model, scm, VOCABULARY, coupling, [8])
    basis = switch_directions(model, scm, VOCABULARY, coupling)
    assert np.allclose(basis @ basis.T, np.eye(len(basis)))
    repaired = erase(e, labelled, basis)
    assert unit_effects(repaired, scm, VOCABULARY, coupling, [])["total"] < 1e-12
    assert decision_change(as_predictor(repaired, scm, VOCABULARY), coupling) == 0.0
    direction = mean_difference(e, labelled, VOCABULARY["A"])
    assert direction.shape == (1, 8) and np.linalg.norm(direction) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="directions must have 8 columns"):
        erase(e, labelled, np.ones((1, 3)))
    with pytest.raises(ValueError, match="directions must be orthonormal"):
        erase(e, labelled, np.ones((1, 8)))
    with pytest.raises(ValueError, match="directions must be finite"):
        erase(e, labelled, np.full((1, 8), np.nan))
    with pytest.raises(ValueError, match="tol must be a finite non-negative number, got -1"):
        switch_directions(model, scm, VOCABULARY, coupling, tol=-1)
    with pytest.raises(ValueError, match="the coupling is empty"):
        unit_effects(model, scm, VOCABULARY, {})
    with pytest.raises(ValueError, match=r"token_class must be a pair of tokens, got \('she', 'he', 'chess'\)"):
        mean_difference(e, labelled, ("she", "he", "chess"))
