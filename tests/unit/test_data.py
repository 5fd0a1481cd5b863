"""Unit tests of book.data (the shipped credit file) and book.models.credit (its coding and SCM)."""

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from book.data import CREDIT_CODES, CREDIT_COLUMNS, CREDIT_SHA256, check_credit, credit_sha256, load_credit
from book.models.credit import CODING, TIERS, VARIABLES, credit, discretise

DATA = Path(__file__).resolve().parents[2] / "book" / "data"


def test_the_shipped_file_has_the_documented_checksum():
    raw = (DATA / "german_credit.csv").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == CREDIT_SHA256 == credit_sha256()
    assert CREDIT_SHA256 in (DATA / "README.md").read_text(encoding="utf-8")


def test_the_loader_returns_the_documented_schema():
    frame = load_credit()
    assert tuple(frame.columns) == CREDIT_COLUMNS and len(frame) == 1000
    for column, codes in CREDIT_CODES.items():
        assert set(frame[column].unique()) <= set(codes), column
    assert frame["risk"].sum() == 700


@pytest.mark.parametrize("mutate, message", [
    (lambda f: f.drop(columns="age"), "lack the columns \\['age'\\]"),
    (lambda f: f.assign(extra=1), "unexpected columns \\['extra'\\]"),
    (lambda f: f.assign(housing=f["housing"].where(f.index != 3, None)), "'housing' has 1 missing"),
    (lambda f: f.assign(housing=f["housing"].replace("own", "castle")), "unknown codes \\['castle'\\]"),
    (lambda f: f.assign(age=f["age"].where(f.index != 0, -4)), "'age' has values .*-4"),
])
def test_a_bad_frame_is_rejected_naming_what_is_wrong(mutate, message):
    with pytest.raises(ValueError, match=message):
        check_credit(mutate(load_credit()))


def test_every_variable_is_documented_and_coded_binary():
    coded = discretise(load_credit())
    assert tuple(coded.columns) == VARIABLES == tuple(CODING)
    assert sorted(v for t in TIERS for v in t) == sorted(VARIABLES)
    assert set(pd.unique(coded.to_numpy().ravel())) == {0, 1}
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for v in VARIABLES:
        assert f"| `{v}` |" in readme, v


def test_the_fitted_scm_reproduces_the_label_rate_and_rejects_a_shift_of_the_label():
    coded = discretise(load_credit())
    m = credit(coded, [("A", "H"), ("K", "Y")])
    assert m.query("Y")[1] == pytest.approx(0.7, abs=1e-3)
    shifted = credit(coded, [("A", "H"), ("K", "Y")], scale={"K": 0.5})
    assert shifted.query("K")[1] == pytest.approx(0.5 * m.query("K")[1], abs=1e-3)
    with pytest.raises(ValueError, match="not 'Y'"):
        credit(coded, [], scale={"Y": 0.5})
    with pytest.raises(ValueError, match="must be in"):
        credit(coded, [], scale={"K": 1.5})


#: Groemping's corrected South German Credit: each category's size and good-risk rate (2019 report).
#: The file's codes follow the old Statlog documentation; each file code matches exactly one corrected
#: category by size and good-risk rate, which pins the meaning used by CODING (housing 'own' is 713 here,
#: 714 in the corrected data).
SIZES_AND_RATES = {
    ("checking_account", "little"): (274, 0.507),  # corrected: no checking account (Statlog doc: < 0 DM)
    ("checking_account", "not_known"): (394, 0.883),  # corrected: >= 200 DM / salary (Statlog doc: none)
    ("saving_accounts", "little"): (603, 0.640),  # corrected: unknown or none (Statlog doc: < 100 DM)
    ("saving_accounts", "not_known"): (183, 0.825),  # corrected: >= 1000 DM (Statlog doc: unknown)
    ("housing", "own"): (713, 0.739),  # corrected: rent (Statlog doc: own)
    ("housing", "rent"): (179, 0.609),  # corrected: for free (Statlog doc: rent)
    ("housing", "free"): (108, 0.593),  # corrected: own (Statlog doc: for free)
}


@pytest.mark.parametrize("cell, expected", SIZES_AND_RATES.items())
def test_each_used_code_means_what_the_counts_say(cell, expected):
    from book.models.credit import CORRECTED
    frame = load_credit()
    column, code = cell
    rows = frame[frame[column] == code]
    assert (len(rows), round(float(rows["risk"].mean()), 3)) == expected
    assert code in CORRECTED[column]


def test_the_coded_variables_carry_the_corrected_meanings():
    raw, coded = load_credit(), discretise(load_credit())
    assert coded["K"].sum() == 1000 - 274 and "has a checking account" in CODING["K"][0]
    assert coded["H"].sum() == 713 and CODING["H"][0].startswith("rents")
    assert coded["S"].sum() == 63 + 48 + 183 and "at least 100 DM" in CODING["S"][0]
    young = raw[raw["age"] < 25]
    assert round(float((young["housing"] == "rent").mean()), 2) == 0.46  # corrected: living for free


def test_check_credit_rejects_an_empty_frame_and_a_non_frame():
    with pytest.raises(ValueError, match="no records"):
        check_credit(load_credit().iloc[:0])
    with pytest.raises(ValueError, match="DataFrame"):
        check_credit([1, 2, 3])
