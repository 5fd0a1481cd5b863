"""Every numbered claim of chapter 7 (issue 15) and every number in its prose, recomputed through book/."""

import itertools

import pytest

from book.chapters import fairness_robustness as ch
from book.models.regions import MECHANISMS, SIZES, TRAINING, region_family
from book.objectives import fairness
from book.objectives import robustness as env
from book.scm import TOLERANCE


def labels(mechanism):
    return ch.family(mechanism).labels


def row(mechanism, predictor, metric):
    return [ch.measures(mechanism, e)[predictor][metric] for e in labels(mechanism)]


def test_model_facts_in_the_prose(approx):
    m = ch.regions()
    assert m.query("A")[1] == approx(0.5) and m.query("G")[1] == 0.0
    assert m.query("Y", evidence={"A": 1, "Q": 0})[1] == approx(0.6)  # 0.2 + 0.8 * 0.5
    assert ch.regions(label_bias=0.0).query("Y", evidence={"A": 1, "Q": 0})[1] == approx(0.2)
    assert ch.family("proxy").labels == ("region 0", "size 0.25", "size 0.50", "size 0.75", "size 1.00")
    assert ch.family("proxy").training == {TRAINING: 1.0}
    assert ch.family("new unfair path").scm("size 1.00").query("G", evidence={"A": 1})[1] == approx(6 / 7)
    with pytest.raises(ValueError, match="'label bias' changes the mechanism of the target 'Y'"):
        region_family("label bias")
    assert "label bias" in MECHANISMS and "label bias" not in ch.SHIFTED


def test_claim_1_group_fairness_tuned_in_one_region_does_not_transfer(approx):
    parity, odds = "parity in region 0", "equalised odds in region 0"
    gaps = row("proxy", parity, "parity gap")
    assert gaps[0] == approx(0.0) and gaps[-1] == approx(0.187)
    assert row("proxy", odds, "odds gap")[0] == approx(0.0) and row("proxy", odds, "odds gap")[-1] == approx(0.330)
    assert (row("proxy", parity, "accuracy")[0], row("proxy", parity, "accuracy")[-1]) == (approx(0.691), approx(0.635))
    assert (row("proxy", odds, "accuracy")[0], row("proxy", odds, "accuracy")[-1]) == (approx(0.702), approx(0.641))
    for gaps in (row("proxy", parity, "parity gap"), row("proxy", odds, "odds gap")):
        assert all(b > a + 0.04 for a, b in itertools.pairwise(gaps))  # grows with the shift
    # the unconstrained predictor does not move along the proxy, and reads A but not P
    top = ch.region_predictors()["unconstrained"]
    assert fairness.parity_difference(ch.regions(), top, "A") == approx(0.600)
    for metric, value in (("parity gap", 0.600), ("odds gap", 0.857), ("accuracy", 0.787)):
        assert all(v == approx(value) for v in row("proxy", "unconstrained", metric))
    from book.predictors import uses
    assert uses(top, "A") and not uses(top, "P")
    # the parity-tuned predictor also hires unqualified group-0 applicants, above all from postcode 1
    h = ch.region_predictors()[parity]
    p = {x: law[1] for x, law in h.table.items()}
    assert uses(h, "P") and p[(0, 0, 1)] == approx(1.0) and p[(0, 0, 0)] == approx(0.222)
    assert p[(1, 0, 0)] == approx(0.0) and p[(1, 0, 1)] == approx(0.0)
    rates = {}
    for e in ("region 0", "size 1.00"):
        m = ch.family("proxy").scm(e)
        rates[e] = [sum(w * p[x] for x, w in m.joint(list(ch.FEATURES), evidence={"A": a}).items()) for a in (0, 1)]
    assert rates["region 0"] == [approx(0.580), approx(0.580)]
    assert rates["size 1.00"] == [approx(0.767), approx(0.580)]
    assert ch.family("proxy").scm("region 0").query("P", evidence={"A": 0})[1] == approx(0.1)
    assert ch.family("proxy").scm("size 1.00").query("P", evidence={"A": 0})[1] == approx(0.5)


def test_claim_2_structural_fairness_transfers_over_the_whole_grid(approx):
    for mechanism in ch.SHIFTED:
        for e in labels(mechanism):
            assert ch.measures(mechanism, e)["selective"]["unfair-path gap"] <= TOLERANCE
    selective = ch.region_predictors()["selective"]
    assert selective.features == ch.FEATURES
    from book.predictors import uses
    assert uses(selective, "Q") and not uses(selective, "A") and not uses(selective, "P")  # reads Q only
    assert len({round(v, 9) for v in row("proxy", "selective", "accuracy")}) == 1
    assert row("proxy", "selective", "accuracy")[0] == approx(0.745)
    assert all(v == approx(0.180) for v in row("proxy", "selective", "parity gap"))
    assert all(v == approx(0.114) for v in row("proxy", "selective", "odds gap"))
    assert sum(len(labels(m)) for m in ch.SHIFTED) == 15  # 13 distinct regions: region 0 is in each family
    # only the exact zero is structural: a bound of 0.05 in region 0 becomes 0.250 elsewhere
    sel = ch.frontier_points()["selective"]
    assert sel[1]["bound"] == 0.05 and sel[1]["worst unfair-path gap"] == approx(0.250)


def test_exercise_slack_numbers(approx):
    h = fairness.fairness_frontier(ch.regions(), "Y", ch.FEATURES, "A", [0.05], unfair_edges=ch.UNFAIR)[0].predictor
    p = {x: law[1] for x, law in h.table.items()}
    assert p[(1, 0, 0)] == approx(0.98) and p[(1, 0, 1)] == approx(0.0)
    assert all(p[(a, 1, q)] == approx(1.0) for a in (0, 1) for q in (0, 1))
    assert p[(0, 0, 0)] == approx(0.0) and p[(0, 0, 1)] == approx(0.0)
    assert ch.regions().query("Q")[0] == approx(0.51)
    assert 0.51 * 0.5 * 0.98 == approx(0.250)


@pytest.mark.parametrize("direction", ["causal", "anticausal"])
def test_claim_3_direction_decides_the_robust_criterion(direction, approx):
    fam, hs = ch.direction_predictors(direction)
    ci = hs["counterfactually invariant"]
    right, wrong = ("parity gap", "odds gap") if direction == "causal" else ("odds gap", "parity gap")
    metric = {"parity gap": lambda m, h: fairness.parity_difference(m, h, "A"),
              "odds gap": lambda m, h: fairness.odds_difference(m, h, "A", "Y"),
              "accuracy": lambda m, h: fairness.accuracy_against(m, h, "Y")}
    # every predictor's "right" gap is the same in every region (the shift cannot reach its conditional)
    for h in hs.values():
        values = [metric[right](fam.scm(e), h) for e in fam.labels]
        assert max(values) - min(values) <= 1e-9
    # the counterfactually invariant predictor meets the right criterion everywhere, and its accuracy is invariant
    assert all(metric[right](fam.scm(e), ci) <= 1e-9 for e in fam.labels)
    accs = [metric["accuracy"](fam.scm(e), ci) for e in fam.labels]
    assert max(accs) - min(accs) <= 1e-9
    tuned_right = hs["parity in the first region" if direction == "causal" else "equalised odds in the first region"]
    tuned_wrong = hs["equalised odds in the first region" if direction == "causal" else "parity in the first region"]
    assert ch.same_policy(tuned_right, ci) and not ch.same_policy(tuned_wrong, ci)
    wrong_gaps = {e: metric[wrong](fam.scm(e), tuned_wrong) for e in fam.labels}
    ci_wrong = {e: metric[wrong](fam.scm(e), ci) for e in fam.labels}
    assert wrong_gaps[fam.labels[0]] <= 1e-9  # met in the training region ...
    if direction == "causal":
        assert wrong_gaps["link 0.00"] == approx(0.167)  # ... broken elsewhere
        assert (min(ci_wrong.values()), max(ci_wrong.values())) == (approx(0.0), approx(0.341))
        assert accs[0] == approx(0.725)
        wrong_accs = [metric["accuracy"](fam.scm(e), tuned_wrong) for e in fam.labels]
        assert all(a == approx(0.660) for a in wrong_accs)
    else:
        assert wrong_gaps["link 0.00"] == approx(0.154)
        assert (min(ci_wrong.values()), max(ci_wrong.values())) == (approx(0.0), approx(0.288))
        assert ci_wrong["link 0.90"] == approx(0.288)
        assert accs[0] == approx(0.700)
        wrong_accs = [metric["accuracy"](fam.scm(e), tuned_wrong) for e in fam.labels]
        assert (min(wrong_accs), max(wrong_accs)) == (approx(0.611), approx(0.668))
        assert max(wrong_accs) < accs[0]
    assert fam.training == {fam.labels[0]: 1.0} and fam.labels[0] == "link 0.60"


def test_claim_4a_an_allowed_mechanism_moves_group_rates(approx):
    fam = ch.family("qualification access")
    assert env.conditional_invariance(fam, ch.FEATURES, fam.labels).gap <= 1e-9
    assert env.conditional_invariance(fam, ["Q"], fam.labels).gap == approx(0.128)
    sel = row("qualification access", "selective", "parity gap")
    assert (sel[0], sel[-1]) == (approx(0.180), approx(0.540))
    par = row("qualification access", "parity in region 0", "parity gap")
    assert (par[0], par[-1]) == (approx(0.0), approx(0.360))
    for name in ch.PREDICTORS:  # every predictor is more accurate as access widens
        accs = row("qualification access", name, "accuracy")
        assert all(b > a for a, b in itertools.pairwise(accs))
    h = ch.parity_everywhere()
    assert all(fairness.parity_difference(fam.scm(e), h, "A") <= 1e-7 for e in fam.labels)
    p = {x: law[1] for x, law in h.table.items()}
    assert p[(0, 1, 0)] == approx(1.0) and p[(0, 1, 1)] == approx(1.0)
    assert p[(0, 0, 0)] == approx(0.0) and p[(0, 0, 1)] == approx(0.0)
    for q in (0, 1):  # in group 1 it ignores Q and hires by postcode
        assert p[(1, q, 1)] == approx(0.444) and p[(1, q, 0)] == approx(0.0)
    accs = [fairness.accuracy_against(fam.scm(e), h, "Y") for e in fam.labels]
    gaps = [fairness.decision_change(h, fairness.switch_coupling(fam.scm(e), ch.FEATURES, "A", ch.UNFAIR))
            for e in fam.labels]
    assert (accs[0], accs[-1], gaps[0], gaps[-1]) == (approx(0.623), approx(0.612), approx(0.498), approx(0.534))
    assert row("qualification access", "selective", "accuracy")[0] == approx(0.745)
    assert row("qualification access", "selective", "accuracy")[-1] == approx(0.835)
    top_acc, top_gap = row("qualification access", "unconstrained", "accuracy"), row(
        "qualification access", "unconstrained", "unfair-path gap")
    assert (top_acc[0], top_acc[-1], top_gap[0], top_gap[-1]) == (approx(0.787), approx(0.841), approx(0.510),
                                                                  approx(0.330))


def test_claim_4b_a_new_unfair_path_is_invisible_and_breaks_every_guarantee(approx):
    assert all(ch.observationally_identical(s) for s in SIZES)
    for name in ch.PREDICTORS:
        for metric in ("accuracy", "parity gap", "odds gap", "unfair-path gap"):
            assert row("new unfair path", name, metric) == pytest.approx(row("qualification access", name, metric),
                                                                          abs=1e-9)
    sel = row("new unfair path", "selective", "unfair-path gap with A → G")
    assert sel[0] <= TOLERANCE and sel[-1] == approx(0.437) and sel[2] == approx(0.219)
    for name in ch.PREDICTORS:  # no predictor trained in region 0 keeps any guarantee: all gaps positive at size 1
        final = ch.measures("new unfair path", "size 1.00")[name]
        assert min(final["parity gap"], final["odds gap"], final["unfair-path gap with A → G"]) > 0.1


def test_claim_5_frontier(approx):
    d = ch.frontier_points()
    assert [r["bound"] for r in d["selective"]] == [round(0.05 * k, 2) for k in range(13)]
    p0, s0 = d["parity-constrained"][0], d["selective"][0]
    assert (p0["worst accuracy"], p0["worst parity gap"], p0["worst unfair-path gap"]) == (
        approx(0.635), approx(0.360), approx(0.312))
    assert (s0["worst accuracy"], s0["worst parity gap"], s0["worst unfair-path gap"]) == (
        approx(0.745), approx(0.540), approx(0.0))
    rows = d["parity-constrained"] + d["selective"]
    assert min(r["worst parity gap"] for r in rows) == approx(0.360)  # the best worst case, at parity bound 0
    assert [r for r in rows if r["worst unfair-path gap"] <= 1e-9] == [s0]  # the only zero
    for name, gap in (("parity-constrained", "worst parity gap"), ("selective", "worst unfair-path gap")):
        for r in d[name]:
            if 0 < r["bound"] < 0.5:  # every positive bound below 0.5 is exceeded in some deployment region
                assert r[gap] > r["bound"] + 0.02
    assert len(ch.deployment_regions()) == 10  # nine distinct regions: region 0 is in both families
    assert ch.family("proxy").scm(TRAINING).joint(["A", "Q", "P", "Y"]) == pytest.approx(
        ch.family("qualification access").scm(TRAINING).joint(["A", "Q", "P", "Y"]))


def test_summary_and_explorer():
    assert ch.region_explorer().n_frames == 15
    assert ch.SHIFTED == ("proxy", "qualification access", "new unfair path")


def test_parameters_in_the_prose(approx):
    from book.models.regions import direction_model, region_parameters
    assert region_parameters("proxy", 0.0) == {"proxy_strength": 0.8} and region_parameters("proxy", 1.0) == {
        "proxy_strength": 0.0}
    assert region_parameters("qualification access", 1.0) == {"qualification_gap": approx(0.9)}
    assert region_parameters("new unfair path", 1.0) == {"grading_bias": approx(6 / 7)}
    c = direction_model("causal")
    assert c.query("X")[1] == approx(0.4)
    assert c.query("Y", evidence={"X": 1, "C": 0})[1] == approx(0.9)  # label noise 0.1
    assert c.query("Y", evidence={"X": 0, "C": 1})[1] == approx(0.1 + 0.9 * 0.7)  # U_B 0.7
    assert c.query("A", evidence={"C": 1})[1] == approx(0.6 + 0.4 * 0.5)  # link 0.6
    a = direction_model("anticausal")
    assert a.query("Y", evidence={"C": 1})[1] == approx(0.8 + 0.2 * 0.3)
    assert a.query("X", evidence={"Y": 1})[1] == approx(0.4 + 0.6 * 0.5)
    from book.predictors import uses
    for direction, wrong in (("causal", "equalised odds in the first region"),
                             ("anticausal", "parity in the first region")):
        _, hs = ch.direction_predictors(direction)
        assert uses(hs[wrong], "P") and not uses(hs["counterfactually invariant"], "P")
        assert uses(hs["counterfactually invariant"], "X")


def test_explorer_bullets_and_group_zero_rate(approx):
    for name in ("selective", "unconstrained"):  # the proxy moves neither
        for metric in ch.METRICS:
            values = row("proxy", name, metric)
            assert max(values) - min(values) <= 1e-9
    for name in ch.PREDICTORS[1:]:  # access: the constrained predictors' group gaps all move
        for metric in ("parity gap", "odds gap"):
            values = row("qualification access", name, metric)
            assert max(values) - min(values) > 0.05
    fam = ch.family("qualification access")
    rates = [fam.scm(e).query("Q", evidence={"A": 0})[1] for e in fam.labels]
    assert max(rates) - min(rates) <= 1e-12  # group 0's qualification, and so its hiring rate, does not move
    top = row("new unfair path", "unconstrained", "unfair-path gap with A → G")
    assert top[-1] == approx(0.510)
    assert row("qualification access", "unconstrained", "unfair-path gap")[-1] == approx(0.330)
