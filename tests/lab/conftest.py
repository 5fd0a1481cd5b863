"""A real JupyterLab for the tests in this folder: a fresh, isolated server and Debian's chromium.

`make lab-test` (part of `make test`) runs these tests with ``BOOK_LAB_TESTS=1``; without it
they are skipped, so a plain ``pytest tests`` stays quick. The server is the JupyterLab that
`make env` installed beside the interpreter running pytest (the project's ``.venv``), started
on 127.0.0.1 on a free port with no token, no browser and its own configuration, data, runtime,
settings and workspace folders, so no setting or notebook trust of the machine leaks in. It
serves a copy of ``chapters/``: nothing the tests do (running cells, a save) can touch the
repository. The fixture stops the server it started and checks that it is gone.

The measured timings (kernel start, Run All, slider latency, total) are printed at the end of
the run and written, with screenshots, to ``_build/lab/``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "_build" / "lab"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SERVER_START_TIMEOUT = 90  # seconds until /api/status answers
ENABLED = os.environ.get("BOOK_LAB_TESTS") == "1"

# Settings of the isolated JupyterLab. Every cell is attached to the page ("none" windowing;
# the default "full" attaches only the cells in view, with the same markup), nothing is saved
# behind the test's back, and nothing is fetched from the network.
USER_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False,
    },
}


def pytest_collection_modifyitems(config, items):
    if ENABLED:
        return
    skip = pytest.mark.skip(reason="JupyterLab browser tests run with BOOK_LAB_TESTS=1 (make lab-test)")
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(skip)


class Timings:
    """Seconds measured during the run, by name; summarised at the end."""

    def __init__(self) -> None:
        self.values: dict[str, list[float]] = {}
        self.started = time.perf_counter()

    def add(self, name: str, seconds: float) -> None:
        self.values.setdefault(name, []).append(seconds)

    def lines(self) -> list[str]:
        out = []
        for name, values in self.values.items():
            if len(values) == 1:
                out.append(f"{name}: {values[0]:.3f} s")
            else:
                out.append(f"{name}: median {statistics.median(values):.3f} s, "
                           f"min {min(values):.3f} s, max {max(values):.3f} s (n={len(values)})")
        return out


TIMINGS = Timings()


@pytest.fixture(scope="session")
def timings() -> Timings:
    return TIMINGS


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not ENABLED or not TIMINGS.values:
        return
    TIMINGS.add("lab tests, total", time.perf_counter() - TIMINGS.started)
    terminalreporter.section("JupyterLab timings")
    for line in TIMINGS.lines():
        terminalreporter.write_line(line)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "timings.json").write_text(json.dumps(TIMINGS.values, indent=1) + "\n")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


class LabServer:
    """A JupyterLab server process this fixture started, and the folder it serves."""

    def __init__(self, home: Path) -> None:
        lab = Path(sys.executable).with_name("jupyter-lab")
        assert lab.exists(), f"JupyterLab is not installed beside {sys.executable} (make env installs it)"
        self.root = home / "root"
        shutil.copytree(ROOT / "chapters", self.root / "chapters",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        # A student's kernel: explorers store their default frame only (see book.viz.explorer).
        env = {k: v for k, v in os.environ.items() if k != "BOOK_EXPLORER_FRAMES"}
        dirs = {name: home / name for name in ("config", "data", "runtime", "workspaces", "ipython")}
        for path in dirs.values():
            path.mkdir()
        settings = dirs["config"] / "lab" / "user-settings"
        for name, values in USER_SETTINGS.items():
            (settings / name).parent.mkdir(parents=True, exist_ok=True)
            (settings / name).write_text(json.dumps(values))
        env.update(
            JUPYTER_CONFIG_DIR=str(dirs["config"]), JUPYTER_DATA_DIR=str(dirs["data"]),
            JUPYTER_RUNTIME_DIR=str(dirs["runtime"]), JUPYTERLAB_WORKSPACES_DIR=str(dirs["workspaces"]),
            JUPYTERLAB_SETTINGS_DIR=str(settings), IPYTHONDIR=str(dirs["ipython"]),
            JUPYTER_PLATFORM_DIRS="1", PYTHONPATH=str(ROOT),
        )
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = home / "lab.log"
        self.log = self.log_path.open("w")
        command = [
            str(lab), "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0", "--IdentityProvider.token=", "--ServerApp.password=",
            "--ServerApp.disable_check_xsrf=True", f"--ServerApp.root_dir={self.root}",
            "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        if os.geteuid() == 0:
            command.append("--allow-root")
        started = time.perf_counter()
        self.process = subprocess.Popen(command, env=env, cwd=self.root, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        while not answers(f"{self.url}/api/status"):
            if self.process.poll() is not None or time.perf_counter() - started > SERVER_START_TIMEOUT:
                self.stop()
                pytest.fail(f"JupyterLab did not start:\n{self.log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        TIMINGS.add("server start (until /api/status answers)", time.perf_counter() - started)

    def api(self, method: str, path: str) -> object:
        request = urllib.request.Request(f"{self.url}{path}", method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shut_down_kernels(self) -> None:
        """End every session (and its kernel), as closing a notebook with its kernel would."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")

    def stop(self) -> None:
        """Shut the server down (kernels first) and make sure its process group is gone."""
        if self.process.poll() is None:
            try:
                self.api("POST", "/api/shutdown")
                self.process.wait(timeout=30)
            except (urllib.error.URLError, OSError, subprocess.TimeoutExpired):
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        try:  # anything left in the group it started (a kernel) goes with it
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.log.close()


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    server = LabServer(tmp_path_factory.mktemp("jupyterlab"))
    yield server
    server.stop()
    assert server.process.returncode is not None, "the JupyterLab server is still running"
    assert not answers(f"{server.url}/api/status"), f"something still answers on {server.url}"


@pytest.fixture(scope="session")
def browser():
    assert CHROMIUM.exists(), "Debian's chromium is required: make chromium (make test runs it) installs it"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
