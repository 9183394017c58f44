"""The action plan's pages: the plan, one action, adding and changing actions, updates,
and starting actions from a round's recommendations.

Every member reads; who may change what is in access.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from joinedup.partnerships.access import FACILITATOR_ONLY, partnership_view
from joinedup.partnerships.forms import submitted
from joinedup.partnerships.models import Membership, Role
from joinedup.surveys.models import Round
from joinedup.surveys.services import closed_rounds

from . import services
from .access import PLANNERS, action_for, can_change_action, changeable_action
from .forms import ActionForm, UpdateForm
from .models import Action


def _closed_rounds(membership: Membership) -> list[Round]:
    """The partnership's closed rounds with results, newest first."""
    return list(closed_rounds(membership.partnership).reverse())


def _context(membership: Membership, **extra: Any) -> dict[str, Any]:
    return {
        "partnership": membership.partnership,
        "membership": membership,
        "is_facilitator": membership.role == Role.FACILITATOR,
        "can_add": membership.role in PLANNERS,
        **extra,
    }


@partnership_view()
def plan(request: HttpRequest, membership: Membership) -> HttpResponse:
    closed = _closed_rounds(membership)
    rows = services.plan_rows(membership.partnership, closed=closed[::-1])
    groups = [
        {**area, "rows": [row for row in rows if row.action.area == area["code"]]}
        for area in services.areas()
    ]
    return render(
        request,
        "actions/plan.html",
        _context(
            membership,
            groups=groups,
            latest_round=closed[0] if closed else None,
        ),
    )


@partnership_view()
def action_detail(request: HttpRequest, membership: Membership, action_id: int) -> HttpResponse:
    action = action_for(membership, action_id)
    checking = services.checking_round(action)
    measure = services.measure_of(action)
    return render(
        request,
        "actions/action.html",
        _context(
            membership,
            action=action,
            area_title=services.area_title(action.area),
            scale_names=[services.scale_names().get(code, code) for code in action.scales],
            measure=measure.describe() if measure else "",
            baseline=services.baseline(action),
            outcome=services.measure_outcome(action, checking),
            overdue=action.is_overdue(services.today()),
            updates=action.updates.select_related("author"),
            can_change=can_change_action(membership, action),
        ),
    )


def _form(request: HttpRequest, membership: Membership, action: Action | None = None) -> ActionForm:
    rounds = _closed_rounds(membership)
    if action is not None:
        initial = ActionForm.initial_for(action)
    else:
        initial = {"started_from": str(rounds[0].pk) if rounds else ""}
    return ActionForm(
        submitted(request),
        initial=initial,
        # A partner lead's actions are always their own organisation's: no choice to make.
        owners=list(membership.partnership.organisations.order_by("name"))
        if membership.role == Role.FACILITATOR
        else None,
        rounds=rounds,
        with_status=action is not None,
    )


@partnership_view(PLANNERS)
def add_action(request: HttpRequest, membership: Membership) -> HttpResponse:
    form = _form(request, membership)
    # A partner lead's actions are their own organisation's.
    fixed_owner = membership.organisation if membership.role == Role.PARTNER_LEAD else None
    if request.method == "POST" and form.is_valid():
        try:
            action = services.create_action(
                membership.partnership,
                created_by=membership.user,
                **form.action_fields(fixed_owner),
            )
        except services.ActionError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, f"“{action.title}” is in the plan.")
            return redirect("actions:action", membership.partnership_id, action.pk)
    return render(
        request,
        "actions/form.html",
        _context(membership, form=form, action=None, fixed_owner=fixed_owner),
    )


@partnership_view(PLANNERS)
def edit_action(request: HttpRequest, membership: Membership, action_id: int) -> HttpResponse:
    action = changeable_action(membership, action_id)
    form = _form(request, membership, action)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_action(
                action,
                by=membership.user,
                **form.action_fields(fixed_owner=action.owner),
            )
        except services.ActionError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, f"“{form.cleaned_data['title']}” is saved.")
            return redirect("actions:action", membership.partnership_id, action.pk)
    return render(
        request,
        "actions/form.html",
        _context(
            membership,
            form=form,
            action=action,
            fixed_owner=action.owner if "owner" not in form.fields else None,
        ),
    )


@partnership_view(PLANNERS)
def add_update(request: HttpRequest, membership: Membership, action_id: int) -> HttpResponse:
    action = changeable_action(membership, action_id)
    form = UpdateForm(submitted(request), action=action)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_update(
                action,
                membership.user,
                form.cleaned_data["text"],
                form.cleaned_data["status"],
            )
        except services.ActionError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, "Your update is added.")
            return redirect("actions:action", membership.partnership_id, action.pk)
    return render(request, "actions/update.html", _context(membership, form=form, action=action))


@partnership_view(FACILITATOR_ONLY)
def remove_action(request: HttpRequest, membership: Membership, action_id: int) -> HttpResponse:
    action = action_for(membership, action_id)
    if request.method == "POST":
        services.remove_action(action)
        messages.success(request, f"“{action.title}” is removed from the plan.")
        return redirect("actions:plan", membership.partnership_id)
    return render(request, "actions/remove.html", _context(membership, action=action))


@partnership_view(PLANNERS)
def from_round(request: HttpRequest, membership: Membership, round_id: int) -> HttpResponse:
    """A closed round's recommendations, each with a button that starts a pre-filled action."""
    survey_round = membership.partnership.rounds.filter(pk=round_id).first()
    if survey_round is None or survey_round.result is None:
        raise Http404("No such round, or it has no results yet")
    error = ""
    if request.method == "POST":
        owner = membership.organisation if membership.role == Role.PARTNER_LEAD else None
        try:
            action = services.start_from_recommendation(
                survey_round,
                request.POST.get("area", ""),
                created_by=membership.user,
                owner=owner,
            )
        except services.ActionError as problem:
            error = str(problem)
        else:
            messages.success(
                request,
                f"“{action.title}” is in the plan. Check its details, then choose "
                + ("a due date." if owner else "an owner and a due date."),
            )
            return redirect("actions:edit", membership.partnership_id, action.pk)
    started = survey_round.started_actions.select_related("owner").order_by("created_at", "pk")
    names = services.scale_names()
    recommendations = [
        {
            **recommendation,
            "scale_names": [names.get(code, code) for code in recommendation.get("scales", [])],
            "measure_text": recommendation["measure"].describe()
            if recommendation["measure"]
            else "",
            "started": [a for a in started if a.area == recommendation["action"]],
        }
        for recommendation in services.recommendations(survey_round)
    ]
    return render(
        request,
        "actions/from_round.html",
        _context(
            membership,
            round=survey_round,
            recommendations=recommendations,
            error=error,
        ),
        status=400 if error else 200,
    )
