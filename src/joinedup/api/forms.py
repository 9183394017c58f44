"""The form for creating an API token."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator


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

    days = forms.IntegerField(
        label="How many days should it work for?",
        min_value=1,
        required=False,  # blank: the longest allowed
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the number of days as a whole number, like 30",
            "min_value": "The token must work for at least 1 day",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        longest = settings.API_TOKEN_DAYS
        days = self.fields["days"]
        days.max_value = longest
        days.validators.append(MaxValueValidator(longest))
        days.error_messages["max_value"] = f"A token can work for {longest} days at most"
        days.initial = longest
        days.help_text = (
            f"At most {longest} days. After that it stops working and you can create a new one."
        )
