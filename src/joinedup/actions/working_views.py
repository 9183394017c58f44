"""How we work together: the charter and its sign-offs, and conversations for flagged pairs.

Every member reads these pages. Facilitators write the charter and may
record any organisation's sign-off; a partner lead signs off for their own
organisation. Conversations are planned and updated by facilitators and by
the partner leads of the two organisations in the pair.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from joinedup.partnerships.access import FACILITATOR_ONLY, can_manage_organisation, partnership_view
from joinedup.partnerships.forms import submitted
from joinedup.partnerships.models import Membership, Role
from joinedup.surveys.models import Round
from joinedup.surveys.services import closed_rounds

from . import working
from .access import PLANNERS
from .forms import CharterForm, ConversationForm, PairForm, SignOffForm
from .models import Charter, PairConversation
from .services import ActionError


def _charter(membership: Membership) -> Charter | None:
    return Charter.objects.filter(partnership=membership.partnership).first()


def _may_plan(membership: Membership, pair: working.FlaggedPair) -> bool:
    """Facilitators plan any flagged pair's conversation; a partner lead, their own pairs'."""
    if pair.a is None or pair.b is None:
        return False
    return can_manage_organisation(membership, pair.a.pk) or can_manage_organisation(
        membership, pair.b.pk
    )


def _may_talk(membership: Membership, conversation: PairConversation) -> bool:
    return can_manage_organisation(membership, conversation.organisation_a_id) or (
        can_manage_organisation(membership, conversation.organisation_b_id)
    )


@partnership_view()
def charter(request: HttpRequest, membership: Membership) -> HttpResponse:
    current = _charter(membership)
    rows = working.sign_off_status(membership.partnership, current)
    return render(
        request,
        "actions/working/charter.html",
        {
            "partnership": membership.partnership,
            "membership": membership,
            "charter": current,
            "rows": [
                (row, can_manage_organisation(membership, row.organisation.pk)) for row in rows
            ],
            "signed": sum(row.current is not None for row in rows),
            "is_facilitator": membership.role == Role.FACILITATOR,
        },
    )


@partnership_view(FACILITATOR_ONLY)
def edit_charter(request: HttpRequest, membership: Membership) -> HttpResponse:
    current = _charter(membership)
    form = CharterForm(submitted(request), initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            saved = working.save_charter(
                membership.partnership,
                form.cleaned_data["text"],
                membership.user,
            )
        except ActionError as error:
            form.add_error(error.field, str(error))
        else:
            changed = current is not None and saved.version != current.version
            messages.success(
                request,
                "The charter is saved."
                + (
                    " Organisations that signed it off need to sign this version."
                    if changed
                    else ""
                ),
            )
            return redirect("actions:charter", membership.partnership_id)
    return render(
        request,
        "actions/working/charter_edit.html",
        {"partnership": membership.partnership, "form": form, "charter": current},
    )


@partnership_view(PLANNERS)
@require_POST
def sign_charter(request: HttpRequest, membership: Membership) -> HttpResponse:
    current = _charter(membership)
    if current is None:
        raise Http404("There is no charter to sign yet")
    form = SignOffForm(submitted(request), partnership=membership.partnership)
    if not form.is_valid():
        raise Http404("No such organisation")
    organisation = form.cleaned_data["organisation"]
    if not can_manage_organisation(membership, organisation.pk):
        raise PermissionDenied("A partner lead signs off for their own organisation")
    working.sign_off(current, organisation, membership.user)
    messages.success(request, f"{organisation.name} has signed off version {current.version}.")
    return redirect("actions:charter", membership.partnership_id)


def _latest_round(membership: Membership) -> Round | None:
    return closed_rounds(membership.partnership).last()


@partnership_view()
def conversations(request: HttpRequest, membership: Membership) -> HttpResponse:
    latest = _latest_round(membership)
    pairs = working.flagged_pairs(latest) if latest else []
    planned = list(
        PairConversation.objects.filter(partnership=membership.partnership).select_related(
            "organisation_a", "organisation_b", "round"
        )
    )
    return render(
        request,
        "actions/working/conversations.html",
        {
            "partnership": membership.partnership,
            "membership": membership,
            "round": latest,
            "pairs": [
                (index, pair, _may_plan(membership, pair)) for index, pair in enumerate(pairs)
            ],
            "planned": [(c, _may_talk(membership, c)) for c in planned],
        },
    )


@partnership_view(PLANNERS)
@require_POST
def plan_conversation(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Plan a conversation for one of the latest round's flagged pairs."""
    latest = _latest_round(membership)
    pairs = working.flagged_pairs(latest) if latest else []
    form = PairForm(submitted(request))
    if not form.is_valid() or form.cleaned_data["pair"] >= len(pairs):
        raise Http404("No such flagged pair")
    pair = pairs[form.cleaned_data["pair"]]
    if pair.a is None or pair.b is None:
        raise Http404("One of these organisations is no longer in the partnership")
    if not _may_plan(membership, pair):
        raise PermissionDenied("A partner lead plans conversations their organisation is in")
    conversation = working.plan_conversation(
        membership.partnership, pair.a, pair.b, pair.flag, latest
    )
    messages.success(request, f"A conversation between {pair.a.name} and {pair.b.name} is planned.")
    return redirect("actions:conversation", membership.partnership_id, conversation.pk)


@partnership_view(PLANNERS)
def conversation(
    request: HttpRequest, membership: Membership, conversation_id: int
) -> HttpResponse:
    found = get_object_or_404(
        PairConversation.objects.select_related("organisation_a", "organisation_b", "round"),
        partnership=membership.partnership,
        pk=conversation_id,
    )
    if not _may_talk(membership, found):
        raise PermissionDenied("A partner lead updates conversations their organisation is in")
    form = ConversationForm(submitted(request), initial=ConversationForm.initial_for(found))
    if request.method == "POST" and form.is_valid():
        try:
            working.change_conversation(found, **form.cleaned_data)
        except ActionError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, "The conversation is saved.")
            return redirect("actions:conversations", membership.partnership_id)
    return render(
        request,
        "actions/working/conversation.html",
        {"partnership": membership.partnership, "form": form, "conversation": found},
    )
