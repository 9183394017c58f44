"""What the accounts app does: check credentials and lock out repeated failures."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import User


def is_locked(user: User) -> bool:
    return user.locked_until is not None and user.locked_until > timezone.now()


def check_credentials(email: str, password: str) -> User | None:
    """The active, unlocked user with this e-mail and password, or None.

    Each failure is counted; at SIGN_IN_MAX_FAILURES the account is locked for
    SIGN_IN_LOCKOUT_MINUTES, during which even the right password is refused.
    """
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        make_password(password)  # the same work as a real check: equal timing
        return None
    if is_locked(user) or not user.is_active:
        return None
    if user.check_password(password):
        if user.failed_sign_ins:
            User.objects.filter(pk=user.pk).update(failed_sign_ins=0, locked_until=None)
        return user
    record_failure(user)
    return None


@transaction.atomic
def record_failure(user: User) -> None:
    User.objects.filter(pk=user.pk).update(failed_sign_ins=F("failed_sign_ins") + 1)
    user.refresh_from_db(fields=["failed_sign_ins"])
    if user.failed_sign_ins >= settings.SIGN_IN_MAX_FAILURES:
        until = timezone.now() + timedelta(minutes=settings.SIGN_IN_LOCKOUT_MINUTES)
        User.objects.filter(pk=user.pk).update(locked_until=until, failed_sign_ins=0)


def locked_out(email: str) -> bool:
    """Whether the account with this e-mail address (if any) is locked now."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    return user is not None and is_locked(user)
