"""The book's named structural causal models, one function per scenario.

Every parameter is a keyword argument with a documented default; the defaults
are the numbers the chapters print. All variables are discrete, so every
population quantity is computed exactly.
"""

from __future__ import annotations

from collections.abc import Callable

from book.scm import DiscreteSCM


def _bernoulli(p: float, name: str) -> dict[int, float]:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{name} must be a probability in [0, 1], got {p!r}")
    return {0: 1.0 - p, 1: p}


def tutoring(
    *,
    p_motivated: float = 0.5,
    p_always_tutored: float = 0.2,
    p_tutored_if_motivated: float = 0.5,
    p_exam_easy: float = 0.3,
    p_exam_hard: float = 0.3,
) -> DiscreteSCM:
    """Chapter 1: does tutoring make students pass an exam?

    Motivation ``M`` drives both who takes tutoring ``T`` and who passes
    ``Pass``: the classic confounded triangle.

    .. math::

        M &:= U_M, \\qquad U_M \\sim \\mathrm{Bernoulli}(p_{\\text{motivated}})\\\\
        T &:= [U_T = \\text{always}] \\lor ([U_T = \\text{if motivated}] \\land M)\\\\
        \\text{Pass} &:= [M + T + U_P \\ge 2], \\qquad U_P \\in \\{0, 1, 2\\}

    ``U_T`` is a student's *response type* for tutoring (always / only if
    motivated / never); ``U_P`` is how easy the exam is for that student
    (0 = needs both motivation and tutoring, 2 = passes regardless).

    Parameters
    ----------
    p_motivated : float
        :math:`P(M = 1)`.
    p_always_tutored, p_tutored_if_motivated : float
        Probabilities of the response types "always" and "if motivated"
        (the rest never take tutoring). The second is the confounding knob.
    p_exam_easy, p_exam_hard : float
        :math:`P(U_P = 2)` and :math:`P(U_P = 0)`.

    Examples
    --------
    >>> m = tutoring()
    >>> round(m.query("Pass", do={"Tutored": 1})[1], 3)
    0.85
    """
    p_never = 1.0 - p_always_tutored - p_tutored_if_motivated
    if min(p_always_tutored, p_tutored_if_motivated, p_never) < 0:
        raise ValueError(
            "p_always_tutored + p_tutored_if_motivated must lie in [0, 1], got "
            f"{p_always_tutored!r} + {p_tutored_if_motivated!r}"
        )
    p_middle = 1.0 - p_exam_easy - p_exam_hard
    if min(p_exam_easy, p_exam_hard, p_middle) < 0:
        raise ValueError(
            f"p_exam_easy + p_exam_hard must lie in [0, 1], got {p_exam_easy!r} + {p_exam_hard!r}"
        )
    return DiscreteSCM(
        exogenous={
            "U_M": _bernoulli(p_motivated, "p_motivated"),
            "U_T": {"always": p_always_tutored, "if motivated": p_tutored_if_motivated, "never": p_never},
            "U_P": {0: p_exam_hard, 1: p_middle, 2: p_exam_easy},
        },
        equations={
            "Motivated": (["U_M"], lambda U_M: U_M),
            "Tutored": (
                ["U_T", "Motivated"],
                lambda U_T, Motivated: int(U_T == "always" or (U_T == "if motivated" and Motivated == 1)),
            ),
            "Pass": (
                ["Motivated", "Tutored", "U_P"],
                lambda Motivated, Tutored, U_P: int(Motivated + Tutored + U_P >= 2),
            ),
        },
    )


def rung_three_triplet(*, p_treated: float = 0.5) -> dict[str, DiscreteSCM]:
    """Chapter 1: three SCMs that agree on rungs 1 and 2 but not on rung 3.

    A treatment ``X`` is assigned by a fair coin; the outcome ``Y`` is binary
    with :math:`P(Y = 1 \\mid do(X = x)) = 1/2` for both ``x`` in all three:

    * ``"independent"``: :math:`Y := X U_1 + (1 - X) U_0`, independent
      potential outcomes :math:`U_0, U_1 \\sim \\mathrm{Bernoulli}(1/2)`;
    * ``"flip"``: :math:`Y := X \\oplus U`, the treatment flips every unit;
    * ``"no effect"``: :math:`Y := U`, the treatment does nothing.

    Their observational and interventional distributions coincide, yet the
    counterfactual :math:`P(Y_{X=0} = 1 \\mid X = 1, Y = 1)` is 1/2, 0 and 1.
    """
    coin = {"U_X": _bernoulli(p_treated, "p_treated")}
    half = {0: 0.5, 1: 0.5}
    treat = (["U_X"], lambda U_X: U_X)
    return {
        "independent": DiscreteSCM(
            {**coin, "U_0": half, "U_1": half},
            {"X": treat, "Y": (["X", "U_0", "U_1"], lambda X, U_0, U_1: U_1 if X else U_0)},
        ),
        "flip": DiscreteSCM({**coin, "U": half}, {"X": treat, "Y": (["X", "U"], lambda X, U: X ^ U)}),
        "no effect": DiscreteSCM({**coin, "U": half}, {"X": treat, "Y": (["X", "U"], lambda X, U: U)}),
    }


def umbrella(
    *,
    p_group: float = 0.5,
    p_qualified: float = 0.4,
    group_boost: float = 0.3,
    label_noise: float = 0.2,
    label_bias: float = 0.2,
    proxy_noise: float = 0.1,
    spurious_noise: tuple[float, float] = (0.1, 0.5),
    p_environment: float = 0.2,
) -> DiscreteSCM:
    """Chapter 2: the umbrella SCM that later chapters specialise.

    Six observed variables: environment ``E`` (which population or site),
    sensitive attribute ``A``, causal feature ``C`` (a qualification),
    outcome ``Y``, proxy ``P`` of ``A``, and spurious feature ``S`` (an effect
    of ``Y`` whose mechanism depends on ``E``).

    .. math::

        A &:= U_A, \\quad E := U_E\\\\
        C &:= U_C \\lor (A \\land U_{AC}) && \\text{(allowed path } A \\to C)\\\\
        Y &:= (C \\oplus U_Y) \\lor (A \\land U_B) && \\text{(} U_B\\text{: historical label bias)}\\\\
        P &:= A \\oplus U_P && \\text{(proxy)}\\\\
        S &:= Y \\oplus U_{S,E} && \\text{(spurious; noise level set by } E)

    Parameters
    ----------
    p_group : float
        :math:`P(A = 1)`.
    p_qualified : float
        :math:`P(U_C = 1)`: base rate of the qualification.
    group_boost : float
        :math:`P(U_{AC} = 1)`: how strongly ``A`` raises ``C`` (the allowed path).
    label_noise : float
        :math:`P(U_Y = 1)`: labels disagreeing with the qualification.
    label_bias : float
        :math:`P(U_B = 1)`: extra positive labels for group ``A = 1`` only
        (a direct, unfair ``A -> Y`` path).
    proxy_noise : float
        :math:`P(U_P = 1)`: how often the proxy disagrees with ``A``.
    spurious_noise : (float, float)
        :math:`P(U_{S,e} = 1)` in environments ``e = 0, 1``: ``S`` tracks ``Y``
        closely in environment 0 and not at all (0.5) in environment 1.
    p_environment : float
        :math:`P(E = 1)` in the observed population: most of the data comes
        from environment 0, where ``S`` is a good stand-in for ``Y``.
    """
    if len(spurious_noise) != 2:
        raise ValueError(f"spurious_noise needs one value per environment (2), got {spurious_noise!r}")
    return DiscreteSCM(
        exogenous={
            "U_A": _bernoulli(p_group, "p_group"),
            "U_E": _bernoulli(p_environment, "p_environment"),
            "U_C": _bernoulli(p_qualified, "p_qualified"),
            "U_AC": _bernoulli(group_boost, "group_boost"),
            "U_Y": _bernoulli(label_noise, "label_noise"),
            "U_B": _bernoulli(label_bias, "label_bias"),
            "U_P": _bernoulli(proxy_noise, "proxy_noise"),
            "U_S0": _bernoulli(spurious_noise[0], "spurious_noise[0]"),
            "U_S1": _bernoulli(spurious_noise[1], "spurious_noise[1]"),
        },
        equations={
            "A": (["U_A"], lambda U_A: U_A),
            "E": (["U_E"], lambda U_E: U_E),
            "C": (["U_C", "A", "U_AC"], lambda U_C, A, U_AC: int(U_C or (A and U_AC))),
            "Y": (["C", "U_Y", "A", "U_B"], lambda C, U_Y, A, U_B: int((C ^ U_Y) or (A and U_B))),
            "P": (["A", "U_P"], lambda A, U_P: A ^ U_P),
            "S": (["Y", "E", "U_S0", "U_S1"], lambda Y, E, U_S0, U_S1: Y ^ (U_S1 if E else U_S0)),
        },
    )


def _hospital_parts(
    p_hospital: tuple[float, ...], case_mix: tuple[float, float, float], susceptibility: tuple[float, ...]
) -> dict[str, dict[int, float]]:
    """Noise shared by both chapter-4 hospital models: hospital, lab value, susceptibility."""
    if len(case_mix) != 3:
        raise ValueError(f"case_mix needs P(C = 0), P(C = 1), P(C = 2), got {case_mix!r}")
    if len(susceptibility) != 4:
        raise ValueError(f"susceptibility needs P(U_Y = 0), ..., P(U_Y = 3), got {susceptibility!r}")
    return {
        "U_E": dict(enumerate(p_hospital)),
        "U_C": dict(enumerate(case_mix)),
        "U_Y": dict(enumerate(susceptibility)),
    }


def hospitals(
    *,
    mismatch: tuple[float, ...] = (0.05, 0.25, 0.8),
    p_hospital: tuple[float, ...] = (0.5, 0.5, 0.0),
    case_mix: tuple[float, float, float] = (0.4, 0.3, 0.3),
    susceptibility: tuple[float, float, float, float] = (0.1, 0.5, 0.3, 0.1),
) -> DiscreteSCM:
    """Chapter 4: a screening model trained in some hospitals and deployed in another.

    A lab value ``C`` (0 low, 1 borderline, 2 high) causes the disease ``Y``;
    the scanner flag ``S`` (1 = the image was taken on the specialist unit's
    scanner) *reflects* ``Y``: sick patients are usually sent to that scanner.
    How often the scanner disagrees with the disease, the *mismatch*
    :math:`q_e`, is a practice of hospital ``E = e``; the environment acts on
    ``S``'s mechanism only.

    .. math::

        E &:= U_E, \\qquad C := U_C \\in \\{0, 1, 2\\}\\\\
        Y &:= [C + U_Y \\ge 3], \\qquad U_Y \\in \\{0, 1, 2, 3\\}\\\\
        S &:= Y \\oplus U_{S,E}, \\qquad U_{S,e} \\sim \\mathrm{Bernoulli}(q_e)

    With the defaults :math:`P(Y = 1 \\mid C) = 0.1, 0.4, 0.9`.

    Parameters
    ----------
    mismatch : tuple of float
        :math:`q_e = P(S \\neq Y \\mid E = e)` per hospital; above 0.5 the
        relation between ``S`` and ``Y`` is reversed (a *flipped* hospital).
    p_hospital : tuple of float
        :math:`P(E = e)` in the training data; a hospital with weight 0 (by
        default the last, hospital 2) contributes no training data: it is
        where the model is deployed.
    case_mix : (float, float, float)
        :math:`P(C = 0), P(C = 1), P(C = 2)`.
    susceptibility : (float, float, float, float)
        :math:`P(U_Y = u)` for :math:`u = 0, \\ldots, 3`.

    Examples
    --------
    >>> m = hospitals()
    >>> round(m.query("Y", evidence={"C": 1})[1], 3)
    0.4
    >>> round(m.query("S", evidence={"Y": 1}, do={"E": 2})[0], 3)
    0.8
    """
    if len(mismatch) != len(p_hospital):
        raise ValueError(
            f"mismatch and p_hospital need one value per hospital, got {len(mismatch)} and {len(p_hospital)}"
        )
    noise = _hospital_parts(p_hospital, case_mix, susceptibility)
    for e, q in enumerate(mismatch):
        noise[f"U_S{e}"] = _bernoulli(q, f"mismatch[{e}]")
    flips = [f"U_S{e}" for e in range(len(mismatch))]
    return DiscreteSCM(
        exogenous=noise,
        equations={
            "E": (["U_E"], lambda U_E: U_E),
            "C": (["U_C"], lambda U_C: U_C),
            "Y": (["C", "U_Y"], lambda C, U_Y: int(C + U_Y >= 3)),
            "S": (["Y", "E", *flips], lambda Y, E, **u: Y ^ u[f"U_S{E}"]),
        },
    )


def hospitals_reversed(
    *,
    exposure: tuple[float, ...] = (0.2, 0.6, 0.05),
    p_hospital: tuple[float, ...] = (0.5, 0.5, 0.0),
    case_mix: tuple[float, float, float] = (0.3, 0.4, 0.3),
    susceptibility: tuple[float, float, float, float] = (0.1, 0.5, 0.3, 0.1),
) -> DiscreteSCM:
    """Chapter 4: the hospital model with the edge between ``S`` and ``Y`` reversed.

    Here ``S`` is a *cause* of the disease (an exposure recorded on the
    request form), and the hospital changes how common the exposure is: the
    environment still acts on ``S``'s mechanism only, now ``P(S)``.

    .. math::

        E &:= U_E, \\qquad C := U_C, \\qquad S := U_{S,E}, \\quad U_{S,e} \\sim \\mathrm{Bernoulli}(p_e)\\\\
        Y &:= [C + S + U_Y \\ge 3]

    Parameters
    ----------
    exposure : tuple of float
        :math:`p_e = P(S = 1 \\mid E = e)` per hospital.
    p_hospital, susceptibility
        As in :func:`hospitals`.
    case_mix : (float, float, float)
        :math:`P(C = c)`; by default more borderline cases than in
        :func:`hospitals`, so that the risk visibly depends on ``P(S)``.

    Examples
    --------
    >>> m = hospitals_reversed()
    >>> round(m.query("Y", evidence={"C": 1, "S": 1})[1], 3)
    0.9
    """
    if len(exposure) != len(p_hospital):
        raise ValueError(
            f"exposure and p_hospital need one value per hospital, got {len(exposure)} and {len(p_hospital)}"
        )
    noise = _hospital_parts(p_hospital, case_mix, susceptibility)
    for e, p in enumerate(exposure):
        noise[f"U_S{e}"] = _bernoulli(p, f"exposure[{e}]")
    draws = [f"U_S{e}" for e in range(len(exposure))]
    return DiscreteSCM(
        exogenous=noise,
        equations={
            "E": (["U_E"], lambda U_E: U_E),
            "C": (["U_C"], lambda U_C: U_C),
            "S": (["E", *draws], lambda E, **u: u[f"U_S{E}"]),
            "Y": (["C", "S", "U_Y"], lambda C, S, U_Y: int(C + S + U_Y >= 3)),
        },
    )


def hiring(
    *,
    p_group: float = 0.5,
    p_qualified: float = 0.4,
    qualification_gap: float = 0.3,
    proxy_strength: float = 0.8,
    label_bias: float = 0.5,
    label_noise: float = 0.2,
) -> DiscreteSCM:
    """Chapter 3: a hiring decision trained on historically biased labels.

    Sensitive attribute ``A``, qualification ``Q`` (the allowed path
    ``A -> Q``: a resolving variable), a proxy ``P`` of ``A`` (say, a postcode),
    the label ``Yfair`` a fair recruiter would have given, and the historical
    label ``Y`` actually recorded, in which past recruiters favoured applicants
    they perceived as group 1 (``A = 1`` or ``P = 1``).

    .. math::

        A &:= U_A\\\\
        Q &:= U_Q \\lor (A \\land U_{AQ}) && \\text{(allowed path } A \\to Q)\\\\
        P &:= A \\text{ if } U_{PA} = 1 \\text{ else } U_P && \\text{(proxy, unfair path } A \\to P)\\\\
        Y_{\\text{fair}} &:= Q \\oplus U_Y && \\text{(the fair-world label)}\\\\
        Y &:= Y_{\\text{fair}} \\lor (U_B \\land (A \\lor P)) && \\text{(historical bias, unfair } A \\to Y)

    The three strengths ``qualification_gap``, ``proxy_strength`` and
    ``label_bias`` set the effects along ``A -> Q``, ``A -> P`` and ``A -> Y``;
    each is 0 for no effect along that edge.

    Parameters
    ----------
    p_group : float
        :math:`P(A = 1)`.
    p_qualified : float
        :math:`P(U_Q = 1)`: the base rate of the qualification in group 0.
    qualification_gap : float
        :math:`P(U_{AQ} = 1)`: how much ``A = 1`` raises the qualification.
    proxy_strength : float
        :math:`P(U_{PA} = 1)`: how often the proxy copies ``A`` (otherwise it
        is a fair coin :math:`U_P`).
    label_bias : float
        :math:`P(U_B = 1)`: how often a perceived group-1 applicant who was
        not fairly hireable was recorded as hired anyway.
    label_noise : float
        :math:`P(U_Y = 1)`: fair-world labels that disagree with the qualification.

    Examples
    --------
    >>> m = hiring()
    >>> round(m.query("Y")[1] - m.query("Yfair")[1], 3)  # the historical bias adds hires
    0.127
    """
    return DiscreteSCM(
        exogenous={
            "U_A": _bernoulli(p_group, "p_group"),
            "U_Q": _bernoulli(p_qualified, "p_qualified"),
            "U_AQ": _bernoulli(qualification_gap, "qualification_gap"),
            "U_PA": _bernoulli(proxy_strength, "proxy_strength"),
            "U_P": {0: 0.5, 1: 0.5},
            "U_Y": _bernoulli(label_noise, "label_noise"),
            "U_B": _bernoulli(label_bias, "label_bias"),
        },
        equations={
            "A": (["U_A"], lambda U_A: U_A),
            "Q": (["U_Q", "A", "U_AQ"], lambda U_Q, A, U_AQ: int(U_Q or (A and U_AQ))),
            "P": (["A", "U_PA", "U_P"], lambda A, U_PA, U_P: A if U_PA else U_P),
            "Yfair": (["Q", "U_Y"], lambda Q, U_Y: Q ^ U_Y),
            "Y": (
                ["Yfair", "A", "P", "U_B"],
                lambda Yfair, A, P, U_B: int(Yfair or (U_B and (A or P))),
            ),
        },
    )


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
        "U_E": _bernoulli(p_environment, "p_environment"),
        "U_1": dict(zip((0, 1, 2), education, strict=True)),
        "U_2": dict(zip((0, 1, 2), income_luck, strict=True)),
        "U_J": _bernoulli(p_off_field, "p_off_field"),
        "U_D": _bernoulli(p_old_debt, "p_old_debt"),
        "U_L": _bernoulli(p_student_loan, "p_student_loan"),
        "U_Y": dict(zip((-1, 0, 1), repayment_noise, strict=True)),
        "U_S0": _bernoulli(spending_noise[0], "spending_noise[0]"),
        "U_S1": _bernoulli(spending_noise[1], "spending_noise[1]"),
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


def records(
    n_noncausal: int = 10,
    *,
    p_cause: float = 0.5,
    label_noise: float = 0.15,
    informative_noise: tuple[float, ...] = (0.1, 0.2),
    weak_noise: float = 0.4,
    shifted_noise: float = 0.5,
    p_environment: float = 0.0,
) -> DiscreteSCM:
    """Chapter 5: sensitive records with two causes of the outcome and many effects of it.

    Two binary causes ``C1, C2`` of the outcome ``Y`` (say, two risk factors
    of a diagnosis) and ``d = n_noncausal`` binary *non-causal* features
    ``N1, ..., Nd``: noisy effects of ``Y`` (symptoms, test results, billing
    codes), each with its own noise. The environment ``E`` sets the noise of
    every non-causal mechanism; it never touches ``C1, C2`` or ``Y``'s own
    mechanism.

    .. math::

        C_i &:= U_{C_i}, \\qquad U_{C_i} \\sim \\mathrm{Bernoulli}(p_{\\text{cause}}), \\quad i = 1, 2\\\\
        Y &:= (C_1 \\lor C_2) \\oplus U_Y, \\qquad U_Y \\sim \\mathrm{Bernoulli}(\\text{label noise})\\\\
        E &:= U_E\\\\
        N_j &:= Y \\oplus U_{N_j, E}, \\qquad U_{N_j, 0} \\sim \\mathrm{Bernoulli}(q_j),\\quad
              U_{N_j, 1} \\sim \\mathrm{Bernoulli}(q')

    with :math:`q_j` the ``informative_noise`` values for the first features
    and ``weak_noise`` for the rest, and :math:`q'` = ``shifted_noise``. With
    :math:`q = 0.5` a feature is pure noise.

    The joint distribution has :math:`2^{d + 4}` rows: sample it
    (:meth:`~book.scm.DiscreteSCM.sample`) rather than query it exactly when
    ``d`` is large.

    Parameters
    ----------
    n_noncausal : int
        ``d``, the number of non-causal features (0 to 16).
    p_cause : float
        :math:`P(C_i = 1)`.
    label_noise : float
        :math:`P(U_Y = 1)`: the Bayes-optimal predictor on the causes is
        right with probability ``1 - label_noise``.
    informative_noise : tuple of float
        Noise of the first non-causal features in environment 0 (the
        training population); small values make them genuinely predictive.
    weak_noise : float
        Noise of the remaining non-causal features in environment 0.
    shifted_noise : float
        Noise of every non-causal feature in environment 1 (the shift).
    p_environment : float
        :math:`P(E = 1)`; by default every record comes from environment 0
        and environment 1 is reached by ``do={"E": 1}``.

    Examples
    --------
    >>> m = records(2)
    >>> round(m.query("Y")[1], 3)
    0.675
    >>> sorted(m.sample(3, __import__("numpy").random.default_rng(0)).columns)[:5]
    ['C1', 'C2', 'E', 'N1', 'N2']
    """
    if isinstance(n_noncausal, bool) or not isinstance(n_noncausal, int) or not 0 <= n_noncausal <= 16:
        raise ValueError(f"n_noncausal must be an integer between 0 and 16, got {n_noncausal!r}")
    noise = [*informative_noise[:n_noncausal], *[weak_noise] * max(0, n_noncausal - len(informative_noise))]
    exogenous = {
        "U_C1": _bernoulli(p_cause, "p_cause"),
        "U_C2": _bernoulli(p_cause, "p_cause"),
        "U_Y": _bernoulli(label_noise, "label_noise"),
        "U_E": _bernoulli(p_environment, "p_environment"),
    }
    equations = {
        "C1": (["U_C1"], lambda U_C1: U_C1),
        "C2": (["U_C2"], lambda U_C2: U_C2),
        "Y": (["C1", "C2", "U_Y"], lambda C1, C2, U_Y: (C1 | C2) ^ U_Y),
        "E": (["U_E"], lambda U_E: U_E),
    }
    for j, q in enumerate(noise, start=1):
        exogenous[f"U_N{j}_0"] = _bernoulli(q, f"noise of N{j}")
        exogenous[f"U_N{j}_1"] = _bernoulli(shifted_noise, "shifted_noise")
        equations[f"N{j}"] = (["Y", "E", f"U_N{j}_0", f"U_N{j}_1"], _effect_of_y(f"U_N{j}_0", f"U_N{j}_1"))
    return DiscreteSCM(exogenous, equations)


def _effect_of_y(noise_0: str, noise_1: str) -> Callable[..., int]:
    # A factory, so that each feature's equation reads its own noise (a loop lambda would share one).
    def equation(Y: int, E: int, **noise: int) -> int:
        return Y ^ noise[noise_1 if E else noise_0]

    return equation
