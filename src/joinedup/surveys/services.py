"""What the surveys app does, one function per action.

Views, management commands and the demo call these; none of them writes a
survey model directly. Each function that changes several rows does so in
one transaction, so a failure leaves nothing half-done.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from django.apps import apps as django_apps
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from psycopg.adapt import Loader

from joinedup.accounts.models import User
from joinedup.analysis import SPEC_REVISION, InputError, Settings, analyse, load_tables
from joinedup.analysis.hidden import Hidden, what_results_hide
from joinedup.analysis.interchange import ORGANISATIONS_COLUMNS
from joinedup.analysis.limits import ReadLimits
from joinedup.analysis.published import PublishedRound
from joinedup.analysis.settings import LOWEST_TIE_RATERS
from joinedup.analysis.tables import RawTable, parse_csv_bytes
from joinedup.instrument import load_instrument
from joinedup.partnerships.models import Organisation, Partnership

from . import audit, channels, closing, plain_sql, ratings, visits
from .errors import ChannelRefused, SurveyError
from .models import Channel, Draft, Invitation, OpenLink, Response, Round, RoundStatus
from .sending import add_invitations, remind, send_pending, survey_url  # noqa: F401  (interface)
from .tokens import new_token, token_hash
from .visits import (  # noqa: F401  (open-link activity is part of this module's interface)
    count_open_link_refusal,
    draft_with_its_round,
    from_open_link,
    open_link_activity,
)

T = TypeVar("T")

# ----------------------------------------------------------------- rounds


def create_round(
    partnership: Partnership, label: str, closes_on: datetime.date | None = None
) -> Round:
    """A draft round; `closes_on` is its planned closing date (checked by the form)."""
    label = label.strip()
    if partnership.rounds.filter(label__iexact=label).exists():
        raise SurveyError(f"There is already a round called “{label}”.")
    return Round.objects.create(partnership=partnership, label=label, closes_on=closes_on)


def open_round(survey_round: Round) -> Round:
    if survey_round.status != RoundStatus.DRAFT:
        raise SurveyError("Only a draft round can be opened.")
    if not survey_round.partnership.organisations.exists():
        raise SurveyError("Add the member organisations before opening a round.")
    survey_round.status = RoundStatus.OPEN
    survey_round.opened_at = timezone.now()
    survey_round.save(update_fields=["status", "opened_at"])
    return survey_round


def close_round(survey_round: Round, in_worker: bool = True) -> Round:
    """Ask for an open round to be closed; the worker then does it (`finish_close`).

    The round is marked "closing" at once, under the round's lock that every
    submission takes, so from then on no answer is accepted (survey pages say
    the survey has closed) and none waits on a lock while the analysis runs.
    Asking again while it closes does nothing. `in_worker=False` (the demo,
    commands) closes in this process instead of queueing the task.
    """
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=survey_round.pk)
        if locked.status == RoundStatus.CLOSING:
            return locked
        if locked.status != RoundStatus.OPEN:
            raise SurveyError("Only an open round can be closed.")
        locked.status = RoundStatus.CLOSING
        locked.close_error = ""
        locked.save(update_fields=["status", "close_error"])
        if in_worker:
            from .tasks import close_round_task

            close_round_task.enqueue(locked.pk)
    if not in_worker:
        finish_close(locked.pk)
    locked.refresh_from_db()  # as the close left it, when it ran at once
    if not in_worker and locked.status != RoundStatus.CLOSED:
        raise SurveyError(locked.close_error)
    return locked


CLOSE_FAILED = (
    "Something went wrong while working out the results, so the round stays open. "
    "Try closing it again; if that fails too, tell your administrator."
)


def finish_close(round_id: int) -> str:
    """Close a round marked "closing": analyse it, keep the result, erase what it no longer needs.

    Runs in the worker, in one transaction (see `closing`): the round and its
    partnership's organisations are locked against changes (not against
    answers to other rounds: `FOR NO KEY UPDATE`); the reporting units the
    result will publish are fixed by organisation id from the counts; the
    responses are stored afresh in random order with new ids; what the closed
    round no longer needs is erased (drafts of people who had not finished,
    invitations with their e-mail addresses and links, open links; counts
    per organisation are kept); and the result is stored. On PostgreSQL the
    analysis runs meanwhile on a connection of its own, which still sees the
    answers as they were (none can arrive now, and this transaction's
    changes are not yet committed), so the database's work and the
    analysis's overlap; elsewhere it runs first. No answer waits on these
    locks: a round marked "closing" refuses answers before taking any.
    A failure undoes everything and opens the round again with the reason,
    for the round page. Running it twice does nothing more.
    """
    survey_round = Round.objects.get(pk=round_id)
    if survey_round.status != RoundStatus.CLOSING:
        return "nothing to do"
    beside = connection.vendor == "postgresql" and not connection.in_atomic_block
    try:
        with transaction.atomic(), ThreadPoolExecutor(1) as pool:
            locked = Round.objects.select_for_update(no_key=True).get(pk=round_id)
            if locked.status != RoundStatus.CLOSING:
                return "nothing to do"
            # The result's units are made of the organisations' names: no
            # rename until the close is done.
            list(locked.partnership.organisations.select_for_update(no_key=True).order_by("pk"))
            # One reading of the thresholds for both the units fixed here and
            # the analysis (a change meanwhile must not set them apart).
            settings = round_settings(locked)
            analysis: Future[dict[str, Any]]
            if beside:
                analysis = pool.submit(_on_its_own_connection, _analysed, locked.pk, settings)
                # Foreign keys checked as the rows are written, while the
                # analysis runs, not all at the commit.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            else:  # here, before anything changes
                analysis = Future()
                analysis.set_result(round_result(locked, settings))
            units = closing.units_to_publish(locked, settings.min_group_size)
            unit_of = closing.fix_units(locked, {"units": units})
            closing.store_afresh(locked, unit_of)
            closing.erase_after_close(locked)
            result = analysis.result()
            closing.same_units(units, result)
            locked.result = result
            locked.result_revision = SPEC_REVISION
            locked.status = RoundStatus.CLOSED
            locked.closed_at = timezone.now()
            locked.save(update_fields=["status", "closed_at", "result", "result_revision"])
    except InputError as error:  # stored answers the analysis refuses: say so, change nothing
        _reopen(
            round_id,
            f"The round's answers could not be analysed, so it stays open: {error.problems[0]}",
        )
        return "failed"
    except Exception:
        _reopen(round_id, CLOSE_FAILED)
        raise
    return "closed"


def _analysed(round_id: int, settings: Settings) -> dict[str, Any]:
    """`round_result` of a round read afresh (for another thread's connection)."""
    return round_result(Round.objects.select_related("partnership").get(pk=round_id), settings)


def _on_its_own_connection(job: Callable[..., T], *arguments: Any) -> T:
    """Run `job` (in a thread of its own) on that thread's database connection, closed after."""
    try:
        return job(*arguments)
    finally:
        connection.close()


def _reopen(round_id: int, reason: str) -> None:
    Round.objects.filter(pk=round_id, status=RoundStatus.CLOSING).update(
        status=RoundStatus.OPEN, close_error=reason[:500]
    )


def partnership_settings(partnership: Partnership) -> Settings:
    return Settings(
        min_group_size=partnership.min_group_size,
        min_tie_raters=partnership.min_tie_raters,
        min_text_group_size=partnership.min_text_group_size,
    )


def round_settings(survey_round: Round) -> Settings:
    """The thresholds a round is analysed under: a closed round's own, never today's."""
    if survey_round.status == RoundStatus.CLOSED and (survey_round.result or {}).get("settings"):
        return published_settings(survey_round.result)
    return partnership_settings(survey_round.partnership)


def published_settings(stored: dict[str, Any] | None) -> Settings:
    """The thresholds a stored result was made with, raised to what SPEC revision 2 allows.

    A `min_tie_raters` below 2 (revision 1's default was 1) becomes 3,
    revision 2's default: one person's ratings are never shown.
    """
    given = (stored or {}).get("settings") or {}
    defaults = Settings()
    tie_raters = given.get("min_tie_raters", defaults.min_tie_raters)
    if not isinstance(tie_raters, int) or tie_raters < LOWEST_TIE_RATERS:
        tie_raters = defaults.min_tie_raters
    return Settings(
        min_group_size=given.get("min_group_size", defaults.min_group_size),
        min_tie_raters=tie_raters,
        min_text_group_size=given.get("min_text_group_size", defaults.min_text_group_size),
    )


def closed_rounds(partnership: Partnership) -> QuerySet[Round]:
    """A partnership's closed rounds that have results, oldest first."""
    return partnership.rounds.filter(status=RoundStatus.CLOSED, result__isnull=False).order_by(
        "created_at", "pk"
    )


def previous_closed_round(survey_round: Round) -> Round | None:
    """The partnership's last round closed before this one was created, if any."""
    return (
        type(survey_round)
        .objects.filter(
            partnership=survey_round.partnership,
            status=RoundStatus.CLOSED,
            created_at__lt=survey_round.created_at,
        )
        .exclude(pk=survey_round.pk)
        .order_by("-created_at", "-pk")
        .first()
    )


def round_result(survey_round: Round, settings: Settings | None = None) -> dict[str, Any]:
    """The joinedup.analysis/1 result of a round's responses, from the analysis core.

    The trend compares it with what the partnership's previous closed round
    published when it closed (its stored result and units), never with that
    round re-analysed under today's names or thresholds. A closed round is
    analysed again (a recomputed result) under its own stored thresholds and
    the names it published.
    `settings`, when given, replace them (`recompute` raises a revision-1 result's
    `min_tie_raters` to what revision 2 allows).
    """
    dataset, _ = load_tables(*round_tables(survey_round))
    before = previous_closed_round(survey_round)
    previous = published_round(before) if before is not None and before.result else None
    dataset.rounds = [survey_round.label]
    return analyse(dataset, settings or round_settings(survey_round), previous=previous)


def close_preview(survey_round: Round) -> Hidden | None:
    """What the results would hide if the round closed now; None if the answers cannot be analysed.

    Analyses the current answers exactly as closing would, and stores nothing.
    """
    try:
        return what_results_hide(round_result(survey_round))
    except InputError:
        return None


def published_round(survey_round: Round) -> PublishedRound:
    """A closed round as it published: its result, and its answers by stored unit.

    Units are matched with the next round's by organisation id: each unit's
    members are given under today's names, so a renamed organisation keeps
    its trend, and an organisation merged in either round has none of its own.
    """
    result = survey_round.result
    assert result is not None
    instrument = load_instrument(survey_round.instrument)
    today = dict(survey_round.partnership.organisations.values_list("pk", "name"))
    members: list[list[str]] = [[] for _ in result["units"]]
    for organisation_id, name, index in survey_round.closed_organisations.filter(
        unit__isnull=False
    ).values_list("organisation_id", "name", "unit__index"):
        members[index].append(today.get(organisation_id, name))
    responses_of = survey_round._meta.apps.get_model("surveys", "Response").objects
    rows = pd.DataFrame.from_records(
        responses_of.filter(round=survey_round, unit__isnull=False).values_list(
            "answers", "unit__index"
        ),
        columns=["answers", "unit"],
    )
    # The answers as a respondents x items matrix, built by pandas as
    # round_tables does (no Python loop over respondents); missing is NaN.
    answers = (
        pd.DataFrame.from_records(rows["answers"].tolist(), columns=instrument.item_codes)
        .astype(np.float64)
        .to_numpy()
        .reshape(len(rows), len(instrument.item_codes))
    )
    unit_of = rows["unit"].to_numpy(dtype=np.int64)
    stored = survey_round.reporting_units.exists()
    return PublishedRound(result, answers, unit_of, members if stored else None)


def round_tables(survey_round: Round) -> tuple[RawTable, RawTable, RawTable]:
    """A round's responses, ratings and organisations as interchange tables.

    Respondent ids here are numbers, 1, 2, ... in the order of the responses'
    random ids (so they say nothing of who answered when); they exist only in
    memory, to link ratings to their respondent during the analysis.

    The models are taken from the round's own registry, so that a data
    migration can pass a historical round and this same code reads that
    migration's historical models (see `recompute`).
    """
    registry = survey_round._meta.apps
    instrument = load_instrument(survey_round.instrument)
    text_fields = {
        "TEXT_IMPORTANT": "text_important",
        "TEXT_SIDESHOW": "text_sideshow",
        "TEXT_OTHER": "text_other",
    }
    # A closed round is read under the names it published (a recomputed result
    # must publish the same units); an open round under today's names.
    published = closing.published_names(survey_round)
    names = dict(survey_round.partnership.organisations.values_list("pk", "name")) | published
    if connection.vendor == "postgresql" and registry is django_apps:
        responses, ratings = _stored_tables(survey_round, instrument, text_fields, names)
    else:
        responses, ratings = _frame_tables(survey_round, instrument, text_fields, names)
    organisations = pd.DataFrame.from_records(
        survey_round.partnership.organisations.values_list(
            "pk", "sector", "budget_gap_pct", "demand_growth_pct", "vacancy_rate_pct"
        ),
        columns=[*ORGANISATIONS_COLUMNS.required, *ORGANISATIONS_COLUMNS.optional],
    )
    organisations[ORGANISATIONS_COLUMNS.required[0]] = organisations[
        ORGANISATIONS_COLUMNS.required[0]
    ].map(names)
    return responses, ratings, RawTable.from_frame("organisations", organisations)


def _frame_tables(
    survey_round: Round, instrument: Any, text_fields: dict[str, str], names: dict[int, str]
) -> tuple[RawTable, RawTable]:
    """The responses and ratings tables through the ORM (SQLite, and data migrations).

    Ratings are read from each response's own `ratings`, in the order of the
    responses' ids; a data migration from before `surveys` 0012 passes a
    registry that still has the `Rating` model, and its ratings are read from it.
    """
    registry = survey_round._meta.apps
    responses_of = registry.get_model("surveys", "Response").objects
    inside = "ratings" in {f.name for f in responses_of.model._meta.concrete_fields}
    scores = ["contact", *instrument.rating_codes]
    people = pd.DataFrame.from_records(
        responses_of.filter(round=survey_round)
        .order_by("id")
        .values_list(
            "id", "organisation_id", "role", "answers", *text_fields.values(),
            *(["ratings"] if inside else []),
        ),
        columns=["respondent_id", "organisation", "role", "answers", *text_fields,
                 *(["ratings"] if inside else [])],
    )  # fmt: skip
    uuids = people.pop("respondent_id")
    people.insert(0, "respondent_id", range(1, len(people) + 1))
    if inside:
        ties = [
            (respondent, organisation, entry["partner"], *(entry.get(code) for code in scores))
            for respondent, organisation, entries in zip(
                people["respondent_id"], people["organisation"], people.pop("ratings"),
                strict=True,
            )
            for entry in entries
        ]  # fmt: skip
    else:
        number = dict(zip(uuids, people["respondent_id"], strict=True))
        ties = [
            (number[response_id], *rest)
            for response_id, *rest in registry.get_model("surveys", "Rating")
            .objects.filter(response__round=survey_round)
            .order_by("id")
            .values_list("response_id", "response__organisation_id", "partner_id", *scores)
        ]
    ratings = pd.DataFrame.from_records(
        ties, columns=["respondent_id", "organisation", "partner", *scores]
    )
    people["organisation"] = people["organisation"].map(names)
    answers = pd.DataFrame.from_records(
        people.pop("answers").tolist(), columns=instrument.item_codes, index=people.index
    )
    responses = pd.concat([people, answers], axis=1)
    ratings["organisation"] = ratings["organisation"].map(names)
    ratings["partner"] = ratings["partner"].map(names)
    return RawTable.from_frame("responses", responses), RawTable.from_frame(
        "relationships", ratings
    )


# Stored answers are read whole: the upload limits are for files from outside.
STORED_LIMITS = ReadLimits(
    max_bytes=1 << 40,
    max_uncompressed_bytes=1 << 40,
    max_rows=1 << 40,
    max_columns=10_000,
    max_cells=1 << 40,
    max_line_bytes=1 << 30,
)


def _stored_tables(
    survey_round: Round, instrument: Any, text_fields: dict[str, str], names: dict[int, str]
) -> tuple[RawTable, RawTable]:
    """The responses and ratings tables on PostgreSQL, read as the files are read.

    PostgreSQL writes each table as one CSV text (`string_agg`, a single
    value to fetch: `COPY ... TO STDOUT` hands Python a block per row, which
    cost more than the query), the ratings taken out of each response's
    `ratings` by `jsonb_to_recordset`. The analysis core parses it as it
    parses an uploaded file (Arrow, column by column): no Python object per
    answer. Organisation ids are then given their names, once per
    organisation. Rows come in the order of the responses' ids, each
    response's ratings in their stored order, and respondents are numbered
    in that order, as `_frame_tables` reads them.
    """
    quote = connection.ops.quote_name
    table = Response._meta.db_table
    scores = ["contact", *instrument.rating_codes]

    def number(sql: str) -> str:
        return f"coalesce({sql}, '')"

    def text(sql: str) -> str:
        return f"'\"' || replace({sql}, '\"', '\"\"') || '\"'"

    people = [
        ("respondent_id", "r.n::text"),
        ("organisation", "r.organisation_id::text"),
        ("role", text("r.role")),
        *((code, number(f"r.answers ->> {_literal(code)}")) for code in instrument.item_codes),
        *((code, text(f"r.{quote(field)}")) for code, field in text_fields.items()),
    ]
    ties = [("partner", number("t.partner")), *((c, number(f"t.{quote(c)}")) for c in scores)]
    kinds = ", ".join(f"{quote(name)} text" for name in ("partner", *scores))
    # The round's responses numbered in the order of their ids; each one's
    # ratings follow it in stored order (a lateral function's rows keep their
    # place), each line starting with its respondent's number and organisation.
    needed = ", ".join(["id", "organisation_id", "role", "answers", *text_fields.values()])
    numbered = (
        f"(SELECT row_number() OVER (ORDER BY id) AS n, {needed} FROM {table} "
        "WHERE round_id = %s ORDER BY id) r"
    )
    ratings_of = (
        f"(SELECT row_number() OVER (ORDER BY id) || ',' || organisation_id || ',' AS prefix, "
        f"ratings FROM {table} WHERE round_id = %s ORDER BY id) r "
        f"CROSS JOIN LATERAL jsonb_to_recordset(r.ratings) AS t({kinds})"
    )
    specs = [
        ("responses", [name for name, _ in people],
         " || ',' || ".join(sql for _, sql in people), numbered, ["organisation"]),
        ("relationships", ["respondent_id", "organisation", *(name for name, _ in ties)],
         "r.prefix || " + " || ',' || ".join(sql for _, sql in ties), ratings_of,
         ["organisation", "partner"]),
    ]  # fmt: skip

    def read(source: str, header: list[str], line: str, rows: str, named: list[str]) -> RawTable:
        with connection.cursor() as cursor:
            # The file as bytes, header and all, straight from the database's
            # buffer: no Python text of it, and no second copy to encode.
            cursor.cursor.adapters.register_loader("text", _TextAsBytes)
            # Always inside a transaction here. A large round's estimate would
            # have PostgreSQL compile the query to machine code first (JIT),
            # 0.5-0.7 s of processor time that the scan did not win back; and
            # its rows sort by id in memory, not in temporary files.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '128MB'")
            cursor.execute(
                f"SELECT %s || coalesce(string_agg({line} || E'\\n', ''), '') FROM {rows}",
                [",".join(header) + "\n", survey_round.pk],
            )
            csv_bytes = cursor.fetchone()[0]
        table = parse_csv_bytes(csv_bytes, source, STORED_LIMITS)
        del csv_bytes
        for name in named:
            place = table.headers.index(name)
            column = table.columns[place]
            given = [names.get(int(id_text), "") for id_text in column.categories]
            table.columns[place] = pd.Categorical(np.asarray(given, dtype=object)[column.codes])
        return table

    if connection.in_atomic_block:  # inside a caller's transaction: one query after the other
        return read(*specs[0]), read(*specs[1])
    # Both at once, on two connections that see the same snapshot of the
    # database, so that an answer arriving meanwhile is in both or in neither.
    with transaction.atomic(), ThreadPoolExecutor(1) as pool:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        ratings = pool.submit(_on_its_own_connection, _in_snapshot, snapshot, specs[1], read)
        responses = read(*specs[0])
        return responses, ratings.result()


def _in_snapshot(snapshot: str, spec: tuple[Any, ...], read: Callable[..., RawTable]) -> RawTable:
    """`read(*spec)` in a transaction that sees the exported `snapshot`."""
    if not re.fullmatch(r"[0-9A-F]+-[0-9A-F]+-[0-9]+", snapshot):
        raise ValueError(f"unexpected snapshot id {snapshot!r}")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
        return read(*spec)


class _TextAsBytes(Loader):
    """Loads PostgreSQL text as the UTF-8 bytes it arrived as (for one cursor)."""

    def load(self, data: Any) -> bytes:
        return bytes(data)


def _literal(text: str) -> str:
    """An SQL string literal of an instrument's code (letters, digits and underscores)."""
    if not text.replace("_", "").isalnum():
        raise ValueError(f"unexpected instrument code {text!r}")
    return f"'{text}'"


# ------------------------------------------------------------ invitations


def open_link_url(token: str) -> str:
    return f"{settings.SITE_URL}/o/{token}/"


def create_open_link(
    survey_round: Round, organisation: Organisation, by: User | None = None
) -> str:
    """A link anyone in `organisation` may use; replaces (and disables) an earlier one.

    Refused when the organisation already answers the round through private
    invitations or imported answers. Written to the round's audit log.
    Only facilitators may call this (the view checks the role).
    """
    if survey_round.status in (RoundStatus.CLOSING, RoundStatus.CLOSED):
        raise SurveyError("This round is closed.")
    token = new_token()
    with transaction.atomic():
        channels.lock([organisation], survey_round)
        refused = channels.refusals(survey_round, [organisation], Channel.OPEN_LINK)
        if refused:
            raise ChannelRefused(list(refused.values()))
        OpenLink.objects.update_or_create(
            round=survey_round,
            organisation=organisation,
            defaults={"token_hash": token_hash(token)},
        )
        audit.record_open_link(survey_round, organisation, by)
    return token


# ----------------------------------------------------------- the survey


@dataclass
class SurveyVisit:
    """What a survey link leads to."""

    round: Round
    organisation: Organisation
    draft: Draft | None
    invitation: Invitation | None
    open_link: OpenLink | None


def find_link(token: str) -> SurveyVisit | None:
    """The round and organisation a token belongs to, or None for an unknown token.

    Every survey page looks its link up, so the common case (a draft under
    this very token, from an invitation or an open link) is one query.
    `invitation` is then left out: only the start page and submit need it.
    """
    digest = token_hash(token)
    draft = draft_with_its_round(digest)
    if draft is not None:
        return SurveyVisit(draft.round, draft.organisation, draft, None, None)
    # The draft key is the first e-mailed link's hash (or, before any e-mail,
    # a hash nobody holds the token of); later links are `InvitationToken`s.
    invitation = visits.invitation_with_its_round(digest)
    if invitation is not None:
        draft = (
            Draft.objects.filter(token_hash=invitation.token_hash).first()
            if invitation.token_hash != digest
            else None
        )
        if draft is not None:  # a later link of the invitation: the draft is under the first
            draft.round, draft.organisation = invitation.round, invitation.organisation
        return SurveyVisit(invitation.round, invitation.organisation, draft, invitation, None)
    link = (
        OpenLink.objects.select_related("round__partnership", "organisation")
        .filter(token_hash=digest)
        .first()
    )
    if link is not None:
        return SurveyVisit(link.round, link.organisation, None, None, link)
    return None


def start_draft(visit: SurveyVisit) -> tuple[Draft, str | None]:
    """The draft for this visit, made if need be; for an open link, a new personal token too."""
    if visit.round.status != RoundStatus.OPEN:
        raise SurveyError("This survey is closed.")
    if visit.draft is not None:
        return visit.draft, None
    if visit.invitation is not None:
        if visit.invitation.done:
            raise SurveyError("These answers have already been sent.")
        try:
            with transaction.atomic():
                draft = Draft.objects.create(
                    token_hash=visit.invitation.token_hash,
                    round=visit.round,
                    organisation=visit.organisation,
                )
        except IntegrityError:  # another tab made it first
            draft = Draft.objects.get(token_hash=visit.invitation.token_hash)
        return draft, None
    token = new_token()
    draft = Draft.objects.create(
        token_hash=token_hash(token), round=visit.round, organisation=visit.organisation
    )
    return draft, token


def save_draft(draft: Draft, updates: dict[str, Any]) -> Draft:
    """Merge one page's answers into the draft, atomically.

    Only what the page changed is written: nested answers (statements,
    ratings of each partner, comments) are merged key by key into the draft
    as it is now in the database. Ratings of organisations no longer chosen
    as partners are dropped. So two tabs saving different pages at once never
    lose each other's answers.

    The common case is one statement: the draft as this request read it,
    merged here and written only if nobody saved it since (its `updated_at`
    is unchanged). When somebody did, the merge is done again under a row
    lock (PostgreSQL) or the write lock an IMMEDIATE transaction takes
    (SQLite), on the answers as they are now.
    Raises SurveyError when the draft is gone (the answers were sent meanwhile).
    """
    read_at = draft.updated_at
    if read_at is not None:
        answers = _with_chosen_ratings(_merged(draft.answers, updates))
        now = timezone.now()
        if visits.save_if_unchanged(draft.pk, read_at, answers, now):
            draft.answers, draft.updated_at = answers, now
            return draft
    with transaction.atomic():
        current = (
            Draft.objects.select_for_update()
            .filter(pk=draft.pk)
            .values_list("answers", flat=True)
            .first()
        )
        if current is None:
            raise SurveyError("These answers have already been sent.")
        answers = _with_chosen_ratings(_merged(current, updates))
        now = timezone.now()
        Draft.objects.filter(pk=draft.pk).update(answers=answers, updated_at=now)
    draft.answers, draft.updated_at = answers, now
    return draft


def _with_chosen_ratings(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers without ratings of organisations no longer chosen as partners."""
    chosen = {str(p) for p in answers.get("partners", [])}
    if "ratings" in answers:
        answers["ratings"] = {k: v for k, v in answers["ratings"].items() if k in chosen}
    return answers


def _merged(current: dict[str, Any], updates: dict[str, Any]) -> dict[str, Any]:
    """`current` with `updates` laid over it: dictionaries merged key by key, the rest replaced."""
    merged = dict(current)
    for key, value in updates.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merged(merged[key], value)
        else:
            merged[key] = value
    return merged


def submit(token: str) -> Round:
    """Turn the draft under a token into an anonymous response, exactly once."""
    visit = find_link(token)
    if visit is None or visit.draft is None:
        raise SurveyError("These answers have already been sent.")
    return submit_draft(visit.draft)


def submit_draft(draft: Draft) -> Round:
    """Turn a draft into an anonymous response, exactly once.

    In one transaction: the draft is read again under a lock and deleted (if
    another tab already sent it, nothing is stored twice; a page saved just
    before is included), the response is created, its ratings of partners
    inside it, with no reference to the invitation, and the invitation is
    only marked done.
    """
    with transaction.atomic():
        # Plain statements (plain_sql.py): the ORM compiling these afresh for
        # every survey sent cost more than running them.
        found = plain_sql.row(
            Round, ("status", "instrument", "partnership"), "id", draft.round_id, lock=True
        )
        if found is None or found[0] != RoundStatus.OPEN:
            raise SurveyError("This survey closed before your answers were sent.")
        _, instrument_name, partnership_id = found
        taken = plain_sql.row(Draft, ("answers",), "id", draft.pk, lock=True)
        if taken is None:
            raise SurveyError("These answers have already been sent.")
        answers = taken[0]
        plain_sql.delete(Draft, "id", draft.pk)
        # An invitation's draft lives under its `token_hash` (see the model);
        # a draft no invitation holds was started from an open link.
        invited = plain_sql.set_value(Invitation, "done", True, "token_hash", draft.token_hash)
        instrument = load_instrument(instrument_name)
        items = answers.get("items", {})
        agreement = _allowed(instrument.agreement)
        role = answers.get("role", "") or ""
        response = Response(
            round_id=draft.round_id,
            organisation_id=draft.organisation_id,
            role=role if role in {r.code for r in instrument.roles} else "",
            answers={code: _answer(items.get(code), agreement) for code in instrument.item_codes},
            ratings=_ratings(partnership_id, draft.organisation_id, answers, instrument),
            text_important=answers.get("text", {}).get("TEXT_IMPORTANT", ""),
            text_sideshow=answers.get("text", {}).get("TEXT_SIDESHOW", ""),
            text_other=answers.get("text", {}).get("TEXT_OTHER", ""),
            channel=Channel.INVITATION if invited else Channel.OPEN_LINK,
        )
        plain_sql.insert(Response, [response])
        survey_round = draft.round
        if not invited:
            audit.count_open_link_answer(survey_round, draft.organisation)
    return survey_round


def _ratings(
    partnership_id: int, organisation_id: int, answers: dict[str, Any], instrument: Any
) -> list[dict[str, Any]]:
    """The draft's ratings of its chosen partners, as a response stores them.

    Only the partnership's other organisations can be partners; each score is
    an instrument value or None.
    """
    partner_ids = {p.pk for p in visits.partners_of(partnership_id, organisation_id)}
    given = answers.get("ratings", {})
    allowed = {"contact": _allowed(instrument.contact)}
    allowed |= dict.fromkeys(instrument.rating_codes, _allowed(instrument.rating))
    return ratings.entries(
        {
            int(partner): {
                code: _answer(given.get(str(partner), {}).get(code), allowed[code])
                for code in allowed
            }
            for partner in answers.get("partners", [])
            if int(partner) in partner_ids
        }
    )


def _allowed(choices: Any) -> frozenset[int]:
    return frozenset(choice.value for choice in choices)


def _answer(value: Any, allowed: frozenset[int]) -> int | None:
    """A stored answer: one of the instrument's values, or None ("Don't know", blank).

    The pages only save offered answers; this is the last line, so that no
    stored response can hold a value the analysis would refuse.
    """
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if number in allowed else None
