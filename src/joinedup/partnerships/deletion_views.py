"""Confirmation pages for deleting a round or a whole partnership (facilitators only)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from joinedup.surveys.models import Round

from . import deletion
from .access import FACILITATOR_ONLY, partnership_view
from .models import Membership


@partnership_view(FACILITATOR_ONLY)
def delete_round(request: HttpRequest, membership: Membership, round_id: int) -> HttpResponse:
    survey_round = Round.objects.filter(partnership=membership.partnership, pk=round_id).first()
    if survey_round is None:
        raise Http404("No such round")
    if request.method == "POST":
        deletion.delete_round(survey_round, request.user)
        messages.success(request, f"{survey_round.label} and its answers are deleted.")
        return redirect("partnerships:overview", membership.partnership_id)
    return render(
        request,
        "partnerships/delete_round.html",
        {
            "partnership": membership.partnership,
            "round": survey_round,
            "removed": deletion.what_goes_with_round(survey_round),
            "actions_kept": deletion.actions_kept(survey_round),
        },
    )


@partnership_view(FACILITATOR_ONLY)
def delete_partnership(request: HttpRequest, membership: Membership) -> HttpResponse:
    partnership = membership.partnership
    error = ""
    if request.method == "POST":
        typed = request.POST.get("confirm_name", "")
        try:
            deletion.delete_partnership(partnership, typed, request.user)
        except ValueError:
            error = (
                f"Type the partnership's name, {partnership.name}, exactly as shown to "
                "confirm that you want to delete it"
                if typed.strip()
                else "Type the partnership's name to confirm that you want to delete it"
            )
        else:
            messages.success(request, f"{partnership.name} and everything in it are deleted.")
            return redirect("partnerships:list")
    return render(
        request,
        "partnerships/delete.html",
        {
            "partnership": partnership,
            "removed": deletion.what_goes_with_partnership(partnership),
            "error": error,
            "typed": request.POST.get("confirm_name", "") if request.method == "POST" else "",
        },
        status=400 if error else 200,
    )
