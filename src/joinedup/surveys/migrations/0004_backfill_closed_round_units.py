"""Rounds closed before units were stored: fix their units now, and erase what they no longer need.

Each closed round's units come from its stored result (`units[].organisations`,
the names published at close) matched to organisation ids by today's names,
ignoring case and surrounding spaces. An organisation renamed since its round
closed cannot be matched: it gets no unit, and its responses stay out of the
anonymised download (as they already did before this migration). Then, as at
every close from now on: responses are stored afresh, shuffled, with new ids;
invitations (with their e-mail addresses), open links and drafts are erased,
their counts kept.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter

from django.db import migrations


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def backfill(apps, schema_editor) -> None:
    Round = apps.get_model("surveys", "Round")
    ReportingUnit = apps.get_model("surveys", "ReportingUnit")
    RoundOrganisation = apps.get_model("surveys", "RoundOrganisation")
    Response = apps.get_model("surveys", "Response")
    Rating = apps.get_model("surveys", "Rating")
    Invitation = apps.get_model("surveys", "Invitation")
    shuffle = random.SystemRandom().shuffle
    for survey_round in Round.objects.filter(status="closed", result__isnull=False):
        if ReportingUnit.objects.filter(round=survey_round).exists():
            continue
        organisations = list(survey_round.partnership.organisations.order_by("pk"))
        by_key = {_key(o.name): o for o in organisations}
        unit_of = {}
        for index, entry in enumerate(survey_round.result.get("units") or []):
            unit = ReportingUnit.objects.create(
                round=survey_round, index=index, name=entry["name"], combined=entry["combined"]
            )
            for name in entry["organisations"]:
                organisation = by_key.get(_key(name))
                if organisation is not None:
                    unit_of[organisation.pk] = unit
        invitations = Invitation.objects.filter(round=survey_round)
        invited = Counter(invitations.values_list("organisation_id", flat=True))
        finished = Counter(invitations.filter(done=True).values_list("organisation_id", flat=True))
        RoundOrganisation.objects.bulk_create(
            RoundOrganisation(
                round=survey_round,
                organisation=o,
                name=o.name,
                unit=unit_of.get(o.pk),
                invited=invited[o.pk],
                finished=finished[o.pk],
            )
            for o in organisations
        )
        responses = list(Response.objects.filter(round=survey_round))
        ratings = list(Rating.objects.filter(response__round=survey_round))
        Rating.objects.filter(response__round=survey_round).delete()
        Response.objects.filter(round=survey_round).delete()
        new_ids = {r.pk: uuid.uuid4() for r in responses}
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
        OpenLink = apps.get_model("surveys", "OpenLink")
        Draft = apps.get_model("surveys", "Draft")
        hashes = set(invitations.values_list("token_hash", flat=True))
        hashes |= set(invitations.values_list("previous_token_hash", flat=True))
        hashes |= set(
            OpenLink.objects.filter(round=survey_round).values_list("token_hash", flat=True)
        )
        hashes |= set(Draft.objects.filter(round=survey_round).values_list("token_hash", flat=True))
        hashes.discard("")
        apps.get_model("surveys", "ClosedLink").objects.bulk_create(
            [
                apps.get_model("surveys", "ClosedLink")(token_hash=h, round=survey_round)
                for h in sorted(hashes)
            ],
            ignore_conflicts=True,
        )
        invitations.delete()
        OpenLink.objects.filter(round=survey_round).delete()
        Draft.objects.filter(round=survey_round).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0003_closed_round_units")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
