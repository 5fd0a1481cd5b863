"""Unit tests of book.chapters.privacy_explainability and chapter 9's self-checks."""

import math

import numpy as np
import pandas as pd
import pytest

from book.chapters import privacy_explainability as P
from book.exercises import check_explanation_bound, check_island_attribution
from book.objectives import privacy
from book.viz.explorer import MAX_FRAMES


@pytest.fixture(scope="module")
def small():
    return P.simulate(n=60, d_values=(0, 4), epsilons=(1.0, math.inf), reps=3, seed=1)


def test_simulate_shape_and_determinism(small):
    assert set(small["route"]) == {"associational", "causal", "public SCM", "small non-causal"}
    assert not (small[small["d"] == 0]["route"] == "small non-causal").any()  # needs N1, N2
    again = P.simulate(n=60, d_values=(0, 4), epsilons=(1.0, math.inf), reps=3, seed=1)
    pd.testing.assert_frame_equal(small, again)
    # with d = 0 the associational table is the causal one: one learner, one result
    d0 = small[small["d"] == 0].set_index(["rep", "epsilon", "route"])[list(P.METRICS)]
    pd.testing.assert_frame_equal(d0.xs("associational", level="route"), d0.xs("causal", level="route"))
    free = small[small["epsilon"] == math.inf]
    assert (free["attribution_error"] == 0.0).all()  # the reference is the non-private fit itself


def test_summary_tables_and_paired_difference(small):
    s = P.summarise(small)
    assert {"validity", "validity_se"} <= set(s.columns)
    t = P.table(s, ["validity"], d=4)
    assert list(t.columns) == ["recourse validity"] and "±" in t.iloc[0, 0]
    assert list(P.by_epsilon(s, "validity", d=4).index) == ["1", "∞"]
    same = P.paired_difference(small, "validity", ("causal", math.inf), ("causal", math.inf), d=4)
    assert same == (0.0, 0.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"epsilons": (0.0,)}, "every epsilon must be positive"),
        ({"epsilons": (-1.0,)}, "every epsilon must be positive"),
        ({"epsilons": ()}, "at least one value"),
        ({"n": 0}, "n must be a positive integer"),
        ({"reps": 1}, "reps must be an integer >= 2"),
        ({"d_values": (17,)}, "every d must be an integer between 0 and 16"),
        ({"d_values": ()}, "at least one number"),
    ],
)
def test_simulate_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        P.simulate(**{"n": 20, "d_values": (0,), "reps": 2, **kwargs})


def test_bad_metric_and_bad_selection(small):
    s = P.summarise(small)
    with pytest.raises(ValueError, match="unknown metric"):
        P.table(s, ["nope"], d=4)
    with pytest.raises(ValueError, match="unknown metric"):
        P.by_epsilon(s, "nope", d=4)
    with pytest.raises(ValueError, match="no d = 7"):
        P.paired_difference(small, "validity", ("causal", 1.0), ("causal", math.inf), d=7)
    with pytest.raises(ValueError, match=r"no route 'causal' at epsilon 0\.5"):
        P.paired_difference(small, "validity", ("causal", 0.5), ("causal", math.inf), d=4)
    with pytest.raises(ValueError, match="no runs"):
        P.summarise(small.iloc[0:0])


def test_empty_training_set_and_bad_individual_raise():
    with pytest.raises(ValueError, match="training set is empty"):
        privacy.fit_histogram(np.zeros((0, 2), dtype=int), np.zeros(0, dtype=int), epsilon=1.0,
                              rng=np.random.default_rng(0))
    scores = privacy.cell_probabilities(P.true_mechanism())
    from book.objectives.explainability import flip_attributions

    with pytest.raises(ValueError, match="outside the model's states"):
        flip_attributions(scores, [[1, 3]])


def test_counterfactual_records_identity():
    r = P.counterfactual_records(n=100, d=8, seed=3)
    assert r["prior"] > 0.5
    assert r["unflagged_cells_with_a_record"] == 1.0 and r["counterfactual_is_a_record"] == 1.0


def test_figures_and_alt_texts(small):
    s = P.summarise(small)
    fig = P.leakage_figure(s)
    assert fig.axes[0].get_xlabel() == "non-causal features d"
    alt = P.leakage_alt(s)
    assert "d = 0" in alt and "d = 4" in alt
    fig = P.quality_figure(s, d=4)
    assert len(fig.axes) == 2
    assert "epsilon 1" in P.quality_alt(s, d=4)


def test_explorer_grid_and_alt():
    ex = P.explorer()
    assert len(ex.grid()) == len(P.EXPLORER_EPSILONS) * len(P.EXPLORER_D) <= MAX_FRAMES
    alt = ex.alt_text(epsilon="∞", d=10)
    assert "epsilon ∞" in alt and "recourse validity" in alt


def test_self_checks():
    prior = P.counterfactual_records()["prior"]
    assert bool(check_island_attribution(round((1 - prior) / 2, 3)))
    assert "label-0" in repr(check_island_attribution(prior / 2))
    assert "not attempted" in repr(check_island_attribution(None)) or not check_island_attribution(None)
    assert bool(check_explanation_bound(math.tanh(0.5)))
    assert "post-processing" in repr(check_explanation_bound(math.tanh(1.0)))
    assert "Yeom" in repr(check_explanation_bound(math.e - 1))


def test_recourse_never_offered_is_a_failure_not_missing():
    # with 5 records and strong noise some tables flag every cell: nobody is offered a change
    runs = P.simulate(n=5, d_values=(0,), epsilons=(0.1,), reps=20, seed=3)
    nothing = runs[(runs["no_recourse"] == 1.0) & runs["validity"].notna()]
    assert len(nothing) > 0
    assert (nothing["validity"] == 0.0).all()
    assert ((runs["no_recourse"].dropna() >= 0) & (runs["no_recourse"].dropna() <= 1)).all()


def test_score_attack_sees_the_prior():
    m = privacy.HistogramModel(np.array([[3.0, 0.0], [0.0, 0.0]]))
    assert m.prior == 0.2  # (0 + 1) / (3 + 2)
    assert m.proba(np.array([[1]]))[0] == m.prior  # a cell never seen gets the prior
    small_d = P.simulate(n=200, d_values=(0,), epsilons=(math.inf,), reps=2, seed=1)
    # with 4 cells and 200 records every cell is seen: the score attack's statistic is constant
    assert (small_d["score_advantage"] == 0.0).all()
