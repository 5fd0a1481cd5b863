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
