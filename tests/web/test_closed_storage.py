"""A database operator learns nothing from how a closed round's answers are stored (issue 9 §5).

The attack: with the database open, list a round's responses in physical
order (SQLite's rowid, PostgreSQL's ctid) next to the invitations marked done
in order, or remember response ids seen while the round was open. After the
close, both are gone: the rows are new, with new ids, in a random order, and
the invitations are erased.
"""

from __future__ import annotations

import json

from django.db import connection

from joinedup.surveys import channels, ratings, services
from joinedup.surveys.models import Draft, Invitation, OpenLink, Response
from joinedup.surveys.tokens import token_hash
from tests.web.survey_steps import invite

from .closing_steps import INSTRUMENT

PEOPLE = 30


def _stored_rows(columns: str, table: str, survey_round) -> list[tuple]:
    """A round's rows of `table`, in the order the database stores them (SQLite's rowid, ctid)."""
    position = "rowid" if connection.vendor == "sqlite" else "ctid"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {table} WHERE round_id = %s ORDER BY {position}",
            [survey_round.pk],
        )
        return cursor.fetchall()


def _physical_order(survey_round) -> list[tuple[str, int]]:
    """(id, person number) of the round's responses, in the order the database stores them."""
    rows = _stored_rows("id, answers", "surveys_response", survey_round)
    return [(str(row_id), _person(answers)) for row_id, answers in rows]


def _kept_hashes(survey_round) -> list[str]:
    """The closed round's link hashes, in the order the database stores them."""
    return [row[0] for row in _stored_rows("token_hash", "surveys_closedlink", survey_round)]


def _person(answers: str | dict) -> int:
    """The person number written into the first three answers (base 5)."""
    values = json.loads(answers) if isinstance(answers, str) else answers
    first = [values[code] - 1 for code in INSTRUMENT.item_codes[:3]]
    return first[0] * 25 + first[1] * 5 + first[2]


def _answers_of(number: int) -> dict[str, int]:
    items = dict.fromkeys(INSTRUMENT.item_codes, 3)
    for place, code in enumerate(INSTRUMENT.item_codes[:3]):
        items[code] = (number // 5 ** (2 - place)) % 5 + 1
    return items


def test_after_close_row_order_and_ids_say_nothing_about_who_sent_when(world) -> None:
    survey_round = services.open_round(services.create_round(world.partnership, "Spring 2027"))
    police, council = world.org("Northshire Police"), world.org("Northshire County Council")
    links, _ = invite(survey_round, [(f"p{i}@example.org", police) for i in range(PEOPLE)])
    for number, link in enumerate(links):  # person 0 first, then 1, ...
        visit = services.find_link(link.token)
        assert visit is not None
        draft, _ = services.start_draft(visit)
        services.save_draft(
            draft,
            {"items": _answers_of(number), "partners": [str(council.pk)],
             "ratings": {str(council.pk): {"contact": 3, "reliable": 4}}},
        )  # fmt: skip
        services.submit(link.token)
    services.create_open_link(survey_round, council)
    unsent = services.find_link(
        invite(survey_round, [("late@example.org", world.org("Age Well Northshire"))])[0][0].token
    )
    assert unsent is not None
    services.start_draft(unsent)

    # What the operator sees while the round is open: rows in the order the
    # database placed them as they came, usually the order sent (PostgreSQL
    # may put a row into room freed earlier, so that is not asserted here).
    open_order = _physical_order(survey_round)
    assert sorted(person for _, person in open_order) == list(range(PEOPLE))
    open_ids = {row_id for row_id, _ in open_order}

    survey_round = services.close_round(survey_round)

    closed_order = _physical_order(survey_round)
    people = [person for _, person in closed_order]
    assert sorted(people) == list(range(PEOPLE))  # every answer is kept, once
    assert people != list(range(PEOPLE))  # not in the order sent (chance: 1 in 30!)
    assert people != [person for _, person in open_order]  # nor as they lay while open
    assert {row_id for row_id, _ in closed_order}.isdisjoint(open_ids)
    # The links are kept as hashes only, each once, in the order of the
    # hashes: neither the order people were invited in nor the order they
    # answered in.
    hashes = _kept_hashes(survey_round)
    assert hashes == sorted(hashes) and len(set(hashes)) == len(hashes)
    assert {token_hash(link.token) for link in links} <= set(hashes)
    # Each person's rating moved with their answers (it is inside the row).
    assert ratings.count_in_round(survey_round.pk) == PEOPLE
    # Nothing is left to line rows up with: no invitations (no done flags, no
    # addresses), no drafts, no open links; only counts per organisation.
    assert not Invitation.objects.filter(round=survey_round).exists()
    assert not Draft.objects.filter(round=survey_round).exists()
    assert not OpenLink.objects.filter(round=survey_round).exists()
    counts = {row.organisation.name: row for row in channels.progress_by_organisation(survey_round)}
    assert (counts["Northshire Police"].invited, counts["Northshire Police"].responses) == (
        PEOPLE,
        PEOPLE,
    )
    assert (counts["Age Well Northshire"].invited, counts["Age Well Northshire"].responses) == (
        1,
        0,
    )
    kept = {entry.organisation.name: entry for entry in survey_round.closed_organisations.all()}
    assert kept["Northshire Police"].finished == PEOPLE
    assert kept["Age Well Northshire"].finished == 0
    assert Response.objects.filter(round=survey_round, unit__isnull=True).count() == 0
