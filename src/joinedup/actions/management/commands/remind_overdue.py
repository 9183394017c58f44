"""`joinedup manage remind_overdue`: e-mail owners about overdue actions (run daily)."""

from __future__ import annotations

import argparse
import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.actions.reminders import remind_overdue
from joinedup.actions.services import today


def day(text: str) -> datetime.date:
    """A --date value: year-month-day, as ISO 8601 writes it."""
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"“{text}” is not a date: give it as year-month-day, like 2027-03-31"
        ) from None


class Command(BaseCommand):
    help = (
        "E-mail the owners of overdue actions in every partnership's plan. Safe to run more "
        "than once a day: each action is reminded about at most once a day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=day,
            help="act as if today were this earlier date (YYYY-MM-DD); for catching up after an "
            "outage",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        on = options.get("date")
        # A later date would call actions overdue that are not, and mark them as
        # reminded about on a day that has not come.
        if on is not None and on > today():
            raise CommandError(
                f"--date {on.isoformat()} is after today ({today().isoformat()}): give today "
                "or an earlier date"
            )
        run = remind_overdue(on)
        self.stdout.write(
            f"Reminded owners about {run.actions} overdue action"
            f"{'' if run.actions == 1 else 's'} in {run.sent} e-mail{'' if run.sent == 1 else 's'}."
        )
        if run.failed:
            raise CommandError(
                f"{run.failed} e-mail{'' if run.failed == 1 else 's'} could not be sent; "
                "those actions will be tried again on the next run."
            )
