"""The credit case study: the Statlog German credit records, coded as eight binary variables.

Unlike every other model of the book, this one is not written down: its graph is
learned from the shipped data (:mod:`book.data`) under the background order
:data:`TIERS`, its conditional probabilities are fitted with pgmpy, and it is
turned into an SCM by the comonotone construction of
:func:`book.objectives.discovery.network_scm` (an extra assumption, which fixes
its counterfactuals). :func:`discretise` documents the coding of each variable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from book.data import check_credit
from book.objectives.discovery import fit_network, network_scm
from book.scm import DiscreteSCM

__all__ = ["ACTIONABLE", "CODING", "CORRECTED", "DOCUMENTED", "FEATURES", "LABEL", "TIERS", "VARIABLES", "credit",
           "discretise"]

#: Each variable's meaning when it is 1 (0 is the complement), and the raw column it codes.
CODING: dict[str, tuple[str, str]] = {
    "A": ("age 25 or older (0: under 25)", "age"),
    "J": ("skilled job (job code 2 or 3; 0: unskilled or unemployed, codes 0-1)", "job"),
    "H": ("rents their home (file code 'own', corrected meaning 'rent'; 0: owns or lives for free)", "housing"),
    "K": ("has a checking account (any file code but 'little', whose corrected meaning is 'no checking account')",
          "checking_account"),
    "S": ("savings of at least 100 DM (file codes 'quite rich', 'rich', 'not_known'; 0: none, unknown or < 100 DM)",
          "saving_accounts"),
    "M": ("credit amount above 4,000 DM", "credit_amount"),
    "D": ("duration above 24 months", "duration"),
    "Y": ("good credit risk (risk 1; 0: bad)", "risk"),
}
#: The variables, in the background order of :data:`TIERS`.
VARIABLES: tuple[str, ...] = ("A", "J", "H", "K", "S", "M", "D", "Y")
#: Background knowledge: causes before effects. Age is caused by none of the others; the applicant's
#: situation (job, home), then finances (checking, savings), then the loan asked for; the outcome last.
TIERS: tuple[tuple[str, ...], ...] = (("A",), ("J", "H"), ("K", "S"), ("M", "D"), ("Y",))
#: The label and the features a credit model may read (every other variable).
LABEL = "Y"
FEATURES: tuple[str, ...] = ("A", "J", "H", "K", "S", "M", "D")
#: What an applicant can change, with a cost per unit: ask for less money or a shorter loan (cheap),
#: open a checking account or save 100 DM (dearer).
ACTIONABLE: dict[str, float] = {"M": 1.0, "D": 1.0, "K": 2.0, "S": 2.0}

#: The file's codes follow the old Statlog documentation; Groemping's corrected code table (matched one to
#: one by counts and good-risk rates, ``tests/unit/test_data.py``) gives their meaning. Savings >= 100 DM:
#: file 'quite rich' (100-500 DM), 'rich' (500-1000 DM), 'not_known' (>= 1000 DM).
_SAVINGS = ("quite rich", "rich", "not_known")
#: The file's code and its corrected meaning, for the three coded columns (the file's own label in brackets).
CORRECTED: dict[str, dict[str, str]] = {
    "checking_account": {"little": "no checking account", "moderate": "< 0 DM", "rich": "0-200 DM",
                         "not_known": ">= 200 DM or salary assignment"},
    "saving_accounts": {"little": "unknown or no savings account", "moderate": "< 100 DM",
                        "quite rich": "100-500 DM", "rich": "500-1000 DM", "not_known": ">= 1000 DM"},
    "housing": {"free": "own", "own": "rent", "rent": "for free"},
}
#: The same codes as the old Statlog documentation (and the file's labels) read them.
DOCUMENTED: dict[str, dict[str, str]] = {
    "checking_account": {"little": "< 0 DM", "moderate": "0-200 DM", "rich": ">= 200 DM or salary assignment",
                         "not_known": "no checking account"},
    "saving_accounts": {"little": "< 100 DM", "moderate": "100-500 DM", "quite rich": "500-1000 DM",
                        "rich": ">= 1000 DM", "not_known": "unknown or no savings account"},
    "housing": {"free": "for free", "own": "own", "rent": "rent"},
}


def discretise(frame: pd.DataFrame) -> pd.DataFrame:
    """Code the raw credit records as the eight binary variables of :data:`CODING`.

    Raises
    ------
    ValueError
        From :func:`book.data.check_credit`, naming a missing column, a missing
        value or an unknown code.

    Examples
    --------
    >>> from book.data import load_credit
    >>> coded = discretise(load_credit())
    >>> list(coded.columns) == list(VARIABLES), round(float(coded["A"].mean()), 3)
    (True, 0.851)
    """
    raw = check_credit(frame)
    coded = pd.DataFrame({
        "A": raw["age"] >= 25,
        "J": raw["job"] >= 2,
        "H": raw["housing"] == "own",
        "K": raw["checking_account"] != "little",
        "S": raw["saving_accounts"].isin(_SAVINGS),
        "M": raw["credit_amount"] > 4000,
        "D": raw["duration"] > 24,
        "Y": raw["risk"] == 1,
    })
    return coded.astype(int).reset_index(drop=True)


def credit(data: pd.DataFrame, edges: Sequence[tuple[str, str]], *, prior: float = 1.0,
           scale: Mapping[str, float] | None = None) -> DiscreteSCM:
    """The SCM of the coded ``data`` on the graph ``edges`` (pgmpy BDeu fit, comonotone noise).

    ``scale`` multiplies :math:`P(V = 1 \\mid \\mathrm{pa})` of the named variables (a shifted
    mechanism, e.g. ``{"K": 0.8}``: every applicant's chance of holding a checking account
    falls by a fifth); it may not name the label.

    Examples
    --------
    >>> from book.data import load_credit
    >>> m = credit(discretise(load_credit()), [("A", "H"), ("H", "Y")])
    >>> round(m.query("Y")[1], 3)
    0.7
    """
    for name, factor in (scale or {}).items():
        if name not in VARIABLES or name == LABEL:
            raise ValueError(f"scale may change a feature's mechanism, not {name!r}; features: {list(FEATURES)}")
        if not 0.0 <= factor <= 1.0:
            raise ValueError(f"the factor of {name!r} must be in [0, 1], got {factor!r}")
    probabilities = fit_network(data[list(VARIABLES)], edges, prior=prior)
    for name, factor in (scale or {}).items():
        probabilities[name] = {cell: p * factor for cell, p in probabilities[name].items()}
    return network_scm(edges, probabilities)
