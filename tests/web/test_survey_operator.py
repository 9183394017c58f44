"""A database (or Redis) operator watches a survey being sent, and learns nothing to join.

The attack, step by step: the operator knows every invitation's stored token
hash. A respondent answers and sends. The operator then reads the session
table, the cache table, the rate-limit counters (and Redis, when it is the
cache), looking for the token hash, and for an expiry that gives the moment
of sending.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client, override_settings

from joinedup.site import ratelimit
from joinedup.surveys.models import Invitation, Response
from tests.web.survey_steps import invite

from .survey_steps import answer_everything, start, submit

REDIS_URL = os.environ.get("REDIS_URL", "")


def _rows(table: str) -> list[tuple[object, ...]]:
    if table not in connection.introspection.table_names():
        return []  # (no cache table when the test database was made for Redis)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        return list(cursor.fetchall())


def _answer_and_send(world, open_round) -> tuple[str, str, Client, float]:
    links, _ = invite(open_round, [("sam@example.org", world.org("Northshire County Council"))])
    token = links[0].token
    stored_hash = Invitation.objects.get().token_hash
    client = Client()
    start(client, token)
    answer_everything(client, token, partners=[world.org("Northshire Police").pk])
    sent_at = time.time()
    response = submit(client, token)
    assert response.status_code == 302
    assert "Answers sent" in client.get(response["Location"]).content.decode()
    assert Response.objects.count() == 1
    return token, stored_hash, client, sent_at


def _no_session(client: Client) -> None:
    assert Session.objects.count() == 0  # no session row was ever made
    assert "sessionid" not in client.cookies  # and none was offered to the browser


DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "joinedup_cache",
    }
}


@pytest.mark.django_db
@override_settings(CACHES=DATABASE_CACHE)  # the embedded default, even when REDIS_URL is set
def test_the_database_operator_finds_no_session_and_no_token_in_the_counters(
    world, open_round
) -> None:
    token, stored_hash, client, sent_at = _answer_and_send(world, open_round)
    _no_session(client)
    counters = _rows("joinedup_rate_counter")
    assert counters  # the survey was rate-limited: there is something to inspect
    everything = repr(counters) + repr(_rows("joinedup_cache"))
    assert stored_hash not in everything
    assert token not in everything
    assert hashlib.sha256(stored_hash.encode()).hexdigest() not in everything
    window = ratelimit.WINDOW_SECONDS
    for _key, window_end, _count in counters:
        # Each counter records only the end of a minute every counter shares,
        # never a time of its own: nothing lines up with the moment of sending.
        assert int(window_end) % window == 0
        assert sent_at < int(window_end) <= sent_at + window + 1


def test_counter_names_change_every_day_and_hide_what_they_count(settings) -> None:
    token = secrets.token_urlsafe(32)
    today = ratelimit.keyed("survey", token, now=1_800_000_000)
    assert ratelimit.keyed("survey", token, now=1_800_000_000 + 60) == today  # same day
    assert ratelimit.keyed("survey", token, now=1_800_000_000 + 86_400) != today  # next day
    assert token not in today
    settings.SECRET_KEY = "another-secret-key-for-this-test-0123456789-abcdefghijklmnop"
    # Without the site's secret, the operator cannot recompute a name from a token.
    assert ratelimit.keyed("survey", token, now=1_800_000_000) != today


@pytest.mark.django_db
def test_the_redis_operator_finds_no_token_and_no_expiry_of_its_own(world, open_round) -> None:
    if not REDIS_URL:
        pytest.skip("REDIS_URL is not set")
    import redis

    prefix = f"joinedup-operator-{secrets.token_hex(6)}"
    caches = {
        "default": {
            "BACKEND": "joinedup.site.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=caches):
        token, stored_hash, client, _ = _answer_and_send(world, open_round)
    _no_session(client)
    server = redis.Redis.from_url(REDIS_URL)
    keys = list(server.scan_iter(f"{prefix}*"))
    assert keys
    try:
        for key in keys:
            assert stored_hash.encode() not in key and token.encode() not in key
            expires = server.expiretime(key)
            assert expires % ratelimit.WINDOW_SECONDS == 0  # a minute's end, shared by all
    finally:
        server.delete(*keys)
