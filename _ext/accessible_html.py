"""Sphinx extension: the HTML that docutils and Jupyter Book write, made to pass WCAG 2.1 AA.

Two fixes that no configuration option reaches (the theme's own, in _templates/ and
_theme/a11y.css, are explained there):

- The bibliography: docutils writes ``<div role="list">`` around ``role="doc-biblioentry"`` items.
  DPUB-ARIA 1.1 deprecates ``doc-biblioentry`` and the list holds non-item children, so axe-core
  reports ``aria-deprecated-role`` and ``aria-required-children`` (critical). Plain ``div``s carry
  the same content and order without false ARIA semantics.
- The root ``index.html``: sphinx-external-toc writes a one-line meta refresh with no ``<title>``
  and no ``lang``; it is rewritten as a complete page with both and a visible link.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

__all__ = ["redirect_page", "setup", "strip_false_aria_roles"]

_ROLES = {
    '<div role="list" class="citation-list">': '<div class="citation-list">',
    ' role="doc-biblioentry"': "",
}


def strip_false_aria_roles(body: str) -> str:
    """Return ``body`` without docutils' citation-list ARIA roles (see the module docstring).

    >>> strip_false_aria_roles('<div role="list" class="citation-list"><div class="citation" role="doc-biblioentry">')
    '<div class="citation-list"><div class="citation">'
    """
    for old, new in _ROLES.items():
        body = body.replace(old, new)
    return body


def redirect_page(target: str, title: str, language: str = "en") -> str:
    """Return a complete HTML page that redirects to ``target`` (with a title, a language and a link).

    >>> "<title>Book</title>" in redirect_page("chapters/preface.html", "Book")
    True
    """
    if not target or not title:
        raise ValueError(f"target and title must be non-empty, got {target!r} and {title!r}")
    url, name = html.escape(target, quote=True), html.escape(title)
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(language, quote=True)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{name}</title>\n"
        f'<meta http-equiv="Refresh" content="0; url={url}">\n</head>\n'
        f'<body>\n<main>\n<h1>{name}</h1>\n<p><a href="{url}">Open the book</a>.</p>\n</main>\n</body>\n</html>\n'
    )


def _fix_body(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if "body" in context:
        context["body"] = strip_false_aria_roles(context["body"])


def _fix_index(app: Any, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    index = Path(app.outdir) / "index.html"
    if index.exists() and index.read_text().lstrip().startswith("<meta http-equiv"):
        target = app.config.root_doc + app.builder.out_suffix
        title = app.config.html_title or app.config.project  # Jupyter Book sets html_title from its title
        index.write_text(redirect_page(target, title, app.config.language or "en"))


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", _fix_body, priority=900)
    app.connect("build-finished", _fix_index, priority=900)  # after sphinx-external-toc writes the stub
    return {"parallel_read_safe": True, "parallel_write_safe": True}
