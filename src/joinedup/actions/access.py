"""Who may change what in the action plan.

Every member reads the plan. Facilitators change every action. A partner
lead adds actions for their own organisation, and changes and updates only
the actions their organisation owns. Viewers only read. Non-members get 404
from `partnership_view` before any of this is asked.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from joinedup.partnerships.access import can_manage_organisation
from joinedup.partnerships.models import Membership, Role

from .models import Action

PLANNERS = frozenset({Role.FACILITATOR, Role.PARTNER_LEAD})


def can_change_action(membership: Membership, action: Action) -> bool:
    """Facilitators change every action; a partner lead only their organisation's."""
    if membership.partnership_id != action.partnership_id:
        return False
    if membership.role == Role.FACILITATOR:
        return True
    return action.owner_id is not None and can_manage_organisation(membership, action.owner_id)


def action_for(membership: Membership, action_id: int) -> Action:
    """One of this partnership's actions; any other id is simply not found."""
    return get_object_or_404(
        Action.objects.select_related("owner", "started_from", "partnership"),
        partnership=membership.partnership,
        pk=action_id,
    )


def changeable_action(membership: Membership, action_id: int) -> Action:
    """An action this person may change; 403 for one they may only read."""
    action = action_for(membership, action_id)
    if not can_change_action(membership, action):
        raise PermissionDenied("Only a facilitator or the owning organisation's lead can change it")
    return action
