"""A date as the GOV.UK Design System asks for it: day, month and year in three boxes.

`DateInputField` reads the three boxes (`<name>_day`, `<name>_month`,
`<name>_year`) and says what is wrong in the words of the pattern: which
part is missing, or that the date is not a real one. `{% field %}` renders it
as the date input component (see templatetags/govuk.py).
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

PARTS = ("day", "month", "year")
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}


class DateInputWidget(forms.MultiWidget):
    """Three text boxes; their values travel as a list [day, month, year]."""

    def __init__(self) -> None:
        super().__init__({part: forms.TextInput() for part in PARTS})

    def decompress(self, value: Any) -> list[str]:
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return ["", "", ""]


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


class DateInputField(forms.Field):
    """A date typed as day, month and year; `what` names it in messages ("closing date")."""

    widget = DateInputWidget

    def __init__(self, what: str = "date", **kwargs: Any) -> None:
        self.what = what
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"] = {"required": f"Enter the {what}"} | kwargs["error_messages"]
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        parts = [str(v or "").strip() for v in (value or ["", "", ""])]
        if not any(parts):
            return None
        missing = [name for name, text in zip(PARTS, parts, strict=True) if not text]
        if missing:
            raise ValidationError(
                f"The {self.what} must include a {_and(missing)}", code="incomplete"
            )
        day, month, year = parts
        if month[:3].lower() in _MONTHS and not month.isdigit():
            month = str(_MONTHS[month[:3].lower()])
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"The {self.what} must be a real date", code="invalid")
        if len(year) != 4:
            raise ValidationError("The year must include 4 numbers, like 2027", code="invalid")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"The {self.what} must be a real date", code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        return self.widget.decompress(value) if isinstance(value, datetime.date) else value


def shown_parts(value: Any) -> list[str]:
    """The three boxes' contents for a bound or initial value."""
    if isinstance(value, datetime.date):
        return DateInputWidget().decompress(value)
    if isinstance(value, list | tuple) and len(value) == 3:
        return [str(v or "") for v in value]
    return ["", "", ""]
