"""`joinedup worker`: run queued tasks (the task backend's worker), and keep the schedule.

This wraps the database backend's `db_worker` command. Beside it, a thread
does, every minute (and once at the start): queue again the tasks a dead
worker left running (`tasks.recover`), and queue the daily jobs that are due
(`schedule.tick`). Any number of workers may share one PostgreSQL database:
each takes a task with a row lock that skips rows another worker holds.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils.crypto import get_random_string

from joinedup.site.mail import drop_kept
from joinedup.worker import schedule
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
            "SMTP connections (default 1; sending is mostly waiting on both, so 4 sends "
            "several times faster on PostgreSQL)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        recover()  # first, so that even a --batch run picks up what a dead worker left
        schedule.tick()
        stop = threading.Event()
        recovering = threading.Thread(target=_keep_recovering, args=(stop,), daemon=True)
        recovering.start()
        try:
            if options["threads"] > 1:
                self._run_threads(options)
                return
            call_command(
                "db_worker",
                queue_name="*",
                batch=options["batch"],
                interval=options["interval"],
                reload=False,
                startup_delay=not options["batch"],
                verbosity=options["verbosity"],
            )
        finally:
            stop.set()
            drop_kept()  # the SMTP connection kept between sending tasks

    def _run_threads(self, options: dict[str, Any]) -> None:
        """The backend's worker loop in several threads; the main thread's takes the signals.

        Each loop claims one task at a time with a row lock that skips rows
        another holds, exactly as separate worker processes would. On SIGTERM
        or Ctrl+C every loop finishes the task it is running, then stops.
        """
        from django_tasks_db.management.commands.db_worker import Command as DbWorker
        from django_tasks_db.management.commands.db_worker import Worker

        DbWorker(stdout=self.stdout, stderr=self.stderr).configure_logging(options["verbosity"])
        base = get_random_string(24)
        loops = [
            Worker(
                queue_names=["*"],
                interval=options["interval"],
                batch=options["batch"],
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=f"{base}-{number}",
                excluded_queue_names=[],
            )
            for number in range(options["threads"])
        ]
        helpers = [
            threading.Thread(target=_loop, args=(loop,), daemon=True, name=f"worker-{n}")
            for n, loop in enumerate(loops[1:], start=1)
        ]
        for helper in helpers:
            helper.start()
        loops[0].configure_signals()
        try:
            loops[0].run()
        finally:
            for loop in loops[1:]:
                loop.running = False
            for helper in helpers:
                helper.join()
            loops[0].reset_signals()


def _loop(worker: Any) -> None:
    try:
        worker.run()
    except Exception:
        logger.exception("A worker thread stopped")
    finally:
        drop_kept()
        connection.close()
