"""The weekly update's pages: choosing it, stopping it without signing in, and previewing it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from joinedup.partnerships.access import FACILITATOR_ONLY, partnership_view
from joinedup.partnerships.models import Membership

from . import preferences, sending
from .content import weekly_update


@login_required
def preferences_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        chosen = preferences.save(user, request.POST.getlist("partnerships"))  # type: ignore[arg-type]
        messages.success(
            request,
            f"Your weekly update is on for {chosen} partnership{'s' if chosen != 1 else ''}."
            if chosen
            else "You will not get the weekly update.",
        )
        return redirect("updates:preferences")
    return render(
        request,
        "updates/preferences.html",
        {"choices": preferences.choices(user)},  # type: ignore[arg-type]
    )


# No CSRF check: RFC 8058 mail clients POST here with no cookie and no form
# token. The signed token in the URL is what proves the request; the worst a
# forged request can do is turn one person's update off.
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = sending.read_token(token)
    if found is None:
        return render(request, "updates/bad_link.html", status=404)
    user_id, partnership_id = found
    name = preferences.partnership_name(partnership_id)
    if request.method == "POST":
        sending.unsubscribe(user_id, partnership_id)
        return render(request, "updates/unsubscribed.html", {"name": name})
    return render(request, "updates/unsubscribe.html", {"name": name, "token": token})


@partnership_view(FACILITATOR_ONLY)
def preview(request: HttpRequest, membership: Membership) -> HttpResponse:
    partnership = membership.partnership
    now, today = timezone.now(), timezone.localdate()
    lead_organisation = preferences.example_organisation(partnership)
    updates = [
        weekly_update(partnership, role, lead_organisation if role == "partner_lead" else None,
                      now, today)
        for role in ("facilitator", "partner_lead", "viewer")
    ]  # fmt: skip
    return render(
        request,
        "updates/preview.html",
        {
            "partnership": partnership,
            "updates": updates,
            "lead_organisation": lead_organisation,
            "week": sending.iso_week(today),
        },
    )
