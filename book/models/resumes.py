"""The résumé corpus of the foundation-models chapter: documents whose tokens an SCM writes.

The hiring story of :mod:`book.models.hiring` (an allowed qualification path, a
proxy and historical label bias) plus a *style* token whose link to the fair
label differs from one source of documents to the next. Every feature is
written into a document as one token of its *token class* (:data:`VOCABULARY`),
so a document is a bag of four tokens and the SCM enumerates every document.
"""

from __future__ import annotations

from book.models._parameters import bernoulli
from book.scm import DiscreteSCM, Edge

__all__ = ["ALLOWED", "FEATURES", "FINE_TUNING_SOURCE", "SOURCES", "UNFAIR", "VOCABULARY", "resumes"]

#: The token classes: each feature's two states are written as these two tokens.
VOCABULARY: dict[str, tuple[str, str]] = {
    "A": ("she", "he"),          # pronoun: the sensitive attribute itself
    "Q": ("no-degree", "degree"),  # the qualification (allowed path A -> Q)
    "P": ("chess", "rugby"),     # a hobby: a proxy of A (unfair path A -> P)
    "T": ("plain", "ornate"),    # a layout style, linked to the label differently in each source
}
#: The variables a document writes, in token-class order.
FEATURES: tuple[str, ...] = tuple(VOCABULARY)
#: The unfair edges out of A: the proxy and the historical label bias.
UNFAIR: tuple[Edge, ...] = (("A", "P"), ("A", "Y"))
#: The allowed edge: A's effect on the qualification.
ALLOWED: tuple[Edge, ...] = (("A", "Q"),)
#: The style link :math:`P(T = Y_{\text{fair}})` of the pre-training sources (environments).
SOURCES: tuple[float, ...] = (0.1, 0.3, 0.5, 0.7, 0.9)
#: The style link of the source whose labelled documents fine-tune the model.
FINE_TUNING_SOURCE: float = 0.9


def resumes(
    *,
    p_group: float = 0.5,
    p_qualified: float = 0.4,
    qualification_gap: float = 0.3,
    proxy_strength: float = 0.8,
    label_bias: float = 0.5,
    label_noise: float = 0.2,
    style_link: float = FINE_TUNING_SOURCE,
) -> DiscreteSCM:
    """Résumés from one source: the hiring model with bias on A only, plus a source-dependent style token.

    .. math::

        A &:= U_A\\\\
        Q &:= U_Q \\lor (A \\land U_{AQ}) && \\text{(allowed path } A \\to Q)\\\\
        P &:= A \\text{ if } U_{PA} = 1 \\text{ else } U_P && \\text{(proxy, unfair path } A \\to P)\\\\
        Y_{\\text{fair}} &:= Q \\oplus U_Y && \\text{(the fair-world label)}\\\\
        Y &:= Y_{\\text{fair}} \\lor (U_B \\land A) && \\text{(historical bias, unfair } A \\to Y)\\\\
        T &:= Y_{\\text{fair}} \\text{ if } U_T = 1 \\text{ else } 1 - Y_{\\text{fair}}
             && (P(U_T = 1) = \\text{style\\_link, the source's})

    Unlike :func:`book.models.hiring.hiring`, the bias reads ``A`` alone (not
    ``A or P``), so the proxy reaches ``Y`` only through a reader of ``P``.
    The parameters are those of :func:`book.models.hiring.hiring` plus
    ``style_link``, :math:`P(T = Y_{\\text{fair}})`: 0.5 makes the style
    token pure noise, 0.9 a strong positive and 0.1 a strong negative cue.

    Examples
    --------
    >>> m = resumes()
    >>> round(m.probability({"T": 1}, evidence={"Yfair": 1}), 3)
    0.9
    >>> round(resumes(style_link=0.1).probability({"T": 1}, evidence={"Yfair": 1}), 3)
    0.1
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
            "U_T": bernoulli(style_link, "style_link"),
        },
        equations={
            "A": (["U_A"], lambda U_A: U_A),
            "Q": (["U_Q", "A", "U_AQ"], lambda U_Q, A, U_AQ: int(U_Q or (A and U_AQ))),
            "P": (["A", "U_PA", "U_P"], lambda A, U_PA, U_P: A if U_PA else U_P),
            "Yfair": (["Q", "U_Y"], lambda Q, U_Y: Q ^ U_Y),
            "Y": (["Yfair", "A", "U_B"], lambda Yfair, A, U_B: int(Yfair or (U_B and A))),
            "T": (["Yfair", "U_T"], lambda Yfair, U_T: Yfair if U_T else 1 - Yfair),
        },
    )
