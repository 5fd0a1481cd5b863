"""The screening model of chapter 4: one lab value, one scanner flag, hospitals as environments."""

from __future__ import annotations

from book.models._parameters import bernoulli
from book.objectives.robustness import Environments
from book.scm import DiscreteSCM

__all__ = [
    "DEPLOYED",
    "FEATURES",
    "TRAINING_MISMATCH",
    "family",
    "hospitals",
    "hospitals_reversed",
    "reversed_family",
]

#: What a screening predictor may read: the lab value and the scanner flag.
FEATURES = ("C", "S")
#: Scanner mismatch P(S != Y) in the two training hospitals.
TRAINING_MISMATCH = (0.05, 0.25)
#: The deployment hospital, a test environment only.
DEPLOYED = "E=2"


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
        noise[f"U_S{e}"] = bernoulli(q, f"mismatch[{e}]")
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
        noise[f"U_S{e}"] = bernoulli(p, f"exposure[{e}]")
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


def family(*, training: tuple[float, float] = TRAINING_MISMATCH, deployed: float = 0.8) -> Environments:
    """Hospitals 0 and 1 (training, equal weights) and hospital 2 (deployment) with their scanner mismatches.

    Examples
    --------
    >>> family()
    Environments of 'Y': ['E=0', 'E=1', 'E=2']; training: E=0 (0.50), E=1 (0.50)
    """
    return Environments.from_variable(hospitals(mismatch=(*training, deployed)), "E", "Y")


def reversed_family(*, exposure: tuple[float, float, float] = (0.2, 0.6, 0.05)) -> Environments:
    """The same hospitals when ``S`` causes ``Y`` (an exposure) and the hospital sets ``P(S)``."""
    return Environments.from_variable(hospitals_reversed(exposure=exposure), "E", "Y")
