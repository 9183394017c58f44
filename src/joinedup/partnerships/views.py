"""Partnership pages: the list of a person's partnerships, creating one, its overview,
its name and description, and its disclosure thresholds.

Organisations are in organisation_views.py and people in people_views.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe

from joinedup.actions.services import plan_summary
from joinedup.analysis import numbers
from joinedup.analysis.summary import summarise
from joinedup.analysis.vocabulary import POSITIONS
from joinedup.instrument import load_instrument
from joinedup.reports.charts.figures import figure_html
from joinedup.reports.charts.path import position_path
from joinedup.surveys.channels import progress_by_organisation
from joinedup.surveys.models import Round

from . import services
from .access import FACILITATOR_ONLY, partnership_view
from .forms import PartnershipForm, ThresholdsForm, submitted, threshold_summaries
from .models import Membership, Role


@login_required
def partnership_list(request: HttpRequest) -> HttpResponse:
    memberships = services.memberships_of(request.user)  # type: ignore[arg-type]
    return render(request, "partnerships/list.html", {"memberships": memberships})


@login_required
def new_partnership(request: HttpRequest) -> HttpResponse:
    """Someone the site's operators allow may start a partnership, and becomes its facilitator."""
    if not request.user.may_create_partnerships:  # type: ignore[union-attr]
        return render(request, "partnerships/cannot_create.html", status=403)
    form = PartnershipForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        partnership = services.create_partnership(
            request.user,  # type: ignore[arg-type]
            form.cleaned_data["name"],
            form.cleaned_data["description"],
        )
        messages.success(
            request,
            f"{partnership.name} is set up and you are its facilitator. Next, add its member "
            "organisations.",
        )
        return redirect("partnerships:overview", partnership.pk)
    return render(request, "partnerships/new.html", {"form": form})


@partnership_view()
def overview(request: HttpRequest, membership: Membership) -> HttpResponse:
    partnership = membership.partnership
    facilitators = (
        Membership.objects.filter(partnership=partnership, role=Role.FACILITATOR)
        .select_related("user")
        .order_by("user__name", "user__email")
    )
    rounds = list(partnership.rounds.order_by("created_at", "pk"))
    closed = [(r.label, r.result) for r in rounds if r.result is not None]
    path = position_path(closed) if closed else None
    open_rounds = [r for r in rounds if r.status == "open"]
    latest = next((r for r in reversed(rounds) if r.result is not None), None)
    return render(
        request,
        "partnerships/overview.html",
        {
            "membership": membership,
            "partnership": partnership,
            "is_facilitator": membership.role == Role.FACILITATOR,
            "rounds": rounds[::-1],
            "timeline": [_timeline_entry(r) for r in rounds],
            # figure_html escapes every name and number it writes.
            "path_figure": mark_safe(figure_html(path, 2)) if path else "",
            "open_round": open_rounds[-1] if open_rounds else None,
            "plan": plan_summary(partnership),
            "completion": progress_by_organisation(open_rounds[-1]) if open_rounds else [],
            "organisations": partnership.organisations.all(),
            "people": partnership.memberships.count(),
            "facilitators": [f.user for f in facilitators],
            "thresholds": threshold_summaries(partnership),
            "latest": latest,
            "summary": (
                summarise(latest.result, load_instrument(latest.instrument)) if latest else None
            ),
        },
    )


def _timeline_entry(survey_round: Round) -> dict[str, object]:
    result = survey_round.result or {}
    partnership = result.get("partnership", {})
    return {
        "round": survey_round,
        "position": POSITIONS.get(partnership.get("position") or "", ""),
        "respondents": result.get("respondents"),
        "momentum": numbers.shown(partnership.get("momentum")),
        "pull": numbers.shown(partnership.get("strain")),
    }


@partnership_view(FACILITATOR_ONLY)
def edit_partnership(request: HttpRequest, membership: Membership) -> HttpResponse:
    partnership = membership.partnership
    form = PartnershipForm(
        submitted(request),
        initial={"name": partnership.name, "description": partnership.description},
    )
    if request.method == "POST" and form.is_valid():
        services.update_partnership(
            partnership, form.cleaned_data["name"], form.cleaned_data["description"]
        )
        messages.success(request, "The partnership’s name and description are saved.")
        return redirect("partnerships:overview", partnership.pk)
    return render(request, "partnerships/edit.html", {"form": form, "partnership": partnership})


@partnership_view(FACILITATOR_ONLY)
def thresholds(request: HttpRequest, membership: Membership) -> HttpResponse:
    partnership = membership.partnership
    form = ThresholdsForm(
        submitted(request),
        initial={name: getattr(partnership, name) for name in services.THRESHOLDS},
    )
    if request.method == "POST" and form.is_valid():
        services.update_thresholds(partnership, **form.cleaned_data)
        messages.success(
            request, "The privacy thresholds are saved. They apply to rounds closed from now on."
        )
        return redirect("partnerships:overview", partnership.pk)
    return render(
        request,
        "partnerships/thresholds.html",
        {"form": form, "partnership": partnership},
    )
