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

    def handle(self, *args: Any, **options: Any) -> None:
        recover()  # first, so that even a --batch run picks up what a dead worker left
        schedule.tick()
        stop = threading.Event()
        recovering = threading.Thread(target=_keep_recovering, args=(stop,), daemon=True)
        recovering.start()
        try:
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
