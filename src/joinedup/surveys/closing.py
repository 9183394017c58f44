"""What a round's close stores besides its result, and what it erases.

`services.finish_close` (in the worker) calls these inside its one
transaction, after the analysis core has computed the result:

- `fix_units`: the reporting units the result publishes, keyed by
  organisation id, with the name each organisation had then; every later
  use of the round (the anonymised responses, the next round's trend, the
  pages' sectors) reads these, never today's names or thresholds;
- `store_afresh`: the round's responses and ratings are deleted and stored
  again in a random order with new random ids, so that neither row order
  (SQLite's rowid, PostgreSQL's ctid) nor ids say anything about who
  answered when;
- `erase_after_close`: invitations (e-mail addresses, the hashes of every
  link e-mailed), open links and drafts are deleted; the per-organisation
  counts are kept.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from typing import Any

from django.db.models import Count, Q

from .models import (
    ClosedLink,
    Draft,
    Invitation,
    InvitationToken,
    OpenLink,
    Rating,
    ReportingUnit,
    Response,
    Round,
    RoundOrganisation,
)


class UnitsChanged(Exception):
    """A recomputed result would move organisations between a closed round's units."""


def fix_units(survey_round: Round, result: dict[str, Any]) -> dict[int, ReportingUnit]:
    """Store the result's reporting units by organisation id; return organisation id -> unit.

    Call with the partnership's organisations locked, so that the names the
    result was computed from are the names matched here. For a round whose
    units are already stored (a result recomputed later), the stored units
    stay and the new result must publish the very same ones.
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


def store_afresh(survey_round: Round, unit_of: dict[int, ReportingUnit]) -> int:
    """Delete the round's responses and ratings and store them again, shuffled, with new ids.

    Each response also gets its fixed reporting unit. Returns how many
    responses were stored. Every column is copied as it is, so a field
    added to `Response` or `Rating` later is kept without a change here.
    """
    shuffle = random.SystemRandom().shuffle
    responses = list(Response.objects.filter(round=survey_round))
    ratings = list(Rating.objects.filter(response__round=survey_round))
    Response.objects.filter(round=survey_round).delete()  # takes the ratings with it
    new_ids = {response.pk: uuid.uuid4() for response in responses}
    shuffle(responses)
    for response in responses:
        response.pk = new_ids[response.pk]
        response.unit = unit_of.get(response.organisation_id)
    Response.objects.bulk_create(responses, batch_size=500)
    shuffle(ratings)
    for rating in ratings:
        rating.pk = uuid.uuid4()
        rating.response_id = new_ids[rating.response_id]
    Rating.objects.bulk_create(ratings, batch_size=1000)
    return len(responses)


def erase_after_close(survey_round: Round) -> None:
    """Erase what a closed round no longer needs: addresses, token hashes, drafts.

    Reminders and invitations stop at close, and the round page's counts
    come from `RoundOrganisation`, so nothing needs an address any more. The
    links' hashes are kept alone (`ClosedLink`) so that a link followed later
    says the survey has closed instead of "not found".
    """
    hashes = set(Draft.objects.filter(round=survey_round).values_list("token_hash", flat=True))
    hashes |= set(OpenLink.objects.filter(round=survey_round).values_list("token_hash", flat=True))
    # Every link e-mailed to anyone, and the invitations' draft keys.
    hashes |= set(
        Invitation.objects.filter(round=survey_round).values_list("token_hash", flat=True)
    )
    hashes |= set(
        InvitationToken.objects.filter(invitation__round=survey_round).values_list(
            "token_hash", flat=True
        )
    )
    ClosedLink.objects.bulk_create(
        (ClosedLink(token_hash=digest, round=survey_round) for digest in sorted(hashes)),
        ignore_conflicts=True,
    )
    Draft.objects.filter(round=survey_round).delete()
    OpenLink.objects.filter(round=survey_round).delete()
    InvitationToken.objects.filter(invitation__round=survey_round).delete()
    Invitation.objects.filter(round=survey_round).delete()


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
