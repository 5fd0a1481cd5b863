"""Checked parameters shared by the scenario models."""

from __future__ import annotations

__all__ = ["bernoulli"]


def bernoulli(p: float, name: str) -> dict[int, float]:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{name} must be a probability in [0, 1], got {p!r}")
    return {0: 1.0 - p, 1: p}
