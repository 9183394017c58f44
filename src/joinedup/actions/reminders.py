"""E-mail reminders about overdue actions, sent by `joinedup manage remind_overdue`.

A scheduler runs the command daily (or more often: it is safe to). An
action is overdue when its due date has passed and it is not done. Its
owners are reminded: the partner lead of its owner organisation, or the
partnership's facilitators when it has no owner organisation or that
organisation has no partner lead. Each person gets one e-mail per
partnership listing their overdue actions.

At most one reminder per action per day: an action is claimed for today
(`Action.reminded_on`) with a conditional UPDATE before anything is sent,
so two runs at once cannot both remind about it. If no e-mail about an
action could be sent, its claim is given back, so the next run tries again.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from joinedup.accounts.models import User
from joinedup.partnerships.models import Membership, Partnership, Role
from joinedup.site.mail import file_under, one_line

from .models import Action, Status
from .services import area_title, today

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReminderRun:
    """What one run did: actions reminded about, e-mails sent, e-mails that failed."""

    actions: int
    sent: int
    failed: int


def overdue_actions(on: datetime.date) -> list[Action]:
    """Every partnership's overdue actions not yet reminded about on `on`."""
    return list(
        Action.objects.filter(due_date__lt=on)
        .exclude(status=Status.DONE)
        .filter(Q(reminded_on__isnull=True) | ~Q(reminded_on=on))
        .select_related("partnership", "owner")
        .order_by("partnership_id", "due_date", "pk")
    )


@dataclass(frozen=True)
class Owners:
    """Who is reminded about the actions of some partnerships (active accounts only)."""

    leads: dict[tuple[int, int], list[User]]  # (partnership, organisation) -> its partner leads
    facilitators: dict[int, list[User]]  # partnership -> its facilitators

    @classmethod
    def of(cls, partnership_ids: Iterable[int]) -> Owners:
        """Everyone who may be reminded in these partnerships, in one query."""
        leads: dict[tuple[int, int], list[User]] = defaultdict(list)
        facilitators: dict[int, list[User]] = defaultdict(list)
        memberships = (
            Membership.objects.filter(partnership_id__in=set(partnership_ids), user__is_active=True)
            .filter(Q(role=Role.FACILITATOR) | Q(role=Role.PARTNER_LEAD))
            .select_related("user")
            .order_by("user__email")
        )
        for membership in memberships:
            if membership.role == Role.FACILITATOR:
                facilitators[membership.partnership_id].append(membership.user)
            elif membership.organisation_id is not None:
                key = (membership.partnership_id, membership.organisation_id)
                leads[key].append(membership.user)
        return cls(leads, facilitators)

    def of_action(self, action: Action) -> list[User]:
        """The partner leads of its owner organisation, or else the partnership's facilitators."""
        if action.owner_id is not None:
            leads = self.leads.get((action.partnership_id, action.owner_id))
            if leads:
                return leads
        return self.facilitators.get(action.partnership_id, [])


def owners(action: Action) -> list[User]:
    """Who is reminded about an action (active accounts only)."""
    return Owners.of([action.partnership_id]).of_action(action)


def _claim(action: Action, on: datetime.date) -> bool:
    """Mark the action as reminded today, unless another run already has."""
    claimed = (
        Action.objects.filter(pk=action.pk)
        .filter(Q(reminded_on__isnull=True) | ~Q(reminded_on=on))
        .update(reminded_on=on)
    )
    return claimed == 1


def _message(
    user: User, partnership: Partnership, actions: list[Action], on: datetime.date
) -> EmailMessage:
    rows = [
        {
            "action": action,
            "area": area_title(action.area),
            "status": Status(action.status).label,
            "days": (on - action.due_date).days if action.due_date else 0,
            "url": settings.SITE_URL + reverse("actions:action", args=[partnership.pk, action.pk]),
        }
        for action in actions
    ]
    body = render_to_string(
        "actions/email/overdue.txt",
        {
            "user": user,
            "partnership": partnership,
            "rows": rows,
            "plan_url": settings.SITE_URL + reverse("actions:plan", args=[partnership.pk]),
        },
    )
    subject = (
        f"{partnership.name}: overdue action “{actions[0].title}”"
        if len(actions) == 1
        else f"{partnership.name}: {len(actions)} overdue actions in the plan"
    )
    return file_under(EmailMessage(one_line(subject), body, to=[user.email]), partnership.pk)


def remind_overdue(on: datetime.date | None = None) -> ReminderRun:
    """Remind owners about every overdue action not yet reminded about today."""
    on = on or today()
    claimed = [action for action in overdue_actions(on) if _claim(action, on)]
    previous = {action.pk: action.reminded_on for action in claimed}
    # (partnership, person) -> their overdue actions
    inbox: dict[tuple[int, int], list[Action]] = defaultdict(list)
    people: dict[int, User] = {}
    everyone = Owners.of(action.partnership_id for action in claimed)
    for action in claimed:
        for user in everyone.of_action(action):
            people[user.pk] = user
            inbox[(action.partnership_id, user.pk)].append(action)
    reached: set[int] = set()
    sent = failed = 0
    connection = get_connection()
    for (_, user_id), actions in inbox.items():
        message = _message(people[user_id], actions[0].partnership, actions, on)
        message.connection = connection
        try:
            delivered = message.send() == 1
        except (smtplib.SMTPException, OSError):
            logger.exception("Could not send an overdue reminder to %s", people[user_id].email)
            delivered = False
        if delivered:
            sent += 1
            reached.update(action.pk for action in actions)
        else:
            failed += 1
    unreached = [pk for pk in previous if pk not in reached]
    for pk in unreached:  # nobody heard: let the next run try again
        Action.objects.filter(pk=pk, reminded_on=on).update(reminded_on=previous[pk])
    return ReminderRun(actions=len(reached), sent=sent, failed=failed)
