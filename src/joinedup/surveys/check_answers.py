"""The check-your-answers page's content: what is still unanswered, and every answer.

`survey` is the survey views' per-request state (its answers, instrument,
chosen partners and page addresses).
"""

from __future__ import annotations

from typing import Any

from .forms import DONT_KNOW


def _label(choices: Any, value: Any, dont_know: str) -> str:
    if value == DONT_KNOW:
        return dont_know
    for choice in choices:
        if choice.value == value:
            return str(choice.label)
    return "Not answered"


def unanswered_pages(survey: Any) -> list[dict[str, str]]:
    """Pages with a question still to answer, for the check page."""
    missing = []
    items = survey.answers.get("items", {})
    for number, scale in enumerate(survey.instrument.scales, start=1):
        if any(code not in items for code in scale.items):
            missing.append({"text": scale.name, "url": survey.url("statements", number=number)})
    if "partners" not in survey.answers:
        missing.append({"text": "The partners you work with", "url": survey.url("partners")})
    ratings = survey.answers.get("ratings", {})
    questions = ["contact", *survey.instrument.rating_codes]
    for organisation in survey.chosen_partners():
        given = ratings.get(str(organisation.pk), {})
        if any(code not in given for code in questions):
            missing.append(
                {
                    "text": f"Working with {organisation.name}",
                    "url": survey.url("partner", partner_id=organisation.pk),
                }
            )
    return missing


def summary(survey: Any) -> list[dict[str, Any]]:
    """Every answer, grouped by page, each with a link to change it."""
    instrument = survey.instrument
    role_labels = {r.code: r.label for r in instrument.roles}
    sections: list[dict[str, Any]] = [
        {
            "title": "About you",
            "rows": [
                {"key": "Organisation", "value": survey.organisation.name, "url": ""},
                {
                    "key": "Role",
                    "value": role_labels.get(survey.answers.get("role", ""), "I'd rather not say"),
                    "url": survey.url("about"),
                },
            ],
        }
    ]
    items = survey.answers.get("items", {})
    texts = {item.code: item.text for item in instrument.items}
    for number, scale in enumerate(instrument.scales, start=1):
        url = survey.url("statements", number=number)
        sections.append(
            {
                "title": scale.name,
                "rows": [
                    {
                        "key": texts[code],
                        "value": _label(
                            instrument.agreement, items.get(code), instrument.agreement_dont_know
                        )
                        if code in items
                        else "Not answered",
                        "url": url,
                    }
                    for code in scale.items
                ],
            }
        )
    chosen = survey.chosen_partners()
    sections.append(
        {
            "title": "Partners you work with",
            "rows": [
                {
                    "key": "Organisations",
                    "value": ", ".join(p.name for p in chosen) or "None",
                    "url": survey.url("partners"),
                }
            ],
        }
    )
    ratings = survey.answers.get("ratings", {})
    for organisation in chosen:
        given = ratings.get(str(organisation.pk), {})
        url = survey.url("partner", partner_id=organisation.pk)
        rows = [
            {
                "key": "How often you work with them",
                "value": _label(instrument.contact, given.get("contact"), "Not answered"),
                "url": url,
            }
        ]
        rows += [
            {
                "key": question.text,
                "value": _label(
                    instrument.rating, given.get(question.code), instrument.rating_dont_know
                )
                if question.code in given
                else "Not answered",
                "url": url,
            }
            for question in instrument.relationship_questions
        ]
        sections.append({"title": f"Working with {organisation.name}", "rows": rows})
    text = survey.answers.get("text", {})
    sections.append(
        {
            "title": "Your comments",
            "rows": [
                {
                    "key": question.text,
                    "value": text.get(question.code) or "No comment",
                    "url": survey.url("comments"),
                }
                for question in instrument.text_questions
            ],
        }
    )
    return sections
