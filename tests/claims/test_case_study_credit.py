"""Every number and claim in the prose of the credit case study, recomputed through book/."""

import numpy as np
import pandas as pd
import pytest

from book import audit, select
from book.chapters import case_study_credit as ch
from book.data import CREDIT_SHA256, credit_sha256, load_credit
from book.exercises import check_credit_flip_bound, check_young_share
from book.metrics import percentile_interval
from book.models.credit import ACTIONABLE, credit
from book.objectives.identification import response_bounds
from book.objectives.robustness import Environments
from book.predictors import Predictor, attach


def interval(name):
    return percentile_interval(ch.load_bootstrap()[name].to_numpy())


def test_the_caches_match_a_fresh_computation(approx):
    """The cached bootstrap graphs and audits are what the code computes (first resamples only)."""
    fresh = ch.learned_graphs(first=3)
    assert fresh == list(ch.cached_graphs()[:3])
    boot = ch.bootstrap(first=2)
    cached = ch.load_bootstrap().iloc[:2]
    assert np.allclose(boot.to_numpy(), cached.to_numpy(), atol=1e-9, equal_nan=True)
    point = ch.fresh_point()
    assert all(point[k] == pytest.approx(v, abs=1e-9, nan_ok=True) for k, v in ch.point().items())
    assert len(ch.load_bootstrap()) == ch.REPS and sum(ch.graph_counts().values()) == ch.GRAPH_REPS


def test_the_data_in_the_prose():
    raw = load_credit()
    assert raw.shape == (1000, 10) and credit_sha256() == CREDIT_SHA256
    assert raw["risk"].sum() == 700
    assert int((ch.credit_data()["A"] == 0).sum()) == 149


def test_the_learned_graph(approx):
    edges = ch.edge_table()["frequency"]
    assert edges["A -> H"] == 1.0 and edges["K -> Y"] == 1.0
    assert edges["D -> Y"] == approx(0.53) and edges["M -> Y"] == approx(0.42)
    assert edges["K -> S"] == edges["S -> K"] == approx(0.5)  # adjacent every time, direction a tie
    assert edges["K -> S"] + edges["S -> K"] == 1.0
    undecided = sorted(e for e, f in edges.items() if 0.2 <= f <= 0.8 and e not in ("K -> S", "S -> K"))
    assert set(undecided) >= {"D -> Y", "M -> Y", "J -> M", "M -> D"}
    assert ch.consensus_graph() == (("A", "H"), ("D", "M"), ("D", "Y"), ("H", "K"), ("J", "D"), ("K", "S"),
                                    ("K", "Y"))
    assert [e for e in ch.consensus_graph() if e[0] == "A"] == [("A", "H")]  # the one edge out of age
    assert ch.top_graphs(1)[0][1] == approx(0.07)


def test_the_audit_of_the_classifier(approx):
    p = ch.point()
    assert p["accuracy"] == approx(0.713) and interval("accuracy") == (approx(0.684), approx(0.735))
    assert p["fairness (every path)"] == approx(0.194)
    low, high = interval("fairness (every path)")
    assert (low, high) == (approx(0.051), approx(0.332)) and low > 0.01  # wholly above the tolerance
    assert p["fairness (direct use)"] == approx(0.112)
    low, high = interval("fairness (direct use)")
    assert (low, high) == (approx(0.001), approx(0.267)) and low < 0.01  # reaches below the tolerance
    assert (ch.load_bootstrap()["robustness"].abs() < 1e-9).all()  # in every resample
    assert p["explainability"] == approx(0.036) and interval("explainability") == (approx(0.020), approx(0.063))
    assert interval("explainability")[0] > 0.01
    assert (ch.load_bootstrap()["recourse"].abs() < 1e-9).all() and p["recourse"] == approx(0.0)
    assert p["share refused"] == approx(0.102) and interval("share refused") == (approx(0.081), approx(0.167))


def test_the_selective_predictor(approx):
    data = ch.credit_data()
    plain = ch.environments(data, ch.consensus_graph(), None)
    chosen = select(plain.scm("as fitted"), "Y", ["J", "H", "K", "S", "M", "D"], environment=plain)
    assert chosen.predictor.features == ("K", "D")
    p, boot = ch.point(), ch.load_bootstrap()
    assert p["selective accuracy"] == approx(0.719) and p["selective accuracy"] > p["accuracy"]
    assert p["selective robustness"] == approx(0.0)
    assert p["selective fairness (every path)"] == approx(0.007)
    low, high = interval("selective fairness (every path)")
    assert (low, high) == (approx(0.004), approx(0.013)) and low < 0.01 < high  # straddles the tolerance
    assert boot["out-of-bag accuracy"].mean() == approx(0.712)
    assert boot["selective out-of-bag accuracy"].mean() == approx(0.716)
    assert boot["out-of-bag cost"].mean() == approx(-0.004)
    low, high = interval("out-of-bag cost")
    assert (low, high) == (approx(-0.029), approx(0.016)) and low < 0 < high  # contains 0
    for name in ("out-of-bag accuracy", "selective out-of-bag accuracy"):
        assert interval(name) == {"out-of-bag accuracy": (approx(0.682), approx(0.744)),
                                  "selective out-of-bag accuracy": (approx(0.677), approx(0.747))}[name]


def test_the_stricter_declaration_is_irreducible(approx):
    assert (ch.load_bootstrap()["irreducible (every path)"] == 1).all()  # 50 of 50 resamples
    calm, downturn = ch.explorer_gaps("every path from age", 1.0), ch.explorer_gaps("every path from age", 0.8)
    assert calm["selective"]["accuracy"] == approx(0.700)  # the constant: approve everyone
    assert calm["selective"]["accuracy"] == pytest.approx(ch.credit_data()["Y"].mean(), abs=1e-3)
    assert downturn["selective"]["robustness"] == approx(0.038) and downturn["selective"]["robustness"] > 0.01


def test_the_bounds(approx):
    p = ch.point()
    assert (p["flip low"], p["flip high"], p["effect"]) == (approx(0.194), approx(0.340), approx(0.194))
    assert p["fairness (every path)"] == pytest.approx(p["flip low"], abs=1e-9)  # our SCM at the lower end
    assert interval("flip low") == (approx(0.047), approx(0.332))
    assert interval("flip high") == (approx(0.236), approx(0.501))
    boot = ch.load_bootstrap()
    at_low = np.isclose(boot["fairness (every path)"], boot["flip low"], atol=1e-9)
    assert int(at_low.sum()) == 48  # at the lower end in 48 of 50 resamples
    assert (boot["fairness (every path)"] <= boot["flip high"] + 1e-9).all()  # always inside the bounds
    assert (boot["fairness (every path)"] >= boot["flip low"] - 1e-9).all()


def test_the_audit_across_graphs(approx):
    t = ch.graph_table(3).astype({c: float for c in ("frequency", "fairness", "robustness", "explainability")})
    assert (t["fairness"] > 0.01).all() and (t["robustness"] == 0).all()
    assert t["explainability"].tolist() == [approx(0.006), approx(0.036), approx(0.038)]
    assert t["explainability"].iloc[0] < 0.01 < t["explainability"].iloc[1]
    assert "M->Y" in t.index[0] and "M->Y" not in t.index[1]


def test_the_explorer_and_the_self_checks(approx):
    for d in ch.DECLARATIONS:
        for f in ch.SHIFTS:
            g = ch.explorer_gaps(d, f)
            if d == "direct use of age only":
                assert g["selective"]["robustness"] < 1e-9 and g["selective"]["fairness"] == 0
    assert check_young_share(0.149).correct
    data = ch.credit_data()
    m = ch.environments(data, ch.consensus_graph(), ch.classifier(data)).scm("as fitted")
    joint = m.joint(["A", "Yhat"])
    observed = {(a, y): joint.get((a, y), 0.0) for a in (0, 1) for y in (0, 1)}
    high = response_bounds(observed, "flip").high
    assert high > ch.point()["flip high"]  # the interval widens without the assumption
    assert check_credit_flip_bound(high).correct
    with pytest.raises(ValueError, match="declaration"):
        ch.explorer_gaps("some edges", 0.8)
    assert isinstance(ch.interval_table(["accuracy"]), pd.DataFrame)


def test_the_recourse_examples(approx):
    rx = ch.recourse_examples(3)
    assert (rx["promised"] == rx["acting"]).all()  # every advice sets a parent of Y: promise kept
    first, second = rx.iloc[0], rx.iloc[1]
    assert float(first["promised"]) == approx(0.557) and float(first["acting"]) == approx(0.557)
    assert second.name.startswith("A=0") and "H=0" in second.name and "K=0" in second.name
    assert second["advice"] == "set K to 1" and float(second["cost"]) == 2 * float(first["cost"])
    parents_of_y = {u for u, v in ch.consensus_graph() if v == "Y"}
    assert all(a.split()[1] in parents_of_y for a in rx["advice"])
    assert "interval 0.051 to 0.332" in ch.interval_alt()


def test_the_directions_named_in_the_prose():
    data = ch.credit_data()
    assert data[data.A == 1].H.mean() > data[data.A == 0].H.mean()  # older applicants own their home more often
    assert data[data.K == 1].Y.mean() > data[data.K == 0].Y.mean()  # an account in credit goes with a good rating
    model = ch.environments(data, ch.consensus_graph(), None).scm("as fitted")
    # the features age does not reach never make refusal the likelier outcome: the fair rule is a constant
    reach = model.descendants(["A"])
    assert not {"J", "M", "D"} & reach and {"H", "K", "S", "Y"} <= reach
    joint = model.joint(["J", "M", "D", "Y"])
    for cell in {k[:3] for k in joint}:
        assert joint.get((*cell, 1), 0.0) >= joint.get((*cell, 0), 0.0), cell
    h = ch.classifier(data)
    row = audit(ch.environments(data, ch.consensus_graph(), h).scm("as fitted"), "Yhat", "Y",
                actionable=ACTIONABLE).row("recourse")
    assert row.values["share of refused individuals with advice"] == pytest.approx(1.0)  # every profile advised
    assert row.values["mean gap among the advised"] == pytest.approx(0.0, abs=1e-9)


def test_a_shift_of_age_leaves_both_predictors_robust():
    """The exercise on a younger applicant pool: both robustness rows hold."""
    from book.audits import audit
    data, edges = ch.credit_data(), ch.consensus_graph()
    selective = select(ch.environments(data, edges, None).scm("as fitted"), "Y", ["J", "H", "K", "S", "M", "D"],
                       environment=ch.environments(data, edges, None)).predictor
    for h in (ch.classifier(data), selective):
        assert isinstance(h, Predictor)
        family = Environments("Y", {"as fitted": attach(credit(data, edges), "Yhat", h),
                                    "younger": attach(credit(data, edges, scale={"A": 0.7}), "Yhat", h)},
                              ["as fitted"])
        assert audit(family.scm("as fitted"), "Yhat", "Y", environment=family).row("robustness").gap < 1e-9
