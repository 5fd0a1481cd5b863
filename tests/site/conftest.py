"""The site tests' shared fixtures: one local server and one chromium for the whole session.

(In one module each, two test files would start two Playwright instances in one process, which
Playwright's sync API refuses.)
"""

from __future__ import annotations

import functools
import http.server
import threading

import pytest
from test_site import CHROMIUM, CHROMIUM_ARGS, HTML


@pytest.fixture(scope="session")
def site():
    assert (HTML / "index.html").exists(), "build the book first (make book)"

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(HTML)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    assert CHROMIUM.exists(), "Debian's chromium is required: apt-get install chromium (.ci/run does it)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
