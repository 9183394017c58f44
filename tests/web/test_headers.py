"""Headers on every response: a Content Security Policy with no inline script,
and `Cache-Control: no-store` on signed-in pages and downloads."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.test import Client

from .test_results import _url, closed  # noqa: F401 (a fixture)

SOURCE = Path(__file__).resolve().parents[2] / "src" / "joinedup"


def _policy(response: Any) -> dict[str, list[str]]:
    directives = [part.strip().split() for part in response["Content-Security-Policy"].split(";")]
    return {words[0]: words[1:] for words in directives if words}


def test_every_page_has_a_policy_that_allows_no_inline_script(world: Any) -> None:
    for response in (Client().get("/sign-in/"), world.client(world.alice).get("/partnerships/")):
        policy = _policy(response)
        assert policy["script-src"] == ["'self'"]
        assert policy["default-src"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["style-src"] == ["'self'"]
        # Only style attributes (the charts' sizes) may be inline; never script.
        unsafe = [name for name, values in policy.items() if "'unsafe-inline'" in values]
        assert unsafe == ["style-src-attr"]


def test_no_template_has_inline_script_or_an_event_handler() -> None:
    # The policy would block them: they must not exist, or the page breaks.
    templates = [*SOURCE.glob("*/templates/**/*.html"), *SOURCE.glob("site/templates/**/*.html")]
    assert len(templates) > 40
    for template in templates:
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag, f"inline script in {template}"
        assert not re.search(r"\son[a-z]+\s*=", text), f"event handler in {template}"
        assert "javascript:" not in text


def test_signed_in_pages_are_not_stored(world: Any, closed: Any) -> None:  # noqa: F811
    alice = world.client(world.alice)
    for url in (
        "/partnerships/",
        f"/partnerships/{world.partnership.pk}/",
        _url(world, closed),
        "/api/tokens/",
    ):
        response = alice.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_downloads_are_not_stored(world: Any, closed: Any) -> None:  # noqa: F811
    for kind in ("json", "xlsx"):
        response = world.client(world.carol).get(_url(world, closed, f"download/{kind}/"))
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        assert "no-store" in response["Cache-Control"]


def test_public_pages_for_signed_out_visitors_may_be_cached_as_usual(world: Any) -> None:
    # Only what belongs to someone signed in is marked: the sign-in page is not.
    assert "no-store" not in Client().get("/privacy/").get("Cache-Control", "")
