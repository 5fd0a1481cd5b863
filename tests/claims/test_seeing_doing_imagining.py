"""Every number and claim in chapter 1's prose, recomputed through book/."""

import pytest

from book.chapters.seeing_doing_imagining import rung_answers, rungs_explorer
from book.models import rung_three_triplet, tutoring
from book.scm import DiscreteSCM


@pytest.fixture(scope="module")
def model():
    return tutoring()


def test_opening_table_seeing(model, approx):
    assert model.query("Pass", evidence={"Tutored": 1})[1] == approx(0.933)
    assert model.query("Pass", evidence={"Tutored": 0})[1] == approx(0.409)
    assert rung_answers(model)["seeing"] == approx(0.524)
    assert model.query("Motivated", evidence={"Tutored": 1})[1] == approx(0.778)


def test_doing(model, approx):
    assert model.query("Pass", do={"Tutored": 1})[1] == approx(0.850)
    assert model.query("Pass", do={"Tutored": 0})[1] == approx(0.500)
    assert rung_answers(model)["doing"] == approx(0.350)
    # "real but a third smaller than the gap that seeing suggested"
    assert rung_answers(model)["doing"] == pytest.approx(rung_answers(model)["seeing"] * 2 / 3, abs=0.01)


def test_imagining_for_sam(model, approx):
    sam = model.counterfactual("Pass", evidence={"Tutored": 1, "Pass": 1}, do={"Tutored": 0})
    assert sam[1] == approx(0.655) and sam[0] == approx(0.345)
    assert model.query("Motivated", evidence={"Tutored": 1, "Pass": 1})[1] == approx(0.833)
    # Sam's answer differs from both population answers.
    assert abs(sam[1] - model.query("Pass", do={"Tutored": 0})[1]) > 0.1
    assert abs(sam[1] - model.query("Pass", evidence={"Tutored": 0})[1]) > 0.1


def test_twin_network_shares_what_the_intervention_cannot_reach(model):
    nodes = set(model.twin_network({"Tutored": 0}).nodes())
    assert {"Tutored*", "Pass*"} <= nodes
    assert "Motivated*" not in nodes and "Motivated" in nodes


def test_three_models_three_counterfactuals():
    answers = {}
    for name, scm in rung_three_triplet().items():
        for x in (0, 1):
            assert scm.query("Y", evidence={"X": x})[1] == pytest.approx(0.5)
            assert scm.query("Y", do={"X": x})[1] == pytest.approx(0.5)
        answers[name] = scm.counterfactual("Y", evidence={"X": 1, "Y": 1}, do={"X": 0})[1]
    assert answers == pytest.approx({"independent": 0.5, "flip": 0.0, "no effect": 1.0})


def test_explorer_claims():
    # Every frame of the explorer, on its own grid.
    confounding, easy = (s.values for s in rungs_explorer().sliders)
    assert confounding[0] == 0.0 and len(confounding) >= 5 and len(easy) >= 5  # "share 0.0"; no toggles
    answers = {(c, e): rung_answers(tutoring(p_tutored_if_motivated=c, p_exam_easy=e))
               for c in confounding for e in easy}
    for (c, e), a in answers.items():
        if c == 0.0:  # no confounding: seeing equals doing
            assert a["seeing"] == pytest.approx(a["doing"], abs=1e-12)
        else:  # confounding inflates the seeing gap
            assert a["seeing"] > a["doing"] + 0.01
        # doing does not depend on the confounding knob at all
        assert a["doing"] == pytest.approx(answers[(0.0, e)]["doing"], abs=1e-12)
    for e in easy:  # the seeing gap grows and Sam's answer moves with confounding
        seeing = [answers[(c, e)]["seeing"] for c in confounding]
        assert seeing == sorted(seeing)
        assert answers[(confounding[-1], e)]["imagining"] != pytest.approx(answers[(0.0, e)]["imagining"], abs=1e-3)


def test_exercise_answers(approx):
    low = tutoring(p_motivated=0.3)
    assert low.query("Pass", do={"Tutored": 1})[1] == approx(0.790)
    assert low.query("Pass", evidence={"Tutored": 1})[1] == approx(0.880)
    coin = rung_answers(tutoring(p_always_tutored=0.5, p_tutored_if_motivated=0.0))
    assert coin["doing"] == approx(0.350) and coin["seeing"] == approx(0.350)
    assert coin["imagining"] == approx(0.412)
    for r in (0.0, 0.25, 0.6, 1.0):  # the mixture's counterfactual is 1 - r, rungs 1-2 unchanged
        mixed = DiscreteSCM(
            {"U_X": {0: 0.5, 1: 0.5}, "U": {0: 0.5, 1: 0.5}, "R": {0: 1 - r, 1: r}},
            {"X": (["U_X"], lambda U_X: U_X), "Y": (["X", "U", "R"], lambda X, U, R: (X ^ U) if R else U)},
        )
        assert mixed.query("Y", do={"X": 0})[1] == pytest.approx(0.5)
        assert mixed.counterfactual("Y", evidence={"X": 1, "Y": 1}, do={"X": 0})[1] == pytest.approx(1 - r)
