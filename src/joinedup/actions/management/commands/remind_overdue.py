"""`joinedup manage remind_overdue`: e-mail owners about overdue actions (run daily)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.actions.reminders import remind_overdue


class Command(BaseCommand):
    help = (
        "E-mail the owners of overdue actions in every partnership's plan. Safe to run more "
        "than once a day: each action is reminded about at most once a day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="act as if today were this date (YYYY-MM-DD); for catching up after an outage",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run = remind_overdue(options.get("date"))
        self.stdout.write(
            f"Reminded owners about {run.actions} overdue action"
            f"{'' if run.actions == 1 else 's'} in {run.sent} e-mail{'' if run.sent == 1 else 's'}."
        )
        if run.failed:
            raise CommandError(
                f"{run.failed} e-mail{'' if run.failed == 1 else 's'} could not be sent; "
                "those actions will be tried again on the next run."
            )
