"""Importing answers collected elsewhere into a round (the interchange files of SPEC §2).

The files are checked by the analysis core exactly as `joinedup analyse`
checks them, against the partnership's own list of organisations; any
problem stops the import and nothing is stored. So does a row for an
organisation that already answers the round through private invitations or
an open link (one channel per organisation: see `channels.py`); each such
row is listed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from joinedup.accounts.models import User
from joinedup.analysis import InputError, load_tables
from joinedup.analysis.problems import Problem
from joinedup.analysis.tables import RawTable, normalise_key
from joinedup.partnerships.models import Organisation
from joinedup.site.uploads import read_uploaded_table

from . import audit, channels, ratings, services
from .errors import SurveyError
from .models import Channel, Response, Round, RoundStatus


class ImportRefused(Exception):
    """The files are readable but cannot go into this round."""


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes


def import_files(
    survey_round: Round,
    responses: Upload,
    relationships: Upload | None,
    by: User | None = None,
) -> tuple[int, list[Problem]]:
    """Check the files and store their responses in the round; return (count, warnings).

    The import is written to the round's audit log as a count per organisation.
    """
    if survey_round.status in (RoundStatus.CLOSING, RoundStatus.CLOSED):
        raise ImportRefused("This round is closed: nothing more can be added to it.")
    _, _, organisations = services.round_tables(survey_round)
    responses_table = read_uploaded_table(responses.name, responses.content, "responses")
    relationships_table = (
        read_uploaded_table(relationships.name, relationships.content, "relationships")
        if relationships
        else None
    )
    dataset, warnings = load_tables(responses_table, relationships_table, organisations)
    if len(dataset.rounds) > 1:
        raise ImportRefused(
            "The file holds more than one round; import one round at a time "
            "(keep only this round's rows, or remove the round column)."
        )
    by_name = {o.name.casefold(): o for o in survey_round.partnership.organisations.all()}
    names = dataset.organisation_names
    instrument = dataset.instrument
    people = dataset.respondents
    organisation_of = [by_name[names[code].casefold()] for code in people["organisation"]]
    item_values = people[instrument.item_codes].to_numpy()
    text = {code: people[code].to_numpy(dtype=object) for code in instrument.text_codes}
    ids = people["respondent_id"].astype(str).to_numpy()
    roles = people["role"].to_numpy(dtype=object)
    rated = _ratings(dataset, by_name, len(people))
    with transaction.atomic():
        # The round's row first, as every writer of a response holds it (in
        # the close's order: round, then organisations); then the round and
        # the organisations are looked at again (`channels.lock`): the round
        # may have begun closing, or an organisation been removed, since the
        # files were read.
        list(Round.objects.select_for_update().filter(pk=survey_round.pk).values_list("pk"))
        organisations = list(set(organisation_of))
        try:
            channels.lock(organisations, survey_round)
        except SurveyError as error:
            raise ImportRefused(str(error)) from error
        refused = channels.refusals(survey_round, organisations, Channel.IMPORT)
        if refused:
            raise InputError(_refused_rows(responses_table, refused, organisation_of))
        existing = set(
            Response.objects.filter(round=survey_round)
            .exclude(imported_id="")
            .values_list("imported_id", flat=True)
        )
        repeated = sorted(set(ids) & existing)
        if repeated:
            raise ImportRefused(
                f"{len(repeated)} respondent_id values were imported into this round before "
                f"(for example “{repeated[0]}”); nothing was imported twice."
            )
        created = Response.objects.bulk_create(
            Response(
                round=survey_round,
                organisation=organisation_of[i],
                role=roles[i] if isinstance(roles[i], str) else "",
                answers={
                    code: _integer(item_values[i, j])
                    for j, code in enumerate(instrument.item_codes)
                },
                text_important=str(text["TEXT_IMPORTANT"][i] or ""),
                text_sideshow=str(text["TEXT_SIDESHOW"][i] or ""),
                text_other=str(text["TEXT_OTHER"][i] or ""),
                ratings=rated[i],
                imported_id=ids[i],
                channel=Channel.IMPORT,
            )
            for i in range(len(people))
        )
        counts: dict[Organisation, int] = {}
        for organisation in organisation_of:
            counts[organisation] = counts.get(organisation, 0) + 1
        audit.record_import(survey_round, counts, by)
    return len(created), warnings


def _ratings(
    dataset: Any, by_name: dict[str, Organisation], respondents: int
) -> list[list[dict[str, Any]]]:
    """Each respondent's ratings of partners (by place in `dataset.respondents`), as stored."""
    instrument = dataset.instrument
    names = dataset.organisation_names
    codes = ["contact", *instrument.rating_codes]
    table = dataset.ratings
    values = table[codes].to_numpy()
    respondent = table["respondent"].to_numpy()
    partner = table["partner"].to_numpy()
    scores: list[dict[int, dict[str, int | None]]] = [{} for _ in range(respondents)]
    for r in range(len(table)):
        scores[respondent[r]][by_name[names[partner[r]].casefold()].pk] = {
            code: _integer(values[r, j]) for j, code in enumerate(codes)
        }
    return [ratings.entries(given) for given in scores]


def _refused_rows(
    table: RawTable, refused: dict[int, str], organisation_of: list[Organisation]
) -> list[Problem]:
    """One problem per row whose organisation already answers the round another way.

    The analysis core accepted the file, so its rows are the respondents, in order.
    """
    header = next((h for h in table.headers if normalise_key(h) == "organisation"), "organisation")
    return [
        Problem(table.source, int(table.rows[i]), header, refused[organisation.pk])
        for i, organisation in enumerate(organisation_of)
        if organisation.pk in refused
    ]


def _integer(value: Any) -> int | None:
    number = float(value)
    return None if math.isnan(number) else int(number)
