"""Recomputing the stored results of closed rounds under the current SPEC revision.

Revision 2 of SPEC changed what a result may show (a merged organisation's
view of its partners is never shown; `min_tie_raters` is at least 2;
intervals are clipped). Results stored under revision 1 are recomputed here
from the round's stored responses and ratings, by `services.round_result`:
the very code that closing a round runs, so later changes to closing flow
into recomputing too.

A recomputed round keeps the thresholds it was published with, from its
stored result's `settings`, except `min_tie_raters` below 2 (revision 1's
default of 1), which becomes 3, revision 2's default.

Every function here takes the round it works on and reads other models from
that round's registry (`services.round_tables`), so the data migration
`0006_recompute_results_revision_2` passes historical rounds and nothing
reads a model class as the code defines it today. That is what makes calling
this from a migration safe, with one rule for later changes: the code path
of closing may only read fields that exist when that migration runs (the
`surveys` app's state after `0005_round_result_revision`), or that migration
must stop calling it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import DatabaseError, transaction

from joinedup.analysis import SPEC_REVISION, InputError, SettingsError

from .services import published_settings, round_result

logger = logging.getLogger(__name__)


def recompute_closed_round(survey_round: Any) -> bool:
    """Recompute one closed round's stored result under the current revision.

    Returns True when it was recomputed. When the stored answers can no
    longer be analysed (an `InputError`, say after organisations were renamed
    into one name), the stored result is kept with every value of its
    network withheld instead, since any of them might rest on a merged
    organisation's view; it returns False and says so in the log.
    """
    try:
        result = round_result(survey_round, published_settings(survey_round.result))
    except (InputError, SettingsError) as error:
        logger.warning(
            "Round %s could not be recomputed (%s); its network values are withheld instead.",
            survey_round.pk,
            error,
        )
        survey_round.result = withhold_network_values(survey_round.result)
        survey_round.result_revision = SPEC_REVISION
        survey_round.save(update_fields=["result", "result_revision"])
        return False
    survey_round.result = result
    survey_round.result_revision = SPEC_REVISION
    survey_round.save(update_fields=["result", "result_revision"])
    return True


def recompute_closed_rounds(rounds: Iterable[Any]) -> int:
    """Recompute each closed round, earliest first, and forget what was drawn from old results.

    Earliest first, so that a round whose trend reads the round before it
    finds that round already recomputed. The charts in the cache and the
    kept PDFs and workbooks go (their keys hold the result, so they would
    not be served; this frees them at once). Returns how many were recomputed.
    """
    from joinedup.results.files import forget_round_files

    done = 0
    ordered = sorted(rounds, key=lambda r: (r.partnership_id, r.created_at, r.pk))
    for survey_round in ordered:
        done += recompute_closed_round(survey_round)
    forget_cached_figures()
    forget_round_files(ordered)
    return done


def withhold_network_values(result: dict[str, Any] | None) -> dict[str, Any] | None:
    """A stored result with no tie, member or pair-flag value left in its network.

    Used only when a round cannot be recomputed: the network's existence
    (who works with whom, density, degree, isolates) stays; every trust and
    value figure goes, as a tie that is not shown (SPEC §4.4).
    """
    if not result or not isinstance(result.get("network"), dict):
        return result
    network = dict(result["network"])
    network["ties"] = [
        tie | {"shown": False, "trust": None, "value": None} for tie in network.get("ties") or []
    ]
    network["members"] = [
        member
        | {"trust_received": None, "trust_given": None, "value_received": None, "value_given": None}
        for member in network.get("members") or []
    ]
    network["flags"] = [f for f in network.get("flags") or [] if f.get("type") == "isolate"]
    network["mean_trust"] = network["mean_value"] = None
    gaps = [
        gap | {"value_received": None, "gap": None, "flagged": False}
        for gap in result.get("perception_gaps") or []
    ]
    return result | {"network": network, "perception_gaps": gaps}


def forget_cached_figures() -> None:
    """Drop every cached chart: those of a recomputed round were drawn from its old result.

    The cache holds charts (`results.services.round_figures_html`) and
    rate-limit counters only; clearing it all is the one way that works on
    every cache backend. Inside a savepoint, so that a database cache whose
    table does not exist yet (nothing cached) cannot break the migration.
    """
    try:
        with transaction.atomic():
            cache.clear()
    except DatabaseError:
        logger.info("No cache table yet: no cached charts to forget.")
