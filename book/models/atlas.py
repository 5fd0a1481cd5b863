"""The atlas model of chapter 10: every ingredient of the ledger on one small loan SCM."""

from __future__ import annotations

from book.models._parameters import bernoulli
from book.scm import DiscreteSCM, Edge

__all__ = ["ALLOWED", "COSTS", "FAIR_LABEL", "FEATURES", "GROUPS", "MARKERS", "UNFAIR", "atlas"]

#: The bureau markers, non-causal features that make records rare.
MARKERS = ("N1", "N2")
#: The features as the bank buys them: the two bureau markers come together, as one bureau file.
GROUPS: tuple[tuple[str, ...], ...] = (("Q",), ("P",), ("S",), MARKERS)
#: What the bank's predictor may read: not A itself (the law forbids it), not E, not the fair-world label Y0.
FEATURES = ("Q", "P", "S", *MARKERS)
#: The unfair edges out of A: the postcode proxy and the historical label bias.
UNFAIR: tuple[Edge, ...] = (("A", "P"), ("A", "Y"))
#: The allowed edge out of A.
ALLOWED: tuple[Edge, ...] = (("A", "Q"),)
#: Cost per unit change of the features an applicant can act on (the recourse row).
COSTS: dict[str, float] = {"Q": 1.0, "P": 2.0, "S": 0.5, "N1": 0.5, "N2": 0.5}
#: The label without the historical bias: would the applicant repay?
FAIR_LABEL = "Y0"


def atlas(
    *,
    p_group: float = 0.5,
    p_qualified: float = 0.4,
    group_boost: float = 0.3,
    label_noise: float = 0.15,
    label_bias: float = 0.2,
    proxy_noise: float = 0.1,
    spurious_noise: tuple[float, float] = (0.1, 0.5),
    marker_noise: float = 0.25,
    p_environment: float = 0.2,
) -> DiscreteSCM:
    """Chapter 10: a loan model with every ingredient of the invariance ledger.

    Group ``A`` (sensitive), region ``E`` (the environment), qualification
    ``Q`` (a cause of repaying; ``A -> Q`` is the allowed path), whether the
    applicant would repay ``Y0`` (the fair-world label), the recorded
    repayment ``Y`` (``Y0`` plus historical label bias for group 1, the unfair
    edge ``A -> Y``), postcode ``P`` (a proxy of ``A``, the unfair edge
    ``A -> P``), spending pattern ``S`` (an effect of ``Y0`` whose link to it
    is set by the region) and two credit-bureau markers ``N1, N2`` (noisy
    effects of the recorded ``Y``: predictive, non-causal, and with the other
    features they make records rare).

    .. math::

        A &:= U_A, \\quad E := U_E\\\\
        Q &:= U_Q \\lor (A \\land U_{AQ}) && \\text{(allowed path } A \\to Q)\\\\
        Y_0 &:= Q \\oplus U_Y\\\\
        Y &:= Y_0 \\lor (A \\land U_B) && \\text{(historical label bias, } A \\to Y)\\\\
        P &:= A \\oplus U_P && \\text{(proxy, } A \\to P)\\\\
        S &:= Y_0 \\oplus U_{S,E} && \\text{(spurious; noise level set by } E)\\\\
        N_k &:= Y \\oplus U_{N_k}, \\quad k = 1, 2 && \\text{(bureau markers)}

    Parameters
    ----------
    p_group : float
        :math:`P(A = 1)`.
    p_qualified : float
        :math:`P(U_Q = 1)`.
    group_boost : float
        :math:`P(U_{AQ} = 1)`: how strongly ``A`` raises ``Q`` (the allowed path).
    label_noise : float
        :math:`P(U_Y = 1)`: applicants whose repayment disagrees with the qualification.
    label_bias : float
        :math:`P(U_B = 1)`: repayments recorded for group ``A = 1`` that did not happen.
    proxy_noise : float
        :math:`P(U_P = 1)`: how often the postcode disagrees with the group.
    spurious_noise : (float, float)
        :math:`P(U_{S,e} = 1)` in regions ``e = 0, 1``.
    marker_noise : float
        :math:`P(U_{N_k} = 1)`: how often a bureau marker disagrees with the record.
    p_environment : float
        :math:`P(E = 1)` in the bank's data.

    Examples
    --------
    >>> m = atlas()
    >>> round(m.query("Y")[1], 3), round(m.query("Y0")[1], 3)
    (0.537, 0.493)
    """
    if len(spurious_noise) != 2:
        raise ValueError(f"spurious_noise needs one value per region (2), got {spurious_noise!r}")
    exogenous = {
        "U_A": bernoulli(p_group, "p_group"),
        "U_E": bernoulli(p_environment, "p_environment"),
        "U_Q": bernoulli(p_qualified, "p_qualified"),
        "U_AQ": bernoulli(group_boost, "group_boost"),
        "U_Y": bernoulli(label_noise, "label_noise"),
        "U_B": bernoulli(label_bias, "label_bias"),
        "U_P": bernoulli(proxy_noise, "proxy_noise"),
        "U_S0": bernoulli(spurious_noise[0], "spurious_noise[0]"),
        "U_S1": bernoulli(spurious_noise[1], "spurious_noise[1]"),
        "U_N1": bernoulli(marker_noise, "marker_noise"),
        "U_N2": bernoulli(marker_noise, "marker_noise"),
    }
    return DiscreteSCM(
        exogenous=exogenous,
        equations={
            "A": (["U_A"], lambda U_A: U_A),
            "E": (["U_E"], lambda U_E: U_E),
            "Q": (["U_Q", "A", "U_AQ"], lambda U_Q, A, U_AQ: int(U_Q or (A and U_AQ))),
            "Y0": (["Q", "U_Y"], lambda Q, U_Y: Q ^ U_Y),
            "Y": (["Y0", "A", "U_B"], lambda Y0, A, U_B: int(Y0 or (A and U_B))),
            "P": (["A", "U_P"], lambda A, U_P: A ^ U_P),
            "S": (["Y0", "E", "U_S0", "U_S1"], lambda Y0, E, U_S0, U_S1: Y0 ^ (U_S1 if E else U_S0)),
            "N1": (["Y", "U_N1"], lambda Y, U_N1: Y ^ U_N1),
            "N2": (["Y", "U_N2"], lambda Y, U_N2: Y ^ U_N2),
        },
    )
