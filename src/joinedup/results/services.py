"""What the results app does: chart a round's stored result and build its downloads.

Everything here starts from `Round.result`, the joinedup.analysis/1 document
computed when the round closed, never from raw responses, except the
facilitators' anonymised response file, which replaces every organisation
by the reporting unit stored for the response when the round closed
(`Response.unit`, never a lookup by today's name) and every role by its role
group as the result defines them, so that merged organisations stay merged.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

from joinedup.analysis import to_json
from joinedup.instrument import load_instrument
from joinedup.partnerships.models import Partnership
from joinedup.reports import exports
from joinedup.reports.charts import network_map
from joinedup.reports.charts.figures import figure_html
from joinedup.reports.exports.tables import organisation_codes
from joinedup.reports.reading import match_name
from joinedup.reports.report import ReportOptions, charts_for
from joinedup.surveys.models import Response, Round, RoundOrganisation
from joinedup.surveys.services import previous_closed_round

from .models import Download


def sectors(partnership: Partnership, survey_round: Round | None = None) -> dict[str, str]:
    """Organisation name -> sector, also under the names a closed round published."""
    found = dict(partnership.organisations.values_list("name", "sector"))
    if survey_round is not None:
        found |= dict(
            RoundOrganisation.objects.filter(round=survey_round).values_list(
                "name", "organisation__sector"
            )
        )
    return found


def report_options(survey_round: Round, with_plan: bool = False) -> ReportOptions:
    from joinedup.actions.services import plan_summary

    before = previous_closed_round(survey_round)
    plan = plan_summary(survey_round.partnership) if with_plan else None
    return ReportOptions(
        partnership=survey_round.partnership.name,
        round_label=survey_round.label,
        sectors=sectors(survey_round.partnership, survey_round),
        previous=before.result if before is not None else None,
        plan=plan if plan and plan["total"] else None,
    )


def round_figures_html(survey_round: Round) -> dict[str, str]:
    """Each chart of a closed round as an HTML figure, drawn once and kept in the cache.

    A closed round's result never changes; what else a chart shows (the
    previous round, organisations' sectors) is part of the cache key, so a
    change there draws the charts afresh.
    """
    options = report_options(survey_round)
    fingerprint = hashlib.sha256(
        json.dumps(
            [sorted((options.sectors or {}).items()), (options.previous or {}).get("round")],
            default=str,
        ).encode("utf-8")
    ).hexdigest()[:16]
    # The revision that made the result is in the key too: a recomputed round's
    # charts are drawn afresh (surveys.recompute also clears the cache).
    # "v2": the network map's organisations link to their own ties.
    key = f"round-figures:v2:{survey_round.pk}:r{survey_round.result_revision}:{fingerprint}"
    figures = cache.get(key)
    if figures is None:
        assert survey_round.result is not None
        links = own_ties_links(survey_round.result)
        figures = {
            chart.id: figure_html(chart, 2, links if chart.id == "network-map" else None)
            for chart in charts_for(survey_round.result, options)
        }
        cache.set(key, figures, timeout=None)
    return dict(figures)


def own_ties_links(result: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Each organisation in the network -> the address of its own ties on the network page.

    The address carries the organisation's code (the one the exports use), not
    its name, so it stays short and never puts a name in a server's logs.
    """
    codes = organisation_codes(result)
    return {
        name: (f"?focus={codes[match_name(name)]}#network-map-focus", "– show only its ties")
        for name in ((result.get("network") or {}).get("organisations") or [])
        if match_name(name) in codes
    }


def own_ties_html(survey_round: Round, code: str) -> str:
    """One organisation's own ties as an HTML figure, found by its code.

    The chart applies the network's disclosure rules (an organisation within
    "Other organisations" never shows how it rated its partners). A code that
    is not in this round gets the chart's own "not in the network" figure.
    """
    result = survey_round.result
    assert result is not None
    by_code = {c: n for n, c in organisation_codes(result).items()}
    names = {
        match_name(n): str(n) for n in (result.get("network") or {}).get("organisations") or []
    }
    wanted = code.strip()[:12]
    # An unknown code is passed on as it is, so the chart says that no
    # organisation of that name is in the network.
    focus = names.get(by_code.get(wanted, ""), wanted)
    chart = network_map(
        result, report_options(survey_round).sectors, focus=focus, chart_id="network-map-focus"
    )
    return figure_html(chart, 2)


# ------------------------------------------------------------------ downloads


@dataclass(frozen=True)
class DownloadFile:
    """A file to send: its content, type and name."""

    content: bytes
    content_type: str
    filename: str


@dataclass(frozen=True)
class Format:
    label: str
    extension: str
    content_type: str
    facilitators_only: bool = False


FORMATS: dict[str, Format] = {
    "pdf": Format("PDF report", "pdf", "application/pdf"),
    "xlsx": Format(
        "Excel workbook",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "csv": Format("CSV files (zip)", "zip", "application/zip"),
    "graphml": Format("Network (GraphML)", "graphml", "application/graphml+xml"),
    "json": Format("Full result (JSON)", "json", "application/json"),
    "responses": Format(
        "Anonymised responses (CSV)", "csv", "text/csv; charset=utf-8", facilitators_only=True
    ),
}


def _bytes(write: Callable[[io.BytesIO], None]) -> bytes:
    buffer = io.BytesIO()
    write(buffer)
    return buffer.getvalue()


def workbook_bytes(result: dict[str, Any], names: dict[str, str], title: str) -> bytes:
    """The Excel workbook of a result (made in the worker: see `files.py`)."""
    return _bytes(lambda b: exports.to_xlsx(result, b, names, title))


def filename(survey_round: Round, kind: str) -> str:
    """The name a download is saved under: partnership, round and (for responses) what."""
    stem = f"joinedup-{_slug(survey_round.partnership.name)}-{_slug(survey_round.label)}"
    suffix = "-responses" if kind == "responses" else ""
    return f"{stem}{suffix}.{FORMATS[kind].extension}"


def build_download(survey_round: Round, kind: str) -> DownloadFile:
    """The file of one format for a closed round, built now.

    The web's downloads of the PDF and the workbook go through the kept
    files instead (`files.request_file`); this builds them the same way.
    """
    from . import files

    result = survey_round.result
    assert result is not None
    form = FORMATS[kind]
    names = sectors(survey_round.partnership, survey_round)
    title = survey_round.partnership.name
    if kind in files.KEPT_FORMATS:
        content = files.recipe(survey_round, kind).make()
    elif kind == "csv":
        content = exports.to_csv_zip(result, names, title)
    elif kind == "graphml":
        content = _bytes(lambda b: exports.to_graphml(result, b, names, title))
    elif kind == "json":
        content = to_json(result).encode("utf-8")
    else:
        content = anonymised_responses(survey_round)
    return DownloadFile(content, form.content_type, filename(survey_round, kind))


def record(user: Any, survey_round: Round, kind: str, via: str = "web") -> Download:
    """Write the download to the audit log."""
    return Download.objects.create(
        user=user, partnership=survey_round.partnership, round=survey_round, what=kind, via=via
    )


def _slug(text: str) -> str:
    cleaned = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(part for part in cleaned.split("-") if part)[:40] or "round"


def anonymised_responses(survey_round: Round) -> bytes:
    """The round's answers in the interchange format, organisations replaced by units.

    Each respondent's organisation becomes their reporting unit ("Other
    organisations" for merged ones) and their role becomes their role group,
    left blank where fewer than k people of the unit share it;
    rows are shuffled and numbered afresh; free text and relationship ratings
    are left out, since they could identify people or small organisations.
    Respondents in no reporting unit (when there are no results) are left out.
    Units are the ones stored when the round closed, keyed by organisation id.
    """
    result = survey_round.result
    assert result is not None
    instrument = load_instrument(survey_round.instrument)
    role_of = {role: group["name"] for group in result["roles"] for role in group["roles"]}
    rows = []
    # The unit each response was put in when the round closed: renaming,
    # removing or re-importing organisations, or new thresholds, change nothing.
    responses = Response.objects.filter(round=survey_round, unit__isnull=False)
    for response in responses.select_related("unit"):
        assert response.unit is not None
        rows.append(
            [response.unit.name, role_of.get(response.role, "")]
            + ["" if response.answers.get(c) is None else str(response.answers[c])
               for c in instrument.item_codes]
        )  # fmt: skip
    # A role group is named only where at least k people of the same unit share
    # it: otherwise "the one executive of a unit" would be a person's answers.
    k = int(result["settings"]["min_group_size"])
    cells = Counter((row[0], row[1]) for row in rows)
    for row in rows:
        if row[1] and cells[(row[0], row[1])] < k:
            row[1] = ""
    random.SystemRandom().shuffle(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["respondent_id", "organisation", "role", *instrument.item_codes])
    for number, row in enumerate(rows, start=1):
        writer.writerow([f"R{number}", *(exports.neutralise(cell) for cell in row)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
