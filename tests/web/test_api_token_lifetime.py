"""API tokens expire, stop when their owner's password changes, and show when last used."""

from __future__ import annotations

import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.api import services as api
from joinedup.api.models import ApiToken

from .test_api_tokens import create


def _works(secret: str) -> bool:
    response = Client().get("/api/v1/partnerships", headers={"Authorization": f"Bearer {secret}"})
    return response.status_code == 200


def test_a_token_lasts_90_days_unless_its_owner_chooses_fewer(world, settings) -> None:
    assert settings.API_TOKEN_DAYS == 90
    client = world.client(world.alice)
    create(client, "Default")
    client.post("/api/tokens/new/", {"name": "Short", "days": "7"})
    now = timezone.now()
    default, short = ApiToken.objects.get(name="Default"), ApiToken.objects.get(name="Short")
    assert abs(default.expires_at - (now + timedelta(days=90))) < timedelta(minutes=1)
    assert abs(short.expires_at - (now + timedelta(days=7))) < timedelta(minutes=1)
    listing = client.get("/api/tokens/").content.decode()
    assert timezone.localtime(short.expires_at).strftime("%-d %b %Y") in listing


def test_a_token_cannot_be_made_to_last_longer_than_the_limit(world) -> None:
    page = world.client(world.alice).post("/api/tokens/new/", {"name": "Forever", "days": "91"})
    assert page.status_code == 200
    assert "A token can work for 90 days at most" in page.content.decode()
    assert 'href="#id_days"' in page.content.decode()
    assert not ApiToken.objects.exists()


def test_an_expired_token_stops_working_and_is_listed_as_expired(world) -> None:
    token, secret = api.create_token(world.alice, "Old dashboard", days=1)
    assert _works(secret)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not _works(secret)
    listing = world.client(world.alice).get("/api/tokens/").content.decode()
    assert "Expired tokens (1)" in listing
    assert world.client(world.alice).get(f"/api/tokens/{token.pk}/revoke/").status_code == 404


def test_a_password_reset_revokes_every_token(world, mailbox) -> None:
    _, first = api.create_token(world.alice, "Power BI")
    _, second = api.create_token(world.alice, "Excel")
    _, bobs = api.create_token(world.bob, "Bob's")
    client = Client()
    client.post("/password-reset/", {"email": "alice@example.org"})
    link = re.search(
        r"https?://[^/\s]+(/password-reset/[^\s]+/)", mailbox.body(mailbox.wait_for(1)[0])
    ).group(1)
    form = client.get(link, follow=True)
    new = "a brand new long passphrase"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert not _works(first) and not _works(second)
    assert _works(bobs)  # nobody else's
    assert ApiToken.objects.filter(user=world.alice, revoked_at__isnull=False).count() == 2


def test_a_password_changed_any_other_way_revokes_them_too(world) -> None:
    _, secret = api.create_token(world.alice, "Power BI")
    alice = User.objects.get(pk=world.alice.pk)
    alice.set_password("changed by an operator today")
    alice.save()
    assert not _works(secret)


def test_the_tokens_page_shows_when_each_was_last_used(world) -> None:
    _, secret = api.create_token(world.alice, "Power BI")
    listing = world.client(world.alice).get("/api/tokens/").content.decode()
    row = listing.split("Power BI</th>")[1].split("</tr>")[0]
    assert "Never" in row
    assert _works(secret)
    used = ApiToken.objects.get().last_used_at
    row = world.client(world.alice).get("/api/tokens/").content.decode()
    row = row.split("Power BI</th>")[1].split("</tr>")[0]
    assert "Never" not in row
    assert timezone.localtime(used).strftime("%H:%M") in row
