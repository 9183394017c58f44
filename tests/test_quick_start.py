"""The README's quick start, run as a newcomer runs it.

`joinedup demo` is started as a subprocess on a free port, in an empty folder
(so it makes its own SQLite database), exactly as `make demo` starts it. The
test waits for the address it prints, signs in over HTTP with the printed
details, opens the partnership overview, the results of a closed round and a
printed survey link, then stops the server. `make demo-cli` is run too.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
JOINEDUP = Path(sys.executable).parent / "joinedup"
STARTUP_SECONDS = 240


class DemoServer:
    """A running `joinedup demo`, with everything it printed so far."""

    def __init__(self, folder: Path, port: int) -> None:
        environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        environment.pop("DJANGO_SETTINGS_MODULE", None)
        environment.pop("SECRET_KEY", None)
        environment.pop("EMAIL_HOST", None)
        self.folder = folder
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [str(JOINEDUP), "demo", "--port", str(port)],
            cwd=folder,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_until_serving(self) -> str:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            found = re.search(r"Joined Up is running at (http://\S+/)", self.output)
            if found:
                return found.group(1)
            if self.process.poll() is not None:
                self._reader.join(timeout=5)
                pytest.fail(f"`joinedup demo` stopped before serving:\n{self.output}")
            time.sleep(0.2)
        pytest.fail(f"`joinedup demo` printed no address in {STARTUP_SECONDS} s:\n{self.output}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=20)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[DemoServer, str]]:
    server = DemoServer(tmp_path, free_port())
    try:
        address = server.wait_until_serving()
        yield server, address
    finally:
        server.stop()


class Browser:
    """Just enough of a browser: cookies, redirects, and forms with a CSRF token."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, url: str) -> tuple[str, str]:
        with self.opener.open(urllib.parse.urljoin(self.address, url), timeout=60) as response:
            assert response.status == 200, (url, response.status)
            return response.geturl(), response.read().decode("utf-8")

    def post(self, url: str, fields: dict[str, str]) -> tuple[str, str]:
        _, page = self.get(url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, f"no CSRF token on {url}"
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields}).encode()
        request = urllib.request.Request(
            urllib.parse.urljoin(self.address, url),
            data=body,
            headers={"Referer": urllib.parse.urljoin(self.address, url)},
        )
        with self.opener.open(request, timeout=60) as response:
            return response.geturl(), response.read().decode("utf-8")


def test_make_demo_serves_a_site_a_newcomer_can_sign_in_to(
    demo: tuple[DemoServer, str],
) -> None:
    server, address = demo
    printed = server.output
    email = re.search(r"Sign in:\s+(\S+)", printed)
    password = re.search(r"Password:\s+(\S+)", printed)
    links = re.findall(r"(http://\S+/s/[\w-]+/)", printed)
    assert email and password, printed
    assert len(links) == 3, printed

    browser = Browser(address)
    landed, page = browser.post(
        "/sign-in/", {"email": email.group(1), "password": password.group(1)}
    )
    assert "/sign-in/" not in landed, "signing in with the printed details failed"
    overview = re.search(r'href="(/partnerships/\d+/)"', page)
    assert overview, page
    _, page = browser.get(overview.group(1))
    assert "Northshire Together" in page
    results = re.search(r'href="(/partnerships/\d+/rounds/\d+/results/)"', page)
    assert results, "the overview links to no closed round's results"
    _, page = browser.get(results.group(1))
    assert "tipping point" in page.lower() or "breaking point" in page.lower()

    respondent = Browser(address)
    _, page = respondent.get(links[0])
    assert "survey" in page.lower()

    # Nothing is e-mailed: the demo says so, and its invitations are in the outbox.
    assert "outbox" in printed
    _, page = browser.get(overview.group(1))
    outbox = re.search(r'href="(/partnerships/\d+/outbox/)"', page)
    assert outbox, "the overview links to no outbox"
    # The worker `joinedup demo` starts beside the server sends the three
    # invitations (each with a link of its own) into the outbox.
    invited = re.findall(r"(demo\.respondent\d@example\.org)", printed)
    assert len(set(invited)) == 3, printed
    deadline = time.monotonic() + 60
    while True:
        _, page = browser.get(outbox.group(1))
        if all(address in page for address in invited) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert "Nothing is sent for real" in page
    assert all(address in page for address in invited), "the demo's worker sent nothing"
    for link in re.findall(r"(http://\S+/s/[\w-]+/)", page)[:3]:
        assert "survey" in Browser(address).get(link)[1].lower()

    # The demo signs with a random key of its own, kept beside its database.
    secret = server.folder / ".joinedup-demo-secret"
    assert len(secret.read_text().strip()) >= 50
    assert secret.stat().st_mode & 0o077 == 0


def test_make_demo_cli_analyses_the_bundled_example(tmp_path: Path) -> None:
    """`make demo-cli`, on a copy of the files it uses."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    # The copy uses this environment's Joined Up: the venv that runs the tests.
    finished = subprocess.run(
        ["make", "--no-print-directory", "-o", "setup", "demo-cli", f"BIN={JOINEDUP.parent}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "respondents" in finished.stdout
    assert (tmp_path / "build" / "northshire-result.json").is_file()
