"""The structure-learning model of the limits chapter: two causes and one effect of the label."""

from __future__ import annotations

from book.models._parameters import bernoulli
from book.scm import DiscreteSCM

__all__ = ["CAUSES", "VARIABLES", "discovery"]

#: The observed variables, in the order the learners see them.
VARIABLES = ("C", "D", "S", "Y")
#: The causes of ``Y`` when both are present: the robust (selective) predictor reads exactly these.
CAUSES = ("C", "D")


def discovery(*, second_cause: bool = True, label_noise: float = 0.2, signal_noise: float = 0.15) -> DiscreteSCM:
    """Two causes ``C``, ``D`` of a label ``Y`` and one effect ``S`` of it.

    .. math::

        C &:= U_C, \\quad D := U_D\\\\
        Y &:= (C \\lor D) \\oplus U_Y \\quad \\text{(or } Y := C \\oplus U_Y \\text{ without the second cause)}\\\\
        S &:= Y \\oplus U_S

    With both causes, ``C -> Y <- D`` is a collider: its directions, and from
    them ``Y -> S``, are visible in observational data. Without ``D`` the graph
    is the chain ``C -> Y -> S``, Markov equivalent to ``C <- Y <- S`` and
    ``C <- Y -> S``: no observational data decide its directions. (``D`` stays
    in the model as an independent coin, so both versions have the same variables.)

    Parameters
    ----------
    second_cause : bool
        Whether ``D`` causes ``Y``.
    label_noise, signal_noise : float
        :math:`P(U_Y = 1)` and :math:`P(U_S = 1)`.

    Examples
    --------
    >>> m = discovery()
    >>> round(m.query("Y")[1], 3)
    0.62
    >>> sorted(discovery(second_cause=False).parents("Y"))
    ['C', 'U_Y']
    """
    noise = {"U_C": {0: 0.5, 1: 0.5}, "U_D": {0: 0.6, 1: 0.4},
             "U_Y": bernoulli(label_noise, "label_noise"), "U_S": bernoulli(signal_noise, "signal_noise")}
    equations = {"C": (["U_C"], lambda U_C: U_C), "D": (["U_D"], lambda U_D: U_D)}
    if second_cause:
        equations["Y"] = (["C", "D", "U_Y"], lambda C, D, U_Y: int(C or D) ^ U_Y)
    else:
        equations["Y"] = (["C", "U_Y"], lambda C, U_Y: C ^ U_Y)
    equations["S"] = (["Y", "U_S"], lambda Y, U_S: Y ^ U_S)
    return DiscreteSCM(exogenous=noise, equations=equations)
