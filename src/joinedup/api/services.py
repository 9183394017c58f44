"""What the API app does: personal tokens, and the documents the API answers with.

Tokens: `create_token` makes one and returns its secret, the only time it
exists outside its owner's hands; `authenticate` finds the live token for a
secret; `revoke_token` ends one for good.

Documents: each is built from the partnership, its rounds and the stored
`Round.result` (the joinedup.analysis/1 document computed when the round
closed), never from responses, so no answer can show a single respondent's
answers: the disclosure control of the analysis core has already run.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone

from joinedup.accounts.models import User, password_changed
from joinedup.partnerships.models import Membership, Partnership
from joinedup.partnerships.services import THRESHOLDS, memberships_of
from joinedup.results import services as results
from joinedup.surveys.models import Round, RoundStatus
from joinedup.surveys.services import closed_rounds
from joinedup.surveys.tokens import new_token, token_hash

from .models import PREFIX_LENGTH, ApiToken

# `last_used_at` is kept to the minute: writing it on every request would turn
# each read into a write for a dashboard refreshing many tables at once.
LAST_USED_PRECISION = timedelta(minutes=1)


# ------------------------------------------------------------------ tokens


def create_token(user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`, working for `days` (at most API_TOKEN_DAYS); returns it with
    its secret, which is not stored anywhere."""
    longest = settings.API_TOKEN_DAYS
    days = longest if days is None else days
    if not 1 <= days <= longest:
        raise ValueError(f"A token works for 1 to {longest} days, not {days}")
    secret = new_token()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        token_hash=token_hash(secret),
        prefix=secret[:PREFIX_LENGTH],
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, secret


def revoke_all(user: User) -> int:
    """Revoke every working token of the person; how many there were."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


@receiver(password_changed)
def _revoke_after_new_password(sender: object, user: User, **kwargs: object) -> None:
    # A new password usually means the old one, or the account, may have been
    # in other hands: tokens made with it must not outlive it.
    revoke_all(user)


def revoke_token(token: ApiToken) -> ApiToken:
    """Stop a token working, for good. Revoking a revoked token changes nothing."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def authenticate(secret: str) -> ApiToken | None:
    """The live token whose secret this is, or None (unknown, revoked, expired, or owner
    deactivated)."""
    if not secret:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(
            token_hash=token_hash(secret),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        # A conditional update, so concurrent requests do not each write.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_PRECISION)
        ).update(last_used_at=now)
        token.last_used_at = now
    return token


# --------------------------------------------------------------- documents


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def partnership_list(user: User) -> dict[str, Any]:
    """The partnerships the person is a member of, with their role in each."""
    return {
        "partnerships": [
            {"id": m.partnership_id, "name": m.partnership.name, "role": m.role}
            for m in memberships_of(user)
        ]
    }


def partnership_detail(membership: Membership) -> dict[str, Any]:
    """One partnership: what it is, its privacy thresholds and its member organisations."""
    partnership: Partnership = membership.partnership
    return {
        "id": partnership.pk,
        "name": partnership.name,
        "description": partnership.description,
        "role": membership.role,
        "thresholds": {name: getattr(partnership, name) for name in THRESHOLDS},
        "organisations": [
            {"id": o.pk, "name": o.name, "sector": o.sector}
            for o in partnership.organisations.order_by("name", "pk")
        ],
    }


def round_summary(survey_round: Round) -> dict[str, Any]:
    """A round as the API lists it.

    The number of respondents and the position come from the stored result,
    so they appear only once the round is closed: a live count of an open
    round would tell a watcher when each person sent their answers.
    """
    result = survey_round.result if survey_round.status == RoundStatus.CLOSED else None
    return {
        "id": survey_round.pk,
        "label": survey_round.label,
        "status": survey_round.status,
        "opened_at": _time(survey_round.opened_at),
        "closed_at": _time(survey_round.closed_at),
        "respondents": result.get("respondents") if result else None,
        "position": result.get("partnership", {}).get("position") if result else None,
    }


def round_list(membership: Membership) -> dict[str, Any]:
    """The partnership's rounds, oldest first."""
    rounds = membership.partnership.rounds.order_by("created_at", "pk")
    return {"rounds": [round_summary(r) for r in rounds]}


def closed_round(membership: Membership, round_id: int) -> Round | None:
    """The partnership's round with a result, or None (no such round, or not closed yet)."""
    return closed_rounds(membership.partnership).filter(pk=round_id).first()


def take_result(token: ApiToken, survey_round: Round) -> dict[str, Any]:
    """The round's stored result, written to the download audit log as an API download."""
    assert survey_round.result is not None
    results.record(token.user, survey_round, "json", via="api")
    return survey_round.result
