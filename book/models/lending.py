"""The lending model of chapter 8: a small minority group, an allowed income path, a proxy, repayment."""

from __future__ import annotations

from book.models._parameters import bernoulli
from book.scm import DiscreteSCM, Edge

__all__ = ["ALLOWED", "FEATURES", "INCOME_LEVELS", "REPAY_STEPS", "UNFAIR", "lending"]

#: What the lender's records hold: group, income band, neighbourhood.
FEATURES = ("A", "Q", "P")
#: The unfair edges out of A: the neighbourhood proxy and the historical loan terms.
UNFAIR: tuple[Edge, ...] = (("A", "P"), ("A", "Y"))
#: The allowed edge: A's effect on the income band (the lender may price income).
ALLOWED: tuple[Edge, ...] = (("A", "Q"),)
#: The income bands 0 (lowest) to 3 (highest).
INCOME_LEVELS = (0, 1, 2, 3)
#: The resolution of the repayment probabilities: U_Y is uniform on 0, ..., REPAY_STEPS - 1.
REPAY_STEPS = 20


def _probability_vector(values: tuple[float, ...], name: str, length: int) -> tuple[float, ...]:
    values = tuple(float(v) for v in values)
    if len(values) != length or any(not 0.0 <= v <= 1.0 for v in values):
        raise ValueError(f"{name} must be {length} probabilities in [0, 1], got {values!r}")
    return values


def lending(
    *,
    p_minority: float = 0.1,
    income: tuple[float, float, float, float] = (0.2, 0.3, 0.3, 0.2),
    income_gap: float = 0.4,
    proxy_strength: float = 0.8,
    repay: tuple[float, float, float, float] = (0.2, 0.4, 0.7, 0.9),
    terms_penalty: float = 0.3,
) -> DiscreteSCM:
    """Chapter 8: a lender, a small minority group and the repayment it records.

    Group ``A`` (1 = the minority, a share ``p_minority`` of applicants), income
    band ``Q`` in 0-3, of which a minority applicant loses one band with
    probability ``income_gap`` (the allowed path ``A -> Q``: the lender may
    price income), a neighbourhood ``P`` that copies ``A`` with probability
    ``proxy_strength`` (the proxy, unfair path ``A -> P``), and the recorded
    repayment ``Y``. Repayment rises with the income band; a minority borrower
    who would have repaid defaults with probability ``terms_penalty``, because
    in the past such borrowers were given worse loan terms (the unfair path
    ``A -> Y``).

    .. math::

        A &:= U_A, && U_A \\sim \\mathrm{Bernoulli}(p_{\\text{minority}})\\\\
        Q &:= \\max(U_Q - A\\, U_{AQ},\\ 0) && \\text{(allowed path } A \\to Q)\\\\
        P &:= A \\text{ if } U_{PA} = 1 \\text{ else } U_P && \\text{(proxy, unfair path } A \\to P)\\\\
        Y &:= [U_Y < 20\\, r_Q] \\land \\lnot (A \\land U_B) && \\text{(unfair path } A \\to Y)

    with :math:`U_Y` uniform on :math:`0, \\dots, 19`, so that
    :math:`P(Y = 1 \\mid Q = q, A = 0) = r_q` and
    :math:`P(Y = 1 \\mid Q = q, A = 1) = r_q (1 - \\text{terms\\_penalty})`.

    Parameters
    ----------
    p_minority : float
        :math:`P(A = 1)`, strictly between 0 and 1.
    income : four floats
        :math:`P(U_Q = q)`, :math:`q = 0, \\dots, 3`.
    income_gap : float
        :math:`P(U_{AQ} = 1)`.
    proxy_strength : float
        :math:`P(U_{PA} = 1)` (otherwise the neighbourhood is a fair coin :math:`U_P`).
    repay : four floats
        :math:`r_q`, the repayment probability in band ``q``; multiples of 1/20.
    terms_penalty : float
        :math:`P(U_B = 1)`.

    Examples
    --------
    >>> m = lending()
    >>> round(m.query("A")[1], 3), round(m.query("Y", evidence={"A": 0, "Q": 2})[1], 3)
    (0.1, 0.7)
    >>> round(m.query("Y", evidence={"A": 1, "Q": 2})[1], 3)  # 0.7 * (1 - 0.3): the recorded terms tip it
    0.49
    """
    if not (isinstance(p_minority, int | float) and 0.0 < p_minority < 1.0):
        raise ValueError(f"p_minority must be a group share strictly between 0 and 1, got {p_minority!r}")
    income = _probability_vector(income, "income", 4)
    if abs(sum(income) - 1.0) > 1e-9:
        raise ValueError(f"income must sum to 1, got {income!r} (sum {sum(income)!r})")
    repay = _probability_vector(repay, "repay", 4)
    steps = [round(r * REPAY_STEPS) for r in repay]
    if any(abs(s - r * REPAY_STEPS) > 1e-9 for s, r in zip(steps, repay, strict=True)):
        raise ValueError(f"repay must hold multiples of 1/{REPAY_STEPS}, got {repay!r}")
    return DiscreteSCM(
        exogenous={
            "U_A": bernoulli(p_minority, "p_minority"),
            "U_Q": dict(zip(INCOME_LEVELS, income, strict=True)),
            "U_AQ": bernoulli(income_gap, "income_gap"),
            "U_PA": bernoulli(proxy_strength, "proxy_strength"),
            "U_P": {0: 0.5, 1: 0.5},
            "U_Y": {k: 1.0 / REPAY_STEPS for k in range(REPAY_STEPS)},
            "U_B": bernoulli(terms_penalty, "terms_penalty"),
        },
        equations={
            "A": (["U_A"], lambda U_A: U_A),
            "Q": (["U_Q", "A", "U_AQ"], lambda U_Q, A, U_AQ: max(U_Q - A * U_AQ, 0)),
            "P": (["A", "U_PA", "U_P"], lambda A, U_PA, U_P: A if U_PA else U_P),
            "Y": (["Q", "A", "U_Y", "U_B"], lambda Q, A, U_Y, U_B: int(U_Y < steps[Q] and not (A and U_B))),
        },
    )
