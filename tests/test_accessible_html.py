"""The build-time accessibility fixes (_ext/accessible_html.py) and the PDF edition's relinking."""

from __future__ import annotations

import doctest
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))
sys.path.insert(0, str(ROOT / "scripts"))

import accessible_html  # noqa: E402
import pdf_edition  # noqa: E402


@pytest.mark.parametrize("module", [accessible_html, pdf_edition])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0


def test_bibliography_loses_only_its_false_roles():
    body = '<div role="list" class="citation-list">\n<div class="citation" id="x" role="doc-biblioentry">a</div></div>'
    fixed = accessible_html.strip_false_aria_roles(body)
    assert "role=" not in fixed and 'id="x"' in fixed and fixed.count("<div") == 2


def test_redirect_page_is_complete_and_escaped():
    page = accessible_html.redirect_page("chapters/preface.html", "A & B")
    assert '<html lang="en">' in page and "<title>A &amp; B</title>" in page
    assert 'url=chapters/preface.html' in page and 'href="chapters/preface.html"' in page
    with pytest.raises(ValueError, match="''"):
        accessible_html.redirect_page("", "title")


def test_relink_keeps_outside_links_and_rejects_an_empty_stem():
    html = '<a href="https://example.org/x.html#y">e</a> <a href="../_sources/a.ipynb">s</a>'
    assert pdf_edition.relink(html, "p", {"p"}) == html
    with pytest.raises(ValueError, match="''"):
        pdf_edition.relink(html, "", {"p"})


def test_pdf_edition_follows_the_toc():
    pages = pdf_edition.toc_pages()
    assert pages[0] == "chapters/preface" and len(pages) == len(set(pages)) > 10
