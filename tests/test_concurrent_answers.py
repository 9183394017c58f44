"""Many people answering at once, through the real server (`joinedup serve`).

On a temporary SQLite database (the embedded default), and again on
PostgreSQL when DATABASE_URL points at it (a database of the test's own
on that server): 150 people send complete surveys at the same moment, and
one link open in two browsers saves pages in parallel and races the submit.
On PostgreSQL the same runs once more against two server processes, as
docs/operations.md says to run a site: every request goes to the other
process from the one before (a proxy spreading requests), so nothing a
respondent needs may be kept in a process.
"""

from __future__ import annotations

import http.cookiejar
import itertools
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
JOINEDUP = Path(sys.executable).parent / "joinedup"
PEOPLE = 150

SEED = """
from joinedup.partnerships.models import Organisation, Partnership
from joinedup.surveys import services
from joinedup.surveys.models import Invitation
from joinedup.surveys.tokens import new_token, token_hash
partnership = Partnership.objects.create(name="Concurrency")
organisations = [
    Organisation.objects.create(partnership=partnership, name=f"Organisation {n}")
    for n in range(3)
]
survey_round = services.open_round(services.create_round(partnership, "Busy hour"))
tokens = [new_token() for _ in range(PEOPLE_COUNT)]
Invitation.objects.bulk_create(
    Invitation(round=survey_round, organisation=organisations[n % 3],
               email=f"p{n}@example.org", token_hash=token_hash(t))
    for n, t in enumerate(tokens)
)
print(" ".join(tokens))
"""

COUNT = """
from joinedup.surveys.models import Draft, Invitation, Response
print(Response.objects.count(), Invitation.objects.filter(done=True).count())
d = Draft.objects.first()
import json
print(json.dumps(d.answers if d else None))
"""


def _database_urls() -> list[str]:
    urls = ["sqlite"]
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        urls += ["postgres", "postgres, two processes"]
    return urls


def _postgres_url(name: str) -> str:
    import psycopg

    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    with psycopg.connect(base + "/postgres", autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


class Server:
    def __init__(self, folder: Path, kind: str) -> None:
        if kind == "sqlite":
            url = f"sqlite:///{folder / 'answers.sqlite3'}"
        else:
            url = _postgres_url(os.environ.get("TEST_DATABASE_NAME", "joinedup_test") + "_serve")
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}},
            "DATABASE_URL": url,
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
            "RATE_LIMIT_SURVEY": "100000",
            # A production-like server: it refuses to start without a key of its own.
            "SECRET_KEY": secrets.token_urlsafe(50),
        }
        self.folder = folder
        self.manage("migrate", "--verbosity", "0")
        self.manage("createcachetable")
        self.tokens = self.shell(SEED.replace("PEOPLE_COUNT", str(PEOPLE))).split()
        self.processes: list[subprocess.Popen[bytes]] = []
        self.logs: list[Path] = []
        self.addresses: list[str] = []
        for number in range(2 if kind.endswith("two processes") else 1):
            port = free_port()
            self.logs.append(folder / f"server-{number}.log")
            self.processes.append(
                subprocess.Popen(
                    [str(JOINEDUP), "serve", "--port", str(port), "--threads", "8"],
                    env=self.env,
                    cwd=folder,
                    stdout=subprocess.DEVNULL,
                    stderr=self.logs[-1].open("wb"),
                    start_new_session=True,
                )
            )
            self.addresses.append(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 60
        for address in self.addresses:
            while True:
                try:
                    urllib.request.urlopen(address + "/privacy/", timeout=2).read()
                    break
                except OSError:
                    assert time.monotonic() < deadline, self.errors
                    time.sleep(0.2)

    def manage(self, *arguments: str) -> None:
        subprocess.run(
            [str(JOINEDUP), "manage", *arguments], env=self.env, cwd=self.folder, check=True
        )

    def shell(self, code: str) -> str:
        done = subprocess.run(
            [str(JOINEDUP), "manage", "shell", "--no-imports", "-c", code],
            env=self.env,
            cwd=self.folder,
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout

    def stop(self) -> None:
        for process in self.processes:
            os.killpg(process.pid, signal.SIGINT)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    @property
    def errors(self) -> str:
        return "".join(log.read_text() for log in self.logs)


@pytest.fixture(params=_database_urls())
def server(request, tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path, request.param)
    try:
        yield running
    finally:
        running.stop()


class Respondent:
    """A browser of its own, with a cookie jar (the survey sets no cookie, and needs none).

    With several server processes, each request goes to the next one in turn.
    """

    def __init__(self, addresses: list[str]) -> None:
        self.addresses = itertools.cycle(addresses)
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(next(self.addresses) + path))

    def post(self, path: str, fields: dict[str, object]) -> tuple[int, str]:
        body = urllib.parse.urlencode(fields, doseq=True)
        return self._open(urllib.request.Request(next(self.addresses) + path, data=body.encode()))

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _answer_all(person: Respondent, token: str) -> list[int]:
    from joinedup.instrument import load_instrument

    instrument = load_instrument()
    base = f"/s/{token}"
    codes = [person.get(f"{base}/")[0], person.post(f"{base}/", {})[0]]
    codes.append(person.post(f"{base}/about/", {"role": instrument.roles[0].code})[0])
    for number, scale in enumerate(instrument.scales, start=1):
        codes.append(person.post(f"{base}/statements/{number}/", dict.fromkeys(scale.items, 4))[0])
    codes.append(person.post(f"{base}/partners/", {})[0])
    codes.append(person.post(f"{base}/comments/", {})[0])
    return codes


def test_150_people_sending_at_once_are_all_stored_once_each(server: Server) -> None:
    outcomes: dict[str, list[int]] = {}
    ready = threading.Barrier(PEOPLE)

    def person(token: str) -> None:
        browser = Respondent(server.addresses)
        try:
            codes = _answer_all(browser, token)
            ready.wait(timeout=300)  # everyone presses "Send" at the same moment
            codes.append(browser.post(f"/s/{token}/check/", {})[0])
        except Exception as error:  # recorded, and the others are let go
            ready.abort()
            codes = [-1, repr(error)]  # type: ignore[list-item]
        outcomes[token] = codes

    threads = [threading.Thread(target=person, args=(t,)) for t in server.tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert len(outcomes) == PEOPLE
    bad = {t: c for t, c in outcomes.items() if c[0] != 200 or any(x != 302 for x in c[1:])}
    assert not bad, (list(bad.values())[:3], server.errors[-3000:])
    assert "database is locked" not in server.errors
    stored, done = map(int, server.shell(COUNT).split("\n")[0].split())
    assert (stored, done) == (PEOPLE, PEOPLE)


def test_one_link_in_two_browsers_keeps_both_tabs_pages_and_a_late_save_gets_a_message(
    server: Server,
) -> None:
    from joinedup.instrument import load_instrument

    scales = load_instrument().scales
    token = server.tokens[0]
    first = Respondent(server.addresses)
    first.get(f"/s/{token}/")
    first.post(f"/s/{token}/", {})
    second = Respondent(server.addresses)
    second.get(f"/s/{token}/")
    statuses: list[int] = []

    def save(browser: Respondent, number: int, answer: int) -> None:
        fields = dict.fromkeys(scales[number - 1].items, answer)
        statuses.append(browser.post(f"/s/{token}/statements/{number}/", fields)[0])

    # Each round: the two tabs save different pages at the same moment.
    threads = []
    for repeat in range(10):
        for number in range(1, len(scales) + 1):
            browser = first if number % 2 else second
            answer = 1 + (number + repeat) % 5
            threads.append(threading.Thread(target=save, args=(browser, number, answer)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert statuses and set(statuses) == {302}
    import json

    answers = json.loads(server.shell(COUNT).split("\n")[1])
    for number, scale in enumerate(scales, start=1):
        for code in scale.items:  # every page of both tabs is in the draft
            assert code in answers["items"], (number, code)
    # Sending from one tab while the other saves: one is sent, the late save gets a message.
    first.post(f"/s/{token}/partners/", {})
    first.post(f"/s/{token}/comments/", {})
    results: dict[str, tuple[int, str]] = {}

    def send() -> None:
        results["send"] = first.post(f"/s/{token}/check/", {})

    def late_save() -> None:
        time.sleep(0.05)
        results["save"] = second.post(
            f"/s/{token}/statements/1/", dict.fromkeys(scales[0].items, 2)
        )

    racers = [threading.Thread(target=send), threading.Thread(target=late_save)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=60)
    assert results["send"][0] == 302
    # Saved just before the sending (and sent with it), or told kindly it came too late.
    assert results["save"][0] in {200, 302, 409}
    if results["save"][0] != 302:
        assert "already been sent" in results["save"][1]
    assert "Traceback" not in server.errors
    stored, _ = map(int, server.shell(COUNT).split("\n")[0].split())
    assert stored == 1
    assert re.search(r"\S", server.shell(COUNT).split("\n")[1])  # "null": no draft left
