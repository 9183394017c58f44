"""Sign-in and password forms, with GOV.UK-style error messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate

from . import services


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
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
            if services.locked_out(email):
                raise forms.ValidationError(
                    "This account is locked for 15 minutes after too many failed attempts to "
                    "sign in. Try again later, or reset your password."
                )
            self.user = authenticate(self.request, email=email, password=password)
            if self.user is None:
                raise forms.ValidationError(
                    "The email address or password is not right. Check them and try again."
                )
        return cleaned
