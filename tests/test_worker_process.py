"""The real `joinedup worker`, killed with SIGKILL mid-batch, sends nothing twice and loses nothing.

A real worker process runs against a real database (a temporary SQLite
file, and PostgreSQL too when DATABASE_URL points at it) and a real SMTP
server on loopback. The server lets four e-mails through and then holds the
fifth in the middle of its conversation: the worker is killed right there,
mid-send. A second worker (`joinedup worker --batch --threads 3`) then
finishes the job. And a worker asked to stop (SIGTERM) mid-send finishes
that e-mail, records it, and stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import Mailbox, free_port
from tests.test_concurrent_answers import _database_urls, _postgres_url

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
JOINEDUP = Path(sys.executable).parent / "joinedup"
PEOPLE = 12
LET_THROUGH = 4

SEED = f"""
from joinedup.partnerships.models import Organisation, Partnership
from joinedup.surveys import services
partnership = Partnership.objects.create(name="Northshire")
organisations = [
    Organisation.objects.create(partnership=partnership, name=f"Organisation {{n}}")
    for n in range(3)
]
survey_round = services.open_round(services.create_round(partnership, "Spring"))
services.add_invitations(
    survey_round,
    [(f"person{{n}}@example.org", organisations[n % 3]) for n in range({PEOPLE})],
)
"""

STATE = """
from joinedup.surveys.models import Invitation
print(Invitation.objects.filter(sent_at__isnull=True).count(),
      Invitation.objects.exclude(send_due="").count())
"""


class HoldingHandler:
    """An SMTP server that accepts `LET_THROUGH` e-mails, then holds the next one mid-way."""

    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox
        self.holding = threading.Event()
        self.released = threading.Event()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if len(self.mailbox.messages) >= LET_THROUGH and not self.released.is_set():
            self.holding.set()
            while not self.released.is_set():
                await asyncio.sleep(0.02)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        from email import message_from_bytes

        self.mailbox.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


def _site(tmp_path: Path, kind: str, mailbox: Mailbox) -> tuple[dict[str, str], Any]:
    """The environment of a worker against a fresh database, and a `joinedup manage` in it."""
    url = (
        f"sqlite:///{tmp_path / 'worker.sqlite3'}"
        if kind == "sqlite"
        else _postgres_url(os.environ.get("TEST_DATABASE_NAME", "joinedup_test") + "_worker")
    )
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DATABASE_URL": url,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
        "EMAIL_HOST": mailbox.host,
        "EMAIL_PORT": str(mailbox.port),
        # A dead worker's task and claim are taken over after a second (default: minutes).
        "TASK_LEASE_SECONDS": "1",
        "SEND_LEASE_SECONDS": "1",
    }

    def manage(*arguments: str) -> str:
        done = subprocess.run(
            [str(JOINEDUP), "manage", *arguments],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""

    return env, manage


@contextlib.contextmanager
def _seeded_site(tmp_path: Path, kind: str) -> Iterator[tuple[Any, Any, dict[str, str], Any]]:
    """A migrated, seeded site whose SMTP server holds the e-mail after LET_THROUGH."""
    mailbox = Mailbox("127.0.0.1", free_port())
    handler = HoldingHandler(mailbox)
    controller = Controller(handler, hostname=mailbox.host, port=mailbox.port)
    controller.start()
    env, manage = _site(tmp_path, kind, mailbox)
    try:
        manage("migrate", "--verbosity", "0")
        manage("shell", "-c", SEED)
        yield mailbox, handler, env, manage
    finally:
        handler.released.set()
        controller.stop()


@pytest.mark.parametrize("kind", _database_urls())
def test_a_worker_killed_mid_batch_sends_nothing_twice_and_loses_nothing(
    tmp_path: Path, kind: str
) -> None:
    with _seeded_site(tmp_path, kind) as (mailbox, handler, env, manage):
        assert manage("shell", "-c", STATE).split() == [str(PEOPLE), str(PEOPLE)]
        log = (tmp_path / "worker.log").open("wb")
        worker = subprocess.Popen(
            [str(JOINEDUP), "worker"],
            env=env,
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            assert handler.holding.wait(120), (tmp_path / "worker.log").read_text()
        finally:
            os.killpg(worker.pid, signal.SIGKILL)  # mid-send: no goodbye, no clean-up
            worker.wait(timeout=30)
        assert len(mailbox.messages) == LET_THROUGH
        handler.released.set()
        # Some were sent and recorded; the rest, the one cut off included, are still owed.
        unsent, owed = map(int, manage("shell", "-c", STATE).split())
        assert unsent == owed == PEOPLE - LET_THROUGH

        import time

        time.sleep(1.5)  # the dead worker's lease runs out
        subprocess.run(
            # Threads of one worker share the queue as processes do: still once each.
            [str(JOINEDUP), "worker", "--batch", "--threads", "3"],
            env=env,
            cwd=tmp_path,
            check=True,
            timeout=300,
            capture_output=True,
        )
        received = Counter(str(message["To"]) for message in mailbox.messages)
        assert received == Counter({f"person{n}@example.org": 1 for n in range(PEOPLE)})
        assert manage("shell", "-c", STATE).split() == ["0", "0"]


@pytest.mark.parametrize("kind", _database_urls())
def test_a_worker_asked_to_stop_finishes_the_e_mail_it_is_sending_then_stops(
    tmp_path: Path, kind: str
) -> None:
    with _seeded_site(tmp_path, kind) as (mailbox, handler, env, manage):
        worker = subprocess.Popen(
            # One thread, so that exactly one e-mail is mid-send when the signal comes.
            [str(JOINEDUP), "worker", "--threads", "1"],
            env=env,
            cwd=tmp_path,
            stdout=(tmp_path / "worker.log").open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            assert handler.holding.wait(120), (tmp_path / "worker.log").read_text()
            os.killpg(worker.pid, signal.SIGTERM)  # as a supervisor stops it
            handler.released.set()  # the held e-mail may now go
            assert worker.wait(timeout=60) == 0, (tmp_path / "worker.log").read_text()
        finally:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
        # The one being sent went and was recorded; nothing more was started.
        assert len(mailbox.messages) == LET_THROUGH + 1
        unsent, owed = map(int, manage("shell", "-c", STATE).split())
        assert unsent == owed == PEOPLE - LET_THROUGH - 1


@pytest.mark.parametrize(("value", "message"), [("0", "0 is too few"), ("many", "'many' is not")])
def test_a_worker_asked_for_no_threads_says_so_instead_of_starting(
    value: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from joinedup.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(["worker", "--threads", value])
    assert stopped.value.code == 2
    assert f"argument --threads: {message}" in capsys.readouterr().err
