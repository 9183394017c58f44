"""GOV.UK Design System components as template tags.

`{% field form.name %}` renders a form field as the matching GOV.UK component
(text input, textarea, radios, checkboxes or select), with its label or
legend, hint and error message; `{% error_summary form %}` renders the error
summary that links to each field in error. Templates stay small and every
form looks and behaves the same way.
"""

from __future__ import annotations

import threading
from typing import Any

from django import forms, template
from django.conf import settings
from django.forms.boundfield import BoundField
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from joinedup.site.date_input import PARTS, DateInputWidget, shown_parts

register = template.Library()


def _first_input_id(bound: BoundField) -> str:
    widget = bound.field.widget
    if isinstance(widget, DateInputWidget):
        return f"{bound.auto_id}_day"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound.id_for_label or bound.auto_id}_0" if bound.field.choices else bound.auto_id
    return bound.id_for_label or bound.auto_id


# Rendered choice fields (radios, checkboxes, selects), by everything that
# goes into them. The survey's pages are mostly radios, and the template
# language made them most of a page's cost; the same statement with the same
# answer renders the same HTML for everyone. Free-text fields are never kept
# here (their values are people's words), only fixed choices.
_CHOICE_FIELDS_KEPT = 4096
_rendered: dict[tuple[Any, ...], str] = {}
_rendered_lock = threading.Lock()


@register.simple_tag(takes_context=True)
def field(context: template.Context, bound: BoundField, **options: Any) -> str:
    """A form field as its GOV.UK component (see field_context for the options)."""
    return render_field(bound, autoescape=context.autoescape, **options)


def render_field(bound: BoundField, autoescape: bool = True, **options: Any) -> SafeString:
    """The HTML of one field; the respondent's (Jinja2) pages call this directly."""
    values = field_context(bound, **options)
    cacheable = values["kind"] in {"radios", "checkboxes", "select"} and not settings.DEBUG
    key: tuple[Any, ...] = ()
    if cacheable:
        key = _key(values)
        found = _rendered.get(key)
        if found is not None:
            return found
    html = mark_safe(  # our own template, rendered with autoescaping
        _field_template().render(template.Context(values, autoescape=autoescape))
    )
    if cacheable:
        with _rendered_lock:
            if len(_rendered) >= _CHOICE_FIELDS_KEPT:
                _rendered.clear()
            _rendered[key] = html
    return html


def _field_template() -> Any:
    return template.engines["django"].engine.get_template("govuk/field.html")


def _key(values: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(
        (name, tuple(tuple((k, str(v)) for k, v in o.items()) for o in value))
        if name == "options"
        else (name, str(value))
        for name, value in values.items()
        if name != "field"
    )


def field_context(
    bound: BoundField,
    label_size: str = "",
    inline: bool = False,
    hint: str = "",
    width: str = "",
    is_page_heading: bool = False,
    autocomplete: str = "",
    rows: int = 5,
    small: bool = False,
) -> dict[str, Any]:
    """Context for one field: which component, and everything it needs."""
    widget = bound.field.widget
    # CheckboxSelectMultiple is a kind of RadioSelect in Django: test it first.
    if isinstance(widget, DateInputWidget):
        kind = "date"
    elif isinstance(widget, forms.CheckboxSelectMultiple):
        kind = "checkboxes"
    elif isinstance(widget, forms.RadioSelect):
        kind = "radios"
    elif isinstance(widget, forms.Select):
        kind = "select"
    elif isinstance(widget, forms.Textarea):
        kind = "textarea"
    elif isinstance(widget, forms.CheckboxInput):
        kind = "checkbox"
    else:
        kind = "input"
    input_type = getattr(widget, "input_type", "text")
    value = bound.value()
    if kind == "checkboxes":
        selected = {str(v) for v in (value or [])}
    else:
        # Nothing is pre-selected until there is a value (GOV.UK: never pre-select radios).
        selected = set() if value is None else {str(value)}
    options = []
    if kind in {"radios", "checkboxes", "select"}:
        for index, (option_value, option_label) in enumerate(bound.field.choices):
            text_value = "" if option_value is None else str(option_value)
            hint_text = ""
            if isinstance(option_label, tuple):
                option_label, hint_text = option_label
            options.append(
                {
                    "id": f"{bound.auto_id}_{index}" if kind != "select" else "",
                    "value": text_value,
                    "label": option_label,
                    "hint": hint_text,
                    "checked": text_value in selected,
                    "divider": text_value == "__divider__",
                }
            )
    error = " ".join(str(e) for e in bound.errors)
    if kind == "date":
        widths = {"day": 2, "month": 2, "year": 4}
        options = [
            {"id": f"{bound.auto_id}_{part}", "name": f"{bound.html_name}_{part}",
             "label": part.capitalize(), "value": text, "width": widths[part]}
            for part, text in zip(PARTS, shown_parts(value), strict=True)
        ]  # fmt: skip
    return {
        "field": bound,
        "kind": kind,
        "input_type": input_type,
        "id": bound.auto_id,
        "name": bound.html_name,
        "label": bound.label,
        "hint": hint or bound.help_text,
        "error": error,
        "value": ""
        if value is None or kind in {"radios", "checkboxes"} or input_type == "password"
        else value,
        "checked": bool(value) if kind == "checkbox" else False,
        "options": options,
        "label_size": label_size,
        "inline": inline,
        "width": width,
        "is_page_heading": is_page_heading,
        "autocomplete": autocomplete or widget.attrs.get("autocomplete", ""),
        "required": bound.field.required,
        "rows": rows,
        "small": small,
        "spellcheck": widget.attrs.get("spellcheck", ""),
        "inputmode": widget.attrs.get("inputmode", ""),
    }


@register.inclusion_tag("govuk/error_summary.html")
def error_summary(*forms_with_errors: forms.BaseForm) -> dict[str, Any]:
    """The error summary for one or more forms: each error links to its field."""
    return {"items": error_items(*forms_with_errors)}


def render_error_summary(*forms_with_errors: forms.BaseForm) -> SafeString:
    """The error summary's HTML, or nothing when no form has an error (for Jinja2 pages)."""
    items = error_items(*forms_with_errors)
    if not items:
        return mark_safe("")
    return mark_safe(render_to_string("govuk/error_summary.html", {"items": items}))


def error_items(*forms_with_errors: forms.BaseForm) -> list[dict[str, str]]:
    items = []
    for form in forms_with_errors:
        if form is None or not form.is_bound:
            continue
        for error in form.non_field_errors():
            items.append({"href": "", "text": error})
        for name, errors in form.errors.items():
            if name == "__all__":
                continue
            bound = form[name]
            for error in errors:
                items.append({"href": f"#{_first_input_id(bound)}", "text": error})
    return items


@register.simple_tag
def error_title_prefix(*forms_with_errors: forms.BaseForm) -> str:
    """'Error: ' for the page title when a form has errors (GOV.UK pattern)."""
    return (
        "Error: "
        if any(f is not None and f.is_bound and f.errors for f in forms_with_errors)
        else ""
    )


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """mapping[key] in a template, or "" when absent."""
    return mapping.get(key, "") if hasattr(mapping, "get") else ""
