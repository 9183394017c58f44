"""Sign-in and password forms, with GOV.UK-style error messages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms

from .models import User


def _email_field() -> forms.EmailField:
    # No max_length: the format check already refuses an address too long to be one,
    # and a second message for the same mistake would only repeat it.
    return forms.EmailField(
        label="Email address",
        max_length=None,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class SignInForm(forms.Form):
    email = _email_field()
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email, password = cleaned.get("email"), cleaned.get("password")
        if email and password:
            self.user = authenticate(self.request, email=email, password=password)
            if self.user is None:
                # One message for a wrong password, an unknown address and a locked
                # account, so that this page cannot tell anyone who has an account.
                minutes = settings.SIGN_IN_LOCKOUT_MINUTES
                raise forms.ValidationError(
                    "The email address or password is not right. Check them and try again. "
                    f"After {settings.SIGN_IN_MAX_FAILURES} wrong tries you must wait "
                    f"{minutes} minute{'s' if minutes != 1 else ''}, or reset your password."
                )
        return cleaned


class ResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, which also reaches people who have never set a password.

    Someone added to a partnership gets an account with no usable password
    and a one-hour link to choose one; if that link expires, "I have
    forgotten my password" must still work for them.
    """

    email = _email_field()

    def get_users(self, email: str) -> Iterator[User]:
        return iter(User.objects.filter(email__iexact=email, is_active=True))


class SetPasswordForm(auth_forms.SetPasswordForm):
    """Django's form for choosing a new password, in the words of the page."""

    error_messages = {"password_mismatch": "The passwords do not match: enter the same one twice"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
