"""Tables as notebook outputs that carry their own caption.

A pandas DataFrame shown the default way becomes an HTML ``<table>`` with no
``<caption>``: a screen reader announces "table, 4 rows" and nothing that says
what it holds (WCAG 2.1, 1.3.1). :func:`table` wraps a frame with a caption
that appears in the HTML (as ``<caption>``) and in the text output, so nbval
compares it too.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

__all__ = ["CaptionedTable", "captioned_html", "table"]


def captioned_html(table_html: str, caption: str) -> str:
    """Insert ``<caption>`` (escaped) right after the opening ``<table ...>`` tag.

    Examples
    --------
    >>> captioned_html('<table class="x"><tr><td>1</td></tr></table>', "A & B")
    '<table class="x"><caption>A &amp; B</caption><tr><td>1</td></tr></table>'
    """
    start = table_html.find("<table")
    if start < 0:
        raise ValueError(f"no <table> in the HTML given: {table_html[:60]!r}")
    opening = table_html.index(">", start) + 1
    return f"{table_html[:opening]}<caption>{html.escape(caption)}</caption>{table_html[opening:]}"


@dataclass(frozen=True)
class CaptionedTable:
    """A DataFrame and the caption it is shown with (see :func:`table`)."""

    frame: pd.DataFrame
    caption: str

    def _repr_html_(self) -> str:
        return captioned_html(self.frame.to_html(), self.caption)

    def __repr__(self) -> str:
        return f"{self.caption}\n{self.frame.to_string()}"


def table(frame: pd.DataFrame, caption: str) -> CaptionedTable:
    """Show ``frame`` as a table whose caption says what it holds.

    Parameters
    ----------
    frame : pandas.DataFrame
    caption : str
        A sentence naming the table's content; not empty.

    Examples
    --------
    >>> table(pd.DataFrame({"gap": [0.25]}, index=["parity"]), "Gaps of one rule")
    Gaps of one rule
             gap
    parity  0.25
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    if not isinstance(caption, str) or not caption.strip():
        raise ValueError(f"caption must be a non-empty string, got {caption!r}")
    return CaptionedTable(frame, caption.strip())
