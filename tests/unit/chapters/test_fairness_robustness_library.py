"""Unit tests of chapter 7's model (book.models.regions) and chapter module, bad input included."""

import pytest

from book.chapters import fairness_robustness as ch
from book.models.regions import (
    DIRECTIONS,
    MECHANISMS,
    direction_family,
    direction_model,
    region_family,
    region_parameters,
    regions,
)


def test_regions_model_structure():
    m = regions()
    assert set(m.endogenous) == {"A", "G", "Q", "P", "Y"}
    assert ("A", "G") in m.edges() and ("G", "Q") in m.edges()
    assert regions(grading_bias=1.0).query("Q", evidence={"A": 1})[1] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="grading_bias"):
        regions(grading_bias=1.5)


def test_region_parameters_and_family():
    assert region_parameters("proxy", 0.5) == {"proxy_strength": pytest.approx(0.4)}
    with pytest.raises(ValueError, match="'weather'"):
        region_parameters("weather", 0.5)
    with pytest.raises(ValueError, match=r"1\.5"):
        region_parameters("proxy", 1.5)
    fam = region_family("qualification access", (0.0, 0.5))
    assert fam.labels == ("region 0", "size 0.50") and fam.target == "Y"
    with pytest.raises(ValueError, match="'weather'"):
        region_family("weather")
    with pytest.raises(ValueError, match=r"'label bias'.*'Y'"):
        region_family("label bias", (0.0, 0.5))
    assert region_family("label bias", (0.0,)).labels == ("region 0",)  # no change, nothing to refuse
    assert set(MECHANISMS) == {"proxy", "qualification access", "new unfair path", "label bias"}


def test_direction_models():
    for d in DIRECTIONS:
        m = direction_model(d, link=0.0)
        assert m.query("A", evidence={"C": 1})[1] == pytest.approx(0.5)
    with pytest.raises(ValueError, match="'sideways'"):
        direction_model("sideways")
    with pytest.raises(ValueError, match="link"):
        direction_model("causal", link=2.0)
    with pytest.raises(ValueError, match="distinct"):
        direction_family("causal", (0.5, 0.5))


def test_chapter_functions_reject_bad_input():
    with pytest.raises(ValueError, match="'region 9'"):
        ch.measures("proxy", "region 9")
    with pytest.raises(ValueError, match="'speed'"):
        ch.transfer_table("proxy", "speed")
    with pytest.raises(ValueError, match="'label bias'"):
        ch.parity_everywhere("label bias")
    with pytest.raises(ValueError, match=r"0\.3"):
        ch.observationally_identical(0.3)
    with pytest.raises(ValueError, match="'sideways'"):
        ch.direction_predictors("sideways")
    with pytest.raises(ValueError, match="'selective'"):
        ch.face_range("selective", "proxy")
    with pytest.raises(ValueError, match="'size 9'"):
        ch.face_range("parity in region 0", "proxy", "size 9")
    with pytest.raises(ValueError, match="'counterfactual'"):
        ch.postcode_blind("counterfactual")
    with pytest.raises(ValueError, match=r"0\.2"):
        ch.slack_predictors(0.2)
    _, hs = ch.direction_predictors("causal")
    with pytest.raises(ValueError, match="different features"):
        ch.same_policy(hs["unconstrained"], ch.region_predictors()["selective"])


def test_an_unknown_edge_is_named():
    from book.objectives import fairness

    with pytest.raises(ValueError, match=r"\('A', 'Z'\)"):
        fairness.switch_coupling(regions(), ch.FEATURES, "A", [("A", "Z")])


def test_measures_are_copies_and_tables_are_formatted():
    first = ch.measures("proxy", "region 0")
    first["selective"]["accuracy"] = -1.0
    assert ch.measures("proxy", "region 0")["selective"]["accuracy"] == pytest.approx(0.745, abs=5e-4)
    table = ch.transfer_table("proxy", "accuracy")
    assert list(table.index) == list(ch.PREDICTORS) and table.iloc[0, 0] == "0.787"
    assert "0.187" in ch.transfer_alt() and "bound 0" in ch.frontier_alt()


def test_figures_and_explorer_frames_render():
    import matplotlib.pyplot as plt

    for fig in (ch.transfer_figure(), ch.frontier_figure()):
        assert fig.axes
        plt.close(fig)
    ex = ch.region_explorer()
    assert [s.name for s in ex.sliders] == ["mechanism", "size"]
    fig = ch._frame("new unfair path", 1.0)
    assert len(fig.axes) == 2
    plt.close(fig)
    assert "new unfair path of size 1.00" in ch._alt("new unfair path", 1.0)
