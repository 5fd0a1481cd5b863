"""The umbrella model of chapter 2: every objective of the ledger on one small SCM."""

from __future__ import annotations

from book.models._parameters import bernoulli
from book.scm import DiscreteSCM, Edge

__all__ = ["ALLOWED", "FEATURES", "UNFAIR", "umbrella"]

#: What a predictor of Y may read (E, the environment, is not observed by it).
FEATURES = ("A", "C", "P", "S")
#: The unfair paths out of A: the proxy and the historical label bias.
UNFAIR: tuple[Edge, ...] = (("A", "P"), ("A", "Y"))
#: The allowed path out of A.
ALLOWED: tuple[Edge, ...] = (("A", "C"),)


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
            "U_A": bernoulli(p_group, "p_group"),
            "U_E": bernoulli(p_environment, "p_environment"),
            "U_C": bernoulli(p_qualified, "p_qualified"),
            "U_AC": bernoulli(group_boost, "group_boost"),
            "U_Y": bernoulli(label_noise, "label_noise"),
            "U_B": bernoulli(label_bias, "label_bias"),
            "U_P": bernoulli(proxy_noise, "proxy_noise"),
            "U_S0": bernoulli(spurious_noise[0], "spurious_noise[0]"),
            "U_S1": bernoulli(spurious_noise[1], "spurious_noise[1]"),
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
