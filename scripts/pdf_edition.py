"""The PDF edition: the built book printed by Chromium as one document, offline.

Usage (after ``jupyter-book build .``; ``make pdf`` does both)::

    python scripts/pdf_edition.py [--html _build/html] [--out _build/html/chapters/book.pdf]

Every page of ``_toc.yml``, in order, contributes its article (prose, figures, each explorer's
default frame with its caption, exercises; solutions open, as the theme prints them) to one HTML
document beside the pages, so the theme's styles and the vendored MathJax apply. Element ids are
prefixed with their page's name and links between pages become links inside the document, so the
PDF's internal links work; Chromium writes them, an outline (bookmarks) from the headings and a
text layer. Nothing is fetched from the network: every request outside the local server is blocked.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import re
import sys
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARTICLE = re.compile(r'<article class="bd-article">(.*?)</article>', re.S)
HEAD = re.compile(r"<head>(.*?)</head>", re.S)
SOURCE = "_pdf_edition.html"


def toc_pages(root: Path = ROOT) -> list[str]:
    """The book's pages in reading order, as paths without suffix (``chapters/preface``, ...)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


def relink(article: str, stem: str, stems: set[str]) -> str:
    """``article`` with ids prefixed by ``stem--`` and links between the book's pages made internal.

    >>> relink('<p id="a"><a href="#a">x</a> <a href="b.html#c">y</a> <a href="b.html">z</a></p>', "p", {"p", "b"})
    '<p id="p--a"><a href="#p--a">x</a> <a href="#b--c">y</a> <a href="#b--top">z</a></p>'
    """
    if not stem:
        raise ValueError(f"stem must be non-empty, got {stem!r}")
    article = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{stem}--{m.group(1)}"', article)

    def link(match: re.Match) -> str:
        target, fragment = match.group(1), match.group(2)
        if not target:
            return f'href="#{stem}--{fragment}"'
        name = target.removesuffix(".html")
        if name not in stems:
            return match.group(0)
        return f'href="#{name}--{fragment or "top"}"'

    return re.sub(r'href="((?:[\w.-]+)\.html|)(?:#([^"]*))?"', link, article)


def combined_page(html_dir: Path, pages: list[str]) -> str:
    """One HTML document holding every page's article, with the head (styles, MathJax) of the first."""
    stems = {Path(p).name for p in pages}
    first = (html_dir / f"{pages[0]}.html").read_text()
    head = HEAD.search(first).group(1)
    title = yaml.safe_load((ROOT / "_config.yml").read_text())["title"]
    head = re.sub(r"<title>.*?</title>", f"<title>{title}</title>", head)
    parts = []
    for page in pages:
        text = (html_dir / f"{page}.html").read_text()
        found = ARTICLE.search(text)
        if found is None:
            raise ValueError(f"{page}.html has no <article class=\"bd-article\">")
        stem = Path(page).name
        parts.append(f'<section class="pdf-page" id="{stem}--top">{relink(found.group(1), stem, stems)}</section>')
    style = (
        "<style>.pdf-page{break-before:page}.pdf-page:first-child{break-before:auto}"
        ".headerlink,.bx-controls,.bx-note{display:none!important}"
        "body{background:#fff}.bd-article{padding:0!important}</style>"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en" data-theme="light" data-mode="light"><head>{head}{style}</head>\n'
        f'<body><main class="bd-main"><div class="bd-content"><article class="bd-article" role="main">'
        f"{''.join(parts)}</article></div></main></body></html>\n"
    )


def build(html_dir: Path, out: Path) -> tuple[int, float]:
    """Print the book to ``out``; return its size in bytes and the seconds it took."""
    from playwright.sync_api import sync_playwright

    start = time.perf_counter()
    pages = toc_pages()
    source_dir = html_dir / Path(pages[1]).parent  # beside the chapters: their relative links hold
    source = source_dir / SOURCE
    source.write_text(combined_page(html_dir, pages))

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(html_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            context = browser.new_context(color_scheme="light")
            context.route(re.compile(r"^(?!http://127\.0\.0\.1[:/]).*"), lambda route: route.abort())
            page = context.new_page()
            url = f"http://127.0.0.1:{server.server_address[1]}/{source.relative_to(html_dir).as_posix()}"
            page.goto(url, wait_until="load")
            page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=60000)
            page.evaluate("MathJax.startup.promise")
            page.emulate_media(media="print")
            out.parent.mkdir(parents=True, exist_ok=True)
            page.pdf(
                path=str(out), format="A4", print_background=True, outline=True, tagged=True,
                margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
                display_header_footer=True, header_template="<span></span>",
                footer_template='<div style="font-size:8px;width:100%;text-align:center">'
                                '<span class="pageNumber"></span></div>',
            )
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
        source.unlink(missing_ok=True)
    return out.stat().st_size, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--out", type=Path, default=None, help="default: HTML/chapters/book.pdf")
    args = parser.parse_args(argv)
    if not (args.html / "index.html").exists():
        print(f"build the book first: {args.html / 'index.html'} is missing", file=sys.stderr)
        return 1
    out = args.out or args.html / "chapters" / "book.pdf"
    size, seconds = build(args.html, out)
    print(f"PDF edition: {out} ({size / 1e6:.1f} MB, {seconds:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
