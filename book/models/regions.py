"""The regions model of chapter 7: a fair screening model deployed in regions it was not built in.

Two scenarios share the module. :func:`regions` is chapter 3's hiring story
moved across regions: an allowed path ``A -> Q``, an unfair proxy ``A -> P``,
unfair label bias ``A -> Y`` and a dormant unfair path ``A -> G -> Q`` (biased
grading) that a new region can switch on; :func:`region_family` builds the
regions as an :class:`~book.objectives.robustness.Environments` family that
changes one named mechanism by a given amount. :func:`direction_model` and
:func:`direction_family` are the two small tasks of the chapter's section on
causal direction: features that cause the label, or features the label causes,
with regions that change how the attribute is associated with the label.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, get_args

from book.models._parameters import bernoulli
from book.objectives.robustness import Environments
from book.scm import DiscreteSCM, Edge

__all__ = [
    "ALLOWED",
    "DIRECTIONS",
    "DIRECTION_FEATURES",
    "FEATURES",
    "MECHANISMS",
    "NEW_PATH",
    "SIZES",
    "TRAINING",
    "UNFAIR",
    "Direction",
    "Mechanism",
    "direction_family",
    "direction_model",
    "region_family",
    "region_parameters",
    "regions",
]

#: What a screening predictor may read: the attribute, the qualification and the proxy.
FEATURES = ("A", "Q", "P")
#: The unfair edges out of A the learner declared: the proxy and the historical label bias.
UNFAIR: tuple[Edge, ...] = (("A", "P"), ("A", "Y"))
#: The allowed edge: access to qualification by group.
ALLOWED: tuple[Edge, ...] = (("A", "Q"),)
#: The edge of the dormant unfair path A -> G -> Q (biased grading), of strength 0 where the model was built.
NEW_PATH: tuple[Edge, ...] = (("A", "G"),)
#: The label of the region the predictors are trained in.
TRAINING = "region 0"

Mechanism = Literal["proxy", "qualification access", "new unfair path", "label bias"]
#: The mechanisms a region may change; ``"label bias"`` is Y's own and is refused by the family.
MECHANISMS: tuple[str, ...] = get_args(Mechanism)
#: Shift sizes of the chapter's families: 0 is the training region, 1 the largest change.
SIZES: tuple[float, ...] = (0.0, 0.25, 0.5, 0.75, 1.0)

#: Per mechanism: the parameter it moves, its value in the training region, its value at shift size 1.
_RANGE: dict[str, tuple[str, float, float]] = {
    "proxy": ("proxy_strength", 0.8, 0.0),
    "qualification access": ("qualification_gap", 0.3, 0.9),
    "new unfair path": ("grading_bias", 0.0, 6 / 7),
    "label bias": ("label_bias", 0.5, 0.0),
}


def regions(
    *,
    p_group: float = 0.5,
    p_qualified: float = 0.4,
    qualification_gap: float = 0.3,
    proxy_strength: float = 0.8,
    grading_bias: float = 0.0,
    label_bias: float = 0.5,
    label_noise: float = 0.2,
) -> DiscreteSCM:
    """Chapter 7: one region's screening data, with an allowed, two unfair and one dormant path.

    .. math::

        A &:= U_A\\\\
        G &:= A \\land U_G && \\text{(biased grading, unfair } A \\to G \\to Q)\\\\
        Q &:= U_Q \\lor (A \\land U_{AQ}) \\lor G && \\text{(allowed access } A \\to Q)\\\\
        P &:= A \\text{ if } U_{PA} = 1 \\text{ else } U_P && \\text{(proxy, unfair } A \\to P)\\\\
        Y &:= (Q \\oplus U_Y) \\lor (A \\land U_B) && \\text{(label bias, unfair } A \\to Y)

    The grading bias :math:`P(U_G = 1)` is 0 by default: the path
    :math:`A \\to G \\to Q` is drawn but carries nothing where the model is built.

    Parameters
    ----------
    p_group, p_qualified, qualification_gap, proxy_strength, grading_bias, label_bias, label_noise : float
        :math:`P(U_A = 1)`, :math:`P(U_Q = 1)`, :math:`P(U_{AQ} = 1)`, :math:`P(U_{PA} = 1)`,
        :math:`P(U_G = 1)`, :math:`P(U_B = 1)`, :math:`P(U_Y = 1)`.

    Examples
    --------
    >>> m = regions()
    >>> round(m.query("Q", evidence={"A": 1})[1] - m.query("Q", evidence={"A": 0})[1], 3)
    0.18
    >>> m.query("G")
    {0: 1.0, 1: 0.0}
    """
    return DiscreteSCM(
        exogenous={
            "U_A": bernoulli(p_group, "p_group"),
            "U_G": bernoulli(grading_bias, "grading_bias"),
            "U_Q": bernoulli(p_qualified, "p_qualified"),
            "U_AQ": bernoulli(qualification_gap, "qualification_gap"),
            "U_PA": bernoulli(proxy_strength, "proxy_strength"),
            "U_P": {0: 0.5, 1: 0.5},
            "U_Y": bernoulli(label_noise, "label_noise"),
            "U_B": bernoulli(label_bias, "label_bias"),
        },
        equations={
            "A": (["U_A"], lambda U_A: U_A),
            "G": (["A", "U_G"], lambda A, U_G: int(A and U_G)),
            "Q": (["U_Q", "A", "U_AQ", "G"], lambda U_Q, A, U_AQ, G: int(U_Q or (A and U_AQ) or G)),
            "P": (["A", "U_PA", "U_P"], lambda A, U_PA, U_P: A if U_PA else U_P),
            "Y": (["Q", "A", "U_Y", "U_B"], lambda Q, A, U_Y, U_B: int((Q ^ U_Y) or (A and U_B))),
        },
        states={"G": (0, 1)},
    )


def region_parameters(mechanism: Mechanism, size: float) -> dict[str, float]:
    """The keyword argument of :func:`regions` that a shift of ``mechanism`` by ``size`` sets.

    Size 0 keeps the training value, size 1 reaches the far end, linearly between:
    ``"proxy"`` weakens the proxy link from 0.8 to 0, ``"qualification access"``
    widens the allowed qualification gap from 0.3 to 0.9, ``"new unfair path"`` raises
    the grading bias from 0 to 6/7, ``"label bias"`` lowers the label bias from 0.5 to 0.

    Examples
    --------
    >>> region_parameters("qualification access", 0.5)
    {'qualification_gap': 0.6}
    """
    if mechanism not in MECHANISMS:
        raise ValueError(f"mechanism must be one of {MECHANISMS}, got {mechanism!r}")
    if not 0.0 <= size <= 1.0:
        raise ValueError(f"size must lie in [0, 1], got {size!r}")
    name, start, end = _RANGE[mechanism]
    return {name: round(start + size * (end - start), 12)}


def region_family(mechanism: Mechanism, sizes: Sequence[float] = SIZES) -> Environments:
    """Regions that change one mechanism by each of ``sizes``; training on the unshifted region 0.

    Labels are ``"region 0"`` (size 0, the training region, always included)
    and ``"size s"`` for every other size. Every region shares :math:`Y`'s
    mechanism, as an :class:`~book.objectives.robustness.Environments` family must.

    Raises
    ------
    ValueError
        For an unknown mechanism, a size outside [0, 1], or ``"label bias"``:
        it changes the mechanism of the target ``Y`` itself.

    Examples
    --------
    >>> region_family("proxy", (0.0, 1.0)).labels
    ('region 0', 'size 1.00')
    """
    if mechanism not in MECHANISMS:
        raise ValueError(f"mechanism must be one of {MECHANISMS}, got {mechanism!r}")
    members = {TRAINING: regions()}
    for s in sizes:
        params = region_parameters(mechanism, float(s))  # checks the size
        if s > 0:
            members[f"size {s:.2f}"] = regions(**params)
    if mechanism == "label bias" and len(members) > 1:
        raise ValueError("mechanism 'label bias' changes the mechanism of the target 'Y' (its A -> Y "
                         "edge): a region family must keep Y's own mechanism")
    return Environments("Y", members, [TRAINING])


Direction = Literal["causal", "anticausal"]
#: The two tasks of the direction section.
DIRECTIONS: tuple[str, ...] = get_args(Direction)
#: What the predictor reads in both tasks: a feature tied to the label, and the proxy of the attribute.
DIRECTION_FEATURES: tuple[str, ...] = ("X", "P")


def direction_model(direction: Direction, *, link: float = 0.6, proxy_strength: float = 0.8) -> DiscreteSCM:
    """A small task in which the features cause the label, or the label causes them.

    A background :math:`C` (say, the neighbourhood) is associated with the
    attribute in a region-specific way, :math:`A := C` with probability
    ``link``, else a fair coin; :math:`P` is a proxy of :math:`A`.

    ``"causal"``: :math:`X := U_X` causes the label,
    :math:`Y := (X \\oplus U_Y) \\lor (C \\land U_B)`.

    ``"anticausal"``: the label causes the feature,
    :math:`Y := C` with probability 0.8 else :math:`U_{Y0}`, and
    :math:`X := Y` with probability 0.4 else a fair coin.

    In both, the region (``link``) changes only the mechanism of :math:`A`, so the
    label's mechanism and :math:`P(Y \\mid X)` stay put.

    Examples
    --------
    >>> m = direction_model("anticausal", link=0.0)
    >>> round(m.query("A", evidence={"Y": 1})[1], 3)
    0.5
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, got {direction!r}")
    noise = {
        "U_C": {0: 0.5, 1: 0.5},
        "U_L": bernoulli(link, "link"),
        "U_A": {0: 0.5, 1: 0.5},
        "U_PA": bernoulli(proxy_strength, "proxy_strength"),
        "U_P": {0: 0.5, 1: 0.5},
    }
    equations = {
        "C": (["U_C"], lambda U_C: U_C),
        "A": (["C", "U_L", "U_A"], lambda C, U_L, U_A: C if U_L else U_A),
        "P": (["A", "U_PA", "U_P"], lambda A, U_PA, U_P: A if U_PA else U_P),
    }
    if direction == "causal":
        noise.update({"U_X": {0: 0.6, 1: 0.4}, "U_Y": bernoulli(0.1, "label_noise"), "U_B": bernoulli(0.7, "u_b")})
        equations["X"] = (["U_X"], lambda U_X: U_X)
        equations["Y"] = (["X", "C", "U_Y", "U_B"], lambda X, C, U_Y, U_B: int((X ^ U_Y) or (C and U_B)))
    else:
        noise.update({"U_YC": bernoulli(0.8, "u_yc"), "U_Y0": {0: 0.7, 1: 0.3}, "U_XY": bernoulli(0.4, "x_strength"),
                      "U_X": {0: 0.5, 1: 0.5}})
        equations["Y"] = (["C", "U_YC", "U_Y0"], lambda C, U_YC, U_Y0: C if U_YC else U_Y0)
        equations["X"] = (["Y", "U_XY", "U_X"], lambda Y, U_XY, U_X: Y if U_XY else U_X)
    return DiscreteSCM(noise, equations)


def direction_family(direction: Direction, links: Sequence[float] = (0.6, 0.0, 0.3, 0.9)) -> Environments:
    """Regions of a direction task that differ in the attribute's link to the background; the first trains.

    Labels are ``"link l"``.

    Examples
    --------
    >>> direction_family("causal").labels
    ('link 0.60', 'link 0.00', 'link 0.30', 'link 0.90')
    """
    members = {f"link {v:.2f}": direction_model(direction, link=v) for v in links}
    if len(members) != len(list(links)):
        raise ValueError(f"links must be distinct, got {list(links)!r}")
    return Environments("Y", members, [next(iter(members))])
