"""The loan model of chapter 6: education, income, debt, repayment and a spending pattern."""

from __future__ import annotations

from types import MappingProxyType

from book.models._parameters import bernoulli
from book.scm import DiscreteSCM

__all__ = ["CAUSES", "FEATURES", "WEIGHTS", "loans"]

#: What a lender's predictor may read: education, income, debt, spending pattern.
FEATURES = ("X1", "X2", "D", "S")
#: The causes of repayment among them (S is an effect of Y).
CAUSES = ("X1", "X2", "D")
#: Cost per level of acting on each feature (recourse): a year of training, a pay rise, ...
WEIGHTS = MappingProxyType({"X1": 1.0, "X2": 1.5, "D": 2.0, "S": 0.5})


def loans(
    *,
    p_environment: float = 0.2,
    education: tuple[float, float, float] = (0.4, 0.4, 0.2),
    income_luck: tuple[float, float, float] = (0.5, 0.3, 0.2),
    p_off_field: float = 0.05,
    p_old_debt: float = 0.2,
    p_student_loan: float = 0.6,
    repayment_noise: tuple[float, float, float] = (0.3, 0.4, 0.3),
    debt_weight: int = 3,
    spending_noise: tuple[float, float] = (0.05, 0.5),
    missing_edge: tuple[str, str] | None = None,
) -> DiscreteSCM:
    """Chapter 6: a loan applicant, the features a bank sees, and whether they repay.

    Education ``X1`` (0 school, 1 vocational, 2 degree) raises income ``X2``
    (0 low, 1 middle, 2 high); a degree is often financed by a student loan,
    so it can also create debt ``D``; repayment ``Y`` rests on all three.
    The spending pattern ``S`` (1 = looks healthy) is an *effect* of ``Y``:
    how healthy someone's finances are shows in how they spend, through a
    mechanism that depends on the environment ``E``. In environment 0 it
    tracks ``Y`` closely, in environment 1 not at all.

    .. math::

        E &:= U_E, \\qquad X_1 := U_1 \\in \\{0, 1, 2\\}\\\\
        X_2 &:= \\begin{cases} U_2 & \\text{if } U_J = 1 \\text{ (works outside their field)}\\\\
                 \\max(X_1, U_2) & \\text{otherwise} \\end{cases}\\\\
        D &:= U_D \\lor ([X_1 = 2] \\land U_L)\\\\
        Y &:= [X_1 + X_2 - w_D D + U_Y \\ge 2], \\qquad U_Y \\in \\{-1, 0, 1\\}\\\\
        S &:= Y \\oplus U_{S,E}

    Parameters
    ----------
    p_environment : float
        :math:`P(E = 1)`: most applicants come from environment 0.
    education : (float, float, float)
        :math:`P(U_1 = 0, 1, 2)`.
    income_luck : (float, float, float)
        :math:`P(U_2 = 0, 1, 2)`: income beyond what education brings.
    p_off_field : float
        :math:`P(U_J = 1)`: income unrelated to education (this keeps every
        feature combination possible).
    p_old_debt : float
        :math:`P(U_D = 1)`: debt whatever the education.
    p_student_loan : float
        :math:`P(U_L = 1)`: a degree would be financed by a student loan.
    repayment_noise : (float, float, float)
        :math:`P(U_Y = -1, 0, 1)`: luck in repaying.
    debt_weight : int
        :math:`w_D`, how much debt weighs against repayment.
    spending_noise : (float, float)
        :math:`P(U_{S,e} = 1)` in environments 0 and 1.
    missing_edge : ("X1", "X2") or ("X1", "D"), optional
        The analyst's *wrong* model that omits this edge: the child is then
        drawn from its own exogenous variable with the true marginal
        distribution (the same :math:`P(X_2)` or :math:`P(D)`), so the
        wrong model still matches the frequencies of education, income and debt.

    Examples
    --------
    >>> m = loans()
    >>> round(m.query("D")[1], 3)
    0.296
    >>> round(loans(missing_edge=("X1", "D")).query("D")[1], 3)
    0.296
    """
    for name, dist in (("education", education), ("income_luck", income_luck), ("repayment_noise", repayment_noise)):
        if len(dist) != 3:
            raise ValueError(f"{name} needs three probabilities, got {dist!r}")
    if len(spending_noise) != 2:
        raise ValueError(f"spending_noise needs one value per environment (2), got {spending_noise!r}")
    if isinstance(debt_weight, bool) or not isinstance(debt_weight, int) or debt_weight < 0:
        raise ValueError(f"debt_weight must be a non-negative integer, got {debt_weight!r}")
    if missing_edge is not None and tuple(missing_edge) not in (("X1", "X2"), ("X1", "D")):
        raise ValueError(f"missing_edge must be ('X1', 'X2'), ('X1', 'D') or None, got {missing_edge!r}")
    exogenous = {
        "U_E": bernoulli(p_environment, "p_environment"),
        "U_1": dict(zip((0, 1, 2), education, strict=True)),
        "U_2": dict(zip((0, 1, 2), income_luck, strict=True)),
        "U_J": bernoulli(p_off_field, "p_off_field"),
        "U_D": bernoulli(p_old_debt, "p_old_debt"),
        "U_L": bernoulli(p_student_loan, "p_student_loan"),
        "U_Y": dict(zip((-1, 0, 1), repayment_noise, strict=True)),
        "U_S0": bernoulli(spending_noise[0], "spending_noise[0]"),
        "U_S1": bernoulli(spending_noise[1], "spending_noise[1]"),
    }
    equations = {
        "E": (["U_E"], lambda U_E: U_E),
        "X1": (["U_1"], lambda U_1: U_1),
        "X2": (["X1", "U_2", "U_J"], lambda X1, U_2, U_J: U_2 if U_J else max(X1, U_2)),
        "D": (["X1", "U_D", "U_L"], lambda X1, U_D, U_L: int(U_D or (X1 == 2 and U_L))),
        "Y": (
            ["X1", "X2", "D", "U_Y"],
            lambda X1, X2, D, U_Y: int(X1 + X2 - debt_weight * D + U_Y >= 2),
        ),
        "S": (["Y", "E", "U_S0", "U_S1"], lambda Y, E, U_S0, U_S1: Y ^ (U_S1 if E else U_S0)),
    }
    true = DiscreteSCM(exogenous, equations)
    if missing_edge is None:
        return true
    # The wrong model: the child of the missing edge becomes a root with its true marginal.
    child = missing_edge[1]
    noise = f"U_{child}_wrong"
    wrong_exogenous = {**exogenous, noise: true.query(child)}
    wrong_equations = {**equations, child: ([noise], lambda **u: u[noise])}
    return DiscreteSCM(wrong_exogenous, wrong_equations)
