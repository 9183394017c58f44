"""Forms for the action plan: actions and their updates, meetings and their agendas,
commitments, the charter, and conversations between partners.

Error messages follow the GOV.UK Design System: say what to do, in the
words of the field. The services check the same rules again (forms are one
way in of several), and name the field a problem belongs to.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

from joinedup.partnerships.forms import HintedChoiceField
from joinedup.partnerships.models import Organisation, Partnership
from joinedup.surveys.models import Round

from .models import (
    AGENDA_HINTS,
    Action,
    AgendaItem,
    AgendaKind,
    Commitment,
    CommitmentKind,
    Comparison,
    ConversationStatus,
    Meeting,
    PairConversation,
    Status,
)
from .services import DAYS_ALLOWED, FIRST_DAY, LAST_DAY, Measure, areas, scale_names

DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]
# What the date box shows for a saved date (parsed back by the first format).
SHOWN_DATE = "{0.day}/{0.month}/{0.year}"
NO_OWNER = "No single organisation (the facilitators follow it up)"


class DayField(forms.DateField):
    """A date typed in one box, as day/month/year (or 31 March 2027, or 2027-03-31).

    Only dates from FIRST_DAY to LAST_DAY: a mistyped year (0227, 2207) is
    caught here, with its own message, rather than reaching a calendar.
    """

    def __init__(self, what: str = "date", **kwargs: Any) -> None:
        message = f"Enter the {what} as day, month and year, like 31/3/2027"
        out_of_range = f"The {what} must be between {DAYS_ALLOWED}"
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"] |= {"invalid": message, "required": f"Enter the {what}"}
        super().__init__(
            input_formats=DATE_FORMATS,
            widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
            validators=[
                MinValueValidator(FIRST_DAY, out_of_range),
                MaxValueValidator(LAST_DAY, out_of_range),
            ],
            **kwargs,
        )


def shown_date(day: datetime.date | None) -> str:
    return SHOWN_DATE.format(day) if day else ""


def _radios(
    label: str, choices: Any, message: str, field: type[forms.ChoiceField] = forms.ChoiceField
) -> forms.ChoiceField:
    """A required choice shown as radios; `message` says what to select, missing or wrong."""
    return field(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


def _hinted_radios(label: str, choices: Any, message: str) -> forms.ChoiceField:
    """`_radios` whose choices are (value, (label, hint))."""
    return _radios(label, choices, message, HintedChoiceField)


def _line(label: str, what: str, required: str = "", help_text: str = "") -> forms.CharField:
    """One line of up to 200 characters; optional unless `required` says what to enter."""
    messages = {"max_length": f"The {what} must be 200 characters or fewer"}
    if required:
        messages["required"] = required
    return forms.CharField(
        label=label,
        required=bool(required),
        max_length=200,
        help_text=help_text,
        error_messages=messages,
    )


def _notes(label: str, what: str, help_text: str = "") -> forms.CharField:
    """Optional free text of up to 5,000 characters."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=5000,
        widget=forms.Textarea,
        help_text=help_text,
        error_messages={"max_length": f"The {what} must be 5,000 characters or fewer"},
    )


def _select(
    label: str,
    choices: list[tuple[str, str]],
    wrong: str,
    required: str = "",
    help_text: str = "",
) -> forms.ChoiceField:
    """A drop-down list, its first choice empty; optional unless `required` says what to pick.

    `wrong` is the message for a value not in the list (another partnership's id, say).
    """
    messages = {"invalid_choice": wrong}
    if required:
        messages["required"] = required
    return forms.ChoiceField(
        label=label,
        required=bool(required),
        choices=choices,
        help_text=help_text,
        error_messages=messages,
    )


def _status_field(label: str) -> forms.ChoiceField:
    return _radios(label, Status.choices, "Select the action’s status")


class ActionForm(forms.Form):
    """An action's details. The owner and status fields depend on who is editing and when.

    `owners`: the organisations a facilitator may choose from; None for a
    partner lead, whose actions are always their own organisation's (the
    field is left out).
    """

    area = _hinted_radios(
        "Which of the three actions is it part of?",
        [(a["code"], (a["title"], a["summary"])) for a in areas()],
        "Select which of the three actions it is part of",
    )
    title = _line(
        "Title",
        "title",
        required="Enter a title for the action",
        help_text="What will be done, in a few words. For example, Agree rules for joint bids.",
    )
    description = _notes("Description (optional)", "description")
    lead = _line(
        "Named lead (optional)",
        "name",
        help_text="The person who makes it happen, for example Jo Patel, Director of Adult Care.",
    )
    due_date = DayField(
        "due date",
        label="Due date (optional)",
        required=False,
        help_text="For example, 31/3/2027. Owners are e-mailed when an action is overdue.",
    )
    measure_scale = forms.ChoiceField(
        label="Scale",
        required=False,
        choices=[("", "No success measure"), *scale_names().items()],
        error_messages={"invalid_choice": "Select a scale from the list"},
    )
    measure_comparison = forms.ChoiceField(
        label="Score should be",
        required=False,
        choices=[("", "Choose"), *Comparison.choices],
        help_text="For Strain and Self-preservation, where higher is worse, choose at most.",
        error_messages={"invalid_choice": "Select at least or at most"},
    )
    measure_target = forms.IntegerField(
        label="Target score (0 to 100)",
        required=False,
        min_value=0,
        max_value=100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter the target score as a whole number from 0 to 100",
            "min_value": "Enter the target score as a whole number from 0 to 100",
            "max_value": "Enter the target score as a whole number from 0 to 100",
        },
    )

    def __init__(
        self,
        *args: Any,
        owners: list[Organisation] | None,
        rounds: list[Round],
        with_status: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.owners = {str(o.pk): o for o in owners or []}
        self.rounds = {str(r.pk): r for r in rounds}
        if owners is not None:
            self.fields["owner"] = _select(
                "Owner organisation (optional)",
                [("", NO_OWNER)] + [(key, o.name) for key, o in self.owners.items()],
                wrong="Select one of the partnership’s organisations",
                help_text="Its partner lead can update the action and is reminded when it is "
                "overdue.",
            )
        if with_status:
            self.fields["status"] = _status_field("Status")
        self.fields["started_from"] = _select(
            "Survey round it responds to (optional)",
            [("", "Not from a survey round")] + [(key, r.label) for key, r in self.rounds.items()],
            wrong="Select one of the partnership’s closed rounds",
            help_text="Its success measure is checked against the next round closed after it.",
        )
        # One checkbox per scale: `{% field %}` renders a CheckboxSelectMultiple as
        # radios (Django's CheckboxSelectMultiple subclasses RadioSelect), which
        # would keep only one scale of several.
        for code, name in scale_names().items():
            self.fields[f"scale_{code}"] = forms.BooleanField(label=name, required=False)
        order = ["area", "title", "description", "owner", "lead", "due_date", "status"]
        self.order_fields(order)

    @property
    def scale_fields(self) -> list[forms.BoundField]:
        return [self[f"scale_{code}"] for code in scale_names()]

    @staticmethod
    def initial_for(action: Action) -> dict[str, Any]:
        return {
            "area": action.area,
            "title": action.title,
            "description": action.description,
            "owner": str(action.owner_id or ""),
            "lead": action.lead,
            "due_date": shown_date(action.due_date),
            "status": action.status,
            **{f"scale_{code}": True for code in action.scales},
            "measure_scale": action.measure_scale,
            "measure_comparison": action.measure_comparison,
            "measure_target": action.measure_target,
            "started_from": str(action.started_from_id or ""),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        scale = cleaned.get("measure_scale")
        if scale:
            if not cleaned.get("measure_comparison") and "measure_comparison" not in self.errors:
                message = "Select whether the score should be at least or at most the target"
                self.add_error("measure_comparison", message)
            if cleaned.get("measure_target") is None and "measure_target" not in self.errors:
                self.add_error("measure_target", "Enter the target score, from 0 to 100")
        elif cleaned.get("measure_target") is not None:
            self.add_error("measure_scale", "Select the scale the target score is for")
        return cleaned

    def action_fields(self, fixed_owner: Organisation | None = None) -> dict[str, Any]:
        """The cleaned data as the keyword arguments of services.create_action/change_action."""
        data = self.cleaned_data
        owner = fixed_owner if "owner" not in self.fields else self.owners.get(data["owner"])
        measure = None
        if data["measure_scale"]:
            measure = Measure(
                data["measure_scale"], data["measure_comparison"], data["measure_target"]
            )
        fields = {
            "area": data["area"],
            "title": data["title"],
            "description": data["description"],
            "owner": owner,
            "lead": data["lead"],
            "due_date": data["due_date"],
            "scales": [code for code in scale_names() if data.get(f"scale_{code}")],
            "measure": measure,
            "started_from": self.rounds.get(data["started_from"]),
        }
        if "status" in self.fields:
            fields["status"] = data["status"]
        return fields


class UpdateForm(forms.Form):
    """A dated note on an action, and its status now."""

    text = _notes(
        "What has happened?",
        "update",
        help_text="For example, what was agreed, what is blocking it, or what comes next.",
    )
    status = _status_field("Status now")

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"status": action.status})
        super().__init__(*args, **kwargs)
        self.action = action

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        status = cleaned.get("status")
        if status and status == self.action.status and not cleaned.get("text", "").strip():
            self.add_error("text", "Say what has happened, or choose a new status")
        return cleaned


# ----------------------------------------------------------------- meetings

TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M", "%I:%M%p", "%I:%M %p", "%I.%M%p", "%I%p", "%I %p"]


class MeetingForm(forms.Form):
    title = _line(
        "Meeting",
        "name",
        required="Enter the meeting’s name",
        help_text="For example, Partnership board.",
    )
    date = DayField(label="Date", help_text="For example, 14/4/2027.")
    start_time = forms.TimeField(
        label="Start time (optional)",
        required=False,
        input_formats=TIME_FORMATS,
        help_text="For example, 14:00 or 2pm. It puts the meeting at that time in calendars.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"invalid": "Enter the start time like 14:00 or 2pm"},
    )
    location = _line("Where (optional)", "place")

    @staticmethod
    def initial_for(meeting: Meeting) -> dict[str, Any]:
        return {
            "title": meeting.title,
            "date": shown_date(meeting.date),
            "start_time": meeting.start_time.strftime("%H:%M") if meeting.start_time else "",
            "location": meeting.location,
        }


class AgendaItemForm(forms.Form):
    title = _line("Agenda item", "agenda item", required="Enter the agenda item")
    kind = _hinted_radios(
        "What kind of item was it?",
        [(kind.value, (kind.label, AGENDA_HINTS[kind])) for kind in AgendaKind],
        "Select what kind of item it was",
    )
    minutes = forms.IntegerField(
        label="Minutes spent on it",
        min_value=1,
        max_value=600,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the minutes spent on it",
            "invalid": "Enter the minutes as a whole number, like 20",
            "min_value": "Enter at least 1 minute",
            "max_value": "Enter 600 minutes or fewer",
        },
    )
    decision = _notes(
        "Decision made (optional)", "decision", help_text="What the meeting decided, if anything."
    )

    @staticmethod
    def initial_for(item: AgendaItem) -> dict[str, Any]:
        return {
            "title": item.title,
            "kind": item.kind,
            "minutes": item.minutes,
            "decision": item.decision,
        }


# -------------------------------------------------------------- commitments

KIND_HINTS = {
    CommitmentKind.MONEY: "In pounds, for example 200000 for £200,000.",
    CommitmentKind.FTE: "In full-time equivalent posts, for example 1.5.",
    CommitmentKind.ASSETS: "Buildings, vehicles, equipment: count the items.",
    CommitmentKind.DATA: "Data sets shared with partners: count them.",
    CommitmentKind.OTHER: "Anything else: count the items.",
}


def plain(amount: Decimal) -> str:
    """200000.00 -> "200000", 1.50 -> "1.5": as a person would type it."""
    return format(amount.normalize(), "f")


class AmountField(forms.DecimalField):
    """An amount typed as a number, with or without a £ sign and thousands commas."""

    def __init__(self, what: str, too_small: str, **kwargs: Any) -> None:
        message = f"Enter the amount {what} as a number, like 200000 or 1.5"
        super().__init__(
            max_digits=14,
            decimal_places=2,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
            error_messages={
                "required": f"Enter the amount {what}",
                "invalid": message,
                "max_digits": "Enter an amount under 1,000,000,000,000",
                "max_whole_digits": "Enter an amount under 1,000,000,000,000",
                "max_decimal_places": "Enter an amount with at most 2 decimal places",
                "min_value": too_small,
            },
            **kwargs,
        )

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = value.strip().removeprefix("£").replace(",", "").strip()
        return super().to_python(value)

    def run_validators(self, value: Any) -> None:
        """One message per amount, as GOV.UK asks: the first problem found."""
        try:
            super().run_validators(value)
        except ValidationError as error:
            raise ValidationError(error.error_list[:1]) from None


class CommitmentForm(forms.Form):
    """A commitment. `organisations`: a facilitator's choice; None for a partner lead."""

    kind = _hinted_radios(
        "What kind of commitment is it?",
        [(kind.value, (kind.label, KIND_HINTS[kind])) for kind in CommitmentKind],
        "Select what kind of commitment it is",
    )
    description = _line(
        "What was pledged",
        "description",
        required="Say what was pledged",
        help_text="For example, Two analysts seconded to the shared intelligence team.",
    )
    pledged = AmountField(
        "pledged", "Enter an amount more than 0", label="Amount pledged", min_value=Decimal("0.01")
    )
    delivered = AmountField(
        "delivered",
        "Enter 0 or more",
        label="Amount delivered so far",
        min_value=Decimal(0),
        required=False,
        help_text="Leave blank if nothing has been delivered yet.",
    )
    due_date = DayField(
        "due date",
        label="To be delivered by (optional)",
        required=False,
        help_text="For example, 31/3/2027. Anything not delivered by then is flagged.",
    )

    def __init__(self, *args: Any, organisations: list[Organisation] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations or []}
        if organisations is not None:
            self.fields["organisation"] = _select(
                "Organisation",
                [("", "Choose the organisation")]
                + [(key, o.name) for key, o in self.organisations.items()],
                wrong="Select one of the partnership’s organisations",
                required="Select the organisation that pledged it",
            )
            self.order_fields(["organisation"])

    @staticmethod
    def initial_for(commitment: Commitment) -> dict[str, Any]:
        return {
            "organisation": str(commitment.organisation_id),
            "kind": commitment.kind,
            "description": commitment.description,
            "pledged": plain(commitment.pledged),
            "delivered": plain(commitment.delivered),
            "due_date": shown_date(commitment.due_date),
        }

    def commitment_fields(self, fixed: Organisation | None = None) -> dict[str, Any]:
        data = self.cleaned_data
        organisation = self.organisations[data["organisation"]] if fixed is None else fixed
        return {
            "organisation": organisation,
            "kind": data["kind"],
            "description": data["description"],
            "pledged": data["pledged"],
            "delivered": data["delivered"] or Decimal(0),
            "due_date": data["due_date"],
        }


# ------------------------------------------------------ how we work together


class CharterForm(forms.Form):
    text = forms.CharField(
        label="How we work together",
        max_length=20000,
        widget=forms.Textarea,
        help_text="What partners agree to: how decisions are made, how information is shared, "
        "how disagreements are resolved, what each can expect of the others. Changing it "
        "asks every organisation to sign it off again.",
        error_messages={
            "required": "Write how the partnership works together",
            "max_length": "The charter must be 20,000 characters or fewer",
        },
    )


class ConversationForm(forms.Form):
    planned_for = DayField(
        "date",
        label="When (optional)",
        required=False,
        help_text="For example, 14/4/2027.",
    )
    status = _radios(
        "Where has it got to?",
        ConversationStatus.choices,
        "Select where the conversation has got to",
    )
    notes = _notes(
        "Notes (optional)", "notes", help_text="Who will meet, what to talk about, what was agreed."
    )

    @staticmethod
    def initial_for(conversation: PairConversation) -> dict[str, Any]:
        return {
            "planned_for": shown_date(conversation.planned_for),
            "status": conversation.status,
            "notes": conversation.notes,
        }


class SignOffForm(forms.Form):
    """Which organisation signs the charter off: one of the partnership's, or none at all."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none())

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = partnership.organisations.all()


class PairForm(forms.Form):
    """Which of the latest round's flagged pairs to plan a conversation for, by its place."""

    pair = forms.IntegerField(min_value=0)
