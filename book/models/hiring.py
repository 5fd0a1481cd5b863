"""The hiring model of chapter 3: an allowed path, a proxy and historical label bias."""

from __future__ import annotations

from typing import Literal

from book.models._parameters import bernoulli
from book.scm import DiscreteSCM, Edge

__all__ = ["ALLOWED", "FEATURES", "UNFAIR", "hiring", "unfair_edges"]

#: What a hiring predictor may read: the attribute, the qualification and the proxy.
FEATURES = ("A", "Q", "P")
#: The unfair edges out of A: the proxy and the historical label bias.
UNFAIR: tuple[Edge, ...] = (("A", "P"), ("A", "Y"))
#: The allowed edge: A's effect on qualification (a resolving variable).
ALLOWED: tuple[Edge, ...] = (("A", "Q"),)


def unfair_edges(a_to_q: Literal["allowed", "unfair"] = "allowed") -> tuple[Edge, ...]:
    """The unfair edges when ``A -> Q`` is declared ``"allowed"`` (the default) or ``"unfair"``.

    Examples
    --------
    >>> unfair_edges("unfair")
    (('A', 'P'), ('A', 'Y'), ('A', 'Q'))
    """
    if a_to_q not in ("allowed", "unfair"):
        raise ValueError(f"a_to_q must be 'allowed' or 'unfair', got {a_to_q!r}")
    return UNFAIR + (ALLOWED if a_to_q == "unfair" else ())


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
            "U_A": bernoulli(p_group, "p_group"),
            "U_Q": bernoulli(p_qualified, "p_qualified"),
            "U_AQ": bernoulli(qualification_gap, "qualification_gap"),
            "U_PA": bernoulli(proxy_strength, "proxy_strength"),
            "U_P": {0: 0.5, 1: 0.5},
            "U_Y": bernoulli(label_noise, "label_noise"),
            "U_B": bernoulli(label_bias, "label_bias"),
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
