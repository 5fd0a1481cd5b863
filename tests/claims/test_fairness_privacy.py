"""Every claim of chapter 8 (issue 16) and every number in its prose, recomputed through book/.

Sampled numbers come from seeded experiments, so they are deterministic; every structural claim
("falls", "grows", "agrees") carries a margin of several standard errors, so that it fails if the
science breaks and rarely if the seed changes (the 14 comparisons of the simulation with the closed
form at 3 s.e. would fail for a few per cent of seeds). Exact numbers (closed forms) are asserted at the
printed precision.
"""

import itertools
import math

import numpy as np
import pytest

from book.chapters import fairness_privacy as ch
from book.objectives import private_fairness as pf
from book.objectives.privacy import advantage_bound

INF = math.inf


@pytest.fixture(scope="module")
def runs():
    return ch.simulate(**ch.HEADLINE)


@pytest.fixture(scope="module")
def summary(runs):
    return ch.summarise(runs)


@pytest.fixture(scope="module")
def by_n():
    return {n: ch.summarise(ch.simulate(n=n, p_minority=0.1, reps=400, seed=2026)) for n in (300, 1000, 3000)}


def acc(name, eps, share=0.1, n=1000):
    return ch.exact_accuracy(name, n, share, eps)


def paired(runs, first, second, metric, eps_first, eps_second=None):
    """Mean and s.e. over repetitions of ``metric(first, eps_first) - metric(second, eps_second)``."""
    def column(name, eps):
        r = runs[(runs["predictor"] == name) & (runs["epsilon"] == eps)].sort_values("rep")
        return r[metric].to_numpy()

    d = column(first, eps_first) - column(second, eps_first if eps_second is None else eps_second)
    return d.mean(), d.std(ddof=1) / math.sqrt(len(d))


def four(expected):
    return pytest.approx(expected, abs=5e-5)  # numbers printed with four decimals


def test_headline_setting():
    assert ch.HEADLINE == {"n": 1000, "p_minority": 0.1, "reps": 400, "seed": 2026}
    assert ch.EPSILONS == (0.1, 0.2, 0.5, 1.0, 2.0, 4.0, INF) and len(ch.EPSILONS) == 7
    assert ch.TARGET_TPR == 0.8 and ch.LOSS_EPSILON == 0.5
    assert ch.READS == {"lookup table": "A, Q, P", "group thresholds": "A, Q", "selective": "Q"}
    pop = ch.population(0.1)
    assert pop["T_QP"].shape == (2, 8, 2) and pop["T_Q"].shape == (2, 4, 2)
    assert pop["T_QP"].shape[0] * pop["T_QP"].shape[1] == 16  # "16 cells" (A, Q, P)


# ---------------------------------------------------------------------------- the model, exactly
def test_model_numbers(approx):
    m = ch.population(0.1)["model"]
    assert m.query("A")[1] == approx(0.1)
    assert m.query("Y", evidence={"A": 0})[1] == approx(0.550)
    assert m.query("Y", evidence={"A": 1})[1] == approx(0.332)
    assert m.query("Y", evidence={"A": 0, "Q": 2})[1] == approx(0.700)
    assert m.query("Y", evidence={"A": 1, "Q": 2})[1] == approx(0.490)
    for q, r in enumerate((0.2, 0.4, 0.7, 0.9)):  # a minority applicant repays with probability 0.7 r_q
        assert m.query("Y", evidence={"A": 1, "Q": q})[1] == pytest.approx(0.7 * r)


def test_population_best_accuracies(approx):
    pop = ch.population(0.1)
    T_QP, T_Q = pop["T_QP"], pop["T_Q"]
    best_all = pf.policy_rates(T_QP, (T_QP[..., 1] > T_QP[..., 0]).astype(float)).accuracy
    best_q = pf.policy_rates(T_Q, (T_Q.sum(axis=0)[:, 1] > T_Q.sum(axis=0)[:, 0]).astype(float)).accuracy
    assert best_all.tolist() == [approx(0.730), approx(0.699)]
    assert best_q.tolist() == [approx(0.730), approx(0.694)]
    assert best_all[1] - best_q[1] == approx(0.005) and best_all[0] - best_q[0] == approx(0.0)
    # in band 2 the best decision flips with the group
    assert T_Q[0, 2, 1] > T_Q[0, 2, 0] and T_Q[1, 2, 1] < T_Q[1, 2, 0]


# ---------------------------------------------------------------------------- who pays for the noise
def test_simulation_agrees_with_the_closed_form(summary):
    for name in ("lookup table", "selective"):
        for eps in ch.EPSILONS:
            exact, s = acc(name, eps), summary.loc[(name, eps)]
            for k, col in enumerate(("acc_majority", "acc_minority")):
                assert abs(s[col] - exact[k]) <= max(3 * s[f"{col}_se"], 2e-3), (name, eps, col)


def test_lookup_table_costs_the_minority_more(approx, summary):
    top, half, tenth = acc("lookup table", INF), acc("lookup table", 0.5), acc("lookup table", 0.1)
    assert top.tolist() == [approx(0.729), approx(0.685)]
    assert (top - half).tolist() == [approx(0.004), approx(0.029)]
    assert (top - tenth).tolist() == [approx(0.026), approx(0.119)]
    assert tenth[1] == approx(0.566)
    m = ch.population(0.1)["model"]
    assert m.query("Y", evidence={"A": 1})[0] == approx(0.668)  # denying every minority applicant
    assert tenth[1] < m.query("Y", evidence={"A": 1})[0]
    T_QP = ch.population(0.1)["T_QP"]
    per_cell = 1000 * T_QP.sum(axis=(1, 2)) / T_QP.shape[1]  # mean records per cell, majority and minority
    assert per_cell.tolist() == [approx(112.5), approx(12.5)] and round(per_cell[1]) == 12
    assert per_cell[0] / per_cell[1] == approx(9.0)  # "a ninth as many", "nine times larger"
    # "majority cells are rarely empty" (exercise): the emptiest majority cell against the emptiest minority one
    T = ch.population(0.1)["T_QP"].sum(axis=2)
    assert (1 - T[0].min()) ** 1000 < 1e-6 and (1 - T[1].min()) ** 1000 > 0.1
    # the sampled version of the same claim: per repetition, the minority's loss minus the majority's
    runs = ch.simulate(**ch.HEADLINE)
    lookup = runs[runs["predictor"] == "lookup table"]
    for eps in (0.1, 0.2, 0.5):
        top = lookup[lookup["epsilon"] == INF].sort_values("rep")
        noisy = lookup[lookup["epsilon"] == eps].sort_values("rep")
        d = ((top["acc_minority"].to_numpy() - noisy["acc_minority"].to_numpy())
             - (top["acc_majority"].to_numpy() - noisy["acc_majority"].to_numpy()))
        assert d.mean() > 3 * d.std(ddof=1) / math.sqrt(len(d))
    # monotone in epsilon (exact)
    minority = [acc("lookup table", e)[1] for e in ch.EPSILONS]
    assert all(a < b for a, b in itertools.pairwise(minority))


def test_equal_share_control(approx):
    for share, losses in ((0.5, (0.009, 0.007)), (0.1, (0.004, 0.029))):
        loss = acc("lookup table", INF, share) - acc("lookup table", 0.5, share)
        assert loss.tolist() == [approx(losses[0]), approx(losses[1])]
    minority = ch._noise_losses("lookup table", 1000, 1)
    majority = ch._noise_losses("lookup table", 1000, 0)
    assert ch.SHARES[0] == 0.02 and ch.SHARES[-1] == 0.5
    assert minority[0] == approx(0.101) and minority[-1] == approx(0.007)
    assert all(a > b for a, b in itertools.pairwise(minority))  # shrinks as the minority grows
    assert min(majority) == approx(0.004) and max(majority) == approx(0.009)
    # the alt text: the selective predictor's minority loses less than 1e-4 at every share
    assert max(abs(x) for x in ch._noise_losses("selective", 1000, 1)) < ch._SMALL == 1e-4


def test_flip_probability_depends_on_size_times_margin():
    # P(L1 - L0 > d) with scale 2/eps is (2 + m) e^{-m} / 4, m = d eps / 2 = n_cell |2p - 1| eps / 2
    for n_cell, p, eps in ((12.5, 0.49, 0.5), (112.5, 0.7, 0.1), (250.0, 0.3, 1.0)):
        m = n_cell * abs(2 * p - 1) * eps / 2
        d = n_cell * abs(2 * p - 1)
        assert pf.laplace_difference_sf(d, 2 / eps) == pytest.approx(0.25 * (2 + m) * math.exp(-m))
    # the same m from a larger cell nearer the boundary or a smaller one farther from it
    assert pf.laplace_difference_sf(100 * 0.1, 4.0) == pytest.approx(pf.laplace_difference_sf(10 * 1.0, 4.0))


# ---------------------------------------------------------------------------- equal opportunity under noise
def test_opportunity_gap_numbers(approx, by_n):
    g = {n: s.xs("group thresholds", level="predictor") for n, s in by_n.items()}
    for n, eps, mean, se in ((1000, INF, 0.048, 0.002), (1000, 1.0, 0.072, 0.003), (1000, 0.1, 0.163, 0.007),
                             (3000, 0.1, 0.113, 0.005)):
        assert g[n].loc[eps, "opportunity_gap"] == approx(mean) and g[n].loc[eps, "opportunity_gap_se"] == approx(se)
    assert g[300].loc[INF, "opportunity_gap"] == approx(0.093)
    assert g[3000].loc[INF, "opportunity_gap"] == approx(0.029)


def test_noise_excess_falls_by_a_quarter_not_threefold():
    excess = {}
    for n in (1000, 3000):
        excess[n] = paired(ch.simulate(n=n, p_minority=0.1, reps=400, seed=2026), "group thresholds",
                           "group thresholds", "opportunity_gap", 0.1, INF)
    assert excess[1000][0] == pytest.approx(0.115, abs=5e-4) and round(excess[1000][1], 3) == 0.007
    assert excess[3000][0] == pytest.approx(0.085, abs=5e-4) and round(excess[3000][1], 3) == 0.005
    assert 0.2 < 1 - excess[3000][0] / excess[1000][0] < 0.3  # "by about a quarter"
    se = math.hypot(excess[1000][1], excess[3000][1])
    assert excess[1000][0] - excess[3000][0] > 3 * se  # it falls
    assert excess[3000][0] - excess[1000][0] / 3 > 3 * math.hypot(excess[3000][1], excess[1000][1] / 3)  # not threefold


def test_opportunity_gap_falls_with_epsilon_and_n(by_n):
    g = {n: s.xs("group thresholds", level="predictor") for n, s in by_n.items()}
    for n in by_n:  # each step in epsilon down to 0.5 and every step in n: beyond 3 standard errors
        for lo, hi in ((0.1, 0.5), (0.5, 2.0), (0.1, INF)):
            diff = g[n].loc[lo, "opportunity_gap"] - g[n].loc[hi, "opportunity_gap"]
            assert diff > 3 * math.hypot(g[n].loc[lo, "opportunity_gap_se"], g[n].loc[hi, "opportunity_gap_se"])
    for eps in ch.EPSILONS:
        for small, large in ((300, 1000), (1000, 3000)):
            diff = g[small].loc[eps, "opportunity_gap"] - g[large].loc[eps, "opportunity_gap"]
            se = math.hypot(g[small].loc[eps, "opportunity_gap_se"], g[large].loc[eps, "opportunity_gap_se"])
            assert diff > 3 * se


def test_opportunity_gap_positivity_is_a_sampling_fact(runs):
    thresholds = runs[runs["predictor"] == "group thresholds"]
    noisy = thresholds[np.isfinite(thresholds["epsilon"])]
    assert len(noisy) == 2400 == 400 * 6 and (noisy["opportunity_gap"] > 0).all()
    # without noise, too, every fit has a positive gap: positivity is not the noise's doing
    noiseless = thresholds[thresholds["epsilon"] == INF]
    assert len(noiseless) == 400 and noiseless["opportunity_gap"].min() == pytest.approx(0.0001, abs=5e-5)


def test_minority_repayers_and_the_threshold_policy(approx, summary):
    pop = ch.population(0.1)
    assert round(1000 * pop["T_Q"][1, :, 1].sum()) == 33
    T = pop["T_Q"]
    h = pf.equal_opportunity_policy(T[:, :, 1], ch.TARGET_TPR)
    rates = pf.policy_rates(T, h)
    assert rates.tpr.tolist() == [approx(0.8), approx(0.8)]  # exact statistics: exact equality
    assert h[1, 1] > 0 and T[1, 1, 1] < T[1, 1, 0]  # it approves minority applicants in band 1, most default
    s = summary.loc[("group thresholds", INF)]
    assert s["accuracy"] == approx(0.694) and s["acc_minority"] == approx(0.596)
    assert s["accuracy_se"] < 1e-3 and round(s["acc_minority_se"], 3) == 0.002
    assert summary.loc[("lookup table", INF), "accuracy"] == approx(0.725)
    assert summary.loc[("lookup table", INF), "accuracy_se"] < 1e-3
    assert s["accuracy"] < summary.loc[("lookup table", INF), "accuracy"] - 3 * s["accuracy_se"]


# ---------------------------------------------------------------------------- structural fairness survives
def test_selective_path_gap_is_exactly_zero_in_every_fit(runs):
    selective = runs[runs["predictor"] == "selective"]
    assert len(selective) == 2800 == 400 * 7
    assert (selective["path_gap"] == 0).all()
    for name in ("group thresholds", "lookup table"):
        r = runs[runs["predictor"] == name]
        assert r["path_gap"].max() > 0.5  # the others' gaps are far from 0 in some fits
    thresholds = runs[runs["predictor"] == "group thresholds"]["path_gap"]
    assert (thresholds > 0).all() and f"{thresholds.min():.0e}" == "9e-06"
    lookup = runs[runs["predictor"] == "lookup table"]["path_gap"]
    assert len(lookup) == 2800 and (lookup == 0).sum() == 76


def test_group_threshold_path_gap_comes_from_reading_A(approx):
    # its features (A, Q): switching along A -> P, A -> Y leaves Q, so only the switched copy of A can move it
    coupling, cells = ch.population(0.1)["coupling"]["group thresholds"]
    assert cells[0] == (0, 0) and len(cells[0]) == 2
    assert all(x[1] == x2[1] for (x, x2) in coupling)  # Q never moves
    assert all(x[0] != x2[0] for (x, x2) in coupling)  # A always does


def test_selective_numbers(approx, summary):
    records = 1000 * ch.population(0.1)["T_Q"].sum(axis=(0, 2))  # expected records per pooled cell
    assert round(records.min()) == 192 and round(records.max()) == 300  # "between 192 and 300"
    sel = acc("selective", INF), acc("selective", 0.1)
    assert sel[0][1] == four(0.6942) and sel[1][1] == four(0.6857) and sel[0][1] - sel[1][1] == four(0.0085)
    assert round(sel[0][1], 4) - round(sel[1][1], 4) == pytest.approx(0.0085)  # the printed numbers subtract
    s = summary.loc[("selective", INF)]
    assert s["accuracy"] == approx(0.726) and s["accuracy_se"] < 1e-3 and s["path_gap"] == 0.0
    sel01 = summary.loc[("selective", 0.1)]
    assert sel01["accuracy"] == approx(0.722) and round(sel01["accuracy_se"], 3) == 0.001
    assert s["opportunity_gap"] == approx(0.097) and s["parity_gap"] == approx(0.120)
    assert s["opportunity_gap_se"] < 1e-3 and s["parity_gap_se"] < 1e-3
    for eps in ch.EPSILONS[1:]:  # "at every epsilon from 0.2 up"
        assert summary.loc[("selective", eps), "opportunity_gap"] == approx(0.097)
        assert summary.loc[("selective", eps), "opportunity_gap_se"] < 1e-3
    g, lk = summary.loc[("group thresholds", INF)], summary.loc[("lookup table", INF)]
    assert g["path_gap"] == approx(0.103) and round(g["path_gap_se"], 3) == 0.003
    assert lk["path_gap"] == approx(0.238) and round(lk["path_gap_se"], 3) == 0.007
    # top left on the right-hand axes: the selective predictor is at least as accurate as the others at every epsilon
    for eps in ch.EPSILONS:
        for name in ("group thresholds", "lookup table"):
            other = summary.loc[(name, eps)]
            assert summary.loc[("selective", eps), "accuracy"] > other["accuracy"] - 3 * other["accuracy_se"]


def test_selective_beats_group_thresholds_under_strong_noise(approx, runs, summary):
    g, s = (lambda eps: summary.loc[("group thresholds", eps)]), (lambda eps: summary.loc[("selective", eps)])
    assert g(0.2)["opportunity_gap"] == approx(0.131) and round(g(0.2)["opportunity_gap_se"], 3) == 0.006
    assert g(0.1)["opportunity_gap"] == approx(0.163) and round(g(0.1)["opportunity_gap_se"], 3) == 0.007
    assert s(0.2)["opportunity_gap"] == approx(0.097) and s(0.1)["opportunity_gap"] == approx(0.095)
    for eps, (mean, se) in ((0.2, (0.034, 0.006)), (0.1, (0.068, 0.007))):
        d, d_se = paired(runs, "group thresholds", "selective", "opportunity_gap", eps)
        assert d == approx(mean) and round(d_se, 3) == se and d > 3 * d_se  # larger, beyond 3 s.e.
    # tied at 0.5
    assert g(0.5)["opportunity_gap"] == approx(0.093) and round(g(0.5)["opportunity_gap_se"], 3) == 0.004
    d, d_se = paired(runs, "group thresholds", "selective", "opportunity_gap", 0.5)
    assert abs(d) < 3 * d_se
    # and worse on accuracy, overall and for the minority, at 0.1
    assert g(0.1)["accuracy"] == approx(0.691) and round(g(0.1)["accuracy_se"], 3) == 0.001
    assert g(0.1)["acc_minority"] == approx(0.575) and round(g(0.1)["acc_minority_se"], 3) == 0.005
    assert s(0.1)["acc_minority"] == approx(0.687) and round(s(0.1)["acc_minority_se"], 3) == 0.002
    for metric in ("accuracy", "acc_minority"):
        d, d_se = paired(runs, "selective", "group thresholds", metric, 0.1)
        assert d > 3 * d_se
    # the lookup table's equal-opportunity gap shrinks under strong noise while its minority's accuracy falls
    top, noisy = summary.loc[("lookup table", INF)], summary.loc[("lookup table", 0.1)]
    assert top["opportunity_gap"] == approx(0.381) and round(top["opportunity_gap_se"], 3) == 0.009
    assert noisy["opportunity_gap"] == approx(0.310) and round(noisy["opportunity_gap_se"], 3) == 0.010
    assert top["acc_minority"] == approx(0.685) and round(top["acc_minority_se"], 3) == 0.001
    assert noisy["acc_minority"] == approx(0.571) and round(noisy["acc_minority_se"], 3) == 0.005
    for metric in ("opportunity_gap", "acc_minority"):
        d, d_se = paired(runs, "lookup table", "lookup table", metric, INF, 0.1)
        assert d > 3 * d_se


# ---------------------------------------------------------------------------- the audit
def test_audit_errors(approx):
    errors = ch.audit_errors(1000, (0.05, 0.1, 0.3, 0.5), (0.1, 0.3, 1.0, 3.0, 10.0))
    row = errors.loc[(0.1, 1.0)]
    assert int(row["group_size"]) == 100 and int(row["positives"]) == 33
    assert row["tpr_error"] == approx(0.030) and errors.loc[(0.1, 0.1), "tpr_error"] == approx(0.303)
    gap = ch.summarise(ch.simulate(**ch.HEADLINE)).loc[("selective", INF), "opportunity_gap"]
    assert 3 <= errors.loc[(0.1, 0.1), "tpr_error"] / gap < 3.2  # "three times the gap"
    majority_repayers = 1000 * ch.population(0.1)["T_Q"][0, :, 1].sum()
    assert 490 < majority_repayers < 510 and majority_repayers / 33 > 10  # "about 500", "more than ten times"
    # the error grows as the group shrinks, at every epsilon
    for eps in (0.1, 1.0, 10.0):
        col = [errors.loc[(s, eps), "tpr_error"] for s in (0.05, 0.1, 0.3, 0.5)]
        assert all(a > b for a, b in itertools.pairwise(col))


# ---------------------------------------------------------------------------- explorer and limits
def test_explorer_claims():
    assert ch.EXPLORER_REPS == 100
    for share in ch.EXPLORER_SHARES:
        for n in ch.EXPLORER_SIZES:
            s = ch._explorer_summary(share, n)
            assert (s.xs("selective", level="predictor")["path_gap"] == 0).all()
    small, large = ch._explorer_summary(0.05, 300), ch._explorer_summary(0.5, 3000)
    a, b = small.loc[("group thresholds", 0.1)], large.loc[("group thresholds", INF)]
    assert a["opportunity_gap"] - b["opportunity_gap"] > 3 * math.hypot(a["opportunity_gap_se"],
                                                                        b["opportunity_gap_se"])
    assert b["acc_minority"] - a["acc_minority"] > 3 * math.hypot(a["acc_minority_se"], b["acc_minority_se"])


def test_small_cells_remain_small(approx):
    few = acc("selective", INF, n=100) - acc("selective", 0.1, n=100)
    many = acc("selective", INF) - acc("selective", 0.1)
    assert few.tolist() == [approx(0.155), approx(0.131)] and many.tolist() == [approx(0.006), approx(0.009)]
    records = 100 * ch.population(0.1)["T_Q"].sum(axis=(0, 2))  # expected records per cell with 100 applicants
    assert round(records.min()) == 19 and round(records.max()) == 30


def test_group_aware_budget(approx):
    even, aware = acc("lookup table", ch.LOSS_EPSILON), acc("lookup table", ch.AWARE_EPSILON)
    top = acc("lookup table", INF)
    assert even[1] == approx(0.656) and aware[1] == approx(0.679) and top[1] == approx(0.685)
    assert even[0] == approx(0.725) and aware[1] < top[1]
    assert ch.AWARE_EPSILON / ch.LOSS_EPSILON == 4  # "a bound on its privacy loss four times as large"


def test_exercise_numbers(approx):
    assert pf.majority_vote_probability(1000, 0.0, 0.0, 0.5) == approx(0.5)
    row = ch.audit_errors(1000, (0.1,), (1.0,)).loc[(0.1, 1.0)]
    assert 1 / (0.01 * row["positives"]) == approx(3.030) and 1 / (0.01 * row["group_size"]) == approx(1.0)
    assert advantage_bound(3.0) == approx(0.905)


def test_summary_numbers(approx, summary):
    assert (acc("lookup table", INF) - acc("lookup table", 0.1)).tolist() == [approx(0.026), approx(0.119)]
    assert acc("selective", INF)[1] - acc("selective", 0.1)[1] == four(0.0085)
    assert summary.loc[("selective", INF), "opportunity_gap"] == approx(0.097)


def test_the_audit_reads_the_chapters_declarations(approx):
    import book
    from book.chapters import fairness_privacy as chapter

    model = chapter.lending()
    rows = {}
    for name, features in (("lookup table", chapter.FEATURES), ("selective", ("Q",))):
        deployed = book.attach(model, "Yhat", book.bayes_optimal(model, "Y", list(features)))
        rows[name] = book.audit(deployed, "Yhat", "Y", attribute="A", unfair_edges=chapter.UNFAIR,
                                n=1000, epsilon=0.5, reps=20, rng=np.random.default_rng(2026))
    assert rows["lookup table"].row("fairness").gap == approx(0.296)
    assert rows["selective"].row("fairness").gap == 0.0
    for result in rows.values():
        private = result.row("privacy")
        # "leaks nothing measurable": within 2 standard errors of 0, far inside the bound
        assert abs(private.gap) < 2 * private.standard_error
        assert private.values["bound tanh(epsilon/2)"] == approx(0.245)
    cells = {name: math.prod(len(model.states(f)) for f in features)
             for name, features in (("lookup table", chapter.FEATURES), ("selective", ("Q",)))}
    assert cells == {"lookup table": 16, "selective": 4}
