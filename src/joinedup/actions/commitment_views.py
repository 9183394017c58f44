"""The commitments ledger: every member reads it; facilitators record every organisation's
commitments, a partner lead their own organisation's."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe

from joinedup.partnerships.access import can_manage_organisation, partnership_view
from joinedup.partnerships.forms import submitted
from joinedup.partnerships.models import Membership, Role
from joinedup.reports.charts.figures import figure_html

from . import commitments
from .access import PLANNERS
from .forms import CommitmentForm
from .models import Commitment
from .services import ActionError


def _commitment(membership: Membership, commitment_id: int) -> Commitment:
    """A commitment this person may change: 404 outside the partnership, 403 for another's."""
    commitment = get_object_or_404(
        Commitment.objects.select_related("organisation", "partnership"),
        partnership=membership.partnership,
        pk=commitment_id,
    )
    if not can_manage_organisation(membership, commitment.organisation_id):
        raise PermissionDenied("Only a facilitator or the organisation's lead can change it")
    return commitment


@partnership_view()
def ledger(request: HttpRequest, membership: Membership) -> HttpResponse:
    found = commitments.ledger(membership.partnership)
    return render(
        request,
        "actions/commitments/ledger.html",
        {
            "partnership": membership.partnership,
            "membership": membership,
            "ledger": found,
            "entries": [
                (entry, can_manage_organisation(membership, entry.commitment.organisation_id))
                for entry in found.entries
            ],
            "can_add": membership.role in PLANNERS,
            # figure_html escapes every name and number it writes.
            "charts": [mark_safe(figure_html(chart, 2)) for chart in commitments.charts(found)],
        },
    )


def _form(
    request: HttpRequest, membership: Membership, commitment: Commitment | None
) -> CommitmentForm:
    organisations = (
        list(membership.partnership.organisations.order_by("name"))
        if membership.role == Role.FACILITATOR
        else None  # a partner lead's commitments are their own organisation's
    )
    initial = CommitmentForm.initial_for(commitment) if commitment else {}
    return CommitmentForm(submitted(request), initial=initial, organisations=organisations)


@partnership_view(PLANNERS)
def commitment_form(
    request: HttpRequest, membership: Membership, commitment_id: int | None = None
) -> HttpResponse:
    """Record a commitment, or change one (what has been delivered, most often)."""
    commitment = _commitment(membership, commitment_id) if commitment_id is not None else None
    form = _form(request, membership, commitment)
    fixed = None
    if membership.role != Role.FACILITATOR:
        fixed = commitment.organisation if commitment else membership.organisation
    if request.method == "POST" and form.is_valid():
        try:
            fields = form.commitment_fields(fixed)
            if commitment is None:
                commitments.create_commitment(membership.partnership, **fields)
            else:
                commitments.change_commitment(commitment, **fields)
        except ActionError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, f"“{form.cleaned_data['description']}” is in the ledger.")
            return redirect("actions:commitments", membership.partnership_id)
    return render(
        request,
        "actions/commitments/form.html",
        {
            "partnership": membership.partnership,
            "form": form,
            "commitment": commitment,
            "fixed_organisation": fixed,
        },
    )


@partnership_view(PLANNERS)
def remove_commitment(
    request: HttpRequest, membership: Membership, commitment_id: int
) -> HttpResponse:
    commitment = _commitment(membership, commitment_id)
    if request.method == "POST":
        commitments.remove_commitment(commitment)
        messages.success(request, f"“{commitment.description}” is removed from the ledger.")
        return redirect("actions:commitments", membership.partnership_id)
    return render(
        request,
        "actions/commitments/remove.html",
        {"partnership": membership.partnership, "commitment": commitment},
    )
