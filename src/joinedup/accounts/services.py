"""What the accounts app does: check credentials, and lock out repeated failures.

Lock-out is counted per (account, client address): SIGN_IN_MAX_FAILURES
wrong passwords from one address lock the account there, for
SIGN_IN_LOCKOUT_MINUTES, even against the right password. Someone guessing
from elsewhere therefore cannot keep the real person out; a lock-out always
expires; and choosing a new password through a reset link clears every lock.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from .models import SignInFailures, User, password_changed


def is_locked(user: User, address: str) -> bool:
    """Whether the account is locked for sign-ins from this address now."""
    return SignInFailures.objects.filter(
        user=user, address=address, locked_until__gt=timezone.now()
    ).exists()


def check_credentials(email: str, password: str, address: str) -> User | None:
    """The active user with this e-mail and password, unless locked at `address`; or None.

    Every refusal looks the same to the caller, so that nobody can tell a
    locked account from an unknown address or a wrong password.
    """
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        make_password(password)  # the same work as a real check: equal timing
        return None
    if not user.is_active or is_locked(user, address):
        make_password(password)
        return None
    if user.check_password(password):
        SignInFailures.objects.filter(user=user, address=address).delete()
        return user
    record_failure(user, address)
    return None


def record_failure(user: User, address: str) -> None:
    """Count a wrong password from `address`; lock the account there at the limit.

    Failures further apart than the lock-out period do not add up: five
    mistyped passwords over a month lock nobody out.
    """
    now = timezone.now()
    window = timedelta(minutes=settings.SIGN_IN_LOCKOUT_MINUTES)
    with transaction.atomic():
        record, created = SignInFailures.objects.select_for_update().get_or_create(
            user=user, address=address
        )
        recent = not created and record.last_failure_at >= now - window
        record.failures = record.failures + 1 if recent else 1
        record.last_failure_at = now
        if record.failures >= settings.SIGN_IN_MAX_FAILURES:
            record.locked_until = now + window
            record.failures = 0
        record.save()


def clear_lockouts(user: User) -> None:
    """Forget every failed sign-in to the account, from everywhere."""
    SignInFailures.objects.filter(user=user).delete()


@receiver(password_changed)
def _unlock_after_new_password(sender: object, user: User, **kwargs: object) -> None:
    # Whoever can choose a new password (through the e-mailed reset link)
    # is the account's owner: a lock-out must never outlast that.
    clear_lockouts(user)
