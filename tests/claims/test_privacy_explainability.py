"""Every claim and every number in chapter 9's prose (issue 17), recomputed through book/.

The experiments are seeded, so the numbers the prose prints are deterministic and are pinned to their
printed digits (they change if the code or the seed changes). The structural claims ("more than",
"within noise of zero", "grows") are asserted with margins of about three standard errors, so that they
hold for any seed and fail if the science breaks; identities are asserted exactly.
"""

import itertools
import math

import numpy as np
import pytest

from book.chapters import privacy_explainability as P
from book.exercises import check_explanation_bound, check_island_attribution
from book.models.records import draw
from book.objectives import privacy
from book.objectives.recourse import hypercube_counterfactuals

INF = math.inf
ATTACKS = ("model_advantage", "score_advantage", "attribution_advantage", "counterfactual_advantage")
FINITE = [e for e in P.EPSILONS if math.isfinite(e)]


@pytest.fixture(scope="module")
def leak():
    return P.summarise(P.simulate(d_values=P.D_VALUES, epsilons=(INF,), reps=30, seed=2026))


@pytest.fixture(scope="module")
def leak_runs():
    return P.simulate(d_values=P.D_VALUES, epsilons=(INF,), reps=30, seed=2026)


@pytest.fixture(scope="module")
def runs():
    return P.simulate(d_values=(10,), epsilons=P.EPSILONS, reps=30, seed=2026)


@pytest.fixture(scope="module")
def summary(runs):
    return P.summarise(runs)


def value(s, d, route, eps, metric):
    return s.loc[(d, route, eps), metric], s.loc[(d, route, eps), f"{metric}_se"]


# ---------------------------------------------------------------------------- the model
def test_public_mechanism(approx):
    truth = privacy.cell_probabilities(P.true_mechanism())
    assert truth.tolist() == [approx(0.150), approx(0.850), approx(0.850), approx(0.850)]
    assert P.true_mechanism().counts.sum() == pytest.approx(1e6)


# ---------------------------------------------------------------------------- explanations leak
def test_nothing_leaks_with_few_fields(leak):
    for d in (0, 2):
        for route in ("associational", "causal"):
            for m in ATTACKS:
                assert value(leak, d, route, INF, m)[0] <= 0.025


def test_attribution_attack_beats_the_loss_attack_at_d10(leak, leak_runs, approx):
    a, a_se = value(leak, 10, "associational", INF, "attribution_advantage")
    m, m_se = value(leak, 10, "associational", INF, "model_advantage")
    r, r_se = value(leak, 10, "associational", INF, "model_rule_advantage")
    assert (a, a_se) == (approx(0.866), approx(0.016))
    assert (m, m_se) == (approx(0.607), approx(0.006))
    assert (r, r_se) == (approx(0.581), approx(0.041))
    rows = leak_runs[(leak_runs["d"] == 10) & (leak_runs["route"] == "associational")].set_index("rep")
    for other in ("model_advantage", "model_rule_advantage"):
        diff = rows["attribution_advantage"] - rows[other]
        assert diff.mean() > 3 * diff.std(ddof=1) / math.sqrt(len(diff))  # paired, > 3 s.e.


def paired(runs, d, first, second):
    rows = runs[(runs["d"] == d) & (runs["route"] == "associational")].set_index("rep")
    diff = rows[first] - rows[second]
    return diff.mean(), diff.std(ddof=1) / math.sqrt(len(diff))


def test_attribution_overtakes_the_loss_attack_from_d8(leak, leak_runs, approx):
    expected = {(8, "attribution_advantage"): (0.578, 0.008), (8, "model_advantage"): (0.438, 0.017),
                (6, "attribution_advantage"): (0.168, 0.012), (6, "model_advantage"): (0.218, 0.009)}
    for (d, m), (v, se) in expected.items():
        got = value(leak, d, "associational", INF, m)
        assert (f"{got[0]:.3f}", f"{got[1]:.3f}") == (f"{v:.3f}", f"{se:.3f}")  # as printed (0.1675 -> 0.168)
    for d in (8, 10):
        diff, se = paired(leak_runs, d, "attribution_advantage", "model_advantage")
        assert diff > 3 * se
    diff, se = paired(leak_runs, 6, "model_advantage", "attribution_advantage")
    assert diff > 3 * se  # at d = 6 the loss attack is still ahead


def test_the_score_alone_reveals_about_as_much_as_the_attribution(leak, leak_runs, approx):
    # The attribution is a function of k + 1 scores; the score at x alone (no label) already does as well.
    assert value(leak, 10, "associational", INF, "score_advantage") == (approx(0.901), approx(0.005))
    diff, se = paired(leak_runs, 10, "score_advantage", "attribution_advantage")
    assert (diff, se) == (approx(0.035), approx(0.015))
    assert abs(diff) < 3 * se  # "under three standard errors": no claim that either is larger
    diff, se = paired(leak_runs, 10, "score_advantage", "model_advantage")
    assert diff > 3 * se  # the loss is the weaker statistic of the model's output


def test_leakage_grows_with_d(leak, approx):
    c, c_se = value(leak, 10, "associational", INF, "counterfactual_advantage")
    assert (c, c_se) == (approx(0.155), approx(0.011))
    for m in ATTACKS:
        at = [value(leak, d, "associational", INF, m) for d in (2, 6, 10)]
        assert at[2][0] - at[0][0] > 3 * math.hypot(at[2][1], at[0][1])
    for m in ("model_advantage", "score_advantage", "attribution_advantage"):  # from d = 6 on: "every channel
        v, se = value(leak, 6, "associational", INF, m)                       # but the counterfactual leaks"
        assert v > 3 * se
    v, se = value(leak, 6, "associational", INF, "counterfactual_advantage")
    assert abs(v) <= 3 * se


def test_small_tables_leak_through_no_channel(leak):
    for d in P.D_VALUES:
        for route in ("causal", "small non-causal"):
            if (d, route, INF) in leak.index:
                for m in ATTACKS:
                    v, se = value(leak, d, route, INF, m)
                    assert abs(v) <= 3 * se  # within three standard errors of zero


def test_counterfactual_flags_members_at_distance_one():
    # The side of the rule a shadow model picks: a small distance to the counterfactual means "member".
    data = {k: draw(10, 200, np.random.default_rng([9, k])) for k in range(2)}
    decisions = (privacy.cell_probabilities(privacy.fit_histogram(*data[0])) > 0.5).astype(int)

    def distance(X):
        c = privacy.cells(X)
        to_zero, _ = hypercube_counterfactuals(decisions, desired=0)
        to_one, _ = hypercube_counterfactuals(decisions, desired=1)
        return np.where(decisions[c] == 1, to_zero[c], to_one[c])

    assert privacy.shadow_rule(distance(data[0][0]), distance(data[1][0])) == (1.0, -1)


def test_counterfactual_is_a_record(approx):
    reveal = P.counterfactual_records(n=200, d=10, seed=2026)
    assert reveal["prior"] == approx(0.673) and reveal["prior"] > 0.5  # so an empty cell is flagged
    assert reveal["unflagged_cells_with_a_record"] == 1.0  # by construction
    assert reveal["counterfactual_is_a_record"] == 1.0
    assert reveal["counterfactual_is_one_record"] == approx(0.969)


# ---------------------------------------------------------------------------- privacy blurs explanations
def test_attribution_attack_under_dp(summary, approx):
    expected = {8.0: (0.565, 0.009), 2.0: (0.114, 0.012), 1.0: (0.043, 0.009)}
    for e, (v, se) in expected.items():
        got = value(summary, 10, "associational", e, "attribution_advantage")
        assert (f"{got[0]:.3f}", f"{got[1]:.3f}") == (f"{v:.3f}", f"{se:.3f}")  # as printed (0.1135 -> 0.114)
    assert privacy.advantage_bound(1.0) == approx(0.462)
    for e in FINITE:
        assert value(summary, 10, "associational", e, "counterfactual_advantage")[0] <= 0.002 + 5e-4


def test_every_attack_respects_the_dp_bound(summary):
    for (_, _, e), row in summary.iterrows():
        if math.isfinite(e):
            for m in (*ATTACKS, "model_rule_advantage"):
                assert row[m] <= privacy.advantage_bound(e) + 3 * row[f"{m}_se"]


def test_attribution_error_grows_as_epsilon_shrinks(summary, approx):
    errors = [value(summary, 10, "associational", e, "attribution_error")[0] for e in sorted(FINITE, reverse=True)]
    assert errors[0] == approx(0.100) and errors[-1] == approx(0.396)
    assert all(b > a for a, b in itertools.pairwise(errors))


def test_private_recourse_is_rarely_accepted_and_less_valid(summary, approx):
    free, free_se = value(summary, 10, "associational", INF, "validity")
    assert (free, free_se) == (approx(0.531), approx(0.018))
    assert value(summary, 10, "associational", INF, "decision_validity")[0] == approx(1.0)
    accepted = [value(summary, 10, "associational", e, "decision_validity")[0] for e in FINITE]
    assert max(accepted) == approx(0.088)
    validity = [value(summary, 10, "associational", e, "validity") for e in FINITE]
    assert min(v for v, _ in validity) == approx(0.219) and max(v for v, _ in validity) == approx(0.327)
    for v, se in validity:
        assert free - v > 3 * math.hypot(free_se, se)


# ---------------------------------------------------------------------------- the causal resolution
def test_public_scm_recourse_is_always_valid_and_leaks_nothing(summary, approx):
    for e in P.EPSILONS:
        assert value(summary, 10, "public SCM", e, "validity")[0] == 1.0
        for m in ATTACKS:
            v, se = value(summary, 10, "public SCM", e, m)
            assert abs(v) <= 3 * se
    assert value(summary, 10, "public SCM", INF, "attribution_advantage") == (approx(-0.002), approx(0.008))


def test_causal_route_keeps_validity_and_leaks_nothing(summary):
    for e in P.EPSILONS:
        if e >= 0.5:
            assert value(summary, 10, "causal", e, "validity")[0] == 1.0
        for route in ("causal", "small non-causal"):
            v, se = value(summary, 10, route, e, "attribution_advantage")
            assert abs(v) <= 3 * se


def test_small_noncausal_recourse_is_never_valid(summary, runs):
    rows = runs[runs["route"] == "small non-causal"]
    assert (rows["validity"] == 0.0).all()  # an identity: it can only change effects of Y
    for e in (2.0, 4.0, 8.0, INF):  # "almost every recommended change, at least 0.95 of them"
        v, se = value(summary, 10, "small non-causal", e, "decision_validity")
        assert v >= 0.95 and v - 3 * se >= 0.9


def test_causal_recourse_exact_where_claimed(summary):
    # down to epsilon = 0.5 no cell's score crossed 0.5: every recommended change is one the
    # non-private model accepts, and no one flagged is offered nothing
    for e in P.EPSILONS:
        if e >= 0.5:
            assert value(summary, 10, "causal", e, "decision_validity")[0] == 1.0
            assert value(summary, 10, "causal", e, "no_recourse")[0] == 0.0


def test_recourse_never_offered_counts_as_invalid(runs, approx):
    # a table that flags every cell offers no recourse: that repetition's validity is 0, not missing
    few = P.simulate(n=10, d_values=(0,), epsilons=(0.5, INF), reps=100, seed=2026)
    nothing = few[few["no_recourse"] == 1.0]
    assert len(nothing) > 0 and nothing["validity"].notna().any()
    assert (nothing["validity"].dropna() == 0.0).all()
    assert runs["validity"].notna().all()  # at n = 200 every repetition has someone flagged at risk
    causal = runs[(runs["route"] == "causal") & (runs["epsilon"] == 0.1)]
    assert (causal["no_recourse"] == 1.0).sum() == 1  # "in one repetition of the 30"
    assert causal["no_recourse"].mean() == approx(0.033)
    assert (causal.loc[causal["no_recourse"] == 1.0, "validity"] == 0.0).all()


# ---------------------------------------------------------------------------- where it stops
def test_dp_on_the_scm_costs_validity(summary, runs, approx):
    assert value(summary, 10, "causal", 0.25, "validity") == (approx(0.950), approx(0.028))
    assert value(summary, 10, "causal", 0.1, "validity") == (approx(0.790), approx(0.060))
    cost, se = P.paired_difference(runs, "validity", ("causal", INF), ("causal", 0.1), d=10)
    assert (cost, se) == (approx(0.210), approx(0.060))
    assert f"{cost / se:.1f}" == "3.5"  # as printed
    assert cost > 3 * se
    assert value(summary, 10, "causal", INF, "model_advantage") == (approx(-0.005), approx(0.005))


def test_exercise_numbers(summary, approx):
    prior = P.counterfactual_records()["prior"]
    assert (1 - prior) / 2 == approx(0.163) and prior / 2 == approx(0.337)
    assert bool(check_island_attribution((1 - prior) / 2))
    assert not check_island_attribution(prior / 2)
    assert bool(check_explanation_bound(0.462)) and not check_explanation_bound(math.e - 1)
    assert math.tanh(3) == approx(0.995)
    assert value(summary, 10, "causal", 0.5, "validity") == (approx(1.0), approx(0.0))
    assert value(summary, 10, "causal", 0.5, "attribution_error") == (approx(0.084), approx(0.008))


def test_an_scm_learned_from_few_records_leaks_and_dp_costs_validity(approx):
    few = P.summarise(P.simulate(n=10, d_values=(0,), epsilons=(0.5, INF), reps=100, seed=2026))
    free, private = few.loc[(0, "causal", INF)], few.loc[(0, "causal", 0.5)]
    assert (free["model_advantage"], free["model_advantage_se"]) == (approx(0.129), approx(0.020))
    assert free["model_advantage"] > 3 * free["model_advantage_se"]
    assert (private["model_advantage"], private["model_advantage_se"]) == (approx(0.040), approx(0.017))
    assert private["model_advantage"] <= privacy.advantage_bound(0.5) == approx(0.245)
    assert (free["validity"], free["validity_se"]) == (approx(0.765), approx(0.041))
    assert (private["validity"], private["validity_se"]) == (approx(0.425), approx(0.047))
    assert (free["no_recourse"], free["no_recourse_se"]) == (approx(0.160), approx(0.037))
    assert (private["no_recourse"], private["no_recourse_se"]) == (approx(0.209), approx(0.043))
    assert free["validity"] - private["validity"] > 3 * math.hypot(free["validity_se"], private["validity_se"])


def test_the_audit_reads_the_two_rows(approx):
    import book
    from book.models.records import CAUSES, feature_names, records

    model = records(10)
    rows = {}
    for name, fields in (("associational", feature_names(10)), ("causal", CAUSES)):
        deployed = book.attach(model, "Yhat", book.bayes_optimal(model, "Y", list(fields)))
        rows[name] = book.audit(deployed, "Yhat", "Y", explain=True, n=200, reps=30,
                                rng=np.random.default_rng(2026))
    assoc, causal = rows["associational"], rows["causal"]
    assert assoc.row("explainability").gap == approx(0.131) and not assoc.row("explainability").holds
    assert assoc.row("privacy").gap == approx(0.598) and assoc.row("privacy").standard_error == approx(0.017)
    assert causal.row("explainability").gap == 0.0  # by construction: C1, C2 are roots
    assert all(not model.parents(c) or all(p.startswith("U_") for p in model.parents(c)) for c in CAUSES)
    private = causal.row("privacy")
    assert private.holds and abs(private.gap) < 3 * private.standard_error
