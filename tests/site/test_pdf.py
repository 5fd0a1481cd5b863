"""The PDF edition (make pdf; scripts/pdf_edition.py): one document, every chapter, text and links."""

from __future__ import annotations

import re

import pytest
from test_site import HTML, PAGES

PDF = HTML / "chapters" / "book.pdf"
TITLE = re.compile(r'<article class="bd-article">.*?<h1>(.*?)<a class="headerlink"', re.S)


@pytest.fixture(scope="module")
def reader():
    pypdf = pytest.importorskip("pypdf")
    assert PDF.exists(), "build the PDF edition first (make pdf)"
    return pypdf.PdfReader(str(PDF))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("\ufb00", "ff").replace("\ufb01", "fi").replace("\ufb02", "fl"))


def test_every_page_title_is_in_the_pdf_text(reader):
    text = squeeze("".join(page.extract_text() for page in reader.pages))
    for path in PAGES:
        found = TITLE.search((HTML / path).read_text())
        assert found, f"{path} has no title"
        title = re.sub(r"<[^>]+>", "", found.group(1)).replace("&amp;", "&").replace("&#8217;", "\u2019")
        assert squeeze(title) in text, f"{title!r} is not in the PDF's text"


def test_page_count_is_plausible_and_links_stay_inside(reader):
    # Between 3 and 40 printed pages per page of the book (a chapter is 6-15; the notation page 1-3).
    assert 3 * len(PAGES) <= len(reader.pages) <= 40 * len(PAGES), len(reader.pages)
    internal = 0
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            action = link.get("/A")
            internal += "/Dest" in link or bool(action and action.get("/S") == "/GoTo")
            if action and action.get("/S") == "/URI":  # no link to the local server that printed it
                assert "127.0.0.1" not in str(action["/URI"]), action["/URI"]
    assert internal >= len(PAGES), f"only {internal} internal links"
    assert len(reader.outline) >= len(PAGES), "the outline (bookmarks) lists every page"


def test_the_site_links_to_the_pdf():
    for path in PAGES:
        assert 'href="book.pdf"' in (HTML / path).read_text() or path == "index.html", path
