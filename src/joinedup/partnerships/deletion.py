"""Deleting a survey round, or a whole partnership, with everything that goes with it.

UK GDPR's storage limitation: a partnership that no longer needs a round's
answers, or that has finished altogether, can erase them. The confirmation
page shows `what_goes` first, so nothing disappears unseen.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction

from joinedup.actions.models import Action, Commitment, Meeting, PairConversation
from joinedup.results.models import Download
from joinedup.surveys import ratings as survey_ratings
from joinedup.surveys.models import Draft, Invitation, OpenLink, Response, Round

from .models import Partnership

log = logging.getLogger("joinedup.audit")


@dataclass(frozen=True)
class Removed:
    """One kind of record that a deletion removes (or keeps), with how many there are."""

    what: str
    count: int


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def what_goes_with_round(survey_round: Round) -> list[Removed]:
    """What deleting this round removes; actions that started from it stay, unlinked."""
    responses = Response.objects.filter(round=survey_round).count()
    ratings = survey_ratings.count_in_round(survey_round.pk)
    invitations = Invitation.objects.filter(round=survey_round).count()
    drafts = Draft.objects.filter(round=survey_round).count()
    links = OpenLink.objects.filter(round=survey_round).count()
    downloads = Download.objects.filter(round=survey_round).count()
    return [
        Removed(_plural(responses, "survey response", "survey responses"), responses),
        Removed(_plural(ratings, "rating of a partner", "ratings of partners"), ratings),
        Removed(
            _plural(
                invitations,
                "invitation (with its e-mail address)",
                "invitations (with their e-mail addresses)",
            ),
            invitations,
        ),
        Removed(_plural(drafts, "unsent answer", "unsent answers"), drafts),
        Removed(_plural(links, "open link", "open links"), links),
        Removed(
            "results" if survey_round.result else "results (none yet)",
            1 if survey_round.result else 0,
        ),
        Removed(
            _plural(downloads, "entry in the downloads log", "entries in the downloads log"),
            downloads,
        ),
    ]


def actions_kept(survey_round: Round) -> int:
    """Actions that started from this round: they stay in the plan, no longer linked to it."""
    return Action.objects.filter(started_from=survey_round).count()


def what_goes_with_partnership(partnership: Partnership) -> list[Removed]:
    rounds = partnership.rounds.count()
    responses = Response.objects.filter(round__partnership=partnership).count()
    invitations = Invitation.objects.filter(round__partnership=partnership).count()
    organisations = partnership.organisations.count()
    members = partnership.memberships.count()
    actions = Action.objects.filter(partnership=partnership).count()
    meetings = Meeting.objects.filter(partnership=partnership).count()
    commitments = Commitment.objects.filter(partnership=partnership).count()
    conversations = PairConversation.objects.filter(partnership=partnership).count()
    downloads = Download.objects.filter(partnership=partnership).count()
    return [
        Removed(
            _plural(
                rounds, "survey round (with its results)", "survey rounds (with their results)"
            ),
            rounds,
        ),
        Removed(_plural(responses, "survey response", "survey responses"), responses),
        Removed(
            _plural(
                invitations,
                "invitation (with its e-mail address)",
                "invitations (with their e-mail addresses)",
            ),
            invitations,
        ),
        Removed(
            _plural(organisations, "member organisation", "member organisations"), organisations
        ),
        Removed(
            _plural(members, "person's access", "people's access (their accounts stay)"), members
        ),
        Removed(_plural(actions, "action in the plan", "actions in the plan"), actions),
        Removed(_plural(meetings, "meeting", "meetings"), meetings),
        Removed(_plural(commitments, "commitment", "commitments"), commitments),
        Removed(
            _plural(conversations, "planned conversation", "planned conversations"), conversations
        ),
        Removed(
            _plural(downloads, "entry in the downloads log", "entries in the downloads log"),
            downloads,
        ),
    ]


@transaction.atomic
def delete_round(survey_round: Round, by: object) -> None:
    """Delete a round and its answers, results and downloads log; actions stay, unlinked."""
    locked = Round.objects.select_for_update().get(pk=survey_round.pk)
    label, partnership = locked.label, locked.partnership
    locked.delete()
    log.info("round deleted: %r of partnership %s by %s", label, partnership.pk, by)


@transaction.atomic
def delete_partnership(partnership: Partnership, typed_name: str, by: object) -> None:
    """Delete a whole partnership once its name has been typed to confirm.

    Raises ValueError when the typed name does not match (case and
    surrounding spaces ignored), so that a slip of the mouse deletes nothing.
    """
    if " ".join(typed_name.split()).casefold() != " ".join(partnership.name.split()).casefold():
        raise ValueError(partnership.name)
    # Its rounds' rows first, as everything that stores a response holds its
    # round's: one being stored now is in what is deleted, and none comes
    # after (responses have no database constraint to stop one). Before the
    # partnership's row: a writer holding a round may still need that row
    # (its audit entry's reference to the partnership), so taking it first
    # could leave each waiting for the other. Then again, for a round made
    # in between.
    rounds = Round.objects.select_for_update().filter(partnership_id=partnership.pk)
    list(rounds.order_by("pk"))
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    list(rounds.order_by("pk"))
    pk = locked.pk
    locked.delete()
    log.info("partnership %s deleted by %s", pk, by)
