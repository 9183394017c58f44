"""Result pages and downloads, for every member of the partnership."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe

from joinedup.analysis import methodology
from joinedup.analysis.summary import summarise
from joinedup.instrument import load_instrument
from joinedup.partnerships.access import FACILITATOR_ONLY, partnership_view
from joinedup.partnerships.models import Membership, Role
from joinedup.surveys.channels import progress_by_organisation

from . import files, services
from .models import Download, FileStatus, RoundFile
from .sections import SECTIONS, change_rows, reliability_rows, themes


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
    """The summary: where the partnership stands, the change, what to do, what it does well."""
    waiting = _not_closed_yet(request, membership, round_id)
    if waiting is not None:
        return waiting
    survey_round = _closed_round(membership, round_id)
    result = survey_round.result
    figures = services.round_figures_html(survey_round)
    return render(
        request,
        "results/round.html",
        _common(membership, survey_round)
        | {
            "summary": summarise(result, load_instrument(survey_round.instrument)),
            # figure_html escapes every name and number it writes.
            "position_map": mark_safe(figures.get("position-map", "")),
            "actions": sorted(result["recommendations"], key=lambda a: a["priority"]),
            "formats": [
                (kind, form)
                for kind, form in services.FORMATS.items()
                if not form.facilitators_only or membership.role == Role.FACILITATOR
            ],
            "kept_formats": files.KEPT_FORMATS,
        },
    )


@partnership_view()
def round_section(
    request: HttpRequest, membership: Membership, round_id: int, section: str
) -> HttpResponse:
    """One part of the results on a page of its own (scores, network, words, change, method)."""
    survey_round = _closed_round(membership, round_id)
    result = survey_round.result
    found = SECTIONS.get(section)
    no_results = result["partnership"].get("reason") == "too_few_respondents"
    if found is None or (section == "change" and not result.get("trend")):
        raise Http404("No such part of the results")
    if no_results and section != "how":
        raise Http404("This round has no results: too few people answered")
    instrument = load_instrument(survey_round.instrument)
    figures = services.round_figures_html(survey_round)
    context = _common(membership, survey_round) | {
        "section": found,
        # figure_html escapes every name and number it writes.
        "figures": [mark_safe(figures[f]) for f in found.figures if f in figures],
    }
    focus = request.GET.get("focus", "").strip()
    if section == "network" and focus:
        # One organisation's own ties, from a link in the table of members.
        context["own_ties"] = mark_safe(services.own_ties_html(survey_round, focus))
    if section == "words":
        context["themes"] = themes(result, instrument)
    elif section == "change":
        context["change_rows"] = change_rows(result, instrument)
    elif section == "how":
        context["reliability_rows"] = reliability_rows(result, instrument)
    return render(request, "results/section.html", context)


def _common(membership: Membership, survey_round: Any) -> dict[str, Any]:
    result = survey_round.result
    return {
        "partnership": membership.partnership,
        "membership": membership,
        "round": survey_round,
        "result": result,
        "no_results": result["partnership"].get("reason") == "too_few_respondents",
        "sections": [s for s in SECTIONS.values() if s.slug != "change" or result.get("trend")],
    }


def method(request: HttpRequest) -> HttpResponse:
    """How every figure is worked out: public, from the instrument and the analysis code."""
    instrument = load_instrument()
    return render(
        request,
        "results/method.html",
        {"parts": methodology.sections(instrument), "scales": methodology.scales(instrument)},
    )


def _downloadable(membership: Membership, round_id: int, kind: str) -> tuple[Any, Any]:
    """The closed round and the format asked for, if this member may have it."""
    survey_round = _closed_round(membership, round_id)
    form = services.FORMATS.get(kind)
    if form is None:
        raise Http404("No such download")
    if form.facilitators_only and membership.role != Role.FACILITATOR:
        raise PermissionDenied("Only facilitators can download this file")
    return survey_round, form


@partnership_view()
def download(
    request: HttpRequest, membership: Membership, round_id: int, kind: str
) -> HttpResponse:
    """A result file; every download is written to the audit log.

    The PDF and the workbook are served from the kept file; while there is
    none for today's key, the person is sent to the page that follows its making.
    """
    survey_round, form = _downloadable(membership, round_id, kind)
    if kind in files.KEPT_FORMATS:
        kept = files.request_file(survey_round, kind)
        if kept.status != FileStatus.READY:
            return redirect("results:preparing", membership.partnership_id, round_id, kind)
        file = services.DownloadFile(
            bytes(kept.content), form.content_type, services.filename(survey_round, kind)
        )
    else:
        file = services.build_download(survey_round, kind)
    services.record(request.user, survey_round, kind)
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _kept_file(membership: Membership, round_id: int, kind: str) -> tuple[Any, Any]:
    survey_round, form = _downloadable(membership, round_id, kind)
    if kind not in files.KEPT_FORMATS:
        raise Http404("This file is made at once: there is nothing to wait for")
    return survey_round, form


def _describe(kept: RoundFile, label: str) -> dict[str, str]:
    """The heading and the one sentence the waiting page and its live status show."""
    name = label  # "PDF report", "Excel workbook": read as they are mid-sentence
    if kept.status == FileStatus.READY:
        return {"heading": f"Your {name} is ready", "message": f"Your {name} is ready."}
    if kept.status == FileStatus.FAILED:
        return {
            "heading": f"Your {name} could not be made",
            "message": kept.reason or f"Your {name} could not be made.",
        }
    doing = "being made" if kept.status == FileStatus.MAKING else "waiting to be made"
    return {"heading": f"Your {name} is being prepared", "message": f"The file is {doing}."}


@partnership_view()
def preparing(
    request: HttpRequest, membership: Membership, round_id: int, kind: str
) -> HttpResponse:
    """The page someone waits on while their PDF or workbook is made (no JavaScript needed).

    It refreshes itself every 5 seconds without JavaScript; with it, a small
    script asks `file_status` instead and updates a live region. When the file
    is ready it offers the link; when it failed, the reason and "Try again".
    """
    survey_round, form = _kept_file(membership, round_id, kind)
    if request.method == "POST":
        files.request_file(survey_round, kind, again=True)
        return redirect("results:preparing", membership.partnership_id, round_id, kind)
    kept = files.request_file(survey_round, kind)
    waited = (timezone.now() - kept.requested_at).total_seconds()
    return render(
        request,
        "results/preparing.html",
        {
            "partnership": membership.partnership,
            "round": survey_round,
            "kind": kind,
            "form": form,
            "file": kept,
            "working": kept.status in (FileStatus.WAITING, FileStatus.MAKING),
            # A worker that is not running leaves the file waiting: say so, kindly.
            "slow": waited > SLOW_SECONDS,
            "size": len(kept.content) if kept.content is not None else 0,
        }
        | _describe(kept, form.label),
    )


SLOW_SECONDS = 120


@partnership_view()
def file_status(
    request: HttpRequest, membership: Membership, round_id: int, kind: str
) -> JsonResponse:
    """The waiting page's live status, as JSON: this round's file only, for its members only.

    Asked every few seconds, so it reads the row only: the waiting page has
    already queued the file for today's key (working the key out reads the
    whole result). A row that has gone meanwhile (erased) is asked for again.
    """
    survey_round, form = _kept_file(membership, round_id, kind)
    kept = RoundFile.objects.filter(round=survey_round, kind=kind).defer("content").first()
    if kept is None:
        kept = files.request_file(survey_round, kind)
    response = JsonResponse({"status": kept.status} | _describe(kept, form.label))
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
