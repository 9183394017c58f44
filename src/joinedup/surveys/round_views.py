"""Running a survey round: open it, invite people, follow progress, close it.

Progress is shown as counts by organisation only: no page says who has or
has not finished (see `people.py` and `channels.py`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from joinedup.analysis import InputError
from joinedup.analysis.problems import Problem
from joinedup.analysis.vocabulary import BANDS, POSITION_SENTENCES, POSITIONS
from joinedup.instrument import load_instrument
from joinedup.outbox.services import where_it_went
from joinedup.partnerships.access import (
    FACILITATOR_ONLY,
    MANAGES_INVITATIONS,
    can_manage_organisation,
    partnership_view,
)
from joinedup.partnerships.forms import submitted, submitted_files
from joinedup.partnerships.models import Membership, Organisation, Role
from joinedup.site.email_limits import limits_email

from . import audit, channels, closing_date, importing, people, sending, services
from .forms import ClosingDateForm, InvitePeopleForm, RoundForm
from .models import Invitation, Round, RoundStatus


def _round(membership: Membership, round_id: int) -> Round:
    survey_round = Round.objects.filter(partnership=membership.partnership, pk=round_id).first()
    if survey_round is None:
        raise Http404("No such round")
    return survey_round


def _emails(count: int, kind: str = "invitation") -> str:
    """ "3 invitations are", "1 reminder is": the start of a sentence about e-mails queued."""
    return f"{count} {kind}{'s are' if count != 1 else ' is'}"


def _managed_organisations(membership: Membership) -> list[Organisation]:
    organisations = list(membership.partnership.organisations.order_by("name"))
    return [o for o in organisations if can_manage_organisation(membership, o.pk)]


@partnership_view(FACILITATOR_ONLY)
def new_round(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = RoundForm(submitted(request), today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            survey_round = services.create_round(
                membership.partnership, form.cleaned_data["label"], form.cleaned_data["closes_on"]
            )
        except services.SurveyError as error:
            form.add_error("label", str(error))
        else:
            messages.success(request, f"Round “{survey_round.label}” created as a draft.")
            return redirect("surveys:round", membership.partnership_id, survey_round.pk)
    return render(
        request,
        "surveys/rounds/new.html",
        {"form": form, "partnership": membership.partnership, "membership": membership},
    )


@partnership_view()
def round_detail(request: HttpRequest, membership: Membership, round_id: int) -> HttpResponse:
    survey_round = _round(membership, round_id)
    today = timezone.localdate()
    # One pass over the round's invitations for every count on the page.
    counts = channels.invitation_counts(survey_round)
    progress = channels.progress_by_organisation(survey_round, counts)
    manages_invitations = membership.role in MANAGES_INVITATIONS
    query = request.GET.get("q", "")
    found = None
    if manages_invitations and survey_round.status not in (
        RoundStatus.CLOSING,
        RoundStatus.CLOSED,
    ):
        managed = (
            None
            if membership.role == Role.FACILITATOR
            else [
                row.organisation.pk
                for row in progress
                if can_manage_organisation(membership, row.organisation.pk)
            ]
        )
        found = people.search_invitations(
            survey_round, managed, query, request.GET.get("page"), total=progress.invited
        )
    result = survey_round.result
    summary: dict[str, Any] | None = None
    if result:
        instrument = load_instrument(survey_round.instrument)
        position = result["partnership"].get("position")
        summary = {
            "position": POSITIONS.get(position or "", ""),
            "sentence": POSITION_SENTENCES.get(position or "", ""),
            "respondents": result["respondents"],
            "no_results": result["partnership"].get("reason") == "too_few_respondents",
            "scales": [
                {
                    "name": scale.name,
                    "score": result["partnership"]["scales"][scale.code]["score"],
                    "band": BANDS.get(result["partnership"]["scales"][scale.code]["band"] or ""),
                    "band_code": result["partnership"]["scales"][scale.code]["band"],
                }
                for scale in instrument.scales
            ],
            "combined": [u for u in result["units"] if u["combined"]],
        }
    return render(
        request,
        "surveys/rounds/detail.html",
        {
            "partnership": membership.partnership,
            "membership": membership,
            "round": survey_round,
            "progress": progress,
            "bursts": [
                link for link in services.open_link_activity(survey_round) if link["unusual"]
            ],
            "found": found,
            "query": query.strip(),
            "is_facilitator": membership.role == Role.FACILITATOR,
            "manages_invitations": manages_invitations,
            "summary": summary,
            "sending": sending.sending_progress(survey_round, counts)
            if found is not None
            else None,
            "today": today,
            "closing": closing_date.days_left(survey_round, today),
            "days": (survey_round.closes_on - today).days if survey_round.closes_on else None,
        },
    )


@partnership_view(FACILITATOR_ONLY)
def change_closing_date(
    request: HttpRequest, membership: Membership, round_id: int
) -> HttpResponse:
    """Plan, change or remove the day a draft or open round is to close."""
    survey_round = _round(membership, round_id)
    if survey_round.status not in (RoundStatus.DRAFT, RoundStatus.OPEN):
        messages.error(request, "This round is closing or closed: it has no closing date to plan.")
        return redirect("surveys:round", membership.partnership_id, survey_round.pk)
    today = timezone.localdate()
    form = ClosingDateForm(
        submitted(request),
        initial={"closes_on": survey_round.closes_on},
        current=survey_round.closes_on,
        today=today,
    )
    if request.method == "POST" and form.is_valid():
        try:
            closing_date.set_closing_date(survey_round, form.cleaned_data["closes_on"], today)
        except services.SurveyError as error:
            form.add_error("closes_on", str(error))
        else:
            messages.success(
                request,
                f"Planned closing date: {closing_date.long_date(survey_round.closes_on)}."
                if survey_round.closes_on
                else "The round has no planned closing date now.",
            )
            return redirect("surveys:round", membership.partnership_id, survey_round.pk)
    return render(
        request,
        "surveys/rounds/closing_date.html",
        {"form": form, "partnership": membership.partnership, "round": survey_round},
    )


@partnership_view(FACILITATOR_ONLY)
@require_POST
@limits_email
def open_round(request: HttpRequest, membership: Membership, round_id: int) -> HttpResponse:
    survey_round = _round(membership, round_id)
    try:
        services.open_round(survey_round)
    except services.SurveyError as error:
        messages.error(request, str(error))
    else:
        queued = services.send_pending(survey_round)
        messages.success(
            request,
            f"The round is open. {_emails(queued)} being sent." + where_it_went()
            if queued
            else "The round is open. Invite people to answer.",
        )
    return redirect("surveys:round", membership.partnership_id, survey_round.pk)


@partnership_view(FACILITATOR_ONLY)
def close_round(request: HttpRequest, membership: Membership, round_id: int) -> HttpResponse:
    survey_round = _round(membership, round_id)
    if request.method == "POST":
        # Closing runs in the worker: the progress page follows it.
        try:
            services.close_round(survey_round)
        except services.SurveyError as error:
            messages.error(request, str(error))
            return redirect("surveys:round", membership.partnership_id, survey_round.pk)
        return redirect("surveys:round-progress", membership.partnership_id, survey_round.pk)
    return render(
        request,
        "surveys/rounds/close.html",
        {
            "partnership": membership.partnership,
            "round": survey_round,
            "responses": survey_round.responses.count(),
            "hidden": (
                services.close_preview(survey_round)
                if survey_round.status == RoundStatus.OPEN
                else None
            ),
        },
    )


@partnership_view(MANAGES_INVITATIONS)
@limits_email
def invite(request: HttpRequest, membership: Membership, round_id: int) -> HttpResponse:
    survey_round = _round(membership, round_id)
    if survey_round.status in (RoundStatus.CLOSING, RoundStatus.CLOSED):
        messages.error(request, "This round is closed: nobody new can be invited.")
        return redirect("surveys:round", membership.partnership_id, survey_round.pk)
    organisations = _managed_organisations(membership)
    form = InvitePeopleForm(
        submitted(request),
        submitted_files(request),
        organisations=organisations,
    )
    links: list[Invitation] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            links, skipped = services.add_invitations(survey_round, form.people_found)
        except services.ChannelRefused as refused:
            for reason in refused.reasons:
                form.add_error("people", reason)
        except services.SurveyError as refused:  # the round closed, or an organisation went
            form.add_error("people", str(refused))
    if links is not None:
        if survey_round.status == RoundStatus.OPEN:
            note = f"{_emails(len(links), 'invitation')} being sent." + where_it_went()
        else:
            note = (
                f"{len(links)} {'person' if len(links) == 1 else 'people'} added. Their "
                "invitations will be sent when the round opens."
            )
        if skipped:
            note += f" {len(skipped)} already invited, so not invited again."
        messages.success(request, note)
        if links and survey_round.status == RoundStatus.OPEN:
            return redirect("surveys:round-progress", membership.partnership_id, survey_round.pk)
        return redirect("surveys:round", membership.partnership_id, survey_round.pk)
    return render(
        request,
        "surveys/rounds/invite.html",
        {
            "partnership": membership.partnership,
            "round": survey_round,
            "form": form,
            "organisations": organisations,
        },
    )


@partnership_view(MANAGES_INVITATIONS)
@require_POST
@limits_email
def remind(request: HttpRequest, membership: Membership, round_id: int) -> HttpResponse:
    survey_round = _round(membership, round_id)
    organisations = (
        None if membership.role == Role.FACILITATOR else _managed_organisations(membership)
    )
    try:
        queued = services.remind(survey_round, organisations)
    except services.SurveyError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"{_emails(queued, 'reminder')} being sent to people who have not finished."
            + where_it_went(),
        )
    return redirect("surveys:round", membership.partnership_id, survey_round.pk)


@partnership_view(MANAGES_INVITATIONS)
def round_progress(request: HttpRequest, membership: Membership, round_id: int) -> HttpResponse:
    """What the worker is doing for this round: e-mails being sent, the close.

    Counts only, never who. While work is in progress the page refreshes
    itself every 5 seconds (no JavaScript); the round page itself never does.
    """
    survey_round = _round(membership, round_id)
    progress = sending.sending_progress(survey_round)
    closing = survey_round.status == RoundStatus.CLOSING
    working = closing or progress["waiting"] > progress["stopped"]
    return render(
        request,
        "surveys/rounds/progress.html",
        {
            "partnership": membership.partnership,
            "round": survey_round,
            "sending": progress,
            "closing": closing,
            "working": working,
            "is_facilitator": membership.role == Role.FACILITATOR,
        },
    )


@partnership_view(FACILITATOR_ONLY)
@require_POST
@limits_email
def send_again(request: HttpRequest, membership: Membership, round_id: int) -> HttpResponse:
    """Queue again every invitation whose e-mail has not gone (after the mail server failed)."""
    survey_round = _round(membership, round_id)
    try:
        queued = services.send_pending(survey_round)
    except services.SurveyError as error:
        messages.error(request, str(error))
        return redirect("surveys:round", membership.partnership_id, survey_round.pk)
    messages.success(request, f"{_emails(queued)} being sent." + where_it_went())
    return redirect("surveys:round-progress", membership.partnership_id, survey_round.pk)


@partnership_view(FACILITATOR_ONLY)
def open_links(request: HttpRequest, membership: Membership, round_id: int) -> HttpResponse:
    """Make an open link for one organisation: facilitators only, with the risk spelt out."""
    survey_round = _round(membership, round_id)
    organisations = _managed_organisations(membership)
    new_link: dict[str, Any] | None = None
    error = ""
    if request.method == "POST":
        chosen = next(
            (o for o in organisations if str(o.pk) == request.POST.get("organisation")), None
        )
        if chosen is None:
            error = "Select the organisation the link is for"
        else:
            try:
                token = services.create_open_link(survey_round, chosen, by=request.user)
            except services.SurveyError as problem:
                error = str(problem)
            else:
                new_link = {"organisation": chosen, "url": services.open_link_url(token)}
    return render(
        request,
        "surveys/rounds/open_links.html",
        {
            "partnership": membership.partnership,
            "round": survey_round,
            "organisations": channels.open_link_options(survey_round, organisations),
            "new_link": new_link,
            "error": error,
        },
        status=400 if error else 200,
    )


@partnership_view()
def round_log(request: HttpRequest, membership: Membership, round_id: int) -> HttpResponse:
    """The round's audit log of open links and imports: every member may read it."""
    survey_round = _round(membership, round_id)
    entries = Paginator(audit.round_log(survey_round), people.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "surveys/rounds/log.html",
        {"partnership": membership.partnership, "round": survey_round, "entries": entries},
    )


@partnership_view(FACILITATOR_ONLY)
def import_responses(request: HttpRequest, membership: Membership, round_id: int) -> HttpResponse:
    survey_round = _round(membership, round_id)
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if survey_round.status in (RoundStatus.CLOSING, RoundStatus.CLOSED):
        messages.error(request, "This round is closed: nothing more can be added to it.")
        return redirect("surveys:round", membership.partnership_id, survey_round.pk)
    too_big = int(request.META.get("CONTENT_LENGTH") or 0) > settings.MAX_UPLOAD_BYTES
    if request.method == "POST" and too_big:
        limit = settings.MAX_UPLOAD_BYTES // (1024 * 1024)
        problems = [Problem("upload", None, None, f"the files are larger than {limit} MB")]
    elif request.method == "POST":
        responses_file = request.FILES.get("responses")
        relationships_file = request.FILES.get("relationships")
        if responses_file is None:
            problems = [Problem("responses", None, None, "choose a responses file to upload")]
        else:
            try:
                count, warnings = importing.import_files(
                    survey_round,
                    importing.Upload(Path(responses_file.name).name, responses_file.read()),
                    importing.Upload(Path(relationships_file.name).name, relationships_file.read())
                    if relationships_file
                    else None,
                    by=request.user,
                )
            except InputError as error:
                problems = error.problems
            except importing.ImportRefused as error:
                problems = [Problem(responses_file.name, None, None, str(error))]
            else:
                messages.success(
                    request, f"{count} response{'s' if count != 1 else ''} imported into the round."
                )
                return redirect("surveys:round", membership.partnership_id, survey_round.pk)
    return render(
        request,
        "surveys/rounds/import.html",
        {
            "partnership": membership.partnership,
            "round": survey_round,
            "problems": problems,
            "warnings": warnings,
        },
        status=400 if problems else 200,
    )
