"""Shared test configuration: no network, no display, no pgmpy progress bars; the claim tests' ``approx``."""

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib

matplotlib.use("Agg")


def _to_printed_precision(expected):
    return pytest.approx(expected, abs=5e-4)


@pytest.fixture(scope="session")
def approx():
    """``approx(x)``: ``pytest.approx`` at the precision the prose prints its numbers (3 decimals)."""
    return _to_printed_precision
