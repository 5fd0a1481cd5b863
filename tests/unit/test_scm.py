"""Independent tests for ``book.scm.DiscreteSCM``.

Every exact quantity is checked against a brute-force oracle defined below: it
enumerates all joint exogenous states, solves the structural equations in
topological order (optionally under do / edge-specific rules) and sums.
"""

import itertools
import math
import warnings

import numpy as np
import pandas as pd
import pytest

from book.scm import DiscreteSCM

TOL = 1e-9


# ------------------------------------------------------------------ oracle
def o_order(ex, eqs):
    """Topological order of the endogenous variables (Kahn style)."""
    done, order, pending = set(ex), [], dict(eqs)
    while pending:
        ready = [v for v, (ps, _) in pending.items() if all(p in done for p in ps)]
        assert ready, "oracle: cyclic equations"
        for v in ready:
            order.append(v)
            done.add(v)
            del pending[v]
    return order


def o_solve(eqs, order, u, do=None):
    w = dict(u)
    for v in order:
        ps, f = eqs[v]
        w[v] = do[v] if do and v in do else f(**{p: w[p] for p in ps})
    return w


def o_active(eqs, order, u, intervention, baseline, edges):
    base, act = o_solve(eqs, order, u, baseline), dict(u)
    for v in order:
        ps, f = eqs[v]
        if v in intervention:
            act[v] = intervention[v]
        else:
            act[v] = f(**{p: (act if (p, v) in edges else base)[p] for p in ps})
    return act


class Oracle:
    def __init__(self, ex, eqs):
        self.eqs, self.order = eqs, o_order(ex, eqs)
        self.states = {u: tuple(sorted(d)) for u, d in ex.items()}
        for v in self.order:
            ps, f = eqs[v]
            combos = itertools.product(*(self.states[p] for p in ps))
            self.states[v] = tuple(sorted({f(**dict(zip(ps, c, strict=True))) for c in combos}))
        names = list(ex)
        self.worlds = [
            ({u: s for u, (s, _) in zip(names, c, strict=True)}, math.prod(p for _, p in c))
            for c in itertools.product(*(ex[u].items() for u in names))
        ]
        self.edges = {(p, v) for v in eqs for p in eqs[v][0] if p in eqs}

    def _dist(self, keys, key_of, evidence, ev_do, world):
        # weight P(u) by consistency with evidence seen under ev_do, read key in world(u)
        out, z = dict.fromkeys(keys, 0.0), 0.0
        for u, pu in self.worlds:
            fact = o_solve(self.eqs, self.order, u, ev_do)
            if all(fact[k] == s for k, s in (evidence or {}).items()):
                out[key_of(world(u, fact))] += pu
                z += pu
        if z == 0:
            raise ZeroDivisionError("oracle: evidence has probability zero")
        return {k: v / z for k, v in out.items()}

    def evidence_prob(self, evidence, do=None):
        return sum(
            pu for u, pu in self.worlds
            if all(o_solve(self.eqs, self.order, u, do)[k] == s for k, s in evidence.items())
        )

    def joint(self, targets, evidence=None, do=None):
        keys = itertools.product(*(self.states[t] for t in targets))
        return self._dist(keys, lambda w: tuple(w[t] for t in targets), evidence, do,
                          lambda u, fact: fact)

    def query(self, target, evidence=None, do=None):
        return {k[0]: p for k, p in self.joint([target], evidence, do).items()}

    def counterfactual(self, target, evidence, do):
        return self._dist(self.states[target], lambda w: w[target], evidence, None,
                          lambda u, fact: o_solve(self.eqs, self.order, u, do))

    def path_specific(self, target, intervention, baseline, edges, evidence=None):
        edges = set(map(tuple, edges))
        return self._dist(
            self.states[target], lambda w: w[target], evidence, None,
            lambda u, fact: o_active(self.eqs, self.order, u, intervention, baseline, edges),
        )


def assert_dist(got, want, tol=TOL):
    """Same keys (all states, zero-probability ones included) and values to tol."""
    assert set(got) == set(want), (got, want)
    for k, p in want.items():
        assert abs(float(got[k]) - p) <= tol, (k, got, want)


def make_table_fn(parents, table):
    return lambda **kw: table[tuple(kw[p] for p in parents)]


def random_scm(seed):
    """2-4 exogenous roots (2-3 states), 2-5 endogenous lookup-table variables."""
    rng = np.random.default_rng(seed)
    ex, states, eqs = {}, {}, {}
    for i in range(int(rng.integers(2, 5))):
        k = int(rng.integers(2, 4))
        p = rng.dirichlet(np.ones(k))
        if rng.random() < 0.25:  # a zero-probability exogenous state
            p[0] = 0.0
            p = p / p.sum()
        ex[f"U{i}"] = {s: float(q) for s, q in enumerate(p)}
        states[f"U{i}"] = tuple(range(k))
    for j in range(int(rng.integers(2, 6))):
        pool = list(states)
        n_par = min(len(pool), int(rng.integers(1, 4)))
        ps = [str(x) for x in rng.choice(pool, size=n_par, replace=False)]
        k = int(rng.integers(2, 4))
        table = {c: int(rng.integers(0, k)) for c in itertools.product(*(states[p] for p in ps))}
        eqs[f"V{j}"] = (ps, make_table_fn(ps, table))
        states[f"V{j}"] = tuple(sorted(set(table.values())))
    return ex, eqs


# ---------------------------------------------------------------- fixtures
HIRING_EX = {"U_A": {0: 0.6, 1: 0.4}, "U_Q": {0: 0.5, 1: 0.3, 2: 0.2},
             "U_P": {0: 0.75, 1: 0.25}, "U_Y": {0: 0.9, 1: 0.1}}
HIRING_EQ = {
    "A": (["U_A"], lambda U_A: U_A),
    "Q": (["A", "U_Q"], lambda A, U_Q: min(2, U_Q + A)),  # 3 states
    "P": (["A", "U_P"], lambda A, U_P: A ^ U_P),
    "Y": (["Q", "P", "A", "U_Y"], lambda Q, P, A, U_Y: int(Q + P - A >= 2) ^ U_Y),
}
HIRING_EDGES = {("A", "Q"), ("A", "P"), ("Q", "Y"), ("P", "Y"), ("A", "Y")}


@pytest.fixture
def hiring():
    return DiscreteSCM(exogenous=HIRING_EX, equations=HIRING_EQ)


@pytest.fixture
def hiring_oracle():
    return Oracle(HIRING_EX, HIRING_EQ)


def check_query(scm, orc, target, evidence, do):
    """query/joint vs oracle; zero-probability evidence must raise."""
    if evidence and orc.evidence_prob(evidence, do) == 0:
        with pytest.raises(ValueError, match=r"(?i)zero"):
            scm.query(target, evidence=evidence, do=do)
        return
    assert_dist(scm.query(target, evidence=evidence, do=do), orc.query(target, evidence, do))


# ------------------------------------------------------ structure & states
def test_structure_attributes(hiring):
    assert hiring.exogenous == ("U_A", "U_Q", "U_P", "U_Y")
    assert set(hiring.endogenous) == {"A", "Q", "P", "Y"}
    assert hiring.variables == hiring.exogenous + hiring.endogenous
    assert hiring.parents("Y") == ("Q", "P", "A", "U_Y")
    assert hiring.parents("U_A") == ()
    assert set(hiring.edges()) == HIRING_EDGES and len(hiring.edges()) == len(HIRING_EDGES)
    exo_edges = {("U_A", "A"), ("U_Q", "Q"), ("U_P", "P"), ("U_Y", "Y")}
    assert set(hiring.edges(include_exogenous=True)) == HIRING_EDGES | exo_edges


def test_states_derived_by_enumeration(hiring, hiring_oracle):
    for v in hiring.variables:
        assert tuple(hiring.states(v)) == hiring_oracle.states[v]
    assert tuple(hiring.states("Q")) == (0, 1, 2)
    # outputs of all parent combinations, sorted -- even zero-probability ones
    scm = DiscreteSCM(
        exogenous={"U": {0: 1.0, 1: 0.0, 2: 0.0}},
        equations={"S": (["U"], lambda U: ["lo", "hi", "lo"][U]), "T": (["U"], lambda U: 10 * U)},
    )
    assert tuple(scm.states("S")) == ("hi", "lo")
    assert tuple(scm.states("T")) == (0, 10, 20)
    assert_dist(scm.query("T"), {0: 1.0, 10: 0.0, 20: 0.0})


def test_equations_in_any_order():
    reverse = dict(reversed(list(HIRING_EQ.items())))
    scm, orc = DiscreteSCM(exogenous=HIRING_EX, equations=reverse), Oracle(HIRING_EX, HIRING_EQ)
    order = scm.endogenous
    for v in order:
        assert all(order.index(p) < order.index(v) for p in scm.parents(v) if p in order)
    assert_dist(scm.query("Y", evidence={"P": 1}, do={"A": 1}), orc.query("Y", {"P": 1}, {"A": 1}))


# ------------------------------------------------------- hiring vs oracle
EVIDENCES = [None, {"Y": 1}, {"Q": 2, "A": 0}, {"P": 1}, {"U_Q": 2, "Y": 0}]
DOS = [None, {"A": 1}, {"Q": 0}, {"A": 0, "P": 1}]


@pytest.mark.parametrize("do", DOS)
@pytest.mark.parametrize("evidence", EVIDENCES)
def test_hiring_query_and_joint(hiring, hiring_oracle, evidence, do):
    for target in hiring_oracle.states:
        check_query(hiring, hiring_oracle, target, evidence, do)
    if not evidence or hiring_oracle.evidence_prob(evidence, do) > 0:
        for targets in (["Y", "Q"], ["A", "P", "Y"], ["Q"], ["Y", "Y"]):
            want = hiring_oracle.joint(targets, evidence, do)
            assert_dist(hiring.joint(targets, evidence=evidence, do=do), want)


@pytest.mark.parametrize("evidence", [{"A": 0, "Y": 0}, {"Y": 1}, {"Q": 1, "P": 0}])
@pytest.mark.parametrize("do", [{"A": 1}, {"Q": 2}, {"A": 0, "P": 0}])
def test_hiring_counterfactual(hiring, hiring_oracle, evidence, do):
    for target in ("A", "Q", "P", "Y"):
        want = hiring_oracle.counterfactual(target, evidence, do)
        assert_dist(hiring.counterfactual(target, evidence, do), want)


HIRING_EDGE_SETS = [sorted(HIRING_EDGES), [], [("A", "Q"), ("Q", "Y")], [("A", "Y")], [("A", "P")]]


@pytest.mark.parametrize("edges", HIRING_EDGE_SETS)
@pytest.mark.parametrize("evidence", [None, {"A": 0, "Y": 0}, {"Q": 1}])
def test_hiring_path_specific(hiring, hiring_oracle, edges, evidence):
    iv, base = {"A": 1}, {"A": 0}
    for target in ("Q", "P", "Y"):
        got = hiring.path_specific(target, intervention=iv, baseline=base, edges=edges,
                                   evidence=evidence)
        assert_dist(got, hiring_oracle.path_specific(target, iv, base, edges, evidence))


def test_path_specific_spec_equalities(hiring):
    iv, base, all_edges = {"A": 1}, {"A": 0}, hiring.edges()
    kw = {"intervention": iv, "baseline": base}
    for target in ("Q", "P", "Y"):
        assert_dist(hiring.path_specific(target, edges=all_edges, **kw), hiring.query(target, do=iv))
        assert_dist(hiring.path_specific(target, edges=[], **kw), hiring.query(target, do=base))
        ev = {"A": 0, "Y": 0}
        assert_dist(hiring.path_specific(target, edges=all_edges, evidence=ev, **kw),
                    hiring.counterfactual(target, ev, iv))
    # the mediated effect really is partial: direct-only differs from total on this model
    assert abs(hiring.path_specific("Y", edges=[("A", "Y")], **kw)[1] - hiring.query("Y", do=iv)[1]) > 1e-3


# ------------------------------------- rung-3 is not identified by rungs 1-2
MED_EX = {"U_X": {0: 0.7, 1: 0.3}, "U_M": {0: 0.5, 1: 0.5}, "U_Y": {0: 0.8, 1: 0.2}}
MED_XOR = {"X": (["U_X"], lambda U_X: U_X), "M": (["X", "U_M"], lambda X, U_M: X ^ U_M),
           "Y": (["M", "U_Y"], lambda M, U_Y: M | U_Y)}
MED_NOISE = {**MED_XOR, "M": (["X", "U_M"], lambda X, U_M: U_M)}


def test_observationally_equivalent_scms_differ_counterfactually():
    s1 = DiscreteSCM(exogenous=MED_EX, equations=MED_XOR)
    s2 = DiscreteSCM(exogenous=MED_EX, equations=MED_NOISE)
    o1, o2 = Oracle(MED_EX, MED_XOR), Oracle(MED_EX, MED_NOISE)
    dos = [None, {"X": 0}, {"X": 1}, {"M": 0}, {"M": 1}, {"X": 1, "M": 0}]
    for do in dos:
        for ev in (None, {"Y": 1}, {"X": 1}):
            if ev and o1.evidence_prob(ev, do) == 0:
                continue
            j1 = s1.joint(["X", "M", "Y"], evidence=ev, do=do)
            assert_dist(j1, o1.joint(["X", "M", "Y"], ev, do))
            assert_dist(s2.joint(["X", "M", "Y"], evidence=ev, do=do), j1)
            for v in ("X", "M", "Y"):
                assert_dist(s2.query(v, evidence=ev, do=do), s1.query(v, evidence=ev, do=do))
    ev, do = {"X": 0, "M": 0}, {"X": 1}
    # XOR model: M=0 with X=0 means U_M=0, so M_{X=1}=1 and Y_{X=1}=1 surely
    assert_dist(o1.counterfactual("Y", ev, do), {0: 0.0, 1: 1.0})
    assert_dist(s1.counterfactual("Y", ev, do), o1.counterfactual("Y", ev, do))
    # noise model: M_{X=1}=U_M=0, so Y_{X=1}=U_Y
    assert_dist(o2.counterfactual("Y", ev, do), {0: 0.8, 1: 0.2})
    assert_dist(s2.counterfactual("Y", ev, do), o2.counterfactual("Y", ev, do))
    for s, o in ((s1, o1), (s2, o2)):  # the mediated (X->M) part carries the difference
        got = s.path_specific("Y", intervention=do, baseline={"X": 0}, edges=[("X", "M")], evidence=ev)
        assert_dist(got, o.path_specific("Y", do, {"X": 0}, [("X", "M")], ev))


# -------------------------------------------------------- random SCMs
@pytest.mark.parametrize("seed", range(24))
def test_random_scm_matches_oracle(seed):
    ex, eqs = random_scm(seed)
    scm, orc = DiscreteSCM(exogenous=ex, equations=eqs), Oracle(ex, eqs)
    rng = np.random.default_rng(10_000 + seed)
    endo, names = list(eqs), list(orc.states)
    for v in names:
        assert tuple(scm.states(v)) == orc.states[v]
        check_query(scm, orc, v, None, None)
    assert set(scm.edges()) == orc.edges
    positive = [u for u, p in orc.worlds if p > 0]
    for _ in range(4):
        fact = o_solve(eqs, orc.order, positive[rng.integers(len(positive))])
        ev_vars = rng.choice(names, size=int(rng.integers(1, 3)), replace=False)
        evidence = {str(v): fact[str(v)] for v in ev_vars}  # positive probability
        dv = str(rng.choice(endo))
        s_iv, s_base = (orc.states[dv][int(rng.integers(len(orc.states[dv])))] for _ in range(2))
        iv, base = {dv: s_iv}, {dv: s_base}
        target = str(rng.choice(endo))
        for e, d in ((evidence, None), (None, iv), (evidence, iv)):
            check_query(scm, orc, target, e, d)
        pair = [str(v) for v in rng.choice(names, size=2, replace=False)]
        assert_dist(scm.joint(pair, evidence=evidence), orc.joint(pair, evidence))
        assert_dist(scm.counterfactual(target, evidence, iv), orc.counterfactual(target, evidence, iv))
        all_edges = scm.edges()
        subset = [e for e in all_edges if rng.random() < 0.5]
        for edges in (all_edges, [], subset):
            for e in (None, evidence):
                got = scm.path_specific(target, intervention=iv, baseline=base, edges=edges, evidence=e)
                assert_dist(got, orc.path_specific(target, iv, base, edges, e))
        kw = {"intervention": iv, "baseline": base}  # the spec's equalities, library vs library
        assert_dist(scm.path_specific(target, edges=all_edges, **kw), scm.query(target, do=iv))
        assert_dist(scm.path_specific(target, edges=all_edges, evidence=evidence, **kw),
                    scm.counterfactual(target, evidence, iv))
        if target != dv:  # an intervened target keeps its active value
            assert_dist(scm.path_specific(target, edges=[], **kw), scm.query(target, do=base))


# ---------------------------------------------------------- do / extend
def _dist_union_close(a, b):
    for k in set(a) | set(b):
        assert abs(float(a.get(k, 0.0)) - float(b.get(k, 0.0))) <= TOL, (k, a, b)


@pytest.mark.parametrize("iv", [{"A": 1}, {"Q": 2, "P": 0}, {"Y": 0}])
def test_do_returns_intervened_scm(hiring, hiring_oracle, iv):
    d = hiring.do(iv)
    assert isinstance(d, DiscreteSCM)
    for v in iv:
        assert d.parents(v) == ()
    assert hiring.parents("A") == ("U_A",)  # original untouched
    for v in hiring.variables:
        _dist_union_close(d.query(v), hiring.query(v, do=iv))
        _dist_union_close(d.query(v), hiring_oracle.query(v, do=iv))


def test_extend_adds_predictor(hiring):
    yhat = (["Q", "P"], lambda Q, P: int(Q + P >= 2))
    ext = hiring.extend({"Yhat": yhat})
    orc = Oracle(HIRING_EX, {**HIRING_EQ, "Yhat": yhat})
    assert "Yhat" in ext.variables and "Yhat" in ext.endogenous
    assert "Yhat" not in hiring.variables
    assert ext.parents("Yhat") == ("Q", "P")
    assert set(ext.edges()) == HIRING_EDGES | {("Q", "Yhat"), ("P", "Yhat")}
    assert tuple(ext.states("Yhat")) == (0, 1)
    assert_dist(ext.query("Yhat"), orc.query("Yhat"))
    assert_dist(ext.query("Yhat", evidence={"Y": 1}, do={"A": 0}), orc.query("Yhat", {"Y": 1}, {"A": 0}))
    assert_dist(ext.counterfactual("Yhat", {"A": 0, "Yhat": 0}, {"A": 1}),
                orc.counterfactual("Yhat", {"A": 0, "Yhat": 0}, {"A": 1}))
    assert_dist(ext.query("Y"), orc.query("Y"))


# ---------------------------------------------------------------- sample
def test_sample(hiring, hiring_oracle):
    n = 20_000
    df = hiring.sample(n, np.random.default_rng(7))
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == sorted(hiring.variables)
    assert len(df) == n
    pd.testing.assert_frame_equal(df, hiring.sample(n, np.random.default_rng(7)))
    assert not df.equals(hiring.sample(n, np.random.default_rng(8)))
    for v in hiring.variables:
        freq = df[v].value_counts(normalize=True)
        assert set(freq.index) <= set(hiring_oracle.states[v])
        for s, p in hiring_oracle.query(v).items():
            tol = 5 * math.sqrt(p * (1 - p) / n) + 1e-12  # 5 standard errors
            assert abs(freq.get(s, 0.0) - p) <= tol, (v, s, freq.get(s, 0.0), p)
    for row in df.head(2000).to_dict("records"):  # rows obey the structural equations
        for v, (ps, f) in HIRING_EQ.items():
            assert row[v] == f(**{p: row[p] for p in ps})


def test_sample_bad_arguments(hiring):
    with pytest.raises(ValueError):
        hiring.sample(-1, np.random.default_rng(0))
    for bad_rng in (42, None, np.random.RandomState(0)):
        with pytest.raises((TypeError, ValueError)):
            hiring.sample(10, bad_rng)


# ------------------------------------------------- pgmpy regression
def test_descendant_evidence_under_do_beats_pgmpy_causal_inference():
    """P(Y | do(X=1), Z=z) with Z a descendant of X: pgmpy 1.1.2 drops the Z evidence.

    Under do(X=1): Z = U and Y = 1 ^ U, so observing Z pins Y down exactly.
    pgmpy's CausalInference.query (back-door branch) returns P(Y=0 | do(X=1)) = 0.3
    for both values of z instead of 1.0 / 0.0.
    """
    ex = {"U_X": {0: 0.6, 1: 0.4}, "U": {0: 0.7, 1: 0.3}}
    eqs = {"X": (["U_X"], lambda U_X: U_X), "Z": (["X", "U"], lambda X, U: X & U),
           "Y": (["X", "U"], lambda X, U: X ^ U)}
    scm, orc = DiscreteSCM(exogenous=ex, equations=eqs), Oracle(ex, eqs)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=FutureWarning, module="pgmpy")
        from pgmpy.inference import CausalInference

        ci = CausalInference(scm.network)
        for z in (0, 1):
            want = orc.query("Y", {"Z": z}, {"X": 1})
            assert_dist(want, {0: float(z), 1: 1.0 - z})
            assert_dist(scm.query("Y", evidence={"Z": z}, do={"X": 1}), want)
            # adjustment set = parents of X, pgmpy's own default, passed explicitly in
            # case the network marks exogenous nodes as latent
            f = ci.query(["Y"], do={"X": 1}, evidence={"Z": z}, adjustment_set={"U_X"},
                         show_progress=False)
            theirs = {str(s): float(p) for s, p in zip(f.state_names["Y"], f.values, strict=True)}
            assert abs(theirs["0"] - want[0]) > 0.25, (theirs, want)


# -------------------------------------------------------------- bad input
BAD_CALLS = [
    (lambda s: s.query("Nope"), "Nope"),
    (lambda s: s.query("Y", evidence={"Ghost": 0}), "Ghost"),
    (lambda s: s.query("Y", do={"Phantom": 1}), "Phantom"),
    (lambda s: s.joint(["Y", "Nada"]), "Nada"),
    (lambda s: s.counterfactual("Y", {"A": 0}, {"Spectre": 1}), "Spectre"),
    (lambda s: s.counterfactual("Bogus", {"A": 0}, {"A": 1}), "Bogus"),
    (lambda s: s.path_specific("Y", intervention={"A": 1}, baseline={"A": 0},
                               edges=[("A", "Wraith")]), "Wraith"),
    (lambda s: s.do({"Phantom": 1}), "Phantom"),
    (lambda s: s.query("Y", evidence={"Q": 97}), "97"),
    (lambda s: s.query("Y", do={"A": 42}), "42"),
    (lambda s: s.do({"A": 42}), "42"),
    (lambda s: s.counterfactual("Y", {"P": 55}, {"A": 1}), "55"),
    (lambda s: s.extend({"Yhat": (["Missing"], lambda Missing: 0)}), "Missing"),
    (lambda s: s.query("Y", evidence={"A": 1, "U_A": 0}), r"(?i)zero"),
    (lambda s: s.query("Y", evidence={"Q": 2}, do={"Q": 0}), r"(?i)zero"),
    (lambda s: s.joint(["Y", "P"], evidence={"Q": 0}, do={"A": 1}), r"(?i)zero"),
    (lambda s: s.counterfactual("Y", {"A": 1, "U_A": 0}, {"A": 0}), r"(?i)zero"),
    (lambda s: s.path_specific("Y", intervention={"A": 1}, baseline={"A": 0}, edges=[],
                               evidence={"A": 1, "U_A": 0}), r"(?i)zero"),
]


@pytest.mark.parametrize(("call", "match"), BAD_CALLS)
def test_bad_call_raises(hiring, call, match):
    with pytest.raises(ValueError, match=match):
        call(hiring)


U2 = {"U": {13: 0.5, 29: 0.5}}
BAD_MODELS = [  # exogenous, equations, match, other names the message must contain
    ({"U": {0: 0.5, 1: 0.4}}, {"V": (["U"], lambda U: U)}, r"(?i)sum", []),
    ({"U": {0: 1.2, 1: -0.2}}, {"V": (["U"], lambda U: U)}, r"(?i)negative", []),
    (U2, {"V": (["Missing"], lambda Missing: 0)}, "Missing", []),
    (U2, {"Ping": (["U", "Pong"], lambda U, Pong: U + Pong), "Pong": (["Ping"], lambda Ping: Ping),
          "Out": (["Ping"], lambda Ping: Ping)}, r"(?i)cycle", ["Ping", "Pong"]),
    ({**U2, "Dup": {0: 1.0}}, {"Dup": (["U"], lambda U: U)}, "Dup", []),
    (U2, {"Crash": (["U"], lambda U: 1 // (U - 29))}, "Crash", ["29"]),
    (U2, {"Unhash": (["U"], lambda U: [U] if U == 29 else U)}, "Unhash", ["29"]),
    (U2, {"Nullish": (["U"], lambda U: None if U == 29 else U)}, "Nullish", ["29"]),
]


@pytest.mark.parametrize(("ex", "eqs", "match", "also"), BAD_MODELS)
def test_bad_model_raises(ex, eqs, match, also):
    with pytest.raises(ValueError, match=match) as info:
        DiscreteSCM(exogenous=ex, equations=eqs).query(list(eqs)[-1])  # eager or lazy check
    for name in also:
        assert name in str(info.value)


# ------------------------------------------------------ binary_states & memo
def test_binary_states(hiring):
    assert hiring.binary_states("A") == (0, 1)
    named = DiscreteSCM({"U": {0: 0.5, 1: 0.5}}, {"V": (["U"], lambda U: ["yes", "no"][U])})
    assert named.binary_states("V") == ("no", "yes")  # in state order, the same as states()
    with pytest.raises(ValueError, match=r"'Q' must be binary, its states are \(0, 1, 2\)"):
        hiring.binary_states("Q")
    with pytest.raises(ValueError, match="unknown variable 'Nope'"):
        hiring.binary_states("Nope")


def test_memo_computes_once_per_key_and_model(hiring):
    calls = []

    def compute(value):
        def run():
            calls.append(value)
            return {"value": value}
        return run

    first = hiring.memo(("answer", 1), compute(1))
    assert first == {"value": 1} and calls == [1]
    assert hiring.memo(("answer", 1), compute(99)) is first and calls == [1]  # remembered, not recomputed
    assert hiring.memo(("answer", 2), compute(2)) == {"value": 2} and calls == [1, 2]  # another key
    other = DiscreteSCM(exogenous=HIRING_EX, equations=HIRING_EQ)
    assert other.memo(("answer", 1), compute(3)) == {"value": 3} and calls == [1, 2, 3]  # another model
    assert hiring.do({"A": 1}).memo(("answer", 1), compute(4)) == {"value": 4}  # an intervened model is new
    # a failed computation is not remembered
    with pytest.raises(ZeroDivisionError):
        hiring.memo("broken", lambda: 1 / 0)
    assert hiring.memo("broken", lambda: "fixed") == "fixed"
