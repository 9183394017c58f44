"""Meetings and their agendas: every member reads them; facilitators record them."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from joinedup.partnerships.access import FACILITATOR_ONLY, partnership_view
from joinedup.partnerships.forms import submitted
from joinedup.partnerships.models import Membership, Role

from . import meetings
from .forms import AgendaItemForm, MeetingForm
from .models import AgendaItem, Meeting
from .services import ActionError


def _meeting(
    membership: Membership, meeting_id: int, found_in: QuerySet[Meeting] | None = None
) -> Meeting:
    """One of this partnership's meetings; any other id is simply not found."""
    return get_object_or_404(
        Meeting.objects if found_in is None else found_in,
        partnership=membership.partnership,
        pk=meeting_id,
    )


def _item(meeting: Meeting, item_id: int) -> AgendaItem:
    return get_object_or_404(meeting.items, pk=item_id)


@partnership_view()
def meeting_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    rows = meetings.meetings_with_time(membership.partnership)
    round_label, unaddressed = meetings.unaddressed_issues(membership.partnership)
    return render(
        request,
        "actions/meetings/list.html",
        {
            "partnership": membership.partnership,
            "rows": rows,
            "round_label": round_label,
            "unaddressed": unaddressed,
            "overall": meetings.overall(rows),
            "is_facilitator": membership.role == Role.FACILITATOR,
        },
    )


@partnership_view()
def meeting_detail(request: HttpRequest, membership: Membership, meeting_id: int) -> HttpResponse:
    # The agenda, read once for its table and its time spent.
    meeting = _meeting(membership, meeting_id, Meeting.objects.prefetch_related("items"))
    return render(
        request,
        "actions/meetings/detail.html",
        {
            "partnership": membership.partnership,
            "meeting": meeting,
            "items": list(meeting.items.all()),
            "spent": meetings.time_spent(meeting),
            "is_facilitator": membership.role == Role.FACILITATOR,
        },
    )


@partnership_view(FACILITATOR_ONLY)
def meeting_form(
    request: HttpRequest, membership: Membership, meeting_id: int | None = None
) -> HttpResponse:
    """Add a meeting, or change one."""
    meeting = _meeting(membership, meeting_id) if meeting_id is not None else None
    initial = MeetingForm.initial_for(meeting) if meeting else {}
    form = MeetingForm(submitted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if meeting is None:
                meeting = meetings.create_meeting(membership.partnership, **form.cleaned_data)
                messages.success(request, "The meeting is added. Now add its agenda.")
            else:
                meetings.change_meeting(meeting, **form.cleaned_data)
                messages.success(request, "The meeting is saved.")
        except ActionError as error:
            form.add_error(error.field, str(error))
        else:
            return redirect("actions:meeting", membership.partnership_id, meeting.pk)
    return render(
        request,
        "actions/meetings/form.html",
        {"partnership": membership.partnership, "form": form, "meeting": meeting},
    )


@partnership_view(FACILITATOR_ONLY)
def remove_meeting(request: HttpRequest, membership: Membership, meeting_id: int) -> HttpResponse:
    meeting = _meeting(membership, meeting_id)
    if request.method == "POST":
        meetings.remove_meeting(meeting)
        messages.success(
            request, f"{meeting.title} on {meeting.date.day} {meeting.date:%B %Y} is removed."
        )
        return redirect("actions:meetings", membership.partnership_id)
    return render(
        request,
        "actions/meetings/remove.html",
        {"partnership": membership.partnership, "meeting": meeting, "item": None},
    )


@partnership_view(FACILITATOR_ONLY)
def item_form(
    request: HttpRequest, membership: Membership, meeting_id: int, item_id: int | None = None
) -> HttpResponse:
    """Add an agenda item, or change one."""
    meeting = _meeting(membership, meeting_id)
    item = _item(meeting, item_id) if item_id is not None else None
    form = AgendaItemForm(
        submitted(request), initial=AgendaItemForm.initial_for(item) if item else {}
    )
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                meetings.add_item(meeting, **form.cleaned_data)
            else:
                meetings.change_item(item, **form.cleaned_data)
        except ActionError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, f"“{form.cleaned_data['title']}” is on the agenda.")
            return redirect("actions:meeting", membership.partnership_id, meeting.pk)
    return render(
        request,
        "actions/meetings/item.html",
        {"partnership": membership.partnership, "form": form, "meeting": meeting, "item": item},
    )


@partnership_view(FACILITATOR_ONLY)
def remove_item(
    request: HttpRequest, membership: Membership, meeting_id: int, item_id: int
) -> HttpResponse:
    meeting = _meeting(membership, meeting_id)
    item = _item(meeting, item_id)
    if request.method == "POST":
        meetings.remove_item(item)
        messages.success(request, f"“{item.title}” is taken off the agenda.")
        return redirect("actions:meeting", membership.partnership_id, meeting.pk)
    return render(
        request,
        "actions/meetings/remove.html",
        {"partnership": membership.partnership, "meeting": meeting, "item": item},
    )
