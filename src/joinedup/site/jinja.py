"""The Jinja2 environment of the respondent's pages.

The survey is the hot path: thousands of people open it in the same hour.
Its pages are written in Jinja2, which compiles a template to Python and
renders one in a fraction of the Django template language's time; every
other page stays in Django templates. Both share the GOV.UK components
(`render_field`, `render_error_summary`) and the page's head and footer,
which are Django templates rendered once per process (they hold nothing
that changes between requests).
"""

from __future__ import annotations

import functools
from typing import Any

import jinja2
from django.conf import settings
from django.template.defaultfilters import date, linebreaksbr
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from .templatetags.govuk import error_title_prefix, render_error_summary, render_field


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


@functools.cache
def shared(name: str) -> SafeString:
    """A Django template that needs no context, rendered once and kept (head, footer)."""
    return mark_safe(render_to_string(name))


def environment(**options: Any) -> jinja2.Environment:
    env = jinja2.Environment(**options)
    env.globals.update(
        {
            "static": static,
            "url": url,
            "shared": shared,
            "field": render_field,
            "error_summary": render_error_summary,
            "error_title_prefix": error_title_prefix,
            "site_name": settings.SITE_NAME,
        }
    )
    env.filters["linebreaksbr"] = linebreaksbr
    env.filters["date"] = date
    return env
