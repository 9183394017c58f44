"""Signing in by e-mail and password, lock-out, password reset by e-mail, rate limits."""

from __future__ import annotations

import re

from django.test import Client

from joinedup.accounts.models import SignInFailures, User
from tests.web.survey_steps import invite

from .conftest import PASSWORD


def _sign_in(client: Client, email: str, password: str):
    return client.post("/sign-in/", {"email": email, "password": password})


def test_signing_in_with_email_and_password(world) -> None:
    client = Client()
    response = _sign_in(client, "ALICE@example.org ", PASSWORD)
    assert response.status_code == 302
    assert "Northshire" in client.get("/partnerships/").content.decode()


def test_passwords_are_stored_with_argon2(world) -> None:
    assert User.objects.get(email="alice@example.org").password.startswith("argon2")


def test_a_wrong_password_is_refused_with_a_plain_message(world) -> None:
    page = _sign_in(Client(), "alice@example.org", "wrong").content.decode()
    assert "The email address or password is not right" in page
    assert "<title>Error: " in page


def test_empty_fields_are_each_reported(world) -> None:
    page = _sign_in(Client(), "", "").content.decode()
    assert 'href="#id_email"' in page and "Enter your email address" in page
    assert 'href="#id_password"' in page and "Enter your password" in page


def test_repeated_failures_lock_the_account_even_against_the_right_password(world, settings):
    for _ in range(settings.SIGN_IN_MAX_FAILURES):
        _sign_in(Client(), "alice@example.org", "wrong")
    client = Client()
    page = _sign_in(client, "alice@example.org", PASSWORD)
    assert page.status_code == 200
    assert "The email address or password is not right" in page.content.decode()
    assert client.get("/partnerships/").status_code == 302  # not signed in


def test_a_successful_sign_in_resets_the_failure_count(world, settings) -> None:
    for _ in range(settings.SIGN_IN_MAX_FAILURES - 1):
        _sign_in(Client(), "alice@example.org", "wrong")
    assert _sign_in(Client(), "alice@example.org", PASSWORD).status_code == 302
    assert not SignInFailures.objects.filter(user__email="alice@example.org").exists()


def test_sign_in_is_rate_limited_per_address(world, settings) -> None:
    settings.RATE_LIMIT_SIGN_IN = 3
    client = Client()
    codes = [client.get("/sign-in/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_guessing_survey_links_is_rate_limited_per_address(world, settings) -> None:
    settings.RATE_LIMIT_SURVEY_MISSES = 2
    client = Client()
    codes = [client.get(f"/s/guess-{i}/").status_code for i in range(3)]
    assert codes == [404, 404, 429]


def test_one_survey_link_is_rate_limited_but_colleagues_behind_one_address_are_not(
    world, settings
) -> None:
    from joinedup.surveys import services

    survey_round = services.open_round(services.create_round(world.partnership, "Busy"))
    links, _ = invite(
        survey_round,
        [(f"staff{i}@example.org", world.org("Northshire Police")) for i in range(4)],
    )
    settings.RATE_LIMIT_SURVEY = 3
    # Four colleagues from the same office address: each is fine.
    assert all(Client().get(f"/s/{link.token}/").status_code == 200 for link in links)
    # One link hammered: refused after three requests a minute.
    codes = [Client().get(f"/s/{links[0].token}/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_sign_out_needs_a_post(world) -> None:
    client = world.client(world.alice)
    assert client.get("/sign-out/").status_code == 405
    client.post("/sign-out/")
    assert client.get("/partnerships/")["Location"].startswith("/sign-in/")


def test_a_password_reset_link_arrives_by_email_and_sets_a_new_password(world, mailbox) -> None:
    client = Client()
    assert client.post("/password-reset/", {"email": "alice@example.org"}).status_code == 302
    body = mailbox.body(mailbox.wait_for(1)[0])
    link = re.search(r"https?://[^/\s]+(/password-reset/[^\s]+/)", body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(
        set_url,
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    assert done.status_code == 302
    assert _sign_in(Client(), "alice@example.org", "a brand new passphrase").status_code == 302


def test_a_reset_for_an_unknown_address_says_the_same_and_sends_nothing(world, mailbox) -> None:
    page = Client().post("/password-reset/", {"email": "nobody@example.org"}, follow=True)
    assert "If that address has an account" in page.content.decode()
    assert mailbox.wait_for(1, timeout=0.5) == []
