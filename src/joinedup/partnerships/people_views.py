"""The people in a partnership and their roles: adding, changing, removing.

Only facilitators see these pages. The list holds people's email addresses
and whether they have set up their account, which partner leads and viewers
do not need; they see who the facilitators are on the overview instead, so
they know whom to ask.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from joinedup.outbox.services import where_it_went
from joinedup.site.email_limits import limits_email

from . import services
from .access import FACILITATOR_ONLY, partnership_view
from .forms import AddPersonForm, RoleForm, submitted
from .models import ROLE_HINTS, Membership, Organisation, Role


def _member(membership: Membership, member_id: int) -> Membership:
    """A membership of this partnership; any other id is simply not found."""
    member = (
        Membership.objects.select_related("user", "organisation", "partnership")
        .filter(partnership=membership.partnership, pk=member_id)
        .first()
    )
    if member is None:
        raise Http404("No such member")
    return member


def _organisations(membership: Membership) -> list[Organisation]:
    return list(membership.partnership.organisations.order_by("name"))


@partnership_view(FACILITATOR_ONLY)
def people(request: HttpRequest, membership: Membership) -> HttpResponse:
    partnership = membership.partnership
    members = partnership.memberships.select_related("user", "organisation").order_by(
        "role", "user__name", "user__email"
    )
    return render(
        request,
        "partnerships/people/list.html",
        {
            "partnership": partnership,
            "members": [
                {"membership": m, "needs_password": services.needs_password(m.user)}
                for m in members
            ],
            "me": membership,
            "role_hints": [(role.label, ROLE_HINTS[role]) for role in Role],
        },
    )


@partnership_view(FACILITATOR_ONLY)
@limits_email
def add_person(request: HttpRequest, membership: Membership) -> HttpResponse:
    partnership = membership.partnership
    form = AddPersonForm(submitted(request), organisations=_organisations(membership))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            added = services.add_member(
                partnership,
                data["email"],
                data["role"],
                form.chosen_organisation,
                name=data["name"],
                added_by=request.user,  # type: ignore[arg-type]
            )
        except services.PartnershipError as error:
            form.add_error(error.field, str(error))
        else:
            member = added.membership
            role = services.role_description(member.role, member.organisation)
            # The same words whether or not they had an account, so that this page
            # cannot be used to find out who has one.
            if added.emailed:
                messages.success(
                    request,
                    f"{member.user.email} is now {role}. We have emailed them to say so."
                    + where_it_went(),
                )
            else:
                messages.warning(
                    request,
                    f"{member.user.email} is now {role}, but the email to tell them could not be "
                    "sent. Tell them yourself, or send them a new link from this page later.",
                )
            return redirect("partnerships:people", partnership.pk)
    return render(
        request, "partnerships/people/add.html", {"form": form, "partnership": partnership}
    )


@partnership_view(FACILITATOR_ONLY)
def change_role(request: HttpRequest, membership: Membership, member_id: int) -> HttpResponse:
    partnership = membership.partnership
    member = _member(membership, member_id)
    form = RoleForm(
        submitted(request),
        organisations=_organisations(membership),
        initial={"role": member.role, "organisation": member.organisation_id or ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_role(member, form.cleaned_data["role"], form.chosen_organisation)
        except services.PartnershipError as error:
            form.add_error(error.field, str(error))
        else:
            role = services.role_description(member.role, member.organisation)
            messages.success(request, f"{member.user.display_name} is now {role}.")
            if member.pk == membership.pk and member.role != Role.FACILITATOR:
                return redirect("partnerships:overview", partnership.pk)
            return redirect("partnerships:people", partnership.pk)
    return render(
        request,
        "partnerships/people/role.html",
        {"form": form, "partnership": partnership, "member": member},
    )


@partnership_view(FACILITATOR_ONLY)
def remove_person(request: HttpRequest, membership: Membership, member_id: int) -> HttpResponse:
    partnership = membership.partnership
    member = _member(membership, member_id)
    error = ""
    if request.method == "POST":
        try:
            services.remove_member(member)
        except services.PartnershipError as problem:
            error = str(problem)
        else:
            if member.pk == membership.pk:
                messages.success(request, f"You have left {partnership.name}.")
                return redirect("partnerships:list")
            messages.success(
                request, f"{member.user.display_name} no longer has access to {partnership.name}."
            )
            return redirect("partnerships:people", partnership.pk)
    return render(
        request,
        "partnerships/people/remove.html",
        {
            "partnership": partnership,
            "member": member,
            "is_me": member.pk == membership.pk,
            "last_facilitator": services.is_last_facilitator(member),
            "error": error,
        },
        status=409 if error else 200,
    )


@partnership_view(FACILITATOR_ONLY)
@require_POST
@limits_email
def send_link(request: HttpRequest, membership: Membership, member_id: int) -> HttpResponse:
    """Send a new "choose your password" link to someone who has not used theirs."""
    member = _member(membership, member_id)
    try:
        sent = services.send_set_password_link(member, request.user)  # type: ignore[arg-type]
    except services.PartnershipError as error:
        messages.error(request, str(error))
    else:
        if sent:
            messages.success(
                request,
                f"A new link to choose a password is on its way to {member.user.email}."
                + where_it_went(),
            )
        else:
            messages.error(
                request, f"The email to {member.user.email} could not be sent. Try again later."
            )
    return redirect("partnerships:people", membership.partnership_id)
