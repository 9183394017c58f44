"""The plan on one page: counts by status, overdue actions, success measures met, the
share of recent meetings' time spent on what matters, and commitments' shortfalls."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.partnerships.access import partnership_view
from joinedup.partnerships.models import Membership

from . import commitments, meetings, services

RECENT_MEETINGS = 3


@partnership_view()
def plan_status(request: HttpRequest, membership: Membership) -> HttpResponse:
    status = services.plan_status(membership.partnership)
    titles = {area["code"]: area["title"] for area in services.areas()}
    recorded = [row for row in meetings.meetings_with_time(membership.partnership) if row[1].total]
    recent = recorded[:RECENT_MEETINGS]
    return render(
        request,
        "actions/status.html",
        {
            "partnership": membership.partnership,
            "membership": membership,
            "status": status,
            "titles": titles,
            "checked_rows": [row for row in status.rows if row.outcome.checked],
            "today": services.today(),
            "recent_meetings": recent,
            "meeting_time": meetings.overall(recent),
            "ledger": commitments.ledger(membership.partnership),
        },
    )
