"""What the partnerships app does: partnerships, their organisations and their people.

One function per action. Views, the demo and commands call these and never
write a partnership model directly. A function that cannot do what it is
asked raises `PartnershipError` with a plain-English reason; one that changes
several rows does so in one transaction, so a failure leaves nothing half-done.
"""

from __future__ import annotations

import math
import smtplib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from joinedup.accounts.models import User
from joinedup.analysis import InputError, Settings, interchange
from joinedup.analysis.dataset import PRESSURE_COLUMNS
from joinedup.analysis.problems import Problem
from joinedup.analysis.tables import RawTable, normalise_key
from joinedup.instrument import Instrument
from joinedup.site.mail import file_under, one_line
from joinedup.site.uploads import read_uploaded_table

from .models import ROLE_HINTS, Membership, Organisation, Partnership, Role

THRESHOLDS = ("min_group_size", "min_tie_raters", "min_text_group_size")


class PartnershipError(Exception):
    """An action that cannot be done; the message says why, in plain English.

    `field` names the form field the problem belongs to, when there is one.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _lock(partnership: Partnership) -> None:
    """Serialise changes to one partnership's members (a row lock on PostgreSQL).

    Without it, two facilitators removing each other at the same moment
    could both pass the "not the last facilitator" check.
    """
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()


# ----------------------------------------------------------- partnerships


def memberships_of(user: User) -> QuerySet[Membership]:
    """A person's memberships, with their partnerships, in the order of the partnerships' names."""
    return (
        Membership.objects.filter(user=user)
        .select_related("partnership")
        .order_by("partnership__name", "partnership_id")
    )


def _one_line(name: str) -> str:
    """A name on one line (it goes into e-mail subjects, and reads better so)."""
    return one_line(name)


@transaction.atomic
def create_partnership(creator: User, name: str, description: str = "") -> Partnership:
    """A new partnership, with its creator as facilitator."""
    partnership = Partnership.objects.create(name=_one_line(name), description=description.strip())
    Membership.objects.create(partnership=partnership, user=creator, role=Role.FACILITATOR)
    return partnership


def update_partnership(partnership: Partnership, name: str, description: str) -> Partnership:
    """Change a partnership's name and description."""
    partnership.name = _one_line(name)
    partnership.description = description.strip()
    partnership.save(update_fields=["name", "description"])
    return partnership


def threshold_limits(name: str) -> tuple[int, int]:
    """The lowest and highest value a threshold may take, from the model's validators."""
    field = Partnership._meta.get_field(name)
    low = max(v.limit_value for v in field.validators if isinstance(v, MinValueValidator))
    high = min(v.limit_value for v in field.validators if isinstance(v, MaxValueValidator))
    return int(low), int(high)


def update_thresholds(
    partnership: Partnership, min_group_size: int, min_tie_raters: int, min_text_group_size: int
) -> Partnership:
    """Set the disclosure thresholds used for rounds closed from now on.

    Results of rounds already closed keep the thresholds they were worked
    out with (the stored result records them under `settings`).
    """
    values = {
        "min_group_size": min_group_size,
        "min_tie_raters": min_tie_raters,
        "min_text_group_size": min_text_group_size,
    }
    for name, value in values.items():
        low, high = threshold_limits(name)
        if not low <= value <= high:
            raise PartnershipError(f"{name} must be between {low} and {high}, not {value}")
    Settings(**values)  # the analysis core's own checks, so the two can never disagree
    for name, value in values.items():
        setattr(partnership, name, value)
    partnership.save(update_fields=list(values))
    return partnership


# ---------------------------------------------------------- organisations


def _same_name(partnership: Partnership, name: str, exclude: Organisation | None = None) -> bool:
    others = partnership.organisations.filter(name__iexact=name.strip())
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    return others.exists()


def _name_taken(name: str) -> PartnershipError:
    return PartnershipError(f"There is already an organisation called “{name}”.", "name")


def add_organisation(
    partnership: Partnership, name: str, sector: str, **pressure: float | None
) -> Organisation:
    """Add a member organisation; names are unique in a partnership, ignoring case."""
    name = name.strip()
    if _same_name(partnership, name):
        raise _name_taken(name)
    try:
        with transaction.atomic():
            return Organisation.objects.create(
                partnership=partnership, name=name, sector=sector, **pressure
            )
    except IntegrityError as error:  # added by someone else a moment ago
        raise _name_taken(name) from error


def update_organisation(
    organisation: Organisation, name: str, sector: str, **pressure: float | None
) -> Organisation:
    """Change an organisation's name, sector or pressure indicators.

    Results of closed rounds keep the name they were worked out with.
    """
    name = name.strip()
    if _same_name(organisation.partnership, name, exclude=organisation):
        raise _name_taken(name)
    organisation.name = name
    organisation.sector = sector
    for column in PRESSURE_COLUMNS:
        if column in pressure:
            setattr(organisation, column, pressure[column])
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as error:
        raise _name_taken(name) from error
    return organisation


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def reasons_to_keep(organisation: Organisation) -> list[str]:
    """Why an organisation cannot be removed: everything that would go with it.

    Deleting an organisation deletes, by cascade, its survey responses,
    invitations, links and its partner lead's access, and would leave the
    ratings partners gave it (inside their responses) rating nobody. None of
    that may happen as a side effect, so each is a reason to refuse, and
    anything else that refers to it (a later app's records) too.
    """
    from joinedup.surveys import ratings as survey_ratings  # surveys' models need this app's

    reasons = []
    responses = organisation.response_set.count()
    if responses:
        reasons.append(f"it has {_count(responses, 'survey response', 'survey responses')}")
    ratings = survey_ratings.count_of_partner(organisation.pk, organisation.partnership_id)
    if ratings:
        reasons.append(
            f"partners rated it {_count(ratings, 'time', 'times')} in their survey responses"
        )
    closed = organisation.closed_round_entries.count()
    if closed:
        reasons.append(
            f"{_count(closed, 'closed round has', 'closed rounds have')} published results "
            "that count it, and those stay as they were published"
        )
    invitations = organisation.invitation_set.count()
    if invitations:
        reasons.append(
            f"{_count(invitations, 'person has', 'people have')} been invited to answer "
            "a survey for it"
        )
    if organisation.openlink_set.exists():
        reasons.append("it has a survey link that people may be using")
    if organisation.draft_set.exists():
        reasons.append("someone has started answering a survey for it")
    for lead in organisation.membership_set.select_related("user"):
        reasons.append(
            f"{lead.user.display_name} is its partner lead: give them another role or "
            "remove them from the partnership first"
        )
    known = {"response", "invitation", "openlink", "draft", "membership"}
    known |= {"roundorganisation"}
    for relation in Organisation._meta.related_objects:
        if relation.related_model._meta.model_name in known:
            continue
        accessor = relation.get_accessor_name()
        if accessor and getattr(organisation, accessor).exists():
            reasons.append(f"other records ({relation.related_model._meta.verbose_name}) use it")
    return reasons


@transaction.atomic
def remove_organisation(organisation: Organisation) -> None:
    """Remove an organisation that nothing refers to yet (a mistake, a duplicate).

    The row locks make anything that would refer to it wait until it is
    gone, or be seen by the check below: an invitation or an import holds the
    organisation's row, and a response being sent holds its round's (so the
    partnership's rounds are locked first, in the order the close takes
    them: rounds, then organisations).
    """
    from joinedup.surveys.models import Round  # surveys' models need this app's

    # FOR NO KEY UPDATE: it still waits for (and stops) every writer of a
    # response (they take FOR UPDATE) and the close, but not the foreign key
    # checks (FOR KEY SHARE) that an invitation or open link being made runs
    # at its commit while holding the organisation's row: FOR UPDATE here
    # deadlocked with those.
    rounds = Round.objects.select_for_update(no_key=True)
    list(rounds.filter(partnership_id=organisation.partnership_id).order_by("pk"))
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    reasons = reasons_to_keep(organisation)
    if reasons:
        raise PartnershipError(
            f"{organisation.name} cannot be removed: " + "; ".join(reasons) + "."
        )
    organisation.delete()


# ------------------------------------------------ importing organisations


@dataclass(frozen=True)
class OrganisationRow:
    """One organisation read from an organisations file.

    `pressure` holds only the indicator columns the file has: a column the
    file lacks leaves that indicator as it was; a blank cell clears it.
    """

    row: int
    name: str
    sector: str
    pressure: dict[str, float | None]


@dataclass(frozen=True)
class ImportSummary:
    """What an import did: the organisations added and updated, and what it ignored."""

    added: list[str]
    updated: list[str]
    warnings: list[Problem]

    def __str__(self) -> str:
        note = f"{_count(len(self.added), 'organisation', 'organisations')} added and "
        note += f"{len(self.updated)} updated."
        if self.warnings:
            note += " Ignored: " + "; ".join(str(w) for w in self.warnings) + "."
        return note


def read_organisations_upload(filename: str, content: bytes) -> RawTable:
    """An uploaded organisations file (CSV, or a workbook's "organisations" sheet) as a table."""
    return read_uploaded_table(filename, content, "organisations")


def check_organisations(
    table: RawTable, instrument: Instrument | None = None
) -> tuple[list[OrganisationRow], list[Problem]]:
    """Check an organisations file exactly as `joinedup analyse` does (SPEC §2).

    Returns the organisations and the warnings (unknown columns); raises
    `InputError` listing every problem, with its row and column.
    """
    frame, warnings = interchange.check_organisations(table, instrument)
    problems: list[Problem] = []
    if table.n_rows == 0:
        raise InputError([Problem(table.source, None, None, "the file lists no organisations")])
    name_limit = Organisation._meta.get_field("name").max_length or 200
    present = {
        normalise_key(header)
        for header in table.headers
        if normalise_key(header) in PRESSURE_COLUMNS
    }
    rows: list[OrganisationRow] = []
    for record in frame.itertuples(index=False):
        number, name = record.row, str(record.name)
        # Beyond the command line's checks: what the database cannot store.
        if len(name) > name_limit:
            problem = f"the name is longer than {name_limit} characters"
            problems.append(Problem(table.source, int(number), "organisation", problem))
            continue
        pressure: dict[str, float | None] = {}
        for column in PRESSURE_COLUMNS:
            if column in present:
                value = float(getattr(record, column))
                pressure[column] = None if math.isnan(value) else value
        rows.append(OrganisationRow(int(number), name, str(record.sector), pressure))
    if problems:
        raise InputError(problems, warnings)
    return rows, warnings


@transaction.atomic
def import_organisations(partnership: Partnership, filename: str, content: bytes) -> ImportSummary:
    """Add or update a partnership's organisations from an organisations file.

    An organisation whose name matches an existing one (ignoring case and
    surrounding spaces) is updated, keeping its name as it was; others are
    added. Organisations not in the file are left alone. Any problem raises
    `InputError` before anything is stored.
    """
    rows, warnings = check_organisations(read_organisations_upload(filename, content))
    existing = {
        normalise_key(organisation.name): organisation
        for organisation in partnership.organisations.select_for_update()
    }
    added: list[str] = []
    updated: list[str] = []
    for row in rows:
        organisation = existing.get(normalise_key(row.name))
        if organisation is None:
            Organisation.objects.create(
                partnership=partnership, name=row.name, sector=row.sector, **row.pressure
            )
            added.append(row.name)
        else:
            organisation.sector = row.sector
            for column, value in row.pressure.items():
                setattr(organisation, column, value)
            organisation.save()
            updated.append(organisation.name)
    return ImportSummary(added, updated, warnings)


# ----------------------------------------------------------------- people


@dataclass(frozen=True)
class AddedMember:
    membership: Membership
    new_account: bool
    emailed: bool


def role_description(role: str, organisation: Organisation | None) -> str:
    """A role as a sentence fragment: "a partner lead for Northshire Police"."""
    label = Role(role).label.lower()
    article = "an" if label[0] in "aeiou" else "a"
    if role == Role.PARTNER_LEAD and organisation is not None:
        return f"{article} {label} for {organisation.name}"
    return f"{article} {label}"


def _check_role(
    partnership: Partnership,
    role: str,
    organisation: Organisation | None,
    membership: Membership | None = None,
) -> Organisation | None:
    """The organisation to store with a role: a partner lead's, else none."""
    if role not in Role.values:
        raise PartnershipError(f"“{role}” is not a role.", "role")
    if role != Role.PARTNER_LEAD:
        return None
    if organisation is None:
        raise PartnershipError(
            "Select the organisation this partner lead manages invitations for", "organisation"
        )
    if organisation.partnership_id != partnership.pk:
        raise PartnershipError(
            f"{organisation.name} is not a member of this partnership.", "organisation"
        )
    # SPEC: one partner lead per organisation.
    lead = (
        Membership.objects.filter(
            partnership=partnership, role=Role.PARTNER_LEAD, organisation=organisation
        )
        .exclude(pk=membership.pk if membership else None)
        .select_related("user")
        .first()
    )
    if lead is not None:
        raise PartnershipError(
            f"{organisation.name} already has a partner lead, {lead.user.display_name}. "
            "Give them another role first.",
            "organisation",
        )
    return organisation


def is_last_facilitator(membership: Membership) -> bool:
    """Whether this member is the partnership's only facilitator, who must stay one."""
    return (
        membership.role == Role.FACILITATOR
        and not Membership.objects.filter(
            partnership_id=membership.partnership_id, role=Role.FACILITATOR
        )
        .exclude(pk=membership.pk)
        .exists()
    )


def add_member(
    partnership: Partnership,
    email: str,
    role: str,
    organisation: Organisation | None = None,
    *,
    name: str = "",
    added_by: User | None = None,
) -> AddedMember:
    """Give a person a role in the partnership, and e-mail them to say so.

    Someone without an account gets one with no password, and a link to
    choose one. The membership is kept even if the e-mail cannot be sent
    (`emailed` is then False), so the facilitator can send a new link.
    """
    address = email.strip().lower()
    with transaction.atomic():
        _lock(partnership)
        organisation = _check_role(partnership, role, organisation)
        user = User.objects.filter(email__iexact=address).first()
        new_account = user is None
        if user is None:
            user = User.objects.create_user(email=address, password=None, name=name.strip())
        elif Membership.objects.filter(partnership=partnership, user=user).exists():
            raise PartnershipError(f"{address} is already a member of this partnership.", "email")
        membership = Membership.objects.create(
            partnership=partnership, user=user, role=role, organisation=organisation
        )
    if new_account:
        emailed = send_set_password_link(membership, added_by)
    else:
        emailed = _send(
            membership,
            "partnerships/email/added.txt",
            added_by,
            sign_in_url=settings.SITE_URL + reverse("accounts:sign-in"),
        )
    return AddedMember(membership, new_account, emailed)


def change_role(
    membership: Membership, role: str, organisation: Organisation | None = None
) -> Membership:
    """Change a member's role; a partnership always keeps at least one facilitator."""
    partnership = membership.partnership
    with transaction.atomic():
        _lock(partnership)
        membership.refresh_from_db()
        organisation = _check_role(partnership, role, organisation, membership)
        if role != Role.FACILITATOR and is_last_facilitator(membership):
            raise PartnershipError(
                f"{membership.user.display_name} is the only facilitator. Make someone else a "
                "facilitator first: a partnership needs one to run it.",
                "role",
            )
        membership.role = role
        membership.organisation = organisation
        membership.save(update_fields=["role", "organisation"])
    return membership


def remove_member(membership: Membership) -> None:
    """Take away a person's access to the partnership (their account stays)."""
    partnership = membership.partnership
    with transaction.atomic():
        _lock(partnership)
        current = Membership.objects.filter(pk=membership.pk).first()
        if current is None:
            return
        if is_last_facilitator(current):
            raise PartnershipError(
                f"{membership.user.display_name} is the only facilitator and cannot be removed. "
                "Make someone else a facilitator first: a partnership needs one to run it."
            )
        current.delete()


def needs_password(user: User) -> bool:
    """Whether a person has never chosen a password (their account was made for them)."""
    return not user.has_usable_password()


def set_password_url(user: User) -> str:
    """A link to choose a password: the password-reset link, valid for PASSWORD_RESET_TIMEOUT."""
    path = reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL + path


def send_set_password_link(membership: Membership, added_by: User | None = None) -> bool:
    """E-mail a person who has no password yet a link to choose one; True if it was sent."""
    if not needs_password(membership.user):
        raise PartnershipError(
            f"{membership.user.display_name} has already chosen a password. If they have "
            "forgotten it, they can reset it from the sign-in page."
        )
    return _send(
        membership,
        "partnerships/email/welcome.txt",
        added_by,
        carries_password_link=True,
        url=set_password_url(membership.user),
        valid_for=_duration(settings.PASSWORD_RESET_TIMEOUT),
    )


def _send(
    membership: Membership,
    template: str,
    added_by: User | None,
    *,
    carries_password_link: bool = False,
    **context: Any,
) -> bool:
    partnership = membership.partnership
    body = render_to_string(
        template,
        {
            "user": membership.user,
            "partnership": partnership,
            "role": role_description(membership.role, membership.organisation),
            "role_hint": ROLE_HINTS[Role(membership.role)],
            "added_by": added_by.display_name if added_by else "A facilitator",
            **context,
        },
    )
    subject = f"You have been added to {partnership.name} on {settings.SITE_NAME}"
    message = EmailMessage(one_line(subject), body, to=[membership.user.email])
    file_under(message, _outbox_partnership(membership, carries_password_link))
    try:
        return message.send() == 1
    except (smtplib.SMTPException, OSError):
        # The membership stands; the page says the e-mail failed and offers a new link.
        return False


def _outbox_partnership(membership: Membership, carries_password_link: bool) -> int | None:
    """Whose outbox may hold this e-mail, when there is no mail server.

    A link to choose a password lets whoever holds it become that person. It is
    filed under the partnership only when that is the person's one
    partnership; otherwise a facilitator of one partnership could take over
    someone who belongs to another, so only site operators see it.
    """
    if not carries_password_link:
        return membership.partnership_id
    elsewhere = (
        Membership.objects.filter(user=membership.user)
        .exclude(partnership_id=membership.partnership_id)
        .exists()
    )
    return None if elsewhere else membership.partnership_id


def _duration(seconds: int) -> str:
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"one {unit}" if count == 1 else f"{count} {unit}s"
    return f"{seconds} seconds"
