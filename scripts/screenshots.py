"""Screenshot every chapter of the built book in light mode, dark mode and at phone width.

Usage: python scripts/screenshots.py [OUTDIR]   (default _build/screenshots; needs Debian's chromium)

Serves _build/html on 127.0.0.1, opens each page of _toc.yml in headless Chromium
(through Playwright, with the system browser), saves PNGs for humans to look at, and
moves the first static explorer's slider to check that the frame and label change.
Prints one line per page: failed requests, page errors, explorer response.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

import yaml
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    return [f"{f}.html" for f in files]


def serve() -> tuple[http.server.ThreadingHTTPServer, int]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "_build" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    server, port = serve()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for page_path in pages():
                stem = Path(page_path).stem
                for mode, viewport, scheme in (("light", (1280, 900), "light"), ("dark", (1280, 900), "dark"),
                                               ("phone", (375, 800), "light")):
                    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                                  color_scheme=scheme)
                    page = context.new_page()
                    failed, errors = [], []
                    page.on("requestfailed", lambda r, failed=failed: failed.append(r.url))
                    page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                    page.goto(f"http://127.0.0.1:{port}/{page_path}", wait_until="load")
                    page.wait_for_timeout(300)
                    explorer = ""
                    if mode == "light" and page.locator(".book-explorer").count():
                        box = page.locator(".book-explorer").first
                        before = box.locator("img:not([hidden])").get_attribute("alt")
                        box.locator("input[type=range]").first.evaluate(
                            "e => { e.value = 0; e.dispatchEvent(new Event('input')); }")
                        after = box.locator("img:not([hidden])").get_attribute("alt")
                        label = box.locator("output").first.inner_text()
                        explorer = f" explorer: frame changed={before != after} label={label!r}"
                    page.screenshot(path=str(out / f"{stem}-{mode}.png"), full_page=True)
                    print(f"{stem:40s} {mode:5s} failed={len(failed)} errors={len(errors)}{explorer}")
                    for item in failed + errors:
                        print("    ", item[:160])
                    context.close()
            browser.close()
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
