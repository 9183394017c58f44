"""What the partnerships app does: create partnerships, add organisations and members."""

from __future__ import annotations

from django.db import transaction

from joinedup.accounts.models import User

from .models import Membership, Partnership, Role


@transaction.atomic
def create_partnership(creator: User, name: str, description: str = "") -> Partnership:
    """A new partnership, with its creator as facilitator."""
    partnership = Partnership.objects.create(name=name.strip(), description=description.strip())
    Membership.objects.create(partnership=partnership, user=creator, role=Role.FACILITATOR)
    return partnership
