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


def face(name, mechanism, label=None):
    return ch.face_range(name, mechanism, label)


def test_claim_1_group_fairness_tuned_in_one_region_does_not_transfer(approx):
    parity, odds = "parity in region 0", "equalised odds in region 0"
    # access shift: over the WHOLE optimal face (two-stage LP), the worst gap is 0.360 / 0.540
    for name, value in ((parity, 0.360), (odds, 0.540)):
        r = face(name, "qualification access")
        assert (r.low, r.high) == (approx(value), approx(value))
    assert face(parity, "qualification access").accuracy == approx(0.691)
    assert face(odds, "qualification access").accuracy == approx(0.702)
    # the solver's choices reach those values too (the tables)
    assert row("qualification access", parity, "parity gap")[-1] == approx(0.360)
    assert row("qualification access", odds, "odds gap")[0] == approx(0.0)
    assert row("qualification access", odds, "odds gap")[-1] == approx(0.540)
    # group 0's hiring rate cannot move in this family: its qualification law is the same everywhere
    fam = ch.family("qualification access")
    q0 = [fam.scm(e).query("Q", evidence={"A": 0})[1] for e in fam.labels]
    assert max(q0) - min(q0) <= 1e-12


def test_claim_1b_the_proxy_shift_is_underspecified(approx):
    parity, odds = "parity in region 0", "equalised odds in region 0"
    # P carries nothing about Y given A: P(Y | A, Q, P) = P(Y | A, Q) in region 0
    m = ch.regions()
    for a, q in itertools.product((0, 1), repeat=2):
        ys = [m.query("Y", evidence={"A": a, "Q": q, "P": p})[1] for p in (0, 1)]
        assert abs(ys[0] - ys[1]) <= 1e-12
    # the range over the optimal face: some optima keep the zero, some do not
    for name, high in ((parity, 0.187), (odds, 0.330)):
        r = face(name, "proxy")
        assert r.low <= 1e-6 and r.high == approx(high)
        per = [face(name, "proxy", e) for e in labels("proxy")]
        assert all(x.low <= 1e-6 for x in per) and all(b.high > a.high + 0.04 for a, b in itertools.pairwise(per))
    # the postcode-blind optima are exactly as accurate and keep their zero in every proxy region
    fam = ch.family("proxy")
    for constraint, name, gap in (("demographic parity", parity, lambda m, h: fairness.parity_difference(m, h, "A")),
                                  ("equalised odds", odds, lambda m, h: fairness.odds_difference(m, h, "A", "Y"))):
        h = ch.postcode_blind(constraint)
        assert h.features == ("A", "Q")
        accs = [fairness.accuracy_against(fam.scm(e), h, "Y") for e in fam.labels]
        assert all(a == pytest.approx(face(name, "proxy").accuracy, abs=1e-7) for a in accs)
        assert max(gap(fam.scm(e), h) for e in fam.labels) <= 1e-7
    # the solver's choices read the postcode and realise the top of the range (the tables and the explanation)
    gaps = row("proxy", parity, "parity gap")
    assert gaps[0] == approx(0.0) and gaps[-1] == approx(0.187)
    assert row("proxy", odds, "odds gap")[0] == approx(0.0) and row("proxy", odds, "odds gap")[-1] == approx(0.330)
    from book.predictors import uses
    h = ch.region_predictors()[parity]
    assert uses(h, "P")
    p = {x: law[1] for x, law in h.table.items()}
    assert p[(0, 0, 1)] == approx(1.0) and p[(0, 0, 0)] == approx(0.222)  # the vertex described in the prose
    rates = {}
    for e in ("region 0", "size 1.00"):
        m = ch.family("proxy").scm(e)
        rates[e] = [sum(w * p[x] for x, w in m.joint(list(ch.FEATURES), evidence={"A": a}).items()) for a in (0, 1)]
    assert rates["region 0"] == [approx(0.580), approx(0.580)]
    assert rates["size 1.00"] == [approx(0.767), approx(0.580)]
    assert ch.family("proxy").scm("region 0").query("P", evidence={"A": 0})[1] == approx(0.1)
    assert ch.family("proxy").scm("size 1.00").query("P", evidence={"A": 0})[1] == approx(0.5)
    # the unconstrained predictor does not move along the proxy, and reads A but not P
    top = ch.region_predictors()["unconstrained"]
    for metric, value in (("parity gap", 0.600), ("odds gap", 0.857), ("accuracy", 0.787)):
        assert all(v == approx(value) for v in row("proxy", "unconstrained", metric))
    assert uses(top, "A") and not uses(top, "P")


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
    # a positive bound: the range over the optimal face runs from the bound itself to 0.250
    sel = ch.frontier_points()["selective"]
    assert sel[1]["bound"] == 0.05
    assert (sel[1]["lowest worst gap"], sel[1]["highest worst gap"]) == (approx(0.050), approx(0.250))


def test_exercise_slack_numbers(approx):
    hs = ch.slack_predictors()
    train = ch.regions()
    best = fairness.fairness_frontier(train, "Y", ch.FEATURES, "A", [0.05], unfair_edges=ch.UNFAIR)[0]["accuracy"]
    worst = {}
    for name, h in hs.items():
        assert fairness.accuracy_against(train, h, "Y") == pytest.approx(best, abs=1e-9)  # both optimal
        assert best == approx(0.749)
        gaps = [fairness.decision_change(h, fairness.switch_coupling(ch.family(m).scm(e), ch.FEATURES, "A", ch.UNFAIR))
                for m, e in ch.deployment_regions()]
        assert gaps[0] == approx(0.050)
        worst[name] = (max(gaps), gaps[4])  # gaps[4]: proxy size 1
    assert hs["postcode 0"].table[(1, 0, 0)][1] == approx(0.98)
    assert hs["postcode 1"].table[(1, 0, 1)][1] == approx(0.109)
    assert worst["postcode 0"] == (approx(0.250), approx(0.250))
    assert worst["postcode 1"][0] == approx(0.050) and worst["postcode 1"][1] == approx(0.028)
    assert worst["postcode 0"][0] == approx(5 * 0.05)  # fivefold
    assert fairness.switch_coupling(train, ch.FEATURES, "A", ch.UNFAIR)  # non-empty coupling
    assert ch.regions().query("P", evidence={"A": 1})[1] == approx(0.9)  # 80 % copy their group + half of the rest


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
    # the optimum is a face: this vertex and a postcode-blind rate of 0.4 in group 1 are equally accurate
    p = {x: law[1] for x, law in h.table.items()}
    blind = dict(p)
    for q, pc in itertools.product((0, 1), repeat=2):
        blind[(1, q, pc)] = 0.4
    from book.predictors import RandomizedPredictor
    other = RandomizedPredictor(ch.FEATURES, {x: {0: 1 - v, 1: v} for x, v in blind.items()}, (0, 1))
    assert fairness.accuracy_against(fam.scm("region 0"), other, "Y") == pytest.approx(
        fairness.accuracy_against(fam.scm("region 0"), h, "Y"), abs=1e-9)
    assert all(fairness.parity_difference(fam.scm(e), other, "A") <= 1e-9 for e in fam.labels)
    assert max(p[(1, q, 1)] for q in (0, 1)) == approx(0.444)  # the vertex the prose describes
    assert p[(0, 1, 0)] == approx(1.0) and p[(0, 0, 0)] == approx(0.0)
    # path fairness forces reading Q alone (the switch classes are the values of Q) ...
    classes = fairness.switch_classes(fam.scm("region 0"), ch.FEATURES, "A", ch.UNFAIR)
    assert sorted({x[1] for x in c} for c in classes) == [{0}, {1}]
    # ... and group 1 is qualified more often in every region, so parity leaves only a constant: hire everyone
    for e in fam.labels:
        m = fam.scm(e)
        assert m.query("Q", evidence={"A": 1})[1] - m.query("Q", evidence={"A": 0})[1] >= 0.18 - 1e-9
    const = fairness.group_fair_everywhere(fam.scm("region 0"), "Y", ["Q"], "A", [fam.scm(e) for e in fam.labels])
    assert const.table[(0,)][1] == approx(1.0) and const.table[(1,)][1] == approx(1.0)
    caccs = [fairness.accuracy_against(fam.scm(e), const, "Y") for e in fam.labels]
    assert (caccs[0], caccs[-1]) == (approx(0.607), approx(0.661))
    assert fairness.fairness_frontier(fam.scm("region 0"), "Y", ch.FEATURES, "A", [0.0],
                                      unfair_edges=ch.UNFAIR)[0]["accuracy"] == approx(0.745)
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
    p, s = d["parity-constrained"], d["selective"]
    assert (p[0]["lowest worst gap"], p[0]["highest worst gap"]) == (approx(0.360), approx(0.360))
    assert (p[1]["lowest worst gap"], p[1]["highest worst gap"]) == (approx(0.410), approx(0.410))
    assert (s[0]["lowest worst gap"], s[0]["highest worst gap"]) == (approx(0.0), approx(0.0))
    assert (s[0]["training accuracy"], p[0]["training accuracy"]) == (approx(0.745), approx(0.691))
    for r in p:  # every parity-fair optimum exceeds its bound somewhere, until the bound stops binding at 0.6
        if r["bound"] < 0.6:
            assert r["lowest worst gap"] > r["bound"] + 0.02
    assert p[-1]["lowest worst gap"] == approx(0.600)
    for r in s:
        if 0 < r["bound"] <= 0.5:  # some optimum keeps a positive bound everywhere, another does not
            assert r["lowest worst gap"] == pytest.approx(r["bound"], abs=1e-6)
            assert r["highest worst gap"] > r["bound"]
    assert (s[1]["highest worst gap"], s[2]["highest worst gap"]) == (approx(0.250), approx(0.282))
    # the worst accuracy of the selective predictor (a unique optimum) over the nine regions
    sel = ch.region_predictors()["selective"]
    assert min(fairness.accuracy_against(ch.family(m).scm(e), sel, "Y") for m, e in ch.deployment_regions()) == (
        approx(0.745))
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


def test_the_audit_reads_both_rows_and_select_finds_the_conflict(approx):
    import book
    from book.chapters import fairness_robustness as chapter

    predictors = chapter.region_predictors()
    gaps = {}
    for mechanism in ("proxy", "qualification access"):
        regions = chapter.family(mechanism)
        train = regions.scm(chapter.TRAINING)
        for name in ("unconstrained", "selective"):
            result = book.audit(book.attach(train, "Yhat", predictors[name]), "Yhat", "Y", attribute="A",
                                unfair_edges=chapter.UNFAIR, environment=regions)
            gaps[mechanism, name] = (result.row("fairness").gap, result.row("robustness").gap,
                                     result.row("robustness").quantity)
        chosen = book.select(train, "Y", list(chapter.FEATURES), attribute="A", unfair_edges=chapter.UNFAIR,
                             environment=regions)
        gaps[mechanism, "select"] = (chosen.predictor.features, chosen.irreducible, chosen.candidates)
    assert gaps["proxy", "selective"][:2] == (0.0, approx(0.0))
    assert gaps["proxy", "select"][:2] == (("Q",), False)
    unconstrained, selective = gaps["qualification access", "unconstrained"], gaps["qualification access", "selective"]
    assert unconstrained[0] == approx(0.510) and unconstrained[1] == approx(0.0)
    assert unconstrained[2] == "P(Y | A, Q)"
    assert selective[0] == 0.0 and selective[1] == approx(0.128) and selective[2] == "P(Y | Q)"
    _, irreducible, candidates = gaps["qualification access", "select"]
    assert irreducible and not candidates["passes"].any()
    assert candidates.loc["(none)", "robustness"] == "fails"  # P(Y) itself moves
