"""The API token pages: a token is shown once, only its hash is kept, and it can be revoked."""

from __future__ import annotations

import hashlib
import re

from django.test import Client

from joinedup.api.models import ApiToken


def create(client: Client, name: str = "Power BI board dashboard") -> tuple[str, str]:
    """Create a token through the page; return the page and the token it shows."""
    response = client.post("/api/tokens/new/", {"name": name})
    assert response.status_code == 200
    # The one page that shows the secret is not kept by the browser.
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    shown = re.search(r'id="token">([^<]+)<', page)
    assert shown is not None
    return page, shown.group(1)


def test_the_pages_are_for_signed_in_people(world) -> None:
    for url in ("/api/tokens/", "/api/tokens/new/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert "/sign-in" in response["Location"]


def test_a_new_token_is_shown_once_with_how_to_use_it(world) -> None:
    client = world.client(world.alice)
    page, secret = create(client, "Excel workbook")
    assert len(secret) == 43  # 256 bits, URL-safe base64
    assert "cannot be shown again" in page
    assert "From Web" in page and "Advanced" in page
    assert f"Bearer {secret}" in page
    assert "http://localhost:8000/api/v1/partnerships" in page
    # Never again: not on the list, nor anywhere else.
    listing = client.get("/api/tokens/").content.decode()
    assert secret not in listing
    assert "Excel workbook" in listing and f"{secret[:6]}…" in listing


def test_only_the_tokens_hash_is_stored(world) -> None:
    _, secret = create(world.client(world.alice))
    token = ApiToken.objects.get()
    assert token.user == world.alice
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:6]
    stored = [str(value) for value in ApiToken.objects.values_list().get()]
    assert not any(secret in value for value in stored)


def test_a_new_token_works_on_the_api(world) -> None:
    _, secret = create(world.client(world.bob))
    response = Client().get("/api/v1/partnerships", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert response.json()["partnerships"][0]["role"] == "partner_lead"


def test_a_token_needs_a_name(world) -> None:
    response = world.client(world.alice).post("/api/tokens/new/", {"name": "  "})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter what the token is for" in page
    assert "<title>Error: " in page
    assert not ApiToken.objects.exists()


def test_a_person_sees_only_their_own_tokens(world) -> None:
    create(world.client(world.alice), "Alice's workbook")
    create(world.client(world.bob), "Bob's dashboard")
    listing = world.client(world.bob).get("/api/tokens/").content.decode()
    assert "Bob&#x27;s dashboard" in listing
    assert "Alice" not in listing


def test_revoking_asks_first_then_stops_the_token(world) -> None:
    client = world.client(world.alice)
    _, secret = create(client)
    token = ApiToken.objects.get()
    url = f"/api/tokens/{token.pk}/revoke/"
    confirm = client.get(url).content.decode()
    assert "Revoke “Power BI board dashboard”?" in confirm
    token.refresh_from_db()
    assert token.revoked_at is None  # asking is not doing
    response = client.post(url, follow=True)
    assert "is revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    refused = Client().get("/api/v1/partnerships", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 401
    listing = client.get("/api/tokens/").content.decode()
    assert "Revoked tokens (1)" in listing
    assert client.get(url).status_code == 404  # already revoked


def test_nobody_can_revoke_someone_elses_token(world) -> None:
    create(world.client(world.alice))
    token = ApiToken.objects.get()
    url = f"/api/tokens/{token.pk}/revoke/"
    assert world.client(world.dave).get(url).status_code == 404
    assert world.client(world.dave).post(url).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert (
        world.client(world.alice).get("/api/tokens/99999999999999999999/revoke/").status_code == 404
    )
