"""The plan's calendar feed, and the page where a person makes their secret link to it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from joinedup.partnerships.access import membership_for, partnership_view
from joinedup.partnerships.models import Membership

from . import calendar


@require_GET
def calendar_feed(request: HttpRequest, partnership_id: int) -> HttpResponse:
    """The plan as iCalendar: with `?token=` (a calendar app), or for a signed-in member.

    A bad token is simply not found; without one, a signed-out visitor is sent to sign in.
    """
    token = request.GET.get("token", "")
    if token:
        membership = calendar.membership_for_token(token, partnership_id)
        if membership is None:
            raise Http404("No such calendar link")
    elif not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    else:
        membership = membership_for(request.user, partnership_id)
    response = HttpResponse(
        calendar.plan_calendar(membership.partnership), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="action-plan.ics"'
    response["Cache-Control"] = "private, no-cache"
    return response


@partnership_view()
def calendar_link(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Make (or replace) the person's secret calendar link, shown once; or stop it."""
    partnership = membership.partnership
    user = membership.user
    new_url = ""
    if request.method == "POST":
        if request.POST.get("stop"):
            if calendar.stop_feed(user, partnership):
                messages.success(request, "Your calendar link is stopped. It no longer works.")
            return redirect("actions:calendar-link", partnership.pk)
        new_url = calendar.feed_url(partnership, calendar.new_feed(user, partnership))
    response = render(
        request,
        "actions/calendar.html",
        {
            "partnership": partnership,
            "membership": membership,
            "feed": calendar.feed_of(user, partnership),
            "new_url": new_url,
        },
    )
    response["Cache-Control"] = "private, no-store"  # the page may show a secret link
    return response
