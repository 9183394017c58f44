"""A partnership's member organisations: the list, adding, changing, removing, importing.

Every member may see the list (partner leads and viewers need to know who
is in the partnership to read its results); only facilitators change it.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from joinedup.analysis import InputError
from joinedup.analysis.problems import Problem

from . import services
from .access import FACILITATOR_ONLY, partnership_view
from .forms import OrganisationForm, OrganisationImportForm, submitted, submitted_files
from .models import SECTOR_CHOICES, Membership, Organisation, Role


def _organisation(membership: Membership, organisation_id: int) -> Organisation:
    """One of this partnership's organisations; any other id is simply not found."""
    organisation = membership.partnership.organisations.filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404("No such organisation")
    return organisation


@partnership_view()
def organisation_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    partnership = membership.partnership
    leads = {
        lead.organisation_id: lead.user
        for lead in partnership.memberships.filter(role=Role.PARTNER_LEAD).select_related("user")
    }
    organisations = [
        {"organisation": organisation, "lead": leads.get(organisation.pk)}
        for organisation in partnership.organisations.order_by("name")
    ]
    return render(
        request,
        "partnerships/organisations/list.html",
        {
            "partnership": partnership,
            "organisations": organisations,
            "is_facilitator": membership.role == Role.FACILITATOR,
        },
    )


@partnership_view(FACILITATOR_ONLY)
def add_organisation(request: HttpRequest, membership: Membership) -> HttpResponse:
    partnership = membership.partnership
    form = OrganisationForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.add_organisation(partnership, **form.cleaned_data)
        except services.PartnershipError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, f"{organisation.name} added.")
            return redirect("partnerships:organisations", partnership.pk)
    return render(
        request,
        "partnerships/organisations/form.html",
        {"form": form, "partnership": partnership, "organisation": None},
    )


@partnership_view(FACILITATOR_ONLY)
def edit_organisation(
    request: HttpRequest, membership: Membership, organisation_id: int
) -> HttpResponse:
    partnership = membership.partnership
    organisation = _organisation(membership, organisation_id)
    form = OrganisationForm(submitted(request), initial=OrganisationForm.initial_for(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(organisation, **form.cleaned_data)
        except services.PartnershipError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, f"{organisation.name} saved.")
            return redirect("partnerships:organisations", partnership.pk)
    return render(
        request,
        "partnerships/organisations/form.html",
        {"form": form, "partnership": partnership, "organisation": organisation},
    )


@partnership_view(FACILITATOR_ONLY)
def remove_organisation(
    request: HttpRequest, membership: Membership, organisation_id: int
) -> HttpResponse:
    partnership = membership.partnership
    organisation = _organisation(membership, organisation_id)
    if request.method == "POST":
        try:
            services.remove_organisation(organisation)
        except services.PartnershipError:
            pass  # the page below shows why, from the same check
        else:
            messages.success(request, f"{organisation.name} removed.")
            return redirect("partnerships:organisations", partnership.pk)
    reasons = services.reasons_to_keep(organisation)
    return render(
        request,
        "partnerships/organisations/remove.html",
        {"partnership": partnership, "organisation": organisation, "reasons": reasons},
        status=409 if request.method == "POST" else 200,
    )


@partnership_view(FACILITATOR_ONLY)
def import_organisations(request: HttpRequest, membership: Membership) -> HttpResponse:
    partnership = membership.partnership
    form = OrganisationImportForm(submitted(request), submitted_files(request))
    problems: list[Problem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["upload"]
        try:
            summary = services.import_organisations(
                partnership, Path(upload.name).name, upload.read()
            )
        except InputError as error:
            problems = error.problems
        else:
            messages.success(request, str(summary))
            return redirect("partnerships:organisations", partnership.pk)
    return render(
        request,
        "partnerships/organisations/import.html",
        {
            "form": form,
            "partnership": partnership,
            "problems": problems,
            "sectors": SECTOR_CHOICES,
        },
        status=400 if problems else 200,
    )
