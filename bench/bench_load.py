"""`make bench-load`: survey pages under load, against a bare Django view, same run.

What it does, on loopback only:
1. makes a PostgreSQL database of its own (BENCH_DATABASE_URL, default
   joinedup_bench on 127.0.0.1), migrates it and seeds a partnership of six
   organisations, an open round and BENCH_INVITATIONS invitations whose
   tokens only this script knows;
2. starts `joinedup serve` on a free port (BENCH_SERVERS processes, each with
   BENCH_THREADS threads; in production a proxy spreads requests over
   several processes, here each locust user is given one of them), with the
   cache and rate limits in Redis when one answers at BENCH_REDIS_URL;
3. runs locust headless, for BENCH_SECONDS (default 15) per level, at 8, 32
   and 64 concurrent respondents (BENCH_LEVELS), each playing whole journeys
   from opening the link to sending; then the same for a bare Django view;
4. prints requests a second, p50/p95/p99 per kind of request, the server
   processes' processor time per request of each kind (from /proc: the
   figure that does not depend on what else the machine runs), the ratio of
   survey to bare throughput, and checks integrity: no server errors, and
   exactly one stored response per completed submission.

Then the other parts, chosen by BENCH_PARTS (default
"survey,invitations,closing"): the invitations part (bench/load/invitations.py):
20,000 people uploaded in one request, one worker's e-mails a second, the round
page at 100,000; and the closing part (bench/load/closing.py): a round of
100,000 responses closed in the worker and compared with `joinedup analyse` on
the same answers.

Run it with PYTHONPATH=src (or an installed joinedup): python bench/bench_load.py
"""

from __future__ import annotations

import csv
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/joinedup_bench"
)
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
BARE_SECONDS = int(os.environ.get("BENCH_BARE_SECONDS", str(max(5, SECONDS * 2 // 3))))
LEVELS = [int(n) for n in os.environ.get("BENCH_LEVELS", "8,32,64").split(",")]
INVITATIONS = int(os.environ.get("BENCH_INVITATIONS", "4000"))
THREADS = int(os.environ.get("BENCH_THREADS", "8"))
SERVERS = int(os.environ.get("BENCH_SERVERS", "1"))
# The cache and rate limits in Redis, as in production, when one answers here
# (BENCH_REDIS_URL=none measures the database's counters instead).
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
GOAL_P95_MS = 250
GOAL_RATIO = 0.25
# Which parts run: survey journeys, invitations, closing a large round.
PARTS = os.environ.get("BENCH_PARTS", "survey,invitations,closing").split(",")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# The server runs as in production, which refuses to start without a key.
SECRET_KEY = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50)


def redis_answers() -> bool:
    if REDIS_URL == "none":
        return False
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping())
    except Exception:  # no Redis here: the database's counters are measured
        return False


USE_REDIS = redis_answers()


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    paths = [str(HERE / "load"), str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]
    return {
        **os.environ,
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": DATABASE_URL,
        "DJANGO_SETTINGS_MODULE": "site_with_bare_view",
        "PYTHONPATH": os.pathsep.join(p for p in paths if p),
        "SITE_URL": "http://127.0.0.1",
        "REDIS_URL": REDIS_URL if USE_REDIS else "",
        **(extra or {}),
    }


def fresh_database() -> None:
    """Drop and create the benchmark's own database (never another one)."""
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    server = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def seed(tokens_file: Path) -> int:
    """Migrate and seed; write the invitation tokens; return the round's id."""
    os.environ.update(environment())
    # The same code as the server under test: this checkout's src, then bench/load.
    sys.path[:0] = [str(HERE / "load"), str(ROOT / "src")]
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from joinedup.partnerships.models import Organisation, Partnership
    from joinedup.surveys import services
    from joinedup.surveys.models import Invitation
    from joinedup.surveys.tokens import new_token, token_hash

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    partnership = Partnership.objects.create(name="Benchmark Partnership")
    organisations = [
        Organisation.objects.create(partnership=partnership, name=f"Organisation {n}")
        for n in range(1, 7)
    ]
    survey_round = services.open_round(services.create_round(partnership, "Load test"))
    tokens = [new_token() for _ in range(INVITATIONS)]
    Invitation.objects.bulk_create(
        Invitation(
            round=survey_round,
            organisation=organisations[n % len(organisations)],
            email=f"person{n}@example.org",
            token_hash=token_hash(token),
        )
        for n, token in enumerate(tokens)
    )
    tokens_file.write_text("\n".join(tokens))
    connections.close_all()
    return survey_round.pk


def stored(round_id: int) -> tuple[int, int]:
    from django.db import connections

    from joinedup.surveys.models import Invitation, Response

    counts = (
        Response.objects.filter(round_id=round_id).count(),
        Invitation.objects.filter(round_id=round_id, done=True).count(),
    )
    connections.close_all()
    return counts


def start_servers(ports: list[int], log: Path) -> list[subprocess.Popen[bytes]]:
    servers = []
    for port in ports:
        servers.append(
            subprocess.Popen(
                [str(BIN / "joinedup"), "serve", "--port", str(port), "--threads", str(THREADS)],
                env=environment(),
                stdout=log.open("ab"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    for port in ports:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare/", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    stop(servers)
                    raise SystemExit(f"the server did not start:\n{log.read_text()}") from None
                time.sleep(0.3)
    return servers


def stop(servers: list[subprocess.Popen[bytes]]) -> None:
    for server in servers:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGINT)
    for server in servers:
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def run_locust(kind: str, users: int, seconds: int, host: str, folder: Path, tokens: Path) -> dict:
    """One bounded locust run; survey journeys under way at the end are let finish."""
    prefix = folder / f"{kind}-{users}"
    sent_file = folder / f"{kind}-{users}.sent"
    subprocess.run(
        [
            str(BIN / "locust"), "-f", str(HERE / "load" / "locustfile.py"), "--headless",
            "--users", str(users), "--spawn-rate", str(users),
            "--run-time", f"{seconds}s",
            "--host", host, "--csv", str(prefix), "--only-summary", "--loglevel", "ERROR",
            "--stop-timeout", "0",
        ],
        env=environment({"BENCH_KIND": kind, "BENCH_TOKENS": str(tokens),
                         "BENCH_SENT": str(sent_file)}),
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=(folder / "locust.log").open("ab"),
        timeout=seconds + 60,
    )  # fmt: skip
    rows = list(csv.DictReader((folder / f"{prefix.name}_stats.csv").open()))
    failures = list(csv.DictReader((folder / f"{prefix.name}_failures.csv").open()))
    attempted, sent = map(int, sent_file.read_text().split()) if sent_file.exists() else (0, 0)
    return {"rows": rows, "failures": failures, "sent": sent, "attempted": attempted}


def processor_seconds(servers: list[subprocess.Popen[bytes]]) -> float:
    """User and system processor time the server processes have used so far (Linux /proc)."""
    total = 0
    for server in servers:
        try:
            fields = Path(f"/proc/{server.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # not Linux: the column stays empty
            return float("nan")
        total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


def measured(kind: str, users: int, seconds: int, host: str, folder: Path, tokens: Path,
             servers: list[subprocess.Popen[bytes]]) -> dict:  # fmt: skip
    """A locust run, with the servers' processor time for each request it made."""
    before = processor_seconds(servers)
    result = run_locust(kind, users, seconds, host, folder, tokens)
    used = processor_seconds(servers) - before
    total = next(r for r in result["rows"] if r["Name"] == "Aggregated")
    count = int(total["Request Count"])
    result["cpu_ms"] = 1000 * used / count if count else float("nan")
    return result


def show(kind: str, users: int, result: dict) -> dict:
    total = next(r for r in result["rows"] if r["Name"] == "Aggregated")
    print(f"\n{kind} at {users} concurrent users")
    print(f"  {'request':<24}{'count':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for row in result["rows"]:
        print(
            f"  {row['Name']:<24}{int(row['Request Count']):>8}{float(row['Requests/s']):>9.1f}"
            f"{row['50%']:>9}{row['95%']:>9}{row['99%']:>9}"
        )
    for failure in result["failures"]:
        print(f"  FAILED {failure['Occurrences']}x {failure['Name']}: {failure['Error']}")
    return {
        "rps": float(total["Requests/s"]),
        "p95": float(total["95%"] or 0),
        "failures": int(total["Failure Count"]),
        "sent": result["sent"],
        "attempted": result.get("attempted", 0),
        "cpu_ms": result.get("cpu_ms", float("nan")),
    }


def main() -> int:
    failed = survey_load() if "survey" in PARTS else 0
    sys.path.insert(0, str(HERE / "load"))
    if "invitations" in PARTS:
        import invitations

        failed |= invitations.run(sys.modules[__name__])
    if "closing" in PARTS:
        import closing

        failed |= closing.run(sys.modules[__name__])
    return failed


def survey_load() -> int:
    folder = Path(tempfile.mkdtemp(prefix="joinedup-bench-load-"))
    tokens = folder / "tokens.txt"
    print(f"Seeding {DATABASE_URL} with {INVITATIONS} invitations…", flush=True)
    fresh_database()
    round_id = seed(tokens)
    ports = [free_port() for _ in range(SERVERS)]
    servers = start_servers(ports, folder / "server.log")
    # With several processes, locust spreads users over them (a proxy's job).
    host = f"http://127.0.0.1:{ports[0]}"
    os.environ["BENCH_HOSTS"] = ",".join(f"http://127.0.0.1:{port}" for port in ports)
    summary = []
    try:
        every = tokens.read_text().split()
        each = len(every) // len(LEVELS)
        for level, users in enumerate(LEVELS):
            # Each run gets invitations of its own: a used link only says "already sent".
            share = folder / f"tokens-{users}.txt"
            share.write_text("\n".join(every[level * each : (level + 1) * each]))
            survey = show("Survey journeys", users, measured(
                "survey", users, SECONDS, host, folder, share, servers))  # fmt: skip
            bare = show("Bare Django view", users, measured(
                "bare", users, BARE_SECONDS, host, folder, tokens, servers))  # fmt: skip
            summary.append((users, survey, bare))
    finally:
        stop(servers)
    responses, done = stored(round_id)
    sent = sum(s["sent"] for _, s, _ in summary)
    attempted = sum(s["attempted"] for _, s, _ in summary)
    print("\n" + "-" * 78)
    print(f"Survey load, {SERVERS} server process(es) x {THREADS} threads, PostgreSQL, "
          f"{'Redis' if USE_REDIS else 'no Redis'}, {SECONDS} s a level, "
          f"{os.cpu_count()} CPUs shared with locust")  # fmt: skip
    print(f"  {'users':>5}{'survey req/s':>14}{'p95 ms':>8}{'bare req/s':>12}{'p95 ms':>8}"
          f"{'ratio':>8}{'errors':>8}{'server ms/req':>15}")  # fmt: skip
    failed = False
    for users, survey, bare in summary:
        ratio = survey["rps"] / bare["rps"] if bare["rps"] else 0.0
        print(
            f"  {users:>5}{survey['rps']:>14.1f}{survey['p95']:>8.0f}{bare['rps']:>12.1f}"
            f"{bare['p95']:>8.0f}{ratio:>8.3f}{survey['failures'] + bare['failures']:>8}"
            f"{survey['cpu_ms']:>8.2f} / {bare['cpu_ms']:.2f}"
        )
        failed |= bool(survey["failures"] or bare["failures"])
        if users == 32:
            goal = survey["p95"] < GOAL_P95_MS and ratio >= GOAL_RATIO
            print(f"  goal at 32 (p95 < {GOAL_P95_MS} ms, ratio >= {GOAL_RATIO}): "
                  f"{'met' if goal else 'NOT met'}")  # fmt: skip
    print(f"  integrity: {sent} surveys confirmed sent ({attempted - sent} cut off by the end "
          f"of a run), {responses} responses stored, {done} invitations marked done")  # fmt: skip
    if not sent <= responses <= attempted or done != responses:
        print("  INTEGRITY FAILED: a sent survey is missing, or one was stored twice")
        failed = True
    print(f"  (server log and locust files in {folder})")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
