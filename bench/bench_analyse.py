"""How fast, and in how much memory, Joined Up analyses a large partnership.

    .venv/bin/python bench/bench_analyse.py            # 200 organisations, 100,000 respondents,
                                                      # 10 ratings each (1,000,000 ratings)
    .venv/bin/python bench/bench_analyse.py --small    # 20 organisations, 5,000 respondents

The data comes from `joinedup synth` and is kept in bench/data/ (git-ignored),
reused while its parameters stay the same. Two jobs are timed, each in a fresh
Python process so that neither benefits from the other's imports or caches:

- the floor: what any analysis of these files must do. pandas reads
  responses.csv and relationships.csv, converts the answers to numbers
  (`pd.to_numeric(errors="coerce")` on the statement and rating columns) and
  averages them by organisation (`groupby().mean()`), for both files;
- analyse: the real thing, `read_files` (every check of SPEC §2), `analyse`
  and `to_json`.

Each job's time is the best of several runs, counted inside the process from
before its imports to the end of its work (interpreter start-up and exit are
left out: they are the same for both). Each process's peak resident memory is
its own `ru_maxrss`, collected with `os.wait4` as it ends. The `joinedup
analyse --json` command is also timed once from the outside, start-up and all.

Targets: analyse takes at most 2x the floor, and peaks below 1 GiB. The
benchmark reports, it does not fail builds: it exits 0 whether or not the
targets are met, and 1 only when a job crashed and there is nothing to report.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
MARKER = "parameters.json"
FILES = ("responses.csv", "relationships.csv", "organisations.csv")

TARGET_RATIO = 2.0
TARGET_MEMORY_MIB = 1024.0

# Columns of the interchange files that are not answers (SPEC §2).
RESPONSE_LABELS = {"respondent_id", "organisation", "role", "round"}
RATING_COLUMNS = ["contact", "reliable", "open", "purpose", "resources", "influence", "involved"]


@dataclass(frozen=True)
class Size:
    name: str
    organisations: int
    respondents: int
    ratings_per_respondent: int
    seed: int = 1
    rounds: int = 1


FULL = Size("full", organisations=200, respondents=100_000, ratings_per_respondent=10)
SMALL = Size("small", organisations=20, respondents=5_000, ratings_per_respondent=10)


# ----------------------------------------------------------------- the data


def joinedup_command() -> list[str]:
    """The `joinedup` command of this Python's environment."""
    script = Path(sys.executable).parent / "joinedup"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from joinedup.cli import main; sys.exit(main())"]


def prepare(size: Size) -> Path:
    """Synthetic files for `size` in bench/data/<name>/, made unless already there."""
    folder = DATA / size.name
    marker = folder / MARKER
    wanted = asdict(size)
    complete = marker.exists() and all((folder / name).exists() for name in FILES)
    if complete and json.loads(marker.read_text(encoding="utf-8")) == wanted:
        print(f"Using the synthetic partnership in {folder}")
        return folder
    marker.unlink(missing_ok=True)  # never trust half-written files
    print(f"Writing a synthetic partnership to {folder} (done once) ...", flush=True)
    started = time.perf_counter()
    command = [
        *joinedup_command(), "synth", str(folder),
        "--organisations", str(size.organisations),
        "--respondents", str(size.respondents),
        "--ratings-per-respondent", str(size.ratings_per_respondent),
        "--rounds", str(size.rounds),
        "--seed", str(size.seed),
    ]  # fmt: skip
    made = subprocess.run(command, capture_output=True, text=True)
    if made.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{made.stderr}")
    marker.write_text(json.dumps(wanted, indent=2) + "\n", encoding="utf-8")
    print(f"  written in {time.perf_counter() - started:.1f} s")
    return folder


def count_rows(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle) - 1


# ------------------------------------------------- the jobs (child processes)


def job_floor(folder: Path) -> dict[str, float]:
    """Read both files, turn answers into numbers, average them by organisation."""
    started = time.perf_counter()
    import pandas as pd

    stages: dict[str, float] = {"import": time.perf_counter() - started}
    mark = time.perf_counter()
    responses = pd.read_csv(folder / "responses.csv")
    relationships = pd.read_csv(folder / "relationships.csv")
    stages["read_csv"] = time.perf_counter() - mark

    mark = time.perf_counter()
    items = [
        column
        for column in responses.columns
        if column not in RESPONSE_LABELS and not column.startswith("TEXT_")
    ]
    answers = responses[items].apply(pd.to_numeric, errors="coerce")
    ratings = relationships[RATING_COLUMNS].apply(pd.to_numeric, errors="coerce")
    stages["to_numeric"] = time.perf_counter() - mark

    mark = time.perf_counter()
    by_respondents = answers.groupby(responses["organisation"]).mean()
    by_raters = ratings.groupby(relationships["organisation"]).mean()
    stages["groupby_mean"] = time.perf_counter() - mark
    assert len(by_respondents) and len(by_raters)
    stages["total"] = time.perf_counter() - started
    return stages


def job_analyse(folder: Path) -> dict[str, float]:
    """read_files + analyse + to_json, as the command line does."""
    started = time.perf_counter()
    from joinedup.analysis import analyse, read_files, to_json

    stages: dict[str, float] = {"import": time.perf_counter() - started}
    mark = time.perf_counter()
    dataset, _ = read_files(
        folder / "responses.csv", folder / "relationships.csv", folder / "organisations.csv"
    )
    stages["read_files"] = time.perf_counter() - mark
    mark = time.perf_counter()
    result = analyse(dataset)
    stages["analyse"] = time.perf_counter() - mark
    mark = time.perf_counter()
    text = to_json(result)
    stages["to_json"] = time.perf_counter() - mark
    assert text.startswith("{")
    stages["total"] = time.perf_counter() - started
    return stages


JOBS = {"floor": job_floor, "analyse": job_analyse}


def high_water_mark_mib() -> float | None:
    """This process's peak resident memory from /proc (Linux), as a cross-check."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def run_child(job: str, folder: Path) -> None:
    stages = JOBS[job](folder)
    print(json.dumps({"stages": stages, "vmhwm_mib": high_water_mark_mib()}))


# ------------------------------------------------------------- measuring


@dataclass
class Run:
    seconds: float  # inside the process (imports and work) or, for the command, wall clock
    wall: float  # the whole process, start-up to exit
    peak_mib: float  # ru_maxrss of the process, from wait4
    stages: dict[str, float]
    vmhwm_mib: float | None = None  # the process's own VmHWM, as a cross-check


def measure(command: list[str]) -> Run:
    """Run `command`, its standard output to a file; its peak memory from wait4."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        output, errors = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed with exit status {process.returncode}:\n{errors}"
        )
    # ru_maxrss is in KiB on Linux, bytes on macOS.
    peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    lines = [line for line in output.splitlines() if line.startswith("{")]
    report: dict[str, Any] = json.loads(lines[-1]) if lines else {}
    stages = report.get("stages", {})
    return Run(stages.get("total", wall), wall, peak, stages, report.get("vmhwm_mib"))


def best_of(folder: Path, runs: int) -> dict[str, list[Run]]:
    """Each job `runs` times, alternating, so a busy moment on the machine hits both."""
    results: dict[str, list[Run]] = {job: [] for job in JOBS}
    for attempt in range(runs):
        for job in JOBS:
            print(f"  {job}: run {attempt + 1} of {runs} ...", end=" ", flush=True)
            command = [sys.executable, str(Path(__file__).resolve()), "--child", job, str(folder)]
            run = measure(command)
            print(f"{run.seconds:.2f} s, {run.peak_mib:.0f} MiB")
            results[job].append(run)
    return results


# ------------------------------------------------------------------ report


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def report(size: Size, folder: Path, floor: list[Run], real: list[Run], command: Run) -> None:
    responses = count_rows(folder / "responses.csv")
    ratings = count_rows(folder / "relationships.csv")
    best_floor = min(floor, key=lambda r: r.seconds)
    best_real = min(real, key=lambda r: r.seconds)
    ratio = best_real.seconds / best_floor.seconds
    peak = max(r.peak_mib for r in real)
    vmhwm = max((r.vmhwm_mib for r in real if r.vmhwm_mib is not None), default=None)
    cross_check = "" if vmhwm is None else f"   (VmHWM {vmhwm:.0f})"
    rule = "-" * 78
    print()
    print(rule)
    print(
        f"Joined Up analysis benchmark ({size.name}): {size.organisations} organisations, "
        f"{responses:,} respondents, {ratings:,} relationship ratings"
    )
    print(rule)
    print(f"{'job':<30}{'best s':>9}{'runs (s)':>22}{'process s':>11}{'peak MiB':>10}")
    for label, runs, best in (
        ("floor (pandas read+mean)", floor, best_floor),
        ("analyse (read_files+analyse)", real, best_real),
    ):
        each = " ".join(f"{r.seconds:.2f}" for r in runs)
        peak_job = max(r.peak_mib for r in runs)
        print(f"{label:<30}{best.seconds:>9.2f}{each:>22}{best.wall:>11.2f}{peak_job:>10.0f}")
    print(
        f"{'joinedup analyse --json (once)':<30}{command.seconds:>9.2f}{'wall clock':>22}"
        f"{command.wall:>11.2f}{command.peak_mib:>10.0f}"
    )
    print(rule)
    print("Where the time goes (best run, seconds):")
    for label, best in (("  floor", best_floor), ("  analyse", best_real)):
        parts = ", ".join(f"{k} {v:.2f}" for k, v in best.stages.items() if k != "total")
        print(f"{label:<11}{parts}")
    print(rule)
    print(
        f"ratio analyse / floor      {ratio:>8.2f}   target <= {TARGET_RATIO:.1f}     "
        f"{verdict(ratio <= TARGET_RATIO)}"
    )
    print(
        f"analyse peak memory (MiB)  {peak:>8.0f}   target < {TARGET_MEMORY_MIB:.0f}     "
        f"{verdict(peak < TARGET_MEMORY_MIB)}{cross_check}"
    )
    print(rule)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="20 organisations, 5,000 respondents")
    parser.add_argument("--runs", type=int, default=3, help="runs of each job (default 3)")
    parser.add_argument("--child", nargs=2, metavar=("JOB", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        run_child(args.child[0], Path(args.child[1]))
        return 0

    size = SMALL if args.small else FULL
    try:
        folder = prepare(size)
        runs = best_of(folder, args.runs)
        print("  joinedup analyse --json: once ...", end=" ", flush=True)
        command = measure(
            [
                *joinedup_command(),
                "analyse",
                str(folder / "responses.csv"),
                "--relationships",
                str(folder / "relationships.csv"),
                "--organisations",
                str(folder / "organisations.csv"),
                "--json",
                str(folder / "result.json"),
            ]
        )
        command.seconds = command.wall
        print(f"{command.wall:.2f} s, {command.peak_mib:.0f} MiB")
    except RuntimeError as error:
        print(f"\nThe benchmark could not run: {error}", file=sys.stderr)
        return 1
    report(size, folder, runs["floor"], runs["analyse"], command)
    return 0


if __name__ == "__main__":
    sys.exit(main())
