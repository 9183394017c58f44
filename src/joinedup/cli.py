"""The `joinedup` command line.

    joinedup analyse RESPONSES [--relationships FILE] [--organisations FILE] [--json OUT]
    joinedup synth OUTDIR [--organisations N] [--respondents N] [--seed S]

Exit status: 0 when it worked, 2 when the input or a setting is wrong (every
problem is listed on standard error and nothing is written).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from joinedup import __version__
from joinedup.site.environment import help_text as environment_help

EXIT_OK = 0
EXIT_BAD_INPUT = 2
FLAGS_SHOWN = 12

ANALYSE_HELP = """\
Analyse survey answers collected elsewhere and report where the partnership stands.

RESPONSES is a CSV file with one row per respondent (columns respondent_id,
organisation, optional role and round, the 31 statement codes CASE1 ... COMMIT3
and optionally TEXT_IMPORTANT, TEXT_SIDESHOW, TEXT_OTHER), or an Excel workbook
whose sheets are named responses, relationships and organisations.

Without --json, a summary is printed. With --json FILE the full
joinedup.analysis/1 result is written there (--json - for standard output).

If anything in the files is wrong, every problem is listed with its file, row
and column, nothing is written, and the exit status is 2.

example:
  joinedup synth demo/
  joinedup analyse demo/responses.csv --relationships demo/relationships.csv \\
      --organisations demo/organisations.csv --json result.json
"""

SYNTH_HELP = """\
Write a realistic synthetic partnership (responses.csv, relationships.csv and
organisations.csv) to OUTDIR, for trying Joined Up out. The same seed always
gives the same files.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="joinedup",
        description="Joined Up: is your partnership at a tipping point or a breaking point?",
    )
    parser.add_argument("--version", action="version", version=f"joinedup {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    analyse = commands.add_parser(
        "analyse",
        aliases=["analyze"],
        help="analyse survey files and report the result",
        description=ANALYSE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    analyse.add_argument(
        "responses",
        type=Path,
        metavar="RESPONSES",
        help="responses CSV file, or an Excel workbook with all three sheets",
    )
    analyse.add_argument(
        "--relationships",
        type=Path,
        metavar="FILE",
        help="ratings of partner organisations (CSV or workbook)",
    )
    analyse.add_argument(
        "--organisations",
        type=Path,
        metavar="FILE",
        help="the member organisations, with sector (CSV or workbook)",
    )
    analyse.add_argument(
        "--min-group-size",
        type=int,
        default=5,
        metavar="K",
        help="fewest respondents for an organisation to be reported on its own "
        "(default 5, at least 3)",
    )
    analyse.add_argument(
        "--min-tie-raters",
        type=int,
        default=3,
        metavar="N",
        help="fewest people of one organisation who rated a partner before that "
        "organisation's view of it is shown (default 3, at least 2: one person's "
        "ratings would be their own answers)",
    )
    analyse.add_argument(
        "--min-text-group-size",
        type=int,
        default=10,
        metavar="N",
        help="fewest answers before free-text answers are shown (default 10)",
    )
    analyse.add_argument(
        "--json",
        metavar="OUT",
        help="write the full result as JSON to OUT ('-' for standard output)",
    )
    analyse.add_argument(
        "--previous",
        type=Path,
        metavar="FILE",
        help="the previous round's responses, for the trend (when RESPONSES does not hold "
        "two rounds in a round column)",
    )
    _add_output_arguments(analyse)
    analyse.set_defaults(handler=run_analyse)

    report = commands.add_parser(
        "report",
        help="render a saved result as reports and exports",
        description="Render a saved joinedup.analysis/1 result (from `joinedup analyse --json`) "
        "as an HTML or PDF report, an Excel workbook, CSV files or a GraphML network.",
    )
    report.add_argument("result", type=Path, metavar="RESULT.json", help="a saved result")
    report.add_argument(
        "--organisations",
        type=Path,
        metavar="FILE",
        help="the organisations file, to colour the network map by sector",
    )
    report.add_argument(
        "--previous",
        type=Path,
        metavar="RESULT.json",
        help="the previous round's saved result, for the arrow on the position map",
    )
    _add_output_arguments(report)
    report.set_defaults(handler=run_report)

    method = commands.add_parser(
        "methodology",
        help="print how every figure is worked out, as Markdown",
        description="Print the method (docs/methodology.md) from the instrument file and the "
        "analysis code, so that the explanation cannot drift from what is computed.",
    )
    method.set_defaults(handler=run_methodology)

    synth = commands.add_parser(
        "synth",
        help="write a synthetic partnership's survey files",
        description=SYNTH_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    synth.add_argument("outdir", type=Path, metavar="OUTDIR", help="folder to write the files to")
    synth.add_argument(
        "--organisations",
        type=int,
        default=12,
        metavar="N",
        help="number of organisations (default 12)",
    )
    synth.add_argument(
        "--respondents",
        type=int,
        default=300,
        metavar="N",
        help="respondents per round (default 300)",
    )
    synth.add_argument(
        "--ratings-per-respondent",
        type=int,
        default=4,
        metavar="N",
        help="partner organisations each respondent rates (default 4)",
    )
    synth.add_argument(
        "--rounds", type=int, default=1, metavar="N", help="survey rounds (default 1)"
    )
    synth.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default 1)")
    synth.set_defaults(handler=run_synth)

    serve = commands.add_parser(
        "serve",
        help="run the web app with a production server",
        description="Run the Joined Up web app, with its settings from environment variables "
        "(listed below). Run `joinedup manage migrate` first. Without DEBUG=1 it will not "
        "start unless SECRET_KEY is set.",
        epilog=environment_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")
    serve.add_argument(
        "--trusted-proxies",
        type=int,
        metavar="N",
        help="how many proxies of yours stand in front of this server (sets "
        "TRUSTED_PROXY_COUNT; rate limits then key on the address N from the right in "
        "X-Forwarded-For). Default 0: clients connect directly",
    )
    serve.set_defaults(handler=run_serve)

    worker = commands.add_parser(
        "worker",
        help="run the task worker (sending e-mail, closing rounds) beside `joinedup serve`",
        description="Run queued tasks: sending invitations and reminders, closing rounds. "
        "Run one or more beside the web servers, with the same environment variables; "
        "any number may share one PostgreSQL database (see docs/operations.md).",
        epilog=environment_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    worker.add_argument(
        "--batch", action="store_true", help="run every task that is due, then stop"
    )
    worker.add_argument(
        "--threads",
        type=_at_least_one,
        default=1,
        help="tasks run at once (default 1; 8 for invitations at scale)",
    )
    worker.set_defaults(handler=run_worker)

    demo = commands.add_parser(
        "demo",
        help="set up a demo site with a synthetic partnership, and serve it",
        description="Create the database tables, a demo partnership (two closed survey rounds "
        "and one open) and a facilitator account, print how to sign in, then serve the site.",
    )
    demo.add_argument(
        "--email", default="facilitator@example.org", help="the demo facilitator's e-mail address"
    )
    demo.add_argument(
        "--password", default="joined-up-demo", help="the demo facilitator's password"
    )
    demo.add_argument("--host", default="127.0.0.1", help="address to listen on")
    demo.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    demo.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")
    demo.add_argument("--no-serve", action="store_true", help="set up only; do not serve")
    demo.add_argument(
        "--no-worker", action="store_true", help="serve without starting a task worker beside it"
    )
    demo.set_defaults(handler=run_demo)

    manage = commands.add_parser(
        "manage", help="run a Django management command (for example: migrate)", add_help=False
    )
    manage.add_argument("arguments", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=run_manage)
    return parser


def _add_output_arguments(parser: argparse.ArgumentParser) -> None:
    outputs = parser.add_argument_group("reports and exports")
    outputs.add_argument("--html", type=Path, metavar="FILE", help="a self-contained HTML report")
    outputs.add_argument("--pdf", type=Path, metavar="FILE", help="the board-ready PDF report")
    outputs.add_argument("--xlsx", type=Path, metavar="FILE", help="an Excel workbook of figures")
    outputs.add_argument("--csv", type=Path, metavar="FOLDER", help="tidy CSV files, in FOLDER")
    outputs.add_argument(
        "--graphml", type=Path, metavar="FILE", help="the relationship network as GraphML"
    )
    outputs.add_argument(
        "--title",
        metavar="NAME",
        default="Partnership",
        help="the partnership's name, for the report's cover",
    )


def _targets(args: argparse.Namespace) -> Any:
    from joinedup.reports.outputs import Targets

    return Targets(html=args.html, pdf=args.pdf, xlsx=args.xlsx, graphml=args.graphml, csv=args.csv)


def _at_least_one(text: str) -> int:
    """A whole number of 1 or more, or argparse's message naming the option and the value."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{number} is too few: give 1 or more")
    return number


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_OK
    code: int = args.handler(args)
    return code


# --------------------------------------------------------------------- analyse


def run_methodology(args: argparse.Namespace) -> int:
    from joinedup.analysis.methodology import as_markdown
    from joinedup.instrument import load_instrument

    sys.stdout.write(as_markdown(load_instrument()))
    return EXIT_OK


@contextmanager
def _progress(console: Console) -> Iterator[Any]:
    """A spinner with the current step on standard error (only on a terminal)."""
    if not console.is_terminal:
        yield lambda _: None
        return
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
        console=console, transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task("Reading files", total=None)
        yield lambda description: progress.update(task, description=description)


def run_analyse(args: argparse.Namespace) -> int:
    from joinedup.analysis import InputError, Settings, SettingsError, analyse, read_files, to_json

    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        settings = Settings(args.min_group_size, args.min_tie_raters, args.min_text_group_size)
    except SettingsError as error:
        message = str(error)
        for name in ("min_group_size", "min_tie_raters", "min_text_group_size"):
            message = message.replace(name, "--" + name.replace("_", "-"))
        errors.print(f"joinedup analyse: {message}", markup=False)
        return EXIT_BAD_INPUT
    from joinedup.reports.outputs import check_targets

    target_problems = check_targets(_targets(args))
    if args.json and args.json != "-":
        folder = Path(args.json).parent
        if not folder.is_dir():
            target_problems.append(f"cannot write {args.json}: the folder {folder} does not exist")
    if target_problems:
        for problem in target_problems:
            errors.print(f"joinedup analyse: {problem}", markup=False)
        return EXIT_BAD_INPUT
    try:
        with _progress(errors) as step:
            step("Reading and checking files")
            dataset, warnings = read_files(args.responses, args.relationships, args.organisations)
            previous = None
            if args.previous:
                step("Reading the previous round")
                previous, previous_warnings = read_files(
                    args.previous, organisations=args.organisations
                )
                warnings += previous_warnings
            result = analyse(dataset, settings, progress=step, previous=previous)
            step("Writing the result")
            text = to_json(result)
            written = _write_reports(result, args, dataset, step)
    except InputError as error:
        _print_problems(errors, error.problems, error.warnings)
        return EXIT_BAD_INPUT
    for warning in warnings:
        errors.print(f"warning: {warning}", markup=False)
    if args.json == "-":
        sys.stdout.write(text + "\n")
    elif args.json:
        try:
            _write_atomically(Path(args.json), text + "\n")
        except OSError as error:
            errors.print(
                f"joinedup analyse: cannot write {args.json} ({error.strerror})", markup=False
            )
            return EXIT_BAD_INPUT
        errors.print(f"Wrote the result to {args.json}", markup=False)
    elif not written:
        _print_summary(Console(highlight=False), result, dataset.instrument)
    for path in written:
        errors.print(f"Wrote {path}", markup=False)
    return EXIT_OK


def _sectors(dataset: Any) -> dict[str, str] | None:
    frame = dataset.organisations
    sectors = {
        str(name): str(sector)
        for name, sector in zip(frame["name"], frame["sector"], strict=True)
        if isinstance(sector, str)
    }
    return sectors or None


def _write_reports(
    result: dict[str, Any], args: argparse.Namespace, dataset: Any, step: Any
) -> list[Path]:
    from joinedup.reports.outputs import write_outputs
    from joinedup.reports.report import ReportOptions

    targets = _targets(args)
    if not targets.requested():
        return []
    options = ReportOptions(partnership=args.title, sectors=_sectors(dataset))
    return write_outputs(result, targets, options, step)


def run_report(args: argparse.Namespace) -> int:
    """Render a saved result as reports and exports."""
    import json

    from joinedup.analysis import SCHEMA, InputError
    from joinedup.analysis.interchange import check_organisations
    from joinedup.analysis.tables import read_table
    from joinedup.reports.outputs import check_targets, write_outputs
    from joinedup.reports.report import ReportOptions

    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    targets = _targets(args)
    problems = check_targets(targets)
    if not targets.requested():
        problems.append("say what to write: --html, --pdf, --xlsx, --csv or --graphml")
    results = []
    for path in (args.result, args.previous):
        if path is None:
            results.append(None)
            continue
        try:
            loaded = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            problems.append(f"{path}: the file does not exist")
            continue
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            problems.append(f"{path}: not a JSON result ({error})")
            continue
        if not isinstance(loaded, dict) or loaded.get("schema") != SCHEMA:
            problems.append(f"{path}: not a {SCHEMA} result (made by `joinedup analyse --json`)")
            continue
        results.append(loaded)
    sectors = None
    if args.organisations:
        try:
            frame, _ = check_organisations(read_table(args.organisations, "organisations"))
            sectors = dict(zip(frame["name"], frame["sector"], strict=True))
        except InputError as error:
            problems += [str(problem) for problem in error.problems]
    if problems:
        for problem in problems:
            errors.print(f"joinedup report: {problem}", markup=False)
        return EXIT_BAD_INPUT
    # Sectors the result already knew stay; an organisations file adds or corrects them.
    known = results[0].get("sectors") if results and isinstance(results[0], dict) else None
    sectors = (dict(known) if isinstance(known, dict) else {}) | (sectors or {}) or None
    options = ReportOptions(partnership=args.title, sectors=sectors, previous=results[1])
    try:
        with _progress(errors) as step:
            written = write_outputs(results[0], targets, options, step)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        # A saved result edited by hand, or cut short: say which part is missing.
        errors.print(
            f"joinedup report: {args.result} is not a complete {SCHEMA} result "
            f"(a part is missing or of the wrong kind: {error!r}); run `joinedup analyse "
            "--json` again to make a fresh one. Nothing was written.",
            markup=False,
        )
        return EXIT_BAD_INPUT
    for path in written:
        errors.print(f"Wrote {path}", markup=False)
    return EXIT_OK


def _print_problems(console: Console, problems: Sequence[Any], warnings: Sequence[Any]) -> None:
    count = len(problems)
    console.print(
        f"Joined Up could not analyse these files: {count} "
        f"{'problem' if count == 1 else 'problems'} to fix. Nothing was written.",
        markup=False,
    )
    for problem in problems:
        console.print(f"  {problem}", markup=False, soft_wrap=True)
    for warning in warnings:
        console.print(f"warning: {warning}", markup=False, soft_wrap=True)


def _write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written file."""
    folder = path.parent if str(path.parent) else Path(".")
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=folder, prefix=f".{path.name}.", delete=False
    ) as handle:
        handle.write(text)
        temporary = Path(handle.name)
    os.replace(temporary, path)


def _format(value: float | None, places: int = 0) -> str:
    return "—" if value is None else f"{value:.{places}f}"


def _print_summary(console: Console, result: dict[str, Any], instrument: Any) -> None:
    from joinedup.analysis.vocabulary import BANDS, FLAGS, POSITION_SENTENCES, POSITIONS

    partnership = result["partnership"]
    units = result["units"]
    console.print(
        f"[bold]Joined Up[/bold]: {result['respondents']} respondents, {len(units)} reporting units"
    )
    if partnership.get("reason") == "too_few_respondents":
        console.print(
            f"There are no results: {result['respondents']} respondents in all, fewer than the "
            f"minimum group size of {result['settings']['min_group_size']}.",
            markup=False,
        )
        return
    position = partnership["position"]
    if position:
        console.print(f"\n[bold]{POSITIONS[position]}[/bold]. {POSITION_SENTENCES[position]}")
    console.print(
        f"Momentum {_format(partnership['momentum'])}, strain {_format(partnership['strain'])} "
        "(0-100; the threshold is 50)\n"
    )
    table = Table(title="The nine scales (partnership, each organisation counting equally)")
    table.add_column("Scale")
    table.add_column("Score", justify="right")
    table.add_column("95% interval", justify="right")
    table.add_column("Band")
    table.add_column("Units", justify="right")
    for scale in instrument.scales:
        entry = partnership["scales"][scale.code]
        interval = (
            f"{_format(entry['ci_low'])}–{_format(entry['ci_high'])}"
            if entry["score"] is not None
            else "—"
        )
        table.add_row(
            scale.name + ("" if scale.higher_is_better else " (higher is worse)"),
            _format(entry["score"]),
            interval,
            BANDS.get(entry["band"] or "", "too few answers"),
            str(entry["n_units"]),
        )
    console.print(table)
    combined = [u for u in units if u["combined"]]
    if combined:
        console.print(
            f"{combined[0]['name']} combines {len(combined[0]['organisations'])} organisations "
            f"with fewer than {result['settings']['min_group_size']} respondents each, so that "
            "no small group can be identified.",
            markup=False,
        )
    flags = result["network"]["flags"]
    if flags:
        console.print("\n[bold]Relationship flags[/bold]")
        for flag in flags[:FLAGS_SHOWN]:
            if flag["type"] == "isolate":
                console.print(f"  {FLAGS['isolate']}: {flag['organisation']}", markup=False)
            else:
                gap = f" (gap {flag['gap']:.0f})" if "gap" in flag else ""
                console.print(
                    f"  {FLAGS[flag['type']]}: {flag['a']} and {flag['b']}{gap}", markup=False
                )
        if len(flags) > FLAGS_SHOWN:
            console.print(f"  … and {len(flags) - FLAGS_SHOWN} more (all are in the --json result)")


# ----------------------------------------------------------------------- synth


def run_synth(args: argparse.Namespace) -> int:
    from joinedup.analysis.synth import SynthSpec, generate, write

    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    for name in ("organisations", "respondents", "rounds"):
        if getattr(args, name) < 1:
            errors.print(f"joinedup synth: --{name} must be at least 1", markup=False)
            return EXIT_BAD_INPUT
    if args.ratings_per_respondent < 0:
        errors.print("joinedup synth: --ratings-per-respondent cannot be negative", markup=False)
        return EXIT_BAD_INPUT
    spec = SynthSpec(
        organisations=args.organisations,
        respondents=args.respondents,
        ratings_per_respondent=args.ratings_per_respondent,
        rounds=args.rounds,
        seed=args.seed,
    )
    try:
        with _progress(errors) as step:
            step("Drawing answers")
            tables = generate(spec)
            step("Writing files")
            paths = write(tables, args.outdir)
    except ValueError as error:
        errors.print(f"joinedup synth: {error}", markup=False)
        return EXIT_BAD_INPUT
    for path in paths:
        errors.print(f"Wrote {path}", markup=False)
    return EXIT_OK


# ------------------------------------------------------------------ web app


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.site.settings")
    import django

    django.setup()


def run_manage(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["joinedup manage", *args.arguments])
    return EXIT_OK


def _prepare_database() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)


def run_worker(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import CommandError, call_command

    console = Console(stderr=True, highlight=False)
    console.print("Joined Up worker: running queued tasks (Ctrl+C to stop)", markup=False)
    if not args.batch:
        from joinedup.reports import pdf_halves

        # The processes that print the two halves of long PDFs, ready for the first.
        pdf_halves.start_helpers()
    try:
        call_command("worker", batch=args.batch, threads=args.threads)
    except CommandError as error:  # a loop stopped on an error, already logged with its cause
        console.print(f"joinedup worker: {error}", markup=False)
        return 1
    return EXIT_OK


def _start_worker() -> subprocess.Popen[bytes]:
    """`joinedup worker` as a child process, with this process's environment.

    It stays in this process group, so stopping the group (Ctrl+C, or the
    SIGTERM a supervisor sends to the group) stops it too; `run_demo` also
    stops it when the server stops.
    """
    return subprocess.Popen([sys.executable, "-m", "joinedup.cli", "worker"], env=os.environ.copy())


def run_serve(args: argparse.Namespace) -> int:
    if getattr(args, "trusted_proxies", None) is not None:
        if args.trusted_proxies < 0:
            message = "joinedup: --trusted-proxies must be 0 or more"
            Console(stderr=True).print(message, markup=False)
            return EXIT_BAD_INPUT
        os.environ["TRUSTED_PROXY_COUNT"] = str(args.trusted_proxies)
    _django()
    import waitress.server
    from django.core.exceptions import ImproperlyConfigured

    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        from joinedup.site.wsgi import application
    except ImproperlyConfigured as error:  # no SECRET_KEY outside DEBUG
        errors.print(f"joinedup: not starting. {error}", markup=False)
        return EXIT_BAD_INPUT
    try:
        # Bind first, then say where: the address is printed only once it answers.
        server = waitress.server.create_server(
            application, host=args.host, port=args.port, threads=args.threads
        )
    except OSError as error:  # the port is taken, or not ours to use
        errors.print(
            f"joinedup: cannot serve on {args.host}:{args.port} ({error.strerror}); "
            "choose another with --port",
            markup=False,
        )
        return EXIT_BAD_INPUT
    quiet_queue_log(server)
    errors.print(
        f"Joined Up is running at http://{args.host}:{args.port}/ (Ctrl+C to stop)", markup=False
    )
    try:
        server.run()
    except KeyboardInterrupt:
        errors.print("Stopped.", markup=False)
    finally:
        server.close()
    return EXIT_OK


def quiet_queue_log(server: Any) -> None:
    """Waitress's "Task queue depth" warnings summed up once a minute (`logs.QueueDepthSummary`)."""
    from joinedup.site.logs import QueueDepthSummary

    dispatcher = server.task_dispatcher
    dispatcher.queue_logger = QueueDepthSummary(dispatcher.queue_logger)


DEMO_SECRET_FILE = ".joinedup-demo-secret"


def _demo_secret_key() -> str:
    """The demo's own random secret key, kept beside its database and made once.

    The demo serves without DEBUG, so it needs a key; a random one kept in a
    file (readable by its owner only) means sign-ins survive a restart and
    nothing public signs them.
    """
    import secrets

    database = os.environ.get("DATABASE_URL", "")
    folder = (
        Path(database.removeprefix("sqlite:///")).parent
        if database.startswith("sqlite:///")
        else Path.cwd()
    )
    path = folder / DEMO_SECRET_FILE
    if path.exists() and path.read_text().strip():
        return path.read_text().strip()
    key = secrets.token_urlsafe(50)
    path.touch(mode=0o600)
    path.write_text(key + "\n")
    return key


def run_demo(args: argparse.Namespace) -> int:
    os.environ.setdefault("SITE_URL", f"http://{args.host}:{args.port}")
    if not os.environ.get("SECRET_KEY", "").strip():
        os.environ["SECRET_KEY"] = _demo_secret_key()
    _django()
    from joinedup.site.demo import seed_demo

    console = Console(highlight=False)
    console.print("Setting up the database…", markup=False)
    _prepare_database()
    console.print("Creating the demo partnership (two closed rounds, one open)…", markup=False)
    accounts = seed_demo(args.email, args.password)
    console.print(f"\nJoined Up demo: {accounts.partnership.name}", style="bold", markup=False)
    console.print(f"  Address:  http://{args.host}:{args.port}/", markup=False)
    console.print(f"  Sign in:  {args.email}", markup=False)
    console.print(f"  Password: {args.password}", markup=False)
    console.print(
        "\nThere is no mail server, so here are survey links for three people invited to the "
        "open round (use them in a private window):",
        markup=False,
    )
    for email, organisation, url in accounts.invitation_links:
        console.print(f"  {email} ({organisation}):\n    {url}", markup=False)
    from joinedup.outbox.services import outbox_active

    if outbox_active():
        console.print(
            "\nNothing is e-mailed for real: invitations and other e-mails you make in the app "
            "appear in the partnership's outbox (a link on its overview page).",
            markup=False,
        )
    if args.no_serve:
        return EXIT_OK
    if args.no_worker:
        return run_serve(args)
    worker = _start_worker()
    try:
        return run_serve(args)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


if __name__ == "__main__":
    raise SystemExit(main())
