"""How a survey link is looked up on every page, and what open links record.

Split from services.py: the hot path of the respondent's pages (one query
for a draft with its round) and the open-link burst counts that the round
page shows to facilitators.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import connection, models
from django.db.models import F

from joinedup.partnerships.models import Organisation, Partnership

from .models import Draft, Invitation, OpenLink, Round

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


@functools.cache
def _draft_sql() -> str:
    def table(model: type[models.Model]) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    def column(model: type[models.Model], name: str) -> str:
        return connection.ops.quote_name(model._meta.get_field(name).column)

    selected = [f"d.{column(Draft, f.attname)}" for f in Draft._meta.concrete_fields]
    for model, alias, names in _VISIT_COLUMNS:
        selected += [f"{alias}.{column(model, name)} AS {alias}_{name}" for name in names]
    return (
        f"SELECT {', '.join(selected)} FROM {table(Draft)} d "
        f"JOIN {table(Round)} r ON r.id = d.{column(Draft, 'round')} "
        f"JOIN {table(Partnership)} p ON p.id = r.{column(Round, 'partnership')} "
        f"JOIN {table(Organisation)} o ON o.id = d.{column(Draft, 'organisation')} "
        f"WHERE d.{column(Draft, 'token_hash')} = %s"
    )


def draft_with_its_round(digest: str) -> Draft | None:
    """The draft under a token hash with its round, partnership and organisation: one query.

    The hot path of every survey page. Written as one SQL statement, because
    building the ORM's four-table query cost more than running it.
    """
    found = next(iter(Draft.objects.raw(_draft_sql(), [digest])), None)
    if found is None:
        return None
    loaded = {
        alias: model.from_db(
            found._state.db, list(names), [getattr(found, f"{alias}_{n}") for n in names]
        )
        for model, alias, names in _VISIT_COLUMNS
    }
    loaded["r"].partnership = loaded["p"]
    found.round = loaded["r"]
    found.organisation = loaded["o"]
    return found


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
