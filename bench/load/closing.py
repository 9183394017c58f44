"""`make bench-load`, closing part: a round of 100,000 responses closed in the worker.

The goals (issue 12): the close takes at most twice as long as `joinedup
analyse` on the same answers, measured in the same run; the worker's peak
resident memory stays under 1 GiB; other pages keep a p95 under 250 ms while
the round closes.

What it does, on loopback only:
1. `joinedup synth` writes a partnership of BENCH_CLOSE_ORGANISATIONS (40)
   organisations, BENCH_CLOSE_RESPONSES (100,000) respondents and ten ratings
   each (1,000,000), every statement answered or "Don't know", as the
   interchange files (kept in bench/data/, git-ignored, reused);
2. `joinedup analyse` reads those files and writes its JSON result: its wall
   time, start-up included, and peak memory (the child's `ru_maxrss`), the
   best of three runs;
3. the benchmark's own PostgreSQL database is made afresh and the same
   answers are stored in it with COPY (seeding is not timed) as an open
   round's responses (each with its ratings inside), with an invitation for
   each respondent and a quarter as many again who did not answer, each with
   one e-mailed link;
   beside it, another partnership with an open round of its own;
4. `joinedup serve` starts, and `joinedup worker` beside it, as in
   production (`make demo` too): a worker is always running, so a
   facilitator never waits for one to start. The round is asked to close as
   the round page does (`services.close_round`: marked "closing", a task
   queued, which wakes the waiting worker), and the close's time is from
   that request to the round being closed, as the round page would show it;
   the worker's peak resident memory (its `VmHWM`, start-up included) is
   the close's memory. The worker's start-up on its own (`joinedup worker
   --batch` with nothing queued) is printed too, for comparison with
   `analyse`, whose time includes its own start-up;
5. while the round closes, two clients fetch in turn, each pausing 0.1 s
   after each page (about 20 requests a second between them: people using
   the site meanwhile, not a load test), a signed-in page (the other
   partnership's overview) and a survey page of the other round; their p95
   is the figure for "other pages" (the same pages are timed for a few
   seconds before the close, for comparison). Fetching back to back, as
   this benchmark did until session 11 (`BENCH_CLOSE_PAUSE=0`), loads the
   server as much as it will take, and measures that more than the close;
6. checks: the round is closed, with every response and rating kept.

Run it alone with BENCH_PARTS=closing python bench/bench_load.py.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "data"
RESPONSES = int(os.environ.get("BENCH_CLOSE_RESPONSES", "100000"))
ORGANISATIONS = int(os.environ.get("BENCH_CLOSE_ORGANISATIONS", "40"))
RATINGS_EACH = 10
# Invited people who never answered, as a share of those who did.
UNANSWERED = 0.25
BEFORE_SECONDS = 4
ANALYSE_RUNS = 3
# Each page client's pause between requests (BENCH_CLOSE_PAUSE): two clients,
# about 20 requests a second between them, stand for people using the site
# while a round closes (0 fetches back to back, as before session 11).
PAUSE_SECONDS = float(os.environ.get("BENCH_CLOSE_PAUSE", "0.1"))
GOAL_RATIO = 2.0
GOAL_MIB = 1024
GOAL_P95_MS = 250
PASSWORD = "bench password 123"


def synthetic_files(joinedup: str) -> Path:
    """The interchange files, written by `joinedup synth` unless already there."""
    folder = DATA / f"closing-{ORGANISATIONS}-{RESPONSES}"
    marker = folder / "complete"
    if marker.exists():
        return folder
    subprocess.run(
        [joinedup, "synth", str(folder), "--organisations", str(ORGANISATIONS),
         "--respondents", str(RESPONSES), "--ratings-per-respondent", str(RATINGS_EACH),
         "--seed", "12"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    marker.write_text("")
    return folder


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Run a command; (wall seconds, peak resident MiB, exit status)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024, process.returncode


def seed(folder: Path) -> dict[str, Any]:
    """Store the files' answers as an open round (COPY); another partnership beside it."""
    import django

    django.setup()
    import numpy as np
    import pandas as pd
    from django.core.management import call_command
    from django.db import connection, connections
    from django.utils import timezone

    from joinedup.accounts.models import User
    from joinedup.instrument import load_instrument
    from joinedup.partnerships.models import Membership, Organisation, Partnership, Role
    from joinedup.surveys import services
    from joinedup.surveys.models import Invitation, InvitationToken
    from joinedup.surveys.tokens import new_token, token_hash

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    instrument = load_instrument()
    user = User.objects.create_user("bench@example.org", PASSWORD)
    partnership = Partnership.objects.create(name="Large partnership")
    table = pd.read_csv(folder / "organisations.csv")
    organisations = {
        row.organisation: Organisation.objects.create(
            partnership=partnership, name=row.organisation, sector=row.sector,
            budget_gap_pct=row.budget_gap_pct, demand_growth_pct=row.demand_growth_pct,
            vacancy_rate_pct=row.vacancy_rate_pct,
        ).pk
        for row in table.itertuples()
    }  # fmt: skip
    survey_round = services.open_round(services.create_round(partnership, "Large round"))

    people = pd.read_csv(folder / "responses.csv", dtype={"role": str}, keep_default_na=False)
    codes = instrument.item_codes
    values = people[codes].apply(pd.to_numeric, errors="coerce").to_numpy()  # "DK": None
    new_id = {respondent: uuid.uuid4() for respondent in people["respondent_id"]}
    org_ids = people["organisation"].map(organisations).to_numpy()
    now = timezone.now()
    ratings = pd.read_csv(folder / "relationships.csv")
    rating_codes = ["contact", *instrument.rating_codes]
    ratings["partner_id"] = ratings["partner"].map(organisations)
    ratings = ratings.sort_values(["respondent_id", "partner_id"], kind="stable")
    scores = ratings[rating_codes].astype("Int64").to_numpy(na_value=None)
    entries_of: dict[str, list[dict[str, Any]]] = {}
    for place, (respondent, partner) in enumerate(
        zip(ratings["respondent_id"], ratings["partner_id"], strict=True)
    ):
        entry = {"partner": int(partner), **dict(zip(rating_codes, scores[place], strict=True))}
        entries_of.setdefault(respondent, []).append(entry)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        columns = (
            "id, round_id, organisation_id, role, answers, ratings, text_important, "
            "text_sideshow, text_other, imported_id, channel"
        )
        with raw.copy(f"COPY surveys_response ({columns}) FROM STDIN") as copy:
            for place, row in enumerate(people.itertuples(index=False)):
                answers = {
                    code: None if value != value else int(value)
                    for code, value in zip(codes, values[place], strict=True)
                }
                copy.write_row((
                    new_id[row.respondent_id], survey_round.pk, int(org_ids[place]), row.role,
                    json.dumps(answers), json.dumps(entries_of.get(row.respondent_id, [])),
                    row.TEXT_IMPORTANT, row.TEXT_SIDESHOW, row.TEXT_OTHER, "", "invitation",
                ))  # fmt: skip
        invited = len(people) + int(len(people) * UNANSWERED)
        organisation_of = np.concatenate(
            [org_ids, np.resize(org_ids, invited - len(people))]
        )  # fmt: skip
        columns = (
            "round_id, organisation_id, email, token_hash, created_at, sent_at, reminders, done,"
            " send_due, send_attempts, send_error"
        )
        with raw.copy(f"COPY surveys_invitation ({columns}) FROM STDIN") as copy:
            for number in range(invited):
                copy.write_row((
                    survey_round.pk, int(organisation_of[number]), f"person{number}@example.org",
                    secrets.token_hex(32), now, now, 0, number < len(people), "", 0, "",
                ))  # fmt: skip
        cursor.execute(
            "INSERT INTO surveys_invitationtoken (invitation_id, token_hash) "
            "SELECT id, token_hash FROM surveys_invitation WHERE round_id = %s",
            [survey_round.pk],
        )
    with connection.cursor() as cursor:  # as a round open for weeks would be left:
        cursor.execute("VACUUM ANALYZE")  # by autovacuum,
        cursor.execute("CHECKPOINT")  # and by checkpoints (seeding's writes not the close's)

    other = Partnership.objects.create(name="Another partnership")
    Membership.objects.create(partnership=other, user=user, role=Role.FACILITATOR)
    others = [
        Organisation.objects.create(partnership=other, name=f"Other {n}", sector="health")
        for n in range(1, 7)
    ]
    other_round = services.open_round(services.create_round(other, "Other round"))
    token = new_token()
    invitation = Invitation.objects.create(
        round=other_round, organisation=others[0], email="other@example.org",
        token_hash=token_hash(token),
    )  # fmt: skip
    InvitationToken.objects.create(invitation=invitation, token_hash=token_hash(token))
    connections.close_all()
    return {
        "round_id": survey_round.pk,
        "responses": len(people),
        "ratings": len(ratings),
        "pages": [f"/partnerships/{other.pk}/", f"/s/{token}/"],
    }


class Client:
    """Cookies and a CSRF token: just enough to sign in and fetch pages."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def fetch(self, path: str, fields: dict[str, str] | None = None) -> str:
        url = urllib.parse.urljoin(self.address, path)
        body = None
        if fields is not None:
            form = self.fetch(path)
            found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
            assert found, f"no CSRF token on {path}"
            fields = {"csrfmiddlewaretoken": found.group(1), **fields}
            body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(url, data=body, headers={"Referer": url})
        with self.opener.open(request, timeout=60) as response:
            if response.status != 200:
                raise RuntimeError(f"{path} answered {response.status}")
            return str(response.read().decode("utf-8"))


def sample(address: str, pages: list[str], stop: threading.Event, times: list[float]) -> None:
    """Fetch the pages in turn until told to stop; append each one's milliseconds."""
    client = Client(address)
    client.fetch("/sign-in/", {"email": "bench@example.org", "password": PASSWORD})
    while not stop.is_set():
        for page in pages:
            started = time.perf_counter()
            client.fetch(page)
            times.append((time.perf_counter() - started) * 1000)
            stop.wait(PAUSE_SECONDS)


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] if ordered else 0.0


def timed_pages(address: str, pages: list[str], during: Any) -> tuple[list[float], Any]:
    """Two clients fetch the pages while `during()` runs; (milliseconds, what it returned)."""
    stop = threading.Event()
    times: list[float] = []
    clients = [
        threading.Thread(target=sample, args=(address, pages, stop, times)) for _ in range(2)
    ]
    for client in clients:
        client.start()
    try:
        outcome = during()
    finally:
        stop.set()
        for client in clients:
            client.join()
    return times, outcome


def closed_after_request(round_id: int) -> float:
    """Ask for the round's close as the round page does; seconds until it is closed."""
    from django.db import connections

    from joinedup.surveys import services
    from joinedup.surveys.models import Round, RoundStatus

    started = time.perf_counter()
    services.close_round(Round.objects.get(pk=round_id))
    while Round.objects.filter(pk=round_id, status=RoundStatus.CLOSING).exists():
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    connections.close_all()
    return seconds


def peak_mib(pid: int) -> float:
    """A running process's peak resident memory so far (Linux's VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no peak memory for process {pid}")


def run(load: ModuleType) -> int:
    """The closing benchmark; `load` is bench_load (its database, server and environment)."""
    joinedup = str(load.BIN / "joinedup")
    folder = synthetic_files(joinedup)
    # One client fetches the same survey link over and over: not an attack here.
    os.environ.setdefault("RATE_LIMIT_SURVEY", "1000000")
    env = load.environment()
    print(f"\nClosing: analysing {folder} with `joinedup analyse`…", flush=True)
    result_file = folder.parent / f"{folder.name}-result.json"
    # The best of three: the yardstick at its quickest, so that a busy moment
    # never flatters the ratio.
    analyse = min(
        (timed(
            [joinedup, "analyse", str(folder / "responses.csv"),
             "--relationships", str(folder / "relationships.csv"),
             "--organisations", str(folder / "organisations.csv"), "--json", str(result_file)],
            env,
        ) for _ in range(ANALYSE_RUNS)),
        key=lambda run: run[0],
    )  # fmt: skip
    print(f"Closing: seeding {load.DATABASE_URL}…", flush=True)
    load.fresh_database()
    os.environ.update(env)
    sys.path[:0] = [str(HERE), str(HERE.parent.parent / "src")]
    seeded = seed(folder)
    port = load.free_port()
    log = Path(folder.parent / "closing-server.log")
    servers = load.start_servers([port], log)
    address = f"http://127.0.0.1:{port}"
    from django.db import connections

    from joinedup.surveys import ratings
    from joinedup.surveys.models import Response, Round

    startup = timed([joinedup, "worker", "--batch"], env)  # nothing queued: start-up alone
    with (folder.parent / "closing-worker.log").open("w") as worker_log:
        worker = subprocess.Popen(
            [joinedup, "worker"], env=env, stdout=worker_log, stderr=subprocess.STDOUT
        )
    try:
        # The worker starts while the pages are timed before the close.
        before, _ = timed_pages(address, seeded["pages"], lambda: time.sleep(BEFORE_SECONDS))
        print("Closing: closing the round in the running `joinedup worker`…", flush=True)
        during, seconds = timed_pages(
            address, seeded["pages"], lambda: closed_after_request(seeded["round_id"])
        )
        close = (seconds, peak_mib(worker.pid), worker.poll() or 0)
    finally:
        worker.terminate()
        worker.wait()
        load.stop(servers)
    survey_round = Round.objects.get(pk=seeded["round_id"])
    kept = (
        Response.objects.filter(round=survey_round).count(),
        ratings.count_in_round(survey_round.pk),
    )
    connections.close_all()
    ratio = close[0] / analyse[0]
    print("\n" + "-" * 78)
    print(f"Closing a round of {seeded['responses']:,} responses and {seeded['ratings']:,} "
          f"ratings, {ORGANISATIONS} organisations, PostgreSQL, {os.cpu_count()} CPUs")  # fmt: skip
    print(f"  joinedup analyse (same answers, files)  {analyse[0]:7.1f} s  {analyse[1]:6.0f} MiB")
    print(f"  close in the worker, request to results {close[0]:7.1f} s  {close[1]:6.0f} MiB")
    print(f"  (worker start-up alone, not in the close {startup[0]:7.1f} s)")
    print(f"  ratio close / analyse                   {ratio:7.2f}    (goal <= {GOAL_RATIO})")
    print(f"  worker peak memory                      {close[1]:7.0f} MiB  (goal < {GOAL_MIB})")
    print(f"  other pages p95 during the close        {p95(during):7.0f} ms   "
          f"(goal < {GOAL_P95_MS}; {len(during)} requests; before the close "
          f"{p95(before):.0f} ms)")  # fmt: skip
    failed = analyse[2] != 0 or close[2] != 0
    if survey_round.status != "closed" or kept != (seeded["responses"], seeded["ratings"]):
        print(f"  INTEGRITY FAILED: round {survey_round.status}, {kept} kept "
              f"({survey_round.close_error})")  # fmt: skip
        failed = True
    met = ratio <= GOAL_RATIO and close[1] < GOAL_MIB and p95(during) < GOAL_P95_MS
    print(f"  goals: {'met' if met else 'NOT met'}")
    return 1 if failed else 0
