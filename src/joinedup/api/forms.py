"""The form for creating an API token."""

from __future__ import annotations

from django import forms


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        max_length=100,
        help_text="A name to recognise it by, for example “Power BI board dashboard”.",
        error_messages={
            "required": "Enter what the token is for",
            "max_length": "The name must be 100 characters or fewer",
        },
    )
