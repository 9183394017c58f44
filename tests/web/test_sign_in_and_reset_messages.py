"""Signing in and resetting a password: GOV.UK messages, and links built from SITE_URL."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django.test import Client

from joinedup.accounts.models import User
from joinedup.partnerships.services import set_password_url


def errors(response: Any) -> list[str]:
    """The error summary's messages, in order."""
    return re.findall(r'<a href="#[^"]*">([^<]*)</a></li>', response.content.decode())


def test_the_sign_in_message_says_how_long_the_settings_lock_for(world: Any, settings) -> None:
    # The same words for every failure (a locked account is not singled out),
    # but they say what the settings are.
    settings.SIGN_IN_LOCKOUT_MINUTES = 30
    page = Client().post("/sign-in/", {"email": "alice@example.org", "password": "x"})
    assert "you must wait 30 minutes" in page.content.decode()


def test_an_overlong_email_address_gets_one_plain_message(world: Any) -> None:
    address = "a" * 10_000 + "@example.org"
    sign_in = Client().post("/sign-in/", {"email": address, "password": "x"})
    assert errors(sign_in) == [
        "Enter an email address in the correct format, like name@example.com"
    ]
    reset = Client().post("/password-reset/", {"email": address})
    assert errors(reset) == ["Enter an email address in the correct format, like name@example.com"]


def test_an_empty_reset_request_asks_for_the_address(world: Any) -> None:
    assert errors(Client().post("/password-reset/", {})) == ["Enter your email address"]


def test_the_reset_link_starts_with_the_site_address_whatever_host_was_asked(
    world: Any, mailbox: Any, settings
) -> None:
    settings.SITE_URL = "https://joinedup.example.gov.uk"
    settings.ALLOWED_HOSTS = ["internal.example", "testserver"]
    User.objects.create_user("o'brien@example.org", password="a long passphrase here")
    response = Client().post(
        "/password-reset/", {"email": "o'brien@example.org"}, HTTP_HOST="internal.example"
    )
    assert response.status_code == 302
    body = mailbox.body(mailbox.wait_for(1)[0])
    assert "https://joinedup.example.gov.uk/password-reset/" in body
    assert "internal.example" not in body
    assert "the Joined Up account o'brien@example.org." in body  # not &#x27;


def test_choosing_a_password_explains_each_mistake(world: Any) -> None:
    client = Client()
    link = urlsplit(set_password_url(world.alice)).path
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    assert errors(client.post(form_url, {})) == [
        "Enter a new password",
        "Enter the new password again",
    ]
    mismatch = client.post(
        form_url, {"new_password1": "a brand new passphrase", "new_password2": "another one"}
    )
    assert errors(mismatch) == ["The passwords do not match: enter the same one twice"]
