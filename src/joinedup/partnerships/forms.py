"""Forms for setting up a partnership: its details, thresholds, organisations and people.

Error messages follow the GOV.UK Design System: say what to do, in the
words of the field ("Enter a whole number of 3 or more").
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, QueryDict
from django.utils.datastructures import MultiValueDict

from .models import ROLE_HINTS, SECTOR_CHOICES, Organisation, Partnership, Role
from .services import threshold_limits


def submitted(request: HttpRequest) -> QueryDict | None:
    """A POST's form data, or None for a GET.

    Not `request.POST or None`: an empty POST would leave the form unbound,
    so a submitted blank form would show no errors and do nothing.
    """
    return request.POST if request.method == "POST" else None


def submitted_files(request: HttpRequest) -> MultiValueDict | None:
    return request.FILES if request.method == "POST" else None


class PartnershipForm(forms.Form):
    name = forms.CharField(
        label="Name of the partnership",
        max_length=200,
        help_text="For example, Northshire Together. Everyone invited to a survey sees it.",
        error_messages={
            "required": "Enter the name of the partnership",
            "max_length": "The name must be 200 characters or fewer",
        },
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
        help_text="What the partnership is for and who is in it, in a sentence or two.",
        error_messages={"max_length": "The description must be 2,000 characters or fewer"},
    )


# ------------------------------------------------------------- thresholds

# What each threshold protects, in plain English: its label, the hint the
# settings page shows, and the summary on the overview ({people}: "5 people").
THRESHOLD_TEXT = {
    "min_group_size": (
        "Smallest group shown on its own",
        "Organisations with fewer respondents than this are combined into “Other "
        "organisations” and never shown on their own, and no score is shown unless at least "
        "this many people answered its questions. This stops anyone working out how a few "
        "people in a small organisation answered. At least {low}; most partnerships use 5.",
        "{people}. Organisations with fewer respondents are combined into “Other organisations”.",
    ),
    "min_tie_raters": (
        "People needed to show one organisation’s view of another",
        "How one organisation rates a partner (trust and value) is shown only when at least "
        "this many of its people rated that partner, and only for an organisation shown on its "
        "own: the view of an organisation combined into “Other organisations” is never shown. "
        "This protects the people who rated: their answers are reported as their "
        "organisation’s view, never as their own. It is never below {low}, because with one "
        "rater the view shown would be that person’s own answers. Most partnerships use 3.",
        "{people} of an organisation shown on its own.",
    ),
    "min_text_group_size": (
        "People needed to show written comments",
        "Written answers to a question are shown only when at least this many people answered "
        "it, and only for the whole partnership, never by organisation. Email addresses, phone "
        "numbers and links are always removed. At least {low}; most partnerships use 10.",
        "{people}, and only for the whole partnership.",
    ),
}


def threshold_summaries(partnership: Partnership) -> list[tuple[str, str]]:
    """Each threshold's label and its current value in words, for the overview."""
    summaries = []
    for name, (label, _, summary) in THRESHOLD_TEXT.items():
        value = getattr(partnership, name)
        people = f"{value} {'person' if value == 1 else 'people'}"
        summaries.append((label, summary.format(people=people)))
    return summaries


# Why a threshold cannot go lower, for the error message when someone tries.
WHY_NOT_LOWER = {
    "min_tie_raters": ": with fewer, one person’s ratings of a partner would be shown as "
    "their own answers",
}


def _threshold_field(name: str) -> forms.IntegerField:
    low, high = threshold_limits(name)
    label, hint, _ = THRESHOLD_TEXT[name]
    too_low = f"Enter a whole number of {low} or more"
    return forms.IntegerField(
        label=label,
        help_text=hint.format(low=low),
        min_value=low,
        max_value=high,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": too_low,
            "invalid": too_low,
            "min_value": too_low + WHY_NOT_LOWER.get(name, ""),
            "max_value": f"Enter a whole number of {high} or fewer",
        },
    )


class ThresholdsForm(forms.Form):
    min_group_size = _threshold_field("min_group_size")
    min_tie_raters = _threshold_field("min_tie_raters")
    min_text_group_size = _threshold_field("min_text_group_size")


# ---------------------------------------------------------- organisations


class PercentField(forms.FloatField):
    """A percentage typed as a number, with or without a % sign."""

    def to_python(self, value: Any) -> float | None:
        if isinstance(value, str):
            value = value.strip().removesuffix("%").strip()
        return super().to_python(value)


def _percent_field(label: str, what: str, hint: str) -> PercentField:
    message = f"Enter the {what} as a number, like 4.5, or leave it blank"
    return PercentField(
        label=label,
        required=False,
        help_text=hint,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={"invalid": message},
    )


class OrganisationForm(forms.Form):
    name = forms.CharField(
        label="Name of the organisation",
        max_length=200,
        help_text="As people in it would recognise it. Survey answers are grouped by this name.",
        error_messages={
            "required": "Enter the name of the organisation",
            "max_length": "The name must be 200 characters or fewer",
        },
    )
    sector = forms.ChoiceField(
        label="Sector",
        choices=SECTOR_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the organisation’s sector",
            "invalid_choice": "Select the organisation’s sector",
        },
    )
    budget_gap_pct = _percent_field(
        "Budget gap (optional)",
        "budget gap",
        "The savings the organisation must find this year, as a percentage of its budget, in %. "
        "For example, 4.5.",
    )
    demand_growth_pct = _percent_field(
        "Growth in demand (optional)",
        "growth in demand",
        "How much demand for its services grew over the last year, in %. A fall is negative, "
        "like -2.",
    )
    vacancy_rate_pct = _percent_field(
        "Vacancy rate (optional)",
        "vacancy rate",
        "The share of posts that are vacant, in %. For example, 8.",
    )

    @classmethod
    def initial_for(cls, organisation: Organisation) -> dict[str, Any]:
        return {name: getattr(organisation, name) for name in cls.base_fields}


class OrganisationImportForm(forms.Form):
    # A partnership has tens of organisations, or a few hundred: a file far
    # larger than that is a mistake, and is not read into memory to find out.
    MAX_BYTES = 5 * 1024 * 1024

    upload = forms.FileField(
        label="Organisations file (CSV or Excel)",
        help_text=(
            "With columns organisation and sector, and optionally budget_gap_pct, "
            "demand_growth_pct and vacancy_rate_pct."
        ),
        error_messages={
            "required": "Select a file of organisations to upload",
            "empty": "The file is empty: select a file with a header row and organisations",
        },
    )

    def clean_upload(self) -> Any:
        upload = self.cleaned_data["upload"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(
                f"The file must be smaller than {self.MAX_BYTES // (1024 * 1024)} MB: "
                "select a file with one row for each member organisation"
            )
        return upload


# ----------------------------------------------------------------- people


class HintedChoiceField(forms.ChoiceField):
    """Choices given as (value, (label, hint)), which `{% field %}` shows as radios with hints.

    Django reads a tuple label as a group of choices, so validation checks
    the values only.
    """

    def valid_value(self, value: Any) -> bool:
        return str(value) in {str(key) for key, _ in self.choices}


def _role_field() -> forms.ChoiceField:
    return HintedChoiceField(
        label="Role",
        choices=[(role.value, (role.label, ROLE_HINTS[role])) for role in Role],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the person’s role",
            "invalid_choice": "Select the person’s role",
        },
    )


class RoleForm(forms.Form):
    """A role and, for a partner lead, the organisation whose invitations they manage."""

    role = _role_field()

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        # After validation: the partner lead's organisation, or None for other roles.
        self.chosen_organisation: Organisation | None = None
        self.fields["organisation"] = forms.ChoiceField(
            label="Organisation (for a partner lead)",
            required=False,
            choices=[("", "Choose the organisation")]
            + [(key, o.name) for key, o in self.organisations.items()],
            help_text="A partner lead manages the survey invitations of this one organisation.",
            error_messages={"invalid_choice": "Select one of the partnership’s organisations"},
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        organisation = self.organisations.get(cleaned.get("organisation") or "")
        if cleaned.get("role") == Role.PARTNER_LEAD:
            if organisation is None and "organisation" not in self.errors:
                self.add_error(
                    "organisation",
                    "Select the organisation this partner lead manages invitations for"
                    if self.organisations
                    else "Add the partner lead’s organisation to the partnership first",
                )
        else:
            organisation = None
        self.chosen_organisation = organisation
        return cleaned


class AddPersonForm(RoleForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will email them to tell them, with a link to sign in.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the person’s email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "The email address must be 254 characters or fewer",
        },
    )
    name = forms.CharField(
        label="Full name (optional)",
        required=False,
        max_length=200,
        help_text="Used in emails and lists if they do not have a Joined Up account yet.",
        error_messages={"max_length": "The name must be 200 characters or fewer"},
    )
    field_order = ["email", "name", "role", "organisation"]
