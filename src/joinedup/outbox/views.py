"""The outbox pages: a partnership's kept e-mails for its facilitators, and the
site's own (password resets) for site operators."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.partnerships.access import FACILITATOR_ONLY, partnership_view
from joinedup.partnerships.models import Membership

from . import services


@partnership_view(FACILITATOR_ONLY)
def partnership_outbox(request: HttpRequest, membership: Membership) -> HttpResponse:
    services.require_outbox()
    partnership = membership.partnership
    return render(
        request,
        "outbox/outbox.html",
        {
            "partnership": partnership,
            "outbox_messages": services.partnership_messages(partnership),
        },
    )


@login_required
def site_outbox(request: HttpRequest) -> HttpResponse:
    services.require_outbox()
    messages = services.site_messages(request.user)  # type: ignore[arg-type]
    return render(request, "outbox/outbox.html", {"outbox_messages": messages})
