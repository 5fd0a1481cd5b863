"""Data shipped with the book: the Statlog German credit records (see ``book/data/README.md``).

Nothing is downloaded at run time: the CSV file sits beside this module and is
read through :mod:`importlib.resources`, so it works from a checkout and from an
installed wheel alike. :func:`load_credit` checks the schema (columns, missing
values, codes) and raises a ``ValueError`` naming what is wrong.
"""

from __future__ import annotations

import hashlib
from importlib import resources

import pandas as pd

__all__ = ["CREDIT_CODES", "CREDIT_COLUMNS", "CREDIT_FILE", "CREDIT_SHA256", "check_credit", "credit_sha256",
           "load_credit"]

#: The file's name inside the package.
CREDIT_FILE = "german_credit.csv"
#: SHA-256 of the file as committed (README.md states it too).
CREDIT_SHA256 = "321ff0594e1f887ad6bf05dc51d34c616f1c32dca8c7cdb141434df295f67997"
#: The columns of the file, in order.
CREDIT_COLUMNS: tuple[str, ...] = ("risk", "sex", "job", "housing", "saving_accounts", "checking_account",
                                   "credit_amount", "duration", "purpose", "age")
#: The allowed codes of each categorical column (numeric columns are checked for range instead).
CREDIT_CODES: dict[str, tuple] = {
    "risk": (0, 1),
    "sex": ("female", "male"),
    "job": (0, 1, 2, 3),
    "housing": ("free", "own", "rent"),
    "saving_accounts": ("little", "moderate", "not_known", "quite rich", "rich"),
    "checking_account": ("little", "moderate", "not_known", "rich"),
    "purpose": ("business", "car", "domestic appliances", "education", "furniture/equipment", "radio/TV",
                "repairs", "vacation/others"),
}
_NUMERIC = ("credit_amount", "duration", "age")


def credit_sha256() -> str:
    """SHA-256 of the shipped file's bytes (compare with :data:`CREDIT_SHA256`).

    Examples
    --------
    >>> credit_sha256() == CREDIT_SHA256
    True
    """
    return hashlib.sha256(resources.files(__package__).joinpath(CREDIT_FILE).read_bytes()).hexdigest()


def check_credit(frame: pd.DataFrame) -> pd.DataFrame:
    """Check a frame against the schema of the credit file and return it unchanged.

    Raises
    ------
    ValueError
        Naming missing or unexpected columns, a column with missing values, a
        categorical column with an unknown code, or a numeric column with a
        non-positive or non-integer value.

    Examples
    --------
    >>> check_credit(load_credit().drop(columns="age"))
    Traceback (most recent call last):
    ...
    ValueError: the credit data lack the columns ['age']
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"the credit data must be a pandas DataFrame, got {type(frame).__name__}")
    if len(frame) == 0:
        raise ValueError("the credit data have no records (an empty frame)")
    missing = [c for c in CREDIT_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"the credit data lack the columns {missing}")
    extra = [c for c in frame.columns if c not in CREDIT_COLUMNS]
    if extra:
        raise ValueError(f"the credit data have unexpected columns {extra}")
    for column in CREDIT_COLUMNS:
        if frame[column].isna().any():
            raise ValueError(f"column {column!r} has {int(frame[column].isna().sum())} missing values")
    for column, codes in CREDIT_CODES.items():
        unknown = sorted({str(v) for v in frame[column].unique()} - {str(c) for c in codes})
        if unknown:
            raise ValueError(f"column {column!r} has unknown codes {unknown}; allowed: {list(codes)}")
    for column in _NUMERIC:
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = frame[column][values.isna() | (values <= 0) | (values != values.round())]
        if len(bad):
            raise ValueError(f"column {column!r} has values that are not positive integers: {bad.tolist()[:5]}")
    return frame


def load_credit() -> pd.DataFrame:
    """The 1,000 Statlog German credit records as shipped (10 columns), schema-checked.

    Examples
    --------
    >>> frame = load_credit()
    >>> frame.shape, round(float(frame["risk"].mean()), 3)
    ((1000, 10), 0.7)
    """
    with resources.files(__package__).joinpath(CREDIT_FILE).open("r", encoding="utf-8") as handle:
        frame = pd.read_csv(handle)
    return check_credit(frame)
