"""`joinedup worker`: run queued tasks (the task backend's worker), and keep the schedule.

Beside the task loops (`loop.py`), a thread
does, every minute (and once at the start): queue again the tasks a dead
worker left running (`tasks.recover`), and queue the daily jobs that are due
(`schedule.tick`). Tasks are taken and finished by `loop.py` in one
statement each, on the database backend's own table. Any number of workers may share one
PostgreSQL database: each takes a task with a row lock that skips rows
another worker holds.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection
from django.utils.crypto import get_random_string

from joinedup.site.mail import drop_kept
from joinedup.worker import loop, schedule
from joinedup.worker.tasks import recover

logger = logging.getLogger(__name__)
RECOVER_EVERY_SECONDS = 60


def _keep_recovering(stop: threading.Event) -> None:
    while not stop.wait(RECOVER_EVERY_SECONDS):
        try:
            close_old_connections()
            recover()
            schedule.tick()
        except Exception:  # the database away for a moment: try again next time
            logger.exception("Recovering abandoned tasks or keeping the schedule failed")
        finally:
            connection.close()


class Command(BaseCommand):
    help = "Run the task worker: sending e-mail, closing rounds, daily jobs"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="run every task that is due, then stop"
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between looks at an empty queue"
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=1,
            help="tasks run at once in this process, each thread with its own database and "
            "SMTP connections (default 1; threads hide the waits on commits and the mail "
            "server: 8 for invitations at scale, see docs/operations.md)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        recover()  # first, so that even a --batch run picks up what a dead worker left
        schedule.tick()
        stop = threading.Event()
        recovering = threading.Thread(target=_keep_recovering, args=(stop,), daemon=True)
        recovering.start()
        try:
            if not loop.supported():  # neither SQLite nor PostgreSQL: the backend's own worker
                call_command(
                    "db_worker",
                    queue_name="*",
                    batch=options["batch"],
                    interval=options["interval"],
                    reload=False,
                    startup_delay=not options["batch"],
                    verbosity=options["verbosity"],
                )
                return
            self._run_loops(options)
        finally:
            stop.set()
            drop_kept()  # the SMTP connection kept between sending tasks

    def _run_loops(self, options: dict[str, Any]) -> None:
        """The worker loop in `--threads` threads; the main thread takes the signals and waits.

        Each loop claims one task at a time (`loop.claim`), skipping rows
        another holds, exactly as separate worker processes would. On SIGTERM
        or Ctrl+C every loop finishes the task it is running, then stops; a
        second signal stops at once (the task left running is recovered).
        """
        from django_tasks_db.management.commands.db_worker import Command as DbWorker

        DbWorker(stdout=self.stdout, stderr=self.stderr).configure_logging(options["verbosity"])
        stop = threading.Event()
        waker = loop.Waker(stop)
        if not options["batch"]:
            waker.start()  # PostgreSQL: woken as soon as a task is queued
        base = get_random_string(24)
        loops = [
            loop.Loop(f"{base}-{number}", stop, options["interval"], options["batch"], waker)
            for number in range(options["threads"])
        ]
        threads = [
            threading.Thread(
                target=_run, args=(each, not options["batch"]), daemon=True, name=f"worker-{n}"
            )
            for n, each in enumerate(loops)
        ]

        def shutdown(signum: int, frame: Any) -> None:
            if stop.is_set():
                logger.warning("Received %s again - stopping now.", signal.strsignal(signum))
                _reset_signals()
                sys.exit(1)
            logger.warning(
                "Received %s - finishing the tasks running, then stopping (again to force).",
                signal.strsignal(signum),
            )
            stop.set()
            waker.wake()

        for number in _SIGNALS:
            signal.signal(number, shutdown)
        connection.close()  # this thread only waits: each loop has its own connection
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                while thread.is_alive():  # a join that a signal can interrupt
                    thread.join(0.2)
        finally:
            stop.set()
            waker.wake()
            _reset_signals()
        if any(each.failed for each in loops):
            raise CommandError("The worker stopped on an error (see above); start it again.")


_SIGNALS = [signal.SIGINT, signal.SIGTERM] + (
    [signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else []
)


def _reset_signals() -> None:
    for number in _SIGNALS:
        signal.signal(number, signal.SIG_DFL)


def _run(each: loop.Loop, startup_delay: bool) -> None:
    try:
        each.run(startup_delay)
    except Exception:  # the database gone, say: the others finish, and the process says so
        logger.exception("A worker thread stopped")
        each.failed = True
        each.stop.set()
        if each.waker is not None:
            each.waker.wake()
    finally:
        drop_kept()
        connection.close()
