"""The survey's forms, built from the instrument definition, and the facilitator's forms."""

from __future__ import annotations

import csv
import datetime
import functools
import io
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from joinedup.instrument import Instrument, Scale
from joinedup.partnerships.models import Organisation
from joinedup.site.date_input import DateInputField

DONT_KNOW = "dk"


def _short(text: str, words: int = 8) -> str:
    """The start of a statement, to name it in an error message."""
    parts = text.rstrip(".").split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _radio(label: str, choices: list[tuple[str, str]], required_message: str) -> forms.ChoiceField:
    return _shared_radio(label, tuple(choices), required_message)


# The survey's radio fields are built once per process and shared by every
# form: a form only reads its fields (to bind, validate and render), never
# changes them, and building one cost more than the rest of a survey page's
# form. Labels that name a partner make one field per partner.
@functools.lru_cache(maxsize=4096)
def _shared_radio(
    label: str, choices: tuple[tuple[str, str], ...], required_message: str
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": required_message},
    )


class AboutYouForm(forms.Form):
    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"] = forms.ChoiceField(
            label="Which best describes your role?",
            choices=[(r.code, r.label) for r in instrument.roles] + [("", "I'd rather not say")],
            widget=forms.RadioSelect,
            required=False,
        )


class StatementsForm(forms.Form):
    """One scale's statements, each answered on the agreement scale or Don't know."""

    def __init__(self, *args: Any, instrument: Instrument, scale: Scale, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(c.value), c.label) for c in instrument.agreement]
        choices.append((DONT_KNOW, instrument.agreement_dont_know))
        texts = {item.code: item.text for item in instrument.items}
        for code in scale.items:
            self.fields[code] = _radio(
                texts[code],
                choices,
                f"Choose how far you agree that “{_short(texts[code])}”, or choose Don't know",
            )


class PartnersForm(forms.Form):
    def __init__(self, *args: Any, partners: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partners"] = forms.MultipleChoiceField(
            label="Which of these organisations does your organisation work with?",
            choices=[(str(p.pk), p.name) for p in partners],
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text="Select all that apply. Leave them all unselected if you work with none.",
        )


class PartnerRatingForm(forms.Form):
    def __init__(
        self, *args: Any, instrument: Instrument, partner: Organisation, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"] = _radio(
            f"How often does your organisation work with {partner.name}?",
            [(str(c.value), c.label) for c in instrument.contact],
            "Select how often you work with them",
        )
        rating_choices = [(str(c.value), c.label) for c in instrument.rating]
        rating_choices.append((DONT_KNOW, instrument.rating_dont_know))
        for question in instrument.relationship_questions:
            self.fields[question.code] = _radio(
                question.text,
                rating_choices,
                f"Choose an answer to “{question.text}”, or choose Don't know",
            )


class CommentsForm(forms.Form):
    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in instrument.text_questions:
            self.fields[question.code] = forms.CharField(
                label=question.text,
                required=False,
                max_length=2000,
                widget=forms.Textarea,
                error_messages={"max_length": "Keep your answer to 2,000 characters or fewer"},
            )


# --------------------------------------------------------- facilitator forms


CLOSING_DATE_HINT = (
    "Optional. Partners and respondents see it, and the weekly update counts the "
    "days left. The round does not close by itself: you close it. For example, 27 3 2027"
)


def _closing_date_field() -> DateInputField:
    return DateInputField(
        what="planned closing date",
        label="Planned closing date",
        required=False,
        help_text=CLOSING_DATE_HINT,
    )


class ClosingDateForm(forms.Form):
    """The planned closing date alone; `current` is the date already set (kept even if past)."""

    closes_on = _closing_date_field()

    def __init__(
        self, *args: Any, current: datetime.date | None = None, today: datetime.date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.current = current
        self.today = today

    def clean_closes_on(self) -> datetime.date | None:
        day = self.cleaned_data.get("closes_on")
        if day is not None and day < self.today and day != self.current:
            raise ValidationError("The planned closing date must be today or in the future")
        if day is not None and day > self.today + datetime.timedelta(days=3 * 366):
            raise ValidationError("The planned closing date must be within the next 3 years")
        return day


class RoundForm(ClosingDateForm):
    label = forms.CharField(
        label="Name of the round",
        max_length=100,
        help_text="For example, Spring 2027. Partners will see it in their invitations.",
        error_messages={"required": "Enter a name for the round"},
    )
    closes_on = _closing_date_field()

    field_order = ["label", "closes_on"]


class InvitePeopleForm(forms.Form):
    """People to invite, pasted as lines of 'email, organisation' or uploaded as CSV."""

    people = forms.CharField(
        label="People to invite",
        required=False,
        widget=forms.Textarea,
        help_text=(
            "One person a line: their email address, a comma, then their organisation. "
            "For example: sam.jones@example.org, Northshire County Council"
        ),
    )
    upload = forms.FileField(
        label="Or upload a CSV file",
        required=False,
        help_text="With columns email and organisation.",
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {o.name.strip().casefold(): o for o in organisations}
        self.people_found: list[tuple[str, Organisation]] = []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        rows: list[tuple[int, str, str, str]] = []  # line, email, organisation, where
        upload = cleaned.get("upload")
        if upload:
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("upload", "The file must be a CSV file saved as UTF-8")
                return cleaned
            reader = csv.DictReader(io.StringIO(text))
            headers = {(h or "").strip().casefold(): h for h in reader.fieldnames or []}
            if "email" not in headers or "organisation" not in headers:
                self.add_error("upload", "The file must have columns called email and organisation")
                return cleaned
            for number, row in enumerate(reader, start=2):
                rows.append(
                    (
                        number,
                        (row.get(headers["email"]) or "").strip(),
                        (row.get(headers["organisation"]) or "").strip(),
                        "row",
                    )
                )
        for number, line in enumerate((cleaned.get("people") or "").splitlines(), start=1):
            if not line.strip():
                continue
            email, _, organisation = line.partition(",")
            rows.append((number, email.strip(), organisation.strip(), "line"))
        if not rows:
            raise ValidationError("Enter at least one person to invite, or upload a file")
        problems = []
        for number, email, organisation_name, where in rows:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(f"{where.capitalize()} {number}: “{email}” is not an email address")
                continue
            organisation = self.organisations.get(organisation_name.casefold())
            if organisation is None:
                problems.append(
                    f"{where.capitalize()} {number}: “{organisation_name}” is not one of this "
                    "partnership's organisations"
                )
                continue
            self.people_found.append((email, organisation))
        if problems:
            field = "upload" if upload else "people"
            for problem in problems:
                self.add_error(field, problem)
        return cleaned
