"""Every number and claim in the prose of the foundation-models chapter, recomputed through book/."""

import numpy as np

from book.chapters import foundation_models as ch
from book.foundation import as_predictor, fine_tune, population_corpus
from book.models.resumes import FINE_TUNING_SOURCE, SOURCES, VOCABULARY, resumes
from book.questions import causal_questions
from book.scm import TOLERANCE


def test_the_model_and_its_parameters(approx):
    m = resumes()
    assert m.query("A")[1] == approx(0.5)
    assert m.probability({"P": 1}, evidence={"A": 1}) - m.probability({"P": 1}, evidence={"A": 0}) == approx(0.8)
    assert m.probability({"T": 1}, evidence={"Yfair": 1}) == approx(FINE_TUNING_SOURCE) == approx(0.9)
    assert SOURCES == (0.1, 0.3, 0.5, 0.7, 0.9) and np.mean(SOURCES) == approx(0.5)
    corpus = population_corpus(m, VOCABULARY)
    assert len(corpus.documents) == 16  # every document, with its exact probability
    assert len(ch.documents_table()) == 6


def test_pretraining_sources(approx):
    pre = ch.pretraining_table()
    one, five = pre.loc["one source"], pre.loc["five sources"]
    assert one["style distance"] == approx(1.125)
    assert one["style reliance"] == approx(0.710)
    assert one["accuracy"] == approx(0.833) and one["worst source"] == approx(0.399)
    assert five["style distance"] < TOLERANCE  # identical co-occurrence rows, by construction
    assert five["style reliance"] == 0.0
    src = ch.source_table()
    assert src["five sources"].max() - src["five sources"].min() < TOLERANCE  # equal in every source
    assert src["five sources"].iloc[0] == approx(0.787) == approx(five["worst source"])
    assert src["one source"].iloc[-1] == approx(0.833) and src["one source"].iloc[0] == approx(0.399)
    assert one["unfair gap"] == approx(0.127) and five["unfair gap"] == approx(0.510)


def test_augmentation_strategies(approx):
    t = ch.strategy_table()
    assert t.loc["none", "unfair gap"] == approx(0.510)
    assert t.loc["swap pronouns", "unfair gap"] == approx(0.408)
    assert t.loc["word list", "accuracy"] == approx(0.634) and t.loc["word list", "unfair gap"] == approx(0.800)
    assert t.loc["SCM twins", "unfair gap"] == 0.0
    assert t.loc["none", "accuracy"] == approx(0.787) and t.loc["SCM twins", "accuracy"] == approx(0.745)
    assert t.loc["none", "fair accuracy"] == approx(0.674) and t.loc["SCM twins", "fair accuracy"] == approx(0.800)
    assert t.loc["SCM twins", "score change"] == approx(0.004)
    assert t.loc["none", "accuracy"] - t.loc["word list", "accuracy"] == approx(0.153)
    # the twins' decisions are exactly "hire the résumés with a degree"
    h = as_predictor(ch.fitted("SCM twins"), ch.model(), VOCABULARY)
    assert all(decision == cell[1] for cell, decision in h.table.items())
    # the twins' residual score change comes from the ridge penalty: below 1e-4 at ridge 1e-5
    corpus = ch.augment(population_corpus(ch.model(), VOCABULARY, label="Y"), "SCM twins", ch.model())
    assert ch.evaluate(fine_tune(ch.embedding(), corpus, ridge=1e-5, steps=60))["score change"] < 1e-4


def test_finite_corpora(approx):
    s = ch.sampled_table()
    assert ch.DRAWS == 100 and ch.SEED == 11
    printed = {k: (round(s.loc[k, "unfair gap"], 3), round(s.loc[k, "unfair gap s.e."], 3))
               for k in ("none", "swap pronouns", "SCM twins", "word list")}
    assert printed == {"none": (0.417, 0.015), "swap pronouns": (0.248, 0.016), "SCM twins": (0.008, 0.002),
                       "word list": (0.466, 0.015)}
    words, twins, none = s.loc["word list"], s.loc["SCM twins"], s.loc["none"]
    assert words["style reliance"] == approx(0.390) and words["style reliance s.e."] == approx(0.017)
    assert words["worst source"] == approx(0.475) and words["worst source s.e."] == approx(0.008)
    assert words["accuracy"] == approx(0.772) and words["accuracy s.e."] == approx(0.007)
    assert none["style reliance"] == approx(0.056) and none["style reliance s.e."] == approx(0.011)
    assert none["accuracy"] == approx(0.786) and none["worst source"] == approx(0.772)
    assert twins["worst source"] == approx(0.700)
    modes = ch.layout_modes()
    assert modes.loc["reads the layout", "share of draws"] == approx(0.64)
    assert modes.loc["reads the layout", "style reliance"] == approx(0.501)
    assert modes.loc["reads the layout", "accuracy"] == approx(0.811)
    assert modes.loc["ignores it", "style reliance"] == approx(0.192)
    assert modes.loc["ignores it", "accuracy"] == approx(0.702)
    assert ch.paired_difference("SCM twins", "none", "style reliance") == (approx(0.056), approx(0.016))
    assert ch.paired_difference("SCM twins", "none", "worst source") == (approx(-0.073), approx(0.007))
    # the word list against no augmentation, in the population corpus: differences of 0.290 and 0.153
    t = ch.strategy_table()
    assert t.loc["word list", "unfair gap"] - t.loc["none", "unfair gap"] == approx(0.290)


def sampled_claims(seed):
    """The finite-corpus claims as directions with 3 s.e. margins, for one seed."""
    s = ch.sampled_table(seed=seed)

    def se(a, b, col):
        return np.hypot(s.loc[a, f"{col} s.e."], s.loc[b, f"{col} s.e."])

    # "far below": the twins' gap is more than 3 standard errors below the others'; "small": below 0.02
    for other in ("none", "swap pronouns", "word list"):
        assert s.loc[other, "unfair gap"] - s.loc["SCM twins", "unfair gap"] > 3 * se(other, "SCM twins", "unfair gap")
    assert s.loc["SCM twins", "unfair gap"] < 0.02
    # every sampled model relies on the layout again (3 s.e. above 0), the word list most
    assert (s["style reliance"] > 3 * s["style reliance s.e."]).all()
    for other in ("none", "swap pronouns", "SCM twins"):
        diff = s.loc["word list", "style reliance"] - s.loc[other, "style reliance"]
        assert diff > 3 * se("word list", other, "style reliance")
        diff = s.loc[other, "worst source"] - s.loc["word list", "worst source"]
        assert diff > 3 * se("word list", other, "worst source")
    # the word list moved towards the unaugmented model: gap down from 0.800, accuracy up from 0.634,
    # within a few hundredths of no augmentation (population differences: 0.290 and 0.153)
    t = ch.strategy_table()
    words = s.loc["word list"]
    assert t.loc["word list", "unfair gap"] - words["unfair gap"] > 3 * words["unfair gap s.e."]
    assert s.loc["word list", "accuracy"] - t.loc["word list", "accuracy"] > 3 * s.loc["word list", "accuracy s.e."]
    gap, _ = ch.paired_difference("word list", "none", "unfair gap", seed=seed)
    acc, _ = ch.paired_difference("word list", "none", "accuracy", seed=seed)
    assert abs(gap) < 0.1 and abs(acc) < 0.05
    # the draws of the word list are bimodal: reading the layout goes with higher accuracy
    modes = ch.layout_modes(seed=seed)
    assert 0.2 < modes.loc["reads the layout", "share of draws"] < 0.8
    assert modes.loc["reads the layout", "accuracy"] - modes.loc["ignores it", "accuracy"] > 0.05
    # the twins cost robustness against no augmentation: more style reliance, lower worst source (3 s.e., paired)
    rel, rel_se = ch.paired_difference("SCM twins", "none", "style reliance", seed=seed)
    worst, worst_se = ch.paired_difference("SCM twins", "none", "worst source", seed=seed)
    assert rel > 3 * rel_se and worst < -3 * worst_se
    # the twins' worst-source accuracy lies below their own-source accuracy by more than 3 s.e.
    twins = s.loc["SCM twins"]
    assert twins["accuracy"] - twins["worst source"] > 3 * np.hypot(twins["accuracy s.e."], twins["worst source s.e."])


def test_finite_corpus_claims_hold_for_the_chapter_seed():
    sampled_claims(ch.SEED)


def test_finite_corpus_claims_hold_for_a_second_seed():
    sampled_claims(ch.SECOND_SEED)


def test_single_token_switches(approx):
    one, five = ch.fitted("none", (FINE_TUNING_SOURCE,)), ch.fitted("none")
    assert ch.token_reliance(five, "A") == approx(0.510) and ch.token_reliance(one, "A") == approx(0.127)
    swap, words = ch.fitted("swap pronouns"), ch.fitted("word list")
    assert ch.token_reliance(swap, "A") == 0.0 and ch.token_reliance(swap, "P") == approx(0.510)
    assert ch.token_reliance(words, "Q") == 0.0 and ch.token_reliance(words, "P") == approx(1.0)
    assert ch.token_reliance(five, "T") == ch.evaluate(five)["style reliance"]


def test_mediation_audit(approx):
    effects = ch.mediation_table()["effect on the score"]
    assert effects["total"] == approx(0.257)
    assert effects["unit 1"] == approx(0.376) and effects["unit 6"] == approx(0.123)
    others = effects.drop(["total", "unit 1", "unit 6"])
    assert len(others) == 6 and others.max() == approx(0.022)
    assert effects["unit 1"] > effects["total"]


def test_erasure(approx):
    e = ch.erasure_table()
    assert e.loc["erase the pronoun direction", "unfair gap"] == approx(0.408)
    switch = e.loc["erase the switch directions"]
    assert switch["unfair gap"] == 0.0 and switch["score change"] < TOLERANCE
    assert switch["accuracy"] == approx(0.745) and switch["fair accuracy"] == approx(0.800)
    for col in ("unfair gap", "accuracy", "fair accuracy"):
        assert switch[col] == e.loc["SCM twins", col]
    mean = e.loc["erase the group mean difference"]
    assert mean["unfair gap"] == 0.0 and mean["accuracy"] == approx(0.745) and mean["score change"] == approx(0.069)
    sweep = ch.erasure_sweep()
    assert list(sweep["group mean difference"].round(3)) == [0.0, 0.069, 0.140]
    assert (sweep["switch directions"] < TOLERANCE).all()
    # two switch directions
    from book.foundation import switch_directions
    from book.models.resumes import FEATURES, UNFAIR
    from book.objectives.fairness import switch_coupling
    coupling = switch_coupling(ch.model(), list(FEATURES), "A", UNFAIR)
    assert switch_directions(ch.fitted("none"), ch.model(), VOCABULARY, coupling).shape[0] == 2


def test_questions(approx):
    q = ch.questions()
    assert list(q["answer"]) == ["0.859", "0.850", "no", "1.000", "0.580", "0.580", "yes", "0.300"]
    assert list(q["rung"]) == [1, 2, 2, 3, 1, 2, 2, 3]
    assert resumes().parents("A") == ("U_A",)  # the group has no endogenous cause
    assert len(causal_questions(resumes(), [("A", "Y")])) == 4


def test_explorer_claims():
    gaps = {p: {s: ch.evaluate(ch.fitted(s, SOURCES, p), p)["unfair gap"] for s in ch.STRATEGIES}
            for p in ch.PROXY_STRENGTHS}
    assert gaps[0.5]["swap pronouns"] == 0.0 and gaps[0.6]["swap pronouns"] == 0.0
    assert round(gaps[0.8]["swap pronouns"], 3) == 0.408
    assert round(gaps[1.0]["swap pronouns"], 3) == round(gaps[1.0]["none"], 3) == 0.510
    assert all(gaps[p]["SCM twins"] == 0.0 for p in ch.PROXY_STRENGTHS)


def test_exercise_answers(approx):
    assert ch.evaluate(ch.fitted("none", (0.5, 0.7, 0.9)))["worst source"] == approx(0.399)
    assert ch.erasure_table(0.6).loc["erase the group mean difference", "score change"] == approx(0.140)


def test_audit_rows():
    t = ch.audit_table()
    one, five, twins = (t.loc[k] for k in ("one source, no augmentation", "five sources, no augmentation",
                                           "five sources, SCM twins"))
    assert (one["fairness"], one["robustness"]) == ("fails", "fails")
    assert (one["fairness gap"], one["robustness gap"]) == ("0.127", "0.665")
    assert (five["fairness"], five["robustness"], five["fairness gap"], five["robustness gap"]) == (
        "fails", "holds", "0.510", "0.000")
    assert (twins["fairness"], twins["robustness"], twins["accuracy"]) == ("holds", "holds", "0.745")


def test_audit_default_tolerance():
    import inspect

    from book.audits import audit
    assert inspect.signature(audit).parameters["tolerance"].default == 0.01


def test_mean_difference_erasure_takes_the_twins_decisions(approx):
    for gap, accuracy in ((0.3, 0.745), (0.6, 0.790)):
        e = ch.erasure_table(gap)
        mean, twins = e.loc["erase the group mean difference"], e.loc["SCM twins"]
        assert mean["unfair gap"] == 0.0 and mean["accuracy"] == approx(accuracy)
        assert mean["fair accuracy"] == approx(0.800)
        for col in ("unfair gap", "accuracy", "fair accuracy"):
            assert abs(mean[col] - twins[col]) < TOLERANCE
    # the head's logit adds one term per token (sum of embeddings, linear head): no XOR can be read
    m = ch.fitted("none")
    p = m.probability([("she", "degree", "chess", "plain"), ("he", "degree", "rugby", "plain"),
                       ("she", "degree", "rugby", "plain"), ("he", "degree", "chess", "plain")])
    logit = np.log(p / (1 - p))
    assert abs(logit[0] + logit[1] - logit[2] - logit[3]) < 1e-9


def test_the_resumes_are_chapter_3s_hiring_model_with_one_change_and_the_style():
    """'with one change and one more variable': the bias reads A alone (not A or P), and T is added."""
    from book.models.hiring import hiring

    ours, theirs = resumes(), hiring()
    assert set(ours.endogenous) - set(theirs.endogenous) == {"T"}
    assert set(theirs.parents("Y")) - set(ours.parents("Y")) == {"P"}
    assert all(ours.parents(v) == theirs.parents(v) for v in theirs.endogenous if v != "Y")
