"""How a survey link is looked up on every page, and what open links record.

Split from services.py: the hot path of the respondent's pages (one query
for a draft with its round) and the open-link burst counts that the round
page shows to facilitators.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models import F

from joinedup.partnerships.models import Organisation, Partnership

from . import plain_sql
from .models import Draft, Invitation, InvitationToken, OpenLink, Round

# What a survey page needs of a draft's round, partnership and organisation.
# Every other column is left deferred (loaded only if some code asks for it),
# so fields added to these models later cost nothing here.
_VISIT_COLUMNS: tuple[tuple[type[models.Model], str, tuple[str, ...]], ...] = (
    (Round, "r", ("id", "partnership_id", "label", "instrument", "status", "closes_on")),
    (
        Partnership,
        "p",
        ("id", "name", "min_group_size", "min_tie_raters", "min_text_group_size"),
    ),
    (Organisation, "o", ("id", "partnership_id", "name", "sector")),
)


Plan = tuple[str, list[tuple[type[models.Model], str, tuple[str, ...]]]]


@functools.cache
def _visit_plan(model: type[models.Model], through_tokens: bool = False) -> Plan:
    """One query for a draft or an invitation with its round, and how to turn its row into objects.

    Built once per process: the SQL, then for each model (the draft or
    invitation, its round, partnership and organisation) its alias and field
    names, so that a row becomes objects without the ORM's query machinery
    (each value converted as the ORM would: `plain_sql.converted`).
    `through_tokens` finds an invitation by any link e-mailed to it
    (`InvitationToken`), not only by its own `token_hash`.
    """

    def table(model: type[models.Model]) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    def column(model: type[models.Model], name: str) -> str:
        return connection.ops.quote_name(model._meta.get_field(name).column)

    parts: list[tuple[type[models.Model], str, tuple[str, ...]]] = [
        (model, "x", tuple(f.attname for f in model._meta.concrete_fields)),
        *_VISIT_COLUMNS,
    ]
    selected = [f"{alias}.{column(part, name)}" for part, alias, names in parts for name in names]
    if through_tokens:
        where = (
            f"x.{column(model, 'id')} IN (SELECT {column(InvitationToken, 'invitation')} "
            f"FROM {table(InvitationToken)} WHERE {column(InvitationToken, 'token_hash')} = %s)"
        )
    else:
        where = f"x.{column(model, 'token_hash')} = %s"
    sql = (
        f"SELECT {', '.join(selected)} FROM {table(model)} x "
        f"JOIN {table(Round)} r ON r.id = x.{column(model, 'round')} "
        f"JOIN {table(Partnership)} p ON p.id = r.{column(Round, 'partnership')} "
        f"JOIN {table(Organisation)} o ON o.id = x.{column(model, 'organisation')} "
        f"WHERE {where}"
    )
    return sql, parts


def _with_its_round(
    model: type[models.Model], digest: str, through_tokens: bool = False
) -> Any | None:
    sql, plan = _visit_plan(model, through_tokens)
    database = connections[DEFAULT_DB_ALIAS]  # once: each `connection.x` is a lookup
    with database.cursor() as cursor:
        cursor.execute(sql, [digest])
        row = cursor.fetchone()
    if row is None:
        return None
    loaded = []
    start = 0
    for part, alias, names in plan:
        values = plain_sql.converted(part, names, alias, row[start : start + len(names)])
        start += len(names)
        loaded.append(part.from_db(DEFAULT_DB_ALIAS, list(names), values))
    found, survey_round, partnership, organisation = loaded
    survey_round.partnership = partnership
    found.round = survey_round
    found.organisation = organisation
    return found


def draft_with_its_round(digest: str) -> Draft | None:
    """The draft under a token hash with its round, partnership and organisation: one query.

    The hot path of every survey page. Written as one SQL statement read
    with a plain cursor, because building the ORM's four-table query, or
    even a raw query set's column mapping, cost more than running it.
    """
    return _with_its_round(Draft, digest)


def invitation_with_its_round(digest: str) -> Invitation | None:
    """The invitation a link's hash belongs to, with its round: the first link, or a later one.

    Opening an invitation's link for the first time (no draft yet) is what
    thousands of people do in the hour after the e-mails go out: hand-written
    like `draft_with_its_round`.
    """
    return _with_its_round(Invitation, digest) or _with_its_round(
        Invitation, digest, through_tokens=True
    )


@functools.cache
def _save_sql() -> str:
    def column(name: str) -> str:
        return connection.ops.quote_name(Draft._meta.get_field(name).column)

    return (
        f"UPDATE {connection.ops.quote_name(Draft._meta.db_table)} "
        f"SET {column('answers')} = %s, {column('updated_at')} = %s "
        f"WHERE {column('id')} = %s AND {column('updated_at')} = %s"
    )


def save_if_unchanged(draft_id: int, read_at: Any, answers: dict[str, Any], now: Any) -> bool:
    """Write a draft's answers only if nobody saved it since `read_at`; True if written.

    A page save's common case, as one plain statement: the ORM's UPDATE
    compiled afresh on every save cost as much as the rest of the save.
    Values go through the fields' own preparation (JSON, dates), as the
    ORM's would.
    """
    database = connections[DEFAULT_DB_ALIAS]
    answers_field = Draft._meta.get_field("answers")
    updated_field = Draft._meta.get_field("updated_at")
    parameters = [
        answers_field.get_db_prep_save(answers, database),
        updated_field.get_db_prep_save(now, database),
        draft_id,
        updated_field.get_db_prep_value(read_at, database),
    ]
    with database.cursor() as cursor:
        cursor.execute(_save_sql(), parameters)
        return cursor.rowcount == 1


@functools.cache
def _partners_sql() -> str:
    table = connection.ops.quote_name(Organisation._meta.db_table)
    return f"SELECT id, name FROM {table} WHERE partnership_id = %s AND id <> %s ORDER BY name, id"


def partners_of(partnership_id: int, organisation_id: int) -> list[Organisation]:
    """The partnership's other organisations by name (id and name only), for the partner pages.

    One plain statement: compiling the ORM's query cost more than running it.
    """
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(_partners_sql(), [partnership_id, organisation_id])
        rows = cursor.fetchall()
    return [Organisation.from_db(DEFAULT_DB_ALIAS, ["id", "name"], list(row)) for row in rows]


def from_open_link(draft: Draft) -> OpenLink | None:
    """The open link a draft was started from, or None for an invitation's draft.

    An invitation's draft lives under the invitation's current token hash;
    an open link's under a token of its own, and each organisation has at
    most one open link a round.
    """
    if Invitation.objects.filter(token_hash=draft.token_hash).exists():
        return None
    return OpenLink.objects.filter(
        round_id=draft.round_id, organisation_id=draft.organisation_id
    ).first()


def count_open_link_refusal(link: OpenLink, field: str) -> None:
    """Record, for the facilitator, a start or a sending refused as too many too fast."""
    OpenLink.objects.filter(pk=link.pk).update(**{field: F(field) + 1})


def open_link_activity(survey_round: Round) -> list[dict[str, Any]]:
    """Per open link of a round: starts and sendings refused as unusual bursts.

    For the round page: a number above zero means someone tried to start or
    send more surveys through one link, from one address, than an office
    plausibly would (RATE_LIMIT_OPEN_STARTS a minute, RATE_LIMIT_OPEN_SUBMITS
    an hour). Nothing here says who, or which answers.
    """
    return [
        {
            "organisation": link.organisation,
            "refused_starts": link.refused_starts,
            "refused_submissions": link.refused_submissions,
            "unusual": bool(link.refused_starts or link.refused_submissions),
        }
        for link in survey_round.open_links.select_related("organisation").order_by(
            "organisation__name"
        )
    ]
