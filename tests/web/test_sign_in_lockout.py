"""Lock-out that stops guessing but cannot keep the real person out for ever,
one message for every failed sign-in, and passwords of at least 12 characters
that are not common."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from joinedup.accounts.models import SignInFailures

from .conftest import PASSWORD

GUESSER = "203.0.113.9"
ALICE_AT_WORK = "198.51.100.20"


def _sign_in(address: str, email: str, password: str) -> Any:
    client = Client(REMOTE_ADDR=address)
    response = client.post("/sign-in/", {"email": email, "password": password})
    return client, response


def _error(response: Any) -> str:
    page = response.content.decode()
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', page, re.S)
    assert summary is not None
    return re.sub(r"\s+", " ", summary.group(1)).strip()


def _lock_alice_from(address: str, settings: Any) -> None:
    for _ in range(settings.SIGN_IN_MAX_FAILURES):
        _sign_in(address, "alice@example.org", "a wrong guess")


def test_a_locked_account_and_an_unknown_address_get_the_same_message(world, settings) -> None:
    _lock_alice_from(GUESSER, settings)
    _, locked = _sign_in(GUESSER, "alice@example.org", PASSWORD)
    _, unknown = _sign_in(GUESSER, "nobody@example.org", PASSWORD)
    _, wrong = _sign_in("192.0.2.1", "alice@example.org", "not her password")
    assert _error(locked) == _error(unknown) == _error(wrong)
    assert "locked" not in locked.content.decode().lower()


def test_a_guesser_elsewhere_cannot_lock_the_real_person_out(world, settings) -> None:
    # The attack: someone who knows Alice's address fails on purpose, over and over.
    _lock_alice_from(GUESSER, settings)
    _, from_guesser = _sign_in(GUESSER, "alice@example.org", PASSWORD)
    assert from_guesser.status_code == 200  # locked there, even with the right password
    # Alice, from her own office, still signs in.
    client, response = _sign_in(ALICE_AT_WORK, "alice@example.org", PASSWORD)
    assert response.status_code == 302
    assert client.get("/partnerships/").status_code == 200


def test_a_lock_out_expires(world, settings) -> None:
    _lock_alice_from(GUESSER, settings)
    assert _sign_in(GUESSER, "alice@example.org", PASSWORD)[1].status_code == 200
    # Time passes: the lock ends when it said it would.
    SignInFailures.objects.filter(address=GUESSER).update(
        locked_until=timezone.now() - timedelta(seconds=1)
    )
    assert _sign_in(GUESSER, "alice@example.org", PASSWORD)[1].status_code == 302


def test_choosing_a_new_password_by_reset_link_clears_every_lock(world, settings, mailbox) -> None:
    _lock_alice_from(ALICE_AT_WORK, settings)
    client = Client(REMOTE_ADDR=ALICE_AT_WORK)
    client.post("/password-reset/", {"email": "alice@example.org"})
    body = mailbox.body(mailbox.wait_for(1)[0])
    link = re.search(r"https?://[^/\s]+(/password-reset/[^\s]+/)", body).group(1)
    form = client.get(link, follow=True)
    new = "a fresh and long passphrase"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert not SignInFailures.objects.exists()
    assert _sign_in(ALICE_AT_WORK, "alice@example.org", new)[1].status_code == 302


def _choose(client: Client, link: str, password: str) -> str:
    form = client.get(link, follow=True)
    url = form.redirect_chain[-1][0] if form.redirect_chain else link
    page = client.post(url, {"new_password1": password, "new_password2": password})
    return page.content.decode() if page.status_code == 200 else ""


def test_passwords_need_12_characters_and_must_not_be_common(world, mailbox) -> None:
    client = Client()
    client.post("/password-reset/", {"email": "alice@example.org"})
    link = re.search(
        r"https?://[^/\s]+(/password-reset/[^\s]+/)", mailbox.body(mailbox.wait_for(1)[0])
    ).group(1)
    too_short = _choose(client, link, "elevenchars")
    assert "at least 12 characters" in too_short
    common = _choose(client, link, "qwerty123456")  # 12 characters, on the common list
    assert "too common" in common
    assert _choose(client, link, "a perfectly fine passphrase") == ""


def test_failures_far_apart_do_not_add_up_to_a_lock_out(world, settings) -> None:
    for _ in range(settings.SIGN_IN_MAX_FAILURES - 1):
        _sign_in(ALICE_AT_WORK, "alice@example.org", "a typo")
    # Weeks later, one more typo: it starts a new count.
    SignInFailures.objects.update(last_failure_at=timezone.now() - timedelta(days=20))
    _sign_in(ALICE_AT_WORK, "alice@example.org", "another typo")
    assert SignInFailures.objects.get().failures == 1
    assert _sign_in(ALICE_AT_WORK, "alice@example.org", PASSWORD)[1].status_code == 302
