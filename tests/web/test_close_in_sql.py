"""Closing in SQL (issue 12): what a large round's close does row by row, checked on small rounds.

The close stores the answers afresh and erases the links with INSERT ...
SELECT and DELETE, and on PostgreSQL reads the answers for the analysis as
CSV text; these tests hold them to what the Python versions did: every
column of every answer kept, each rating still with its own response's
answers, every link's hash kept, nothing changed when the close fails, and
the same tables for the analysis as through the ORM.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from joinedup.instrument import load_instrument
from joinedup.partnerships.models import Organisation
from joinedup.surveys import closing, sending, services
from joinedup.surveys.models import (
    ClosedLink,
    Draft,
    Invitation,
    InvitationToken,
    OpenLink,
    Response,
    Round,
    RoundStatus,
    SendDue,
)
from joinedup.surveys.tokens import token_hash

from .closing_steps import submit_answers
from .survey_steps import invite

INSTRUMENT = load_instrument()
RATINGS = INSTRUMENT.rating_codes
AWKWARD = 'He said "no, not now",\nthen left; 50% of us, \\ too'


def _answered(world: Any, survey_round: Round) -> None:
    """Eight organisations answer through the survey; one person's answers are awkward text."""
    names = [
        "Northshire Police", "Northshire County Council", "Northshire NHS Foundation Trust",
        "Age Well Northshire",
    ]  # fmt: skip
    partners = [world.org(name) for name in names]
    for number, name in enumerate(names):
        others = [p for p in partners if p.name != name][: 1 + number % 3]
        submit_answers(survey_round, world.org(name), 6, answers=(2, 4, 5), partners=others)
    Response.objects.create(
        round=survey_round,
        organisation=partners[0],
        role="other",
        answers=dict.fromkeys(INSTRUMENT.item_codes, 3) | {INSTRUMENT.item_codes[0]: None},
        text_important=AWKWARD,
        text_sideshow="ünïcode — and a tab\there",
        ratings=[{"partner": partners[1].pk, "contact": None, "reliable": 1}],
    )


def _content() -> Counter[tuple[Any, ...]]:
    """Every response with its ratings, everything but ids and units (what must be kept)."""
    kept = Counter()
    for response in Response.objects.all():
        ratings = tuple(
            (rating["partner"], rating["contact"], *(rating.get(code) for code in RATINGS))
            for rating in response.ratings
        )
        kept[
            (
                response.round_id, response.organisation_id, response.role,
                tuple(sorted(response.answers.items())), response.text_important,
                response.text_sideshow, response.text_other, response.imported_id,
                response.channel, ratings,
            )
        ] += 1  # fmt: skip
    return kept


def _hashes(survey_round: Round) -> set[str]:
    found = set(Invitation.objects.filter(round=survey_round).values_list("token_hash", flat=True))
    found |= set(
        InvitationToken.objects.filter(invitation__round=survey_round).values_list(
            "token_hash", flat=True
        )
    )
    found |= set(Draft.objects.filter(round=survey_round).values_list("token_hash", flat=True))
    return found | set(
        OpenLink.objects.filter(round=survey_round).values_list("token_hash", flat=True)
    )


def test_the_close_keeps_every_column_of_every_answer_and_each_rating_with_its_response(
    world, open_round
) -> None:
    _answered(world, open_round)
    homes, college = (
        Organisation.objects.create(partnership=world.partnership, name=name, sector=sector)
        for name, sector in (("Northshire Homes", "housing"), ("Northshire College", "education"))
    )
    services.create_open_link(open_round, homes)
    late = services.find_link(invite(open_round, [("late@example.org", college)])[0][0].token)
    assert late is not None
    services.start_draft(late)
    before = _content()
    hashes = _hashes(open_round)
    response_ids = set(Response.objects.values_list("pk", flat=True))

    closed = services.close_round(open_round)

    assert closed.status == RoundStatus.CLOSED, closed.close_error
    assert _content() == before
    assert response_ids.isdisjoint(Response.objects.values_list("pk", flat=True))
    # Each response is in the unit its organisation was fixed in.
    unit_of = dict(closed.closed_organisations.values_list("organisation_id", "unit_id"))
    for organisation_id, unit_id in Response.objects.values_list("organisation_id", "unit_id"):
        assert unit_id is not None and unit_id == unit_of[organisation_id]
    # Every link's hash is kept, alone, so that a link says the survey closed.
    assert hashes and set(ClosedLink.objects.values_list("token_hash", flat=True)) == hashes
    assert not _hashes(closed)
    assert all(closing.closed_link_round(digest) == closed for digest in hashes)


def test_a_close_that_fails_while_storing_changes_nothing(world, open_round, monkeypatch) -> None:
    _answered(world, open_round)
    before = _content()
    response_ids = set(Response.objects.values_list("pk", flat=True))
    invitations = Invitation.objects.filter(round=open_round).count()

    def fail(survey_round: Round) -> None:  # after the answers were stored afresh
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(closing, "erase_after_close", fail)
    services.close_round(open_round)  # the task fails in the worker (here, at once)
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.OPEN and open_round.result is None
    assert open_round.close_error == services.CLOSE_FAILED
    assert set(Response.objects.values_list("pk", flat=True)) == response_ids
    assert _content() == before
    assert Invitation.objects.filter(round=open_round).count() == invitations
    assert not open_round.reporting_units.exists()

    monkeypatch.undo()  # closing again works, from the same state
    assert services.close_round(open_round).status == RoundStatus.CLOSED
    assert _content() == before


def _cells(table: Any) -> dict[str, list[str]]:
    return {
        header: [str(value) for value in column]
        for header, column in zip(table.headers, table.columns, strict=True)
    }


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the CSV reading is PostgreSQL's")
@pytest.mark.parametrize(
    "in_a_transaction",
    [
        pytest.param(True, id="in a transaction: one query after the other"),
        pytest.param(
            False,
            id="alone: both at once in one snapshot",
            marks=pytest.mark.django_db(transaction=True),
        ),
    ],
)
def test_on_postgresql_the_answers_are_read_exactly_as_through_the_orm(
    world, open_round, in_a_transaction
) -> None:
    assert connection.vendor == "postgresql"
    assert connection.in_atomic_block == in_a_transaction
    _answered(world, open_round)
    text_fields = {
        "TEXT_IMPORTANT": "text_important",
        "TEXT_SIDESHOW": "text_sideshow",
        "TEXT_OTHER": "text_other",
    }
    names = dict(world.partnership.organisations.values_list("pk", "name"))
    stored = services._stored_tables(open_round, INSTRUMENT, text_fields, names)
    through_orm = services._frame_tables(open_round, INSTRUMENT, text_fields, names)
    for fast, slow in zip(stored, through_orm, strict=True):
        assert not fast.problems
        assert fast.n_rows == slow.n_rows > 0
        assert _cells(fast) == _cells(slow)
    assert AWKWARD in _cells(stored[0])["TEXT_IMPORTANT"]


def _thread_of_the_analysis(monkeypatch: Any) -> list[tuple[int, bool]]:
    """Record, for each analysis, the thread it ran in and whether it was inside a transaction."""
    seen: list[tuple[int, bool]] = []
    analyse = services.round_result

    def watched(survey_round: Round, *args: Any, **kwargs: Any) -> dict[str, Any]:
        seen.append((threading.get_ident(), connection.in_atomic_block))
        return analyse(survey_round, *args, **kwargs)

    monkeypatch.setattr(services, "round_result", watched)
    return seen


def _closing(survey_round: Round) -> Round:
    """The round as the round page leaves it: marked "closing" (tests run tasks at once, inside
    `close_round`'s transaction, where a worker would run them after it)."""
    Round.objects.filter(pk=survey_round.pk).update(status=RoundStatus.CLOSING)
    return survey_round


def _closed_as_the_worker_does(survey_round: Round) -> Round:
    assert services.finish_close(_closing(survey_round).pk) == "closed"
    survey_round.refresh_from_db()
    return survey_round


@pytest.mark.django_db(transaction=True)
def test_the_analysis_runs_beside_the_erasing_on_postgresql_and_gives_the_same_result(
    world, open_round, monkeypatch
) -> None:
    _answered(world, open_round)
    invite(open_round, [("late@example.org", world.org("Northshire Police"))])
    expected = services.round_result(open_round)  # the answers as they stand, before the close
    seen = _thread_of_the_analysis(monkeypatch)

    closed = _closed_as_the_worker_does(open_round)

    assert closed.status == RoundStatus.CLOSED, closed.close_error
    assert closed.result == expected
    assert not Invitation.objects.filter(round=closed).exists()
    [(thread, in_transaction)] = seen
    if connection.vendor == "postgresql":
        # On a connection of its own, outside the closing transaction, which
        # had by then erased the links it could not yet see.
        assert thread != threading.get_ident() and not in_transaction
    else:
        assert thread == threading.get_ident()


@pytest.mark.django_db(transaction=True)
def test_an_analysis_that_fails_beside_the_erasing_changes_nothing(world, open_round) -> None:
    _answered(world, open_round)
    invite(open_round, [("late@example.org", world.org("Northshire Police"))])
    police = world.org("Northshire Police")
    Response.objects.create(  # an answer the analysis refuses: 9 on a 1-5 scale
        round=open_round, organisation=police, role="other",
        answers=dict.fromkeys(INSTRUMENT.item_codes, 9), ratings=[],
    )  # fmt: skip
    before = _content()
    response_ids = set(Response.objects.values_list("pk", flat=True))
    hashes = _hashes(open_round)

    assert services.finish_close(_closing(open_round).pk) == "failed"

    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.OPEN and open_round.result is None
    assert "could not be analysed" in open_round.close_error
    # The erasing and storing afresh done meanwhile were undone with the transaction.
    assert set(Response.objects.values_list("pk", flat=True)) == response_ids
    assert _content() == before
    assert _hashes(open_round) == hashes and not ClosedLink.objects.exists()
    assert not open_round.reporting_units.exists() and not open_round.closed_organisations.exists()


@pytest.mark.parametrize(
    "sizes", [(6, 6, 6, 6), (6, 6, 2, 1), (7, 5, 1, 0), (2, 1, 1, 0), (5, 4, 0, 0)]
)
def test_the_units_fixed_before_the_analysis_are_the_units_it_publishes(
    world, open_round, sizes
) -> None:
    names = ["Northshire Police", "Northshire County Council", "Age Well Northshire",
             "Northshire NHS Foundation Trust"]  # fmt: skip
    for name, size in zip(names, sizes, strict=True):
        if size:
            submit_answers(open_round, world.org(name), size, answers=(2, 4, 5))
    k = services.round_settings(open_round).min_group_size
    units = closing.units_to_publish(open_round, k)
    result = services.round_result(open_round)
    closing.same_units(units, result)  # raises if they differ
    assert [u["name"] for u in units] == [u["name"] for u in result["units"]]
    with pytest.raises(closing.UnitsChanged):
        closing.same_units(
            [*units[::-1], {"name": "x", "organisations": [], "combined": True}], result
        )


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's own indexes")
def test_link_hashes_have_no_pattern_index_on_postgresql(db) -> None:
    """A hash is only looked up whole: one unique index each, no `varchar_pattern_ops` twin
    for every link made, draft started and closed round's hashes kept to pay for."""
    tables = [m._meta.db_table for m in (ClosedLink, Draft, Invitation, InvitationToken, OpenLink)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [tables]
        )
        found = cursor.fetchall()
    on_hash = [(table, sql) for table, sql in found if "(token_hash" in sql]
    assert {table for table, _ in on_hash} == set(tables)
    assert all("UNIQUE" in sql and "pattern_ops" not in sql for _, sql in on_hash), on_hash


@pytest.mark.django_db(transaction=True)
def test_a_link_e_mailed_while_the_round_closes_is_erased_with_its_invitation(
    world, open_round
) -> None:
    """A sending task that claimed an invitation just before the close: its new link's hash
    is erased with the rest (no database constraint would catch one left behind)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers with row locks: runs on PostgreSQL (CI)")
    _answered(world, open_round)
    [late] = invite(open_round, [("late@example.org", world.org("Age Well Northshire"))])[0]
    link = late.invitation
    Invitation.objects.filter(pk=link.pk).update(send_due=SendDue.REMINDER)
    late_hash = token_hash("a link e-mailed as the round closed")
    claimed, release = threading.Event(), threading.Event()

    def sending_task() -> None:  # send_one's first transaction, held open
        sql = sending._statements()
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    sql["claim"],
                    [timezone.now(), SendDue.REMINDER, late_hash, link.pk,
                     timezone.now() - timedelta(minutes=5), RoundStatus.OPEN],
                )  # fmt: skip
                assert cursor.fetchone() is not None
                cursor.execute(sql["link"], [link.pk, late_hash])
                claimed.set()
                release.wait(30)
        finally:
            connection.close()

    sender = threading.Thread(target=sending_task)
    sender.start()
    assert claimed.wait(30)
    closer = threading.Thread(target=lambda: (services.finish_close(_closing(open_round).pk),
                                              connection.close()))  # fmt: skip
    closer.start()
    closer.join(1.0)
    assert closer.is_alive()  # waiting for the invitation the sending task holds
    release.set()
    sender.join(30)
    closer.join(60)
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.CLOSED, open_round.close_error
    assert not InvitationToken.objects.exists() and not Invitation.objects.exists()
    assert ClosedLink.objects.filter(token_hash=late_hash, round=open_round).exists()
