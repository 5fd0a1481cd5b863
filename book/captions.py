"""Captions for HTML tables, without any drawing library.

A table shown as HTML needs a ``<caption>`` so that a screen reader announces
what it holds, not only "table, 4 rows" (WCAG 2.1, 1.3.1). Both
:func:`book.viz.table` and :class:`book.audits.Audit` use :func:`captioned_html`;
it lives here, beside the core, because ``book.audits`` must not import
``book.viz`` (which imports matplotlib).
"""

from __future__ import annotations

import html

__all__ = ["captioned_html"]


def captioned_html(table_html: str, caption: str) -> str:
    """Insert ``<caption>`` (escaped) right after the opening ``<table ...>`` tag.

    Raises ``ValueError`` if the HTML has no ``<table`` or the caption is empty.

    Examples
    --------
    >>> captioned_html('<table class="x"><tr><td>1</td></tr></table>', "A & B")
    '<table class="x"><caption>A &amp; B</caption><tr><td>1</td></tr></table>'
    """
    if not isinstance(caption, str) or not caption.strip():
        raise ValueError(f"caption must be a non-empty string, got {caption!r}")
    start = table_html.find("<table")
    if start < 0:
        raise ValueError(f"no <table> in the HTML given: {table_html[:60]!r}")
    opening = table_html.index(">", start) + 1
    return f"{table_html[:opening]}<caption>{html.escape(caption.strip())}</caption>{table_html[opening:]}"
