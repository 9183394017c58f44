"""What a round's close stores besides its result, and what it erases.

`services.finish_close` (in the worker) calls these inside its one
transaction, after the analysis core has computed the result:

- `fix_units`: the reporting units the result publishes, keyed by
  organisation id, with the name each organisation had then; every later
  use of the round (the anonymised responses, the next round's trend, the
  pages' sectors) reads these, never today's names or thresholds;
- `store_afresh`: the round's responses (their ratings of partners inside
  them) are deleted and stored again in a random order with new random
  ids, so that neither row order (SQLite's rowid, PostgreSQL's ctid) nor
  ids say anything about who answered when;
- `erase_after_close`: invitations (e-mail addresses, the hashes of every
  link e-mailed), open links and drafts are deleted; the per-organisation
  counts are kept.
"""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from django.db import connection
from django.db.models import Count, Q

from joinedup.analysis.result import OTHER_ORGANISATIONS
from joinedup.analysis.scoring import reporting_units

from .models import (
    ClosedLink,
    Draft,
    Invitation,
    InvitationToken,
    OpenLink,
    ReportingUnit,
    Response,
    Round,
    RoundOrganisation,
)


class UnitsChanged(Exception):
    """A recomputed result would move organisations between a closed round's units."""


def units_to_publish(survey_round: Round, k: int) -> list[dict[str, Any]]:
    """The reporting units the round's result will publish, from its counts alone.

    The analysis core's own rule (SPEC §3.5, `scoring.reporting_units`) over
    the number of responses of each organisation, under today's names, in the
    form of the result's `units` (name, organisations, combined). It lets the
    close store the units while the analysis runs; `same_units` then checks
    that the result publishes exactly these.
    """
    names = dict(survey_round.partnership.organisations.values_list("pk", "name"))
    counts = (
        Response.objects.filter(round=survey_round)
        .order_by()
        .values_list("organisation_id")
        .annotate(n=Count("pk"))
    )
    sizes = [(names[organisation], n) for organisation, n in counts]
    return [
        {"name": unit.name, "organisations": list(unit.members), "combined": unit.combined}
        for unit in reporting_units(sizes, k, OTHER_ORGANISATIONS)
    ]


def same_units(expected: list[dict[str, Any]], result: dict[str, Any]) -> None:
    """Raise `UnitsChanged` unless the result publishes the expected units."""

    def shape(units: list[dict[str, Any]]) -> list[tuple[str, list[str], bool]]:
        return [(u["name"], list(u["organisations"]), bool(u["combined"])) for u in units]

    if shape(expected) != shape(result["units"]):
        raise UnitsChanged(
            "The analysis published other reporting units than the round's counts give."
        )


def fix_units(survey_round: Round, result: dict[str, Any]) -> dict[int, ReportingUnit]:
    """Store the result's reporting units by organisation id; return organisation id -> unit.

    `result` needs only its `units` (`units_to_publish` gives them before
    the analysis ends). Call with the partnership's organisations locked, so
    that the names the units were made from are the names matched here. For
    a round whose units are already stored (a result recomputed later), the
    stored units stay and the new result must publish the very same ones.
    """
    organisations = {o.name: o for o in survey_round.partnership.organisations.all()}
    if survey_round.reporting_units.exists():
        return _check_units(survey_round, result)
    units = ReportingUnit.objects.bulk_create(
        ReportingUnit(
            round=survey_round, index=index, name=entry["name"], combined=entry["combined"]
        )
        for index, entry in enumerate(result["units"])
    )
    unit_of: dict[int, ReportingUnit] = {}
    for unit, entry in zip(units, result["units"], strict=True):
        for name in entry["organisations"]:
            unit_of[organisations[name].pk] = unit
    counts = _by_organisation(Invitation.objects.filter(round=survey_round))
    RoundOrganisation.objects.bulk_create(
        RoundOrganisation(
            round=survey_round,
            organisation=organisation,
            name=organisation.name,
            unit=unit_of.get(organisation.pk),
            invited=counts["invited"][organisation.pk],
            finished=counts["finished"][organisation.pk],
        )
        for organisation in sorted(organisations.values(), key=lambda o: o.pk)
    )
    return unit_of


def _check_units(survey_round: Round, result: dict[str, Any]) -> dict[int, ReportingUnit]:
    stored = {u.index: u for u in survey_round.reporting_units.all()}
    members: dict[int, set[str]] = {index: set() for index in stored}
    unit_of: dict[int, ReportingUnit] = {}
    for entry in survey_round.closed_organisations.filter(unit__isnull=False).select_related(
        "unit"
    ):
        members[entry.unit.index].add(entry.name)  # type: ignore[union-attr]
        unit_of[entry.organisation_id] = entry.unit  # type: ignore[assignment]
    published = {
        index: (entry["name"], entry["combined"], set(entry["organisations"]))
        for index, entry in enumerate(result["units"])
    }
    kept = {index: (u.name, u.combined, members[index]) for index, u in stored.items()}
    if published != kept:
        raise UnitsChanged(
            f"The recomputed result of “{survey_round.label}” would change its reporting "
            "units, which were fixed when it closed."
        )
    return unit_of


def _by_organisation(queryset: Any) -> dict[str, Counter[int]]:
    rows = (
        queryset.order_by()
        .values("organisation_id")
        .annotate(invited=Count("pk"), finished=Count("pk", filter=Q(done=True)))
    )
    invited: Counter[int] = Counter()
    finished: Counter[int] = Counter()
    for row in rows:
        invited[row["organisation_id"]] = row["invited"]
        finished[row["organisation_id"]] = row["finished"]
    return {"invited": invited, "finished": finished}


# SQLite: the mapping from a response's old id to its new one, only for the closing
# transaction (a temporary table: the connection's own, dropped before the
# transaction ends, and with it if the transaction fails).
AFRESH = "joinedup_afresh"


def store_afresh(survey_round: Round, unit_of: dict[int, ReportingUnit]) -> int:
    """Delete the round's responses and store them again, shuffled, with new ids.

    Done in SQL, inside the caller's transaction, so that nothing passes
    through Python objects (a round may hold 100,000 responses): each row is
    stored again with a new random id, in the order of those new ids, which
    is random, and the old row is deleted. On PostgreSQL that is one
    statement: the rows the DELETE returns are what the INSERT stores (one
    pass over the round, no table in between). On SQLite the new ids are
    paired with the old in a temporary table first, and the old rows are
    deleted after. Each response's ratings of partners are inside its row
    (`Response.ratings`), so they move with it. The new ids come from the
    operating system's random source: PostgreSQL's `gen_random_uuid()`, or
    on SQLite Python's `uuid.uuid4()` given to SQLite as a function. Each
    response also gets its fixed reporting unit. Returns how many responses
    were stored. Every column is copied as it is, so a field added to
    `Response` later is kept without a change here.
    """
    quote = connection.ops.quote_name
    new_id = _new_id_function()
    table = Response._meta.db_table
    units = [(organisation, unit.pk) for organisation, unit in sorted(unit_of.items())]
    unit_sql = (
        "CASE r.organisation_id " + " ".join("WHEN %s THEN %s" for _ in units) + " END"
        if units
        else "NULL"
    )
    unit_params = [value for pair in units for value in pair]
    columns = [field.column for field in Response._meta.concrete_fields]
    copied = {"id": "r.new_id", "unit_id": unit_sql}
    selected = ", ".join(copied.get(c, f"r.{quote(c)}") for c in columns)
    inserted = f"INSERT INTO {table} ({', '.join(map(quote, columns))}) SELECT {selected}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Room to sort a large round's rows in memory (this transaction only).
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute(
                f"WITH gone AS (DELETE FROM {table} WHERE round_id = %s RETURNING *) "
                f"{inserted} FROM (SELECT {new_id} AS new_id, gone.* FROM gone) r "
                "ORDER BY r.new_id",
                [survey_round.pk, *unit_params],
            )
            return cursor.rowcount
        cursor.execute(f"DROP TABLE IF EXISTS temp.{AFRESH}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {AFRESH} AS "
            f"SELECT id AS old_id, {new_id} AS new_id FROM {table} WHERE round_id = %s",
            [survey_round.pk],
        )
        cursor.execute(
            f"{inserted} FROM (SELECT m.new_id, t.* FROM {table} t "
            f"JOIN {AFRESH} m ON m.old_id = t.id) r ORDER BY r.new_id",
            unit_params,
        )
        stored = cursor.rowcount
        cursor.execute(
            f"DELETE FROM {table} WHERE round_id = %s AND id IN (SELECT old_id FROM {AFRESH})",
            [survey_round.pk],
        )
        cursor.execute(f"DROP TABLE temp.{AFRESH}")
    return stored


def _new_id_function() -> str:
    """SQL for a new random UUID, as this database stores a UUIDField."""
    if connection.vendor == "postgresql":
        return "gen_random_uuid()"
    connection.ensure_connection()
    connection.connection.create_function("joinedup_uuid4", 0, lambda: uuid.uuid4().hex)
    return "joinedup_uuid4()"


# The round's deleted invitations (id and hash), for the closing transaction only.
GONE = "joinedup_gone_invitations"


def erase_after_close(survey_round: Round) -> None:
    """Erase what a closed round no longer needs: addresses, token hashes, drafts.

    Reminders and invitations stop at close, and the round page's counts
    come from `RoundOrganisation`, so nothing needs an address any more. The
    links' hashes are kept alone (`ClosedLink`), in the order of the hashes,
    so that a link followed later says the survey has closed instead of "not
    found". Done in SQL: a large round has a hundred thousand invitations.

    The invitations go first, each row locked as it is deleted: a sending
    task that had claimed one (and so may be adding a link to it) has
    committed before that row goes, and one that comes later finds no
    invitation to claim. Their links are then read, kept as hashes and
    deleted, so none is left behind without a database constraint to check it
    (`InvitationToken.invitation` has none: checking a hundred thousand
    deleted invitations took longer than deleting them).
    """
    table = {model: model._meta.db_table for model in (Draft, OpenLink, Invitation)}
    tokens = InvitationToken._meta.db_table
    round_id = survey_round.pk
    postgresql = connection.vendor == "postgresql"
    temporary = "pg_temp" if postgresql else "temp"
    # Hashes are hexadecimal: compared byte by byte they sort as by the
    # database's language rules, without the cost of those rules.
    as_bytes = ' COLLATE "C"' if postgresql else ""
    # Drafts and open links, the invitations' draft keys and every link
    # e-mailed to anyone: each hash once (UNION), and none is in `ClosedLink`
    # yet (links are random and only this close adds its round's).
    hashes = " UNION ".join([
        f"SELECT token_hash{as_bytes} AS token_hash FROM {table[Draft]} WHERE round_id = %s",
        f"SELECT token_hash FROM {table[OpenLink]} WHERE round_id = %s",
        f"SELECT token_hash FROM {GONE}",
        f"SELECT token_hash FROM {tokens} WHERE invitation_id IN (SELECT id FROM {GONE})",
    ])  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temporary}.{GONE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {GONE} (id bigint, token_hash varchar(64))")
        if postgresql:
            cursor.execute(
                f"WITH gone AS (DELETE FROM {table[Invitation]} WHERE round_id = %s "
                f"RETURNING id, token_hash) INSERT INTO {GONE} SELECT id, token_hash FROM gone",
                [round_id],
            )
            cursor.execute(f"ANALYZE {GONE}")
        else:  # SQLite writes one transaction at a time: nothing comes in between
            cursor.execute(
                f"INSERT INTO {GONE} SELECT id, token_hash FROM {table[Invitation]} "
                "WHERE round_id = %s",
                [round_id],
            )
            cursor.execute(f"DELETE FROM {table[Invitation]} WHERE round_id = %s", [round_id])
        cursor.execute(
            f"INSERT INTO {ClosedLink._meta.db_table} (token_hash, round_id) "
            f"SELECT token_hash, %s FROM ({hashes}) hashes ORDER BY token_hash",
            [round_id, round_id, round_id],
        )
        cursor.execute(f"DELETE FROM {tokens} WHERE invitation_id IN (SELECT id FROM {GONE})")
        for model in (Draft, OpenLink):
            cursor.execute(f"DELETE FROM {table[model]} WHERE round_id = %s", [round_id])
        cursor.execute(f"DROP TABLE {temporary}.{GONE}")


def closed_link_round(digest: str) -> Round | None:
    """The closed round a link (by its hash) belonged to, so that the link can say it closed."""
    found = ClosedLink.objects.filter(token_hash=digest).select_related("round__partnership")
    entry = found.first()
    return entry.round if entry is not None else None


def published_names(survey_round: Round) -> dict[int, str]:
    """Organisation id -> the name a closed round published it under (empty while open)."""
    if survey_round.status != "closed":
        return {}
    return dict(survey_round.closed_organisations.values_list("organisation_id", "name"))


def closed_completion(survey_round: Round) -> list[dict[str, Any]]:
    """A closed round's counts per organisation (today's organisation, as the page links it)."""
    received = Counter(
        Response.objects.filter(round=survey_round).values_list("organisation_id", flat=True)
    )
    return [
        {
            "organisation": entry.organisation,
            "invited": entry.invited,
            "finished": entry.finished,
            "responses": received[entry.organisation_id],
        }
        for entry in survey_round.closed_organisations.select_related("organisation").order_by(
            "organisation__name"
        )
    ]
