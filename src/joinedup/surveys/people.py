"""Finding invited people on a round page: a search by e-mail address, a page at a time.

A round may have 100,000 invitations, so the page never lists them all.
What is shown of each person is their address, organisation and whether the
e-mail has gone; never whether they finished, nor how often they were
reminded (everyone unfinished is reminded together, so a lower count would
say who finished before a reminder).
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator

from .models import Invitation, Round

PAGE_SIZE = 50
MAX_QUERY_LENGTH = 254  # the longest e-mail address


def search_invitations(
    survey_round: Round,
    organisation_ids: list[int] | None,
    query: str,
    page: str | int | None,
    total: int | None = None,
) -> Page:
    """One page of the round's invitations whose address contains `query` (case ignored).

    `organisation_ids` limits them to the organisations the viewer manages
    (None: every organisation). A page number out of range gives the last page.
    `total`: how many invitations the round has, when the caller counted them
    already (used only when nothing narrows the list, saving a count).
    """
    invitations = Invitation.objects.filter(round=survey_round)
    if organisation_ids is not None:
        invitations = invitations.filter(organisation_id__in=organisation_ids)
    query = query.strip()[:MAX_QUERY_LENGTH]
    if query:
        invitations = invitations.filter(email__icontains=query)
    invitations = invitations.select_related("organisation").only(
        "email", "sent_at", "organisation__name"
    )
    # An address is unique within a round: its order is the index's own.
    paginator = Paginator(invitations.order_by("email"), PAGE_SIZE)
    if total is not None and organisation_ids is None and not query:
        paginator.count = total  # type: ignore[misc]
    return paginator.get_page(page)
