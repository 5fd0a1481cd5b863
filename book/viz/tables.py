"""Tables as notebook outputs that carry their own caption.

A pandas DataFrame shown the default way becomes an HTML ``<table>`` with no
``<caption>``: a screen reader announces "table, 4 rows" and nothing that says
what it holds (WCAG 2.1, 1.3.1). :func:`table` wraps a frame with a caption
that appears in the HTML (as ``<caption>``) and in the text output, so nbval
compares it too.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from book.captions import captioned_html

__all__ = ["CaptionedTable", "captioned_html", "table"]  # captioned_html: re-exported from book.captions


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
