"""The user model: people sign in with their e-mail address."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.dispatch import Signal
from django.utils import timezone

# Sent (user=...) after a password is changed or reset and saved: sign-in
# lock-outs are cleared and API tokens revoked by its receivers.
password_changed = Signal()


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("A user needs an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. What they may do is set per partnership (Membership)."""

    email = models.EmailField("e-mail address", unique=True)
    name = models.CharField("full name", max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Granted by site operators (`joinedup manage grant_partnership_creation`):
    # starting a partnership lets a person import files and send invitations.
    can_create_partnerships = models.BooleanField("may create partnerships", default=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def display_name(self) -> str:
        return self.name or self.email

    @property
    def may_create_partnerships(self) -> bool:
        return bool(self.is_active and (self.can_create_partnerships or self.is_superuser))

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Django keeps the new raw password in `_password` between set_password
        # and save: a change of password is known here, whatever made it.
        changed = self._password is not None and not self._state.adding
        super().save(*args, **kwargs)
        if changed:
            password_changed.send(sender=User, user=self)


class SignInFailures(models.Model):
    """Failed sign-ins to one account from one client address.

    Lock-out is per (account, address), so that someone guessing from one
    place cannot lock the real person out everywhere; it expires, and a
    password reset clears it (see docs/privacy.md §7.5).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    address = models.CharField(max_length=64)
    failures = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "address"], name="one_count_per_address")
        ]
