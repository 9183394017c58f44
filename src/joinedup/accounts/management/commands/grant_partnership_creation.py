"""`joinedup manage grant_partnership_creation EMAIL [--revoke]`.

Site operators allow a person to set up new partnerships (or take that away).
The Django admin is not enabled on this site, so this command is the way.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.accounts.models import User


class Command(BaseCommand):
    help = "Allow a person (by e-mail address) to set up new partnerships, or with --revoke stop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the person's e-mail address (they need an account)")
        parser.add_argument(
            "--revoke", action="store_true", help="take the permission away instead"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(
                f"There is no account for {email}. Add them to a partnership first, or create "
                "one with `joinedup manage createsuperuser`."
            )
        allow = not options["revoke"]
        User.objects.filter(pk=user.pk).update(can_create_partnerships=allow)
        if allow:
            self.stdout.write(f"{user.email} may now set up new partnerships.")
        else:
            self.stdout.write(f"{user.email} may no longer set up new partnerships.")
