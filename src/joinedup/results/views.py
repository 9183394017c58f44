"""Result pages and downloads, for every member of the partnership."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from joinedup.analysis.vocabulary import ALIGNMENTS, BANDS, POSITION_SENTENCES, POSITIONS
from joinedup.instrument import load_instrument
from joinedup.partnerships.access import FACILITATOR_ONLY, partnership_view
from joinedup.partnerships.models import Membership, Role
from joinedup.surveys.channels import progress_by_organisation

from . import services
from .models import Download


def _closed_round(membership: Membership, round_id: int) -> Any:
    survey_round = membership.partnership.rounds.filter(pk=round_id).first()
    if survey_round is None:
        raise Http404("No such round")
    if survey_round.result is None:
        raise Http404("This round has no results yet: they are worked out when it closes")
    return survey_round


def _not_closed_yet(request: HttpRequest, membership: Membership, round_id: int) -> Any:
    """For a round that exists but has no results: say when they will come, with progress."""
    survey_round = membership.partnership.rounds.filter(pk=round_id).first()
    if survey_round is None or survey_round.result is not None:
        return None
    return render(
        request,
        "results/not_yet.html",
        {
            "partnership": membership.partnership,
            "round": survey_round,
            # Counts per organisation only, as on the overview: never who answered.
            "completion": progress_by_organisation(survey_round),
            "responses": survey_round.responses.count(),
        },
    )


@partnership_view()
def round_results(request: HttpRequest, membership: Membership, round_id: int) -> HttpResponse:
    waiting = _not_closed_yet(request, membership, round_id)
    if waiting is not None:
        return waiting
    survey_round = _closed_round(membership, round_id)
    result = survey_round.result
    instrument = load_instrument(survey_round.instrument)
    partnership = result["partnership"]
    figures = services.round_figures_html(survey_round)
    position = partnership.get("position") or ""
    trend = result.get("trend")
    return render(
        request,
        "results/round.html",
        {
            "partnership": membership.partnership,
            "membership": membership,
            "round": survey_round,
            "result": result,
            "no_results": partnership.get("reason") == "too_few_respondents",
            "position_name": POSITIONS.get(position, ""),
            "position_sentence": POSITION_SENTENCES.get(position, ""),
            "alignment_name": ALIGNMENTS.get(partnership.get("alignment") or "", ""),
            "actions": sorted(result["recommendations"], key=lambda a: a["priority"]),
            "strengths": [
                {"name": instrument.scale(s["scale"]).name, **s}
                for s in result.get("strengths", [])
            ],
            # figure_html escapes every name and number it writes.
            "figures": {key: mark_safe(html) for key, html in figures.items()},
            "themes": _themes(result, instrument),
            "trend_rows": _trend_rows(result, instrument) if trend else [],
            "trend": trend,
            "combined": [u for u in result["units"] if u["combined"]],
            "formats": [
                (kind, form)
                for kind, form in services.FORMATS.items()
                if not form.facilitators_only or membership.role == Role.FACILITATOR
            ],
            "bands": BANDS,
        },
    )


def _themes(result: dict[str, Any], instrument: Any) -> list[dict[str, Any]]:
    titles = {
        "TEXT_IMPORTANT": "What matters most",
        "TEXT_SIDESHOW": "The side shows",
        "TEXT_OTHER": "Anything else",
    }
    return [
        {
            "title": titles.get(question.code, question.code),
            "question": question.text,
            **result["text"].get(question.code, {"n": 0, "shown": False, "themes": []}),
        }
        for question in instrument.text_questions
    ]


def _trend_rows(result: dict[str, Any], instrument: Any) -> list[dict[str, Any]]:
    scales = result["trend"]["partnership"]["scales"]
    return [
        {
            "name": scale.name,
            "now": result["partnership"]["scales"][scale.code]["score"],
            **scales[scale.code],
        }
        for scale in instrument.scales
    ]


@partnership_view()
def download(
    request: HttpRequest, membership: Membership, round_id: int, kind: str
) -> HttpResponse:
    """A result file; every download is written to the audit log."""
    survey_round = _closed_round(membership, round_id)
    form = services.FORMATS.get(kind)
    if form is None:
        raise Http404("No such download")
    if form.facilitators_only and membership.role != Role.FACILITATOR:
        raise PermissionDenied("Only facilitators can download this file")
    file = services.build_download(survey_round, kind)
    services.record(request.user, survey_round, kind)
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@partnership_view(FACILITATOR_ONLY)
def download_log(request: HttpRequest, membership: Membership) -> HttpResponse:
    downloads = Download.objects.filter(partnership=membership.partnership).select_related(
        "user", "round"
    )[:500]
    return render(
        request,
        "results/download_log.html",
        {
            "partnership": membership.partnership,
            "downloads": downloads,
            "labels": {kind: form.label for kind, form in services.FORMATS.items()},
        },
    )
