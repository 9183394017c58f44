"""Who may see and do what in a partnership.

Every partnership page goes through `partnership_view`: a person who is not a
member gets 404 (the partnership's existence is not revealed); a member whose
role does not allow the page gets 403.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from .models import Membership, Role

ALL_ROLES = frozenset(Role.values)
RESULTS_ROLES = ALL_ROLES
MANAGES_INVITATIONS = frozenset({Role.FACILITATOR, Role.PARTNER_LEAD})
FACILITATOR_ONLY = frozenset({Role.FACILITATOR})


def membership_for(user: Any, partnership_id: int, roles: Iterable[str] = ALL_ROLES) -> Membership:
    """The user's membership of the partnership, if their role is one of `roles`."""
    if not user.is_authenticated:
        raise Http404
    # `partnership__pk`, not `partnership_id`: Django then finds nothing for an id too
    # large for the database, where SQLite would fail (any URL's digits reach here).
    membership = (
        Membership.objects.select_related("partnership", "organisation")
        .filter(user=user, partnership__pk=partnership_id)
        .first()
    )
    if membership is None:
        raise Http404("No such partnership")
    if membership.role not in set(roles):
        raise PermissionDenied("Your role in this partnership does not allow this")
    return membership


def partnership_view(roles: Iterable[str] = ALL_ROLES) -> Callable[..., Any]:
    """Decorate a view taking (request, membership, ...) from a `partnership_id` URL argument."""
    allowed = frozenset(roles)

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, partnership_id: int, **kwargs: Any) -> HttpResponse:
            membership = membership_for(request.user, partnership_id, allowed)
            return view(request, membership, **kwargs)

        return wrapper

    return decorate


def can_manage_organisation(membership: Membership, organisation_id: int) -> bool:
    """Facilitators manage every organisation's invitations; a partner lead only their own."""
    if membership.role == Role.FACILITATOR:
        return True
    return membership.role == Role.PARTNER_LEAD and membership.organisation_id == organisation_id
