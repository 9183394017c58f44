"""`make bench-load`, invitations part: national-scale inviting, sending and the round page.

Three figures, each against its goal (issue 12), on PostgreSQL and loopback only:

1. one request that uploads a CSV file of BENCH_UPLOAD_PEOPLE (default 20,000)
   people on a round's invite page: seconds, goal under 2 s. The request only
   stores the invitations and queues one task per e-mail; the bench checks
   that no link was made and no e-mail went during it;
2. one real `joinedup worker --threads BENCH_WORKER_THREADS` (default 8)
   process delivering those e-mails to a real SMTP server (aiosmtpd, in this
   process) for BENCH_SEND_SECONDS (default 30):
   e-mails a second, goal 100 or more; every one delivered once and recorded
   as sent;
3. the facilitator's round page with BENCH_PAGE_INVITATIONS (default 100,000)
   invitations in the round (the rest seeded by SQL, not timed), requested
   BENCH_PAGE_REQUESTS times (default 40) with a signed-in session: p50/p95
   ms, goal p95 under 300 ms; a search and a far page are timed too.

It uses a fresh database of its own (BENCH_DATABASE_URL, the same as the
survey part, which has finished with it). Run only this part with
BENCH_PARTS=invitations (the default runs every part), e.g.
`BENCH_PARTS=invitations PYTHONPATH=src python bench/bench_load.py`.
"""

from __future__ import annotations

import io
import os
import re
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import requests

UPLOAD_PEOPLE = int(os.environ.get("BENCH_UPLOAD_PEOPLE", "20000"))
SEND_SECONDS = int(os.environ.get("BENCH_SEND_SECONDS", "30"))
PAGE_INVITATIONS = int(os.environ.get("BENCH_PAGE_INVITATIONS", "100000"))
PAGE_REQUESTS = int(os.environ.get("BENCH_PAGE_REQUESTS", "40"))
WORKER_THREADS = int(os.environ.get("BENCH_WORKER_THREADS", "8"))
GOAL_UPLOAD_SECONDS = 2.0
GOAL_EMAILS_PER_SECOND = 100.0
GOAL_PAGE_P95_MS = 300.0
ORGANISATIONS = [f"Organisation {n}" for n in range(1, 7)]
EMAIL = "facilitator@example.org"
PASSWORD = "a long benchmark password"


class Delivered:
    """What the SMTP server accepted: how many, to whom, and when the first and last came."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0
        self.recipients: set[str] = set()
        self.twice = 0
        self.first = 0.0
        self.last = 0.0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        now = time.monotonic()
        with self.lock:
            self.count += 1
            self.first = self.first or now
            self.last = now
            for address in envelope.rcpt_tos:
                if address in self.recipients:
                    self.twice += 1
                self.recipients.add(address)
        return "250 Message accepted for delivery"


def _django(base: ModuleType) -> None:
    """A fresh database, migrated; Django set up in this process for seeding and checks."""
    import sys

    base.fresh_database()
    os.environ.update(base.environment())
    for path in (str(base.HERE / "load"), str(base.ROOT / "src")):
        if path not in sys.path:
            sys.path.insert(0, path)
    import django
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    django.setup()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def _seed() -> tuple[int, int]:
    """A partnership of six organisations, its facilitator, and an open round: their ids."""
    from django.db import connections

    from joinedup.accounts.models import User
    from joinedup.partnerships.models import Membership, Organisation, Partnership, Role
    from joinedup.surveys import services

    partnership = Partnership.objects.create(name="National Invitations Benchmark")
    for name in ORGANISATIONS:
        Organisation.objects.create(partnership=partnership, name=name)
    user = User.objects.create_user(EMAIL, PASSWORD)
    Membership.objects.create(partnership=partnership, user=user, role=Role.FACILITATOR)
    survey_round = services.open_round(services.create_round(partnership, "National round"))
    connections.close_all()
    return partnership.pk, survey_round.pk


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=60)
    page.raise_for_status()
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if not found:
        raise SystemExit(f"no CSRF token on {url}")
    return found.group(1)


def _sign_in(host: str) -> requests.Session:
    session = requests.Session()
    token = _csrf(session, f"{host}/sign-in/")
    answer = session.post(
        f"{host}/sign-in/",
        data={"csrfmiddlewaretoken": token, "email": EMAIL, "password": PASSWORD},
        headers={"Referer": f"{host}/sign-in/"},
        allow_redirects=False,
        timeout=60,
    )
    if answer.status_code != 302:
        raise SystemExit(f"signing in failed ({answer.status_code})")
    return session


def _people_file(count: int) -> bytes:
    lines = ["email,organisation"]
    lines += [
        f"person{n}@example.org,{ORGANISATIONS[n % len(ORGANISATIONS)]}" for n in range(count)
    ]
    return ("\n".join(lines) + "\n").encode()


def _upload(session: requests.Session, url: str) -> float:
    """Post the file of people once; the request's seconds."""
    token = _csrf(session, url)
    body = _people_file(UPLOAD_PEOPLE)
    started = time.perf_counter()
    answer = session.post(
        url,
        data={"csrfmiddlewaretoken": token, "people": ""},
        files={"upload": ("people.csv", io.BytesIO(body), "text/csv")},
        headers={"Referer": url},
        allow_redirects=False,
        timeout=300,
    )
    seconds = time.perf_counter() - started
    if answer.status_code != 302:
        raise SystemExit(f"the upload was refused ({answer.status_code}): {answer.text[:2000]}")
    return seconds


def _queued(round_id: int) -> dict[str, int]:
    from django.db import connections
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from joinedup.surveys.models import Invitation, InvitationToken

    counts = {
        "invitations": Invitation.objects.filter(round_id=round_id).count(),
        "owed": Invitation.objects.filter(round_id=round_id).exclude(send_due="").count(),
        "sent": Invitation.objects.filter(round_id=round_id, sent_at__isnull=False).count(),
        "links": InvitationToken.objects.filter(invitation__round_id=round_id).count(),
        "tasks": DBTaskResult.objects.filter(status=TaskResultStatus.READY).count(),
    }
    connections.close_all()
    return counts


def _send(base: ModuleType, port: int, folder: Path) -> tuple[subprocess.Popen[bytes], float]:
    worker = subprocess.Popen(
        [str(base.BIN / "joinedup"), "worker", "--threads", str(WORKER_THREADS)],
        env=base.environment({"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)}),
        stdout=(folder / "worker.log").open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return worker, time.monotonic()


def _stop_worker(worker: subprocess.Popen[bytes]) -> None:
    """Ask the worker to stop after its current task, as a supervisor would."""
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


def _fill(partnership_id: int, round_id: int, total: int) -> None:
    """Bring the round to `total` invitations by SQL (seeding is not what is measured)."""
    from django.db import connection, connections

    from joinedup.partnerships.models import Organisation

    organisations = list(
        Organisation.objects.filter(partnership_id=partnership_id).values_list("pk", flat=True)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO surveys_invitation (round_id, organisation_id, email, token_hash,
                created_at, sent_at, reminders, done, send_due, send_attempts, send_error)
            SELECT %s, (%s::bigint[])[1 + n %% %s], 'seeded' || n || '@example.org',
                md5('seeded' || n) || md5(n || 'seeded'), now(),
                CASE WHEN n %% 10 = 0 THEN NULL ELSE now() END, 0, n %% 3 = 0,
                CASE WHEN n %% 10 = 0 THEN 'invite' ELSE '' END, 0, ''
            FROM generate_series(1, %s - (SELECT count(*) FROM surveys_invitation
                                         WHERE round_id = %s)) AS n
            """,
            [round_id, organisations, len(organisations), total, round_id],
        )
        cursor.execute("ANALYZE surveys_invitation")
    connections.close_all()


def _timed(session: requests.Session, url: str, times: int) -> list[float]:
    session.get(url, timeout=60).raise_for_status()  # warm
    took = []
    for _ in range(times):
        started = time.perf_counter()
        answer = session.get(url, timeout=60)
        took.append((time.perf_counter() - started) * 1000)
        answer.raise_for_status()
    return took


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(base: ModuleType) -> int:
    """The invitations part of `make bench-load`; 1 when a check of integrity failed."""
    from aiosmtpd.controller import Controller

    folder = Path(tempfile.mkdtemp(prefix="joinedup-bench-invitations-"))
    print(f"\nInvitations: seeding a fresh {base.DATABASE_URL}…", flush=True)
    _django(base)
    partnership_id, round_id = _seed()
    delivered = Delivered()
    smtp_port = base.free_port()
    smtp = Controller(delivered, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    port = base.free_port()
    servers = base.start_servers([port], folder / "server.log")
    host = f"http://127.0.0.1:{port}"
    round_url = f"{host}/partnerships/{partnership_id}/rounds/{round_id}/"
    failed = False
    try:
        session = _sign_in(host)
        upload_seconds = _upload(session, f"{round_url}invite/")
        after_upload = _queued(round_id)
        if (
            after_upload["invitations"] != UPLOAD_PEOPLE
            or after_upload["tasks"] != UPLOAD_PEOPLE
            or after_upload["links"]
            or delivered.count
        ):
            print(f"  UPLOAD FAILED its checks: {after_upload}, {delivered.count} e-mails")
            failed = True

        worker, _ = _send(base, smtp_port, folder)
        time.sleep(SEND_SECONDS)
        _stop_worker(worker)
        after_sending = _queued(round_id)
        window = delivered.last - delivered.first
        rate = (delivered.count - 1) / window if delivered.count > 1 and window else 0.0
        if after_sending["sent"] != delivered.count or delivered.twice:
            print(f"  SENDING FAILED its checks: {after_sending['sent']} recorded as sent, "
                  f"{delivered.count} delivered, {delivered.twice} twice")  # fmt: skip
            failed = True

        _fill(partnership_id, round_id, PAGE_INVITATIONS)
        page = _timed(session, round_url, PAGE_REQUESTS)
        search = _timed(session, f"{round_url}?q=person1234", max(5, PAGE_REQUESTS // 4))
        far = _timed(session, f"{round_url}?page=1500", max(5, PAGE_REQUESTS // 4))
        invited = _queued(round_id)["invitations"]
    finally:
        base.stop(servers)
        smtp.stop()

    print("\n" + "-" * 78)
    print(f"Invitations at national scale, PostgreSQL, {os.cpu_count()} CPUs")
    met = upload_seconds < GOAL_UPLOAD_SECONDS
    print(f"  upload of {UPLOAD_PEOPLE:,} people, one request: {upload_seconds:.2f} s "
          f"(goal < {GOAL_UPLOAD_SECONDS:g} s: {'met' if met else 'NOT met'}); "
          f"{after_upload['tasks']:,} e-mails queued, no link made, none sent")  # fmt: skip
    met = rate >= GOAL_EMAILS_PER_SECOND
    print(f"  one worker ({WORKER_THREADS} threads) to a local SMTP server: {rate:.0f} e-mails/s "
          f"({delivered.count:,} in {SEND_SECONDS} s; goal >= {GOAL_EMAILS_PER_SECOND:g}: "
          f"{'met' if met else 'NOT met'}); each recorded as sent once")  # fmt: skip
    print(f"  round page at {invited:,} invitations, {PAGE_REQUESTS} requests:")
    for name, took in (("page", page), ("search", search), ("page 1500", far)):
        p50, p95 = statistics.median(took), _percentile(took, 0.95)
        goal = f" (goal p95 < {GOAL_PAGE_P95_MS:g} ms: " + (
            "met)" if p95 < GOAL_PAGE_P95_MS else "NOT met)"
        )
        print(f"    {name:<10} p50 {p50:6.0f} ms  p95 {p95:6.0f} ms{goal}")
    print(f"  (server and worker logs in {folder})")
    return 1 if failed else 0
