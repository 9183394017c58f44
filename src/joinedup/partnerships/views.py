"""Partnership pages: the list of a person's partnerships and each partnership's overview."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .access import partnership_view
from .models import Membership


@login_required
def partnership_list(request: HttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("partnership")
        .order_by("partnership__name")
    )
    return render(request, "partnerships/list.html", {"memberships": memberships})


@partnership_view()
def overview(request: HttpRequest, membership: Membership) -> HttpResponse:
    partnership = membership.partnership
    return render(
        request,
        "partnerships/overview.html",
        {
            "membership": membership,
            "partnership": partnership,
            "rounds": partnership.rounds.order_by("-created_at"),
            "organisations": partnership.organisations.all(),
        },
    )
