"""Fixtures for the web app: fixed personas, a partnership, and a real SMTP server.

Personas (as in healthchecks' tests):
- alice: facilitator of Northshire
- bob: partner lead of Northshire for Northshire Police
- carol: viewer of Northshire
- dave: facilitator of another partnership (Southvale), a member of nothing in Northshire
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from joinedup.accounts.models import User
from joinedup.partnerships.models import Membership, Organisation, Partnership, Role
from joinedup.surveys import services
from joinedup.surveys.models import Round

PASSWORD = "correct horse battery staple"
ORGANISATIONS = [
    ("Northshire County Council", "local_government"),
    ("Northshire NHS Foundation Trust", "health"),
    ("Northshire Police", "police"),
    ("Age Well Northshire", "voluntary"),
]


@dataclass
class World:
    partnership: Partnership
    organisations: dict[str, Organisation]
    alice: User
    bob: User
    carol: User
    dave: User
    other: Partnership
    other_round: Round

    def client(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user, backend="joinedup.accounts.backends.EmailBackend")
        return client

    def org(self, name: str) -> Organisation:
        return self.organisations[name]


@cache
def _password_hash() -> str:
    # Argon2 is slow by design: hash the shared test password once per run.
    return make_password(PASSWORD)


def _person(email: str, name: str) -> User:
    return User.objects.create(email=email, name=name, password=_password_hash())


@pytest.fixture
def world(db: Any) -> World:
    alice = _person("alice@example.org", "Alice Adams")
    bob = _person("bob@example.org", "Bob Brown")
    carol = _person("carol@example.org", "Carol Clark")
    dave = _person("dave@example.org", "Dave Davies")
    partnership = Partnership.objects.create(name="Northshire")
    organisations = {
        name: Organisation.objects.create(partnership=partnership, name=name, sector=sector)
        for name, sector in ORGANISATIONS
    }
    Membership.objects.create(partnership=partnership, user=alice, role=Role.FACILITATOR)
    Membership.objects.create(
        partnership=partnership,
        user=bob,
        role=Role.PARTNER_LEAD,
        organisation=organisations["Northshire Police"],
    )
    Membership.objects.create(partnership=partnership, user=carol, role=Role.VIEWER)
    other = Partnership.objects.create(name="Southvale")
    Organisation.objects.create(
        partnership=other, name="Southvale Council", sector="local_government"
    )
    Membership.objects.create(partnership=other, user=dave, role=Role.FACILITATOR)
    other_round = services.create_round(other, "Southvale 2027")
    return World(partnership, organisations, alice, bob, carol, dave, other, other_round)


@pytest.fixture
def open_round(world: World) -> Round:
    survey_round = services.create_round(world.partnership, "Spring 2027")
    return services.open_round(survey_round)


@pytest.fixture
def latest_schema() -> Any:
    """For tests that migrate backwards: the database is left at the latest migrations.

    Whatever the test does or however it fails, the schema is migrated forward
    to every app's last migration afterwards, so later tests find it whole.
    """
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture(autouse=True)
def _own_redis_keys(settings: Any) -> None:
    """With REDIS_URL set, each test counts in Redis under keys of its own.

    The database cache is rolled back with each test; Redis is not, so a
    counter left by one test would otherwise refuse the next one's requests.
    """
    if settings.REDIS_URL:
        import secrets

        settings.CACHES = {
            "default": {
                **settings.CACHES["default"],
                "KEY_PREFIX": f"joinedup-test-{secrets.token_hex(6)}",
            }
        }
