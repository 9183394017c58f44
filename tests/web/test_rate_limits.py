"""Rate limits: atomic, one round-trip, keyed on the real client, fair to offices.

Every test runs on the default store (the database's counter table) and,
when REDIS_URL is set, again on Redis through Django's RedisCache.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from joinedup.site import ratelimit
from joinedup.surveys import services
from joinedup.surveys.models import OpenLink, Response
from tests.web.survey_steps import invite

from .survey_steps import answer_everything, start, submit

REDIS_URL = os.environ.get("REDIS_URL", "")


@pytest.fixture(params=["database", "redis"])
def store(request) -> Iterator[str]:
    """Where counters live: the database by default, or Redis when REDIS_URL is set."""
    if request.param == "database":
        database_cache = {
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "joinedup_cache",
            }
        }
        with override_settings(CACHES=database_cache):
            yield "database"
        return
    if not REDIS_URL:
        pytest.skip("REDIS_URL is not set")
    caches = {
        "default": {
            "BACKEND": "joinedup.site.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"joinedup-test-{secrets.token_hex(6)}",
        }
    }
    with override_settings(CACHES=caches):
        yield "redis"


def _guess(results: list[int], address: str) -> None:
    try:
        response = Client(REMOTE_ADDR=address).get(f"/s/{secrets.token_urlsafe(32)}/")
        results.append(response.status_code)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_64_parallel_guesses_against_a_limit_of_20_let_through_at_most_20(
    world, settings, store
) -> None:
    if connection.vendor == "sqlite" and store == "database":
        pytest.skip("threads need a shared database server: runs on PostgreSQL")
    settings.RATE_LIMIT_SURVEY_MISSES = 20
    results: list[int] = []
    threads = [threading.Thread(target=_guess, args=(results, "203.0.113.9")) for _ in range(64)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 64
    assert results.count(404) == 20  # exactly the limit: no guess counted twice or lost
    assert results.count(429) == 44


@pytest.mark.django_db
def test_a_survey_page_costs_one_rate_limit_round_trip_and_few_queries(
    client, world, open_round, store
) -> None:
    links, _ = invite(open_round, [("sam@example.org", world.org("Northshire County Council"))])
    token = start(client, links[0].token)
    client.get(f"/s/{token}/statements/1/")  # warm: templates, instrument
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/s/{token}/statements/2/").status_code == 200
    counters = [q for q in queries.captured_queries if "joinedup_rate_counter" in q["sql"]]
    cache_table = [q for q in queries.captured_queries if "joinedup_cache" in q["sql"]]
    assert cache_table == []  # Django's database cache is no longer asked at all
    assert len(counters) == (1 if store == "database" else 0)
    # The link with its round, partnership and organisation; the counter; the partners.
    assert len(queries.captured_queries) <= 3


@pytest.mark.django_db
def test_wrong_links_from_an_office_do_not_block_colleagues_real_links(
    world, open_round, settings, store
) -> None:
    settings.RATE_LIMIT_SURVEY_MISSES = 5
    links, _ = invite(open_round, [("sam@example.org", world.org("Northshire Police"))])
    office = Client(REMOTE_ADDR="198.51.100.7")
    codes = [office.get(f"/s/wrong-{n}/").status_code for n in range(6)]
    assert codes == [404] * 5 + [429]  # guessing from the office is stopped
    assert office.get(f"/s/{links[0].token}/").status_code == 200  # a real link still opens
    # Another office is not affected by the first one's wrong links.
    assert Client(REMOTE_ADDR="198.51.100.8").get("/s/wrong-x/").status_code == 404


@pytest.mark.django_db
def test_wrong_links_from_many_addresses_meet_a_global_cap(world, settings, store) -> None:
    settings.RATE_LIMIT_SURVEY_MISSES_GLOBAL = 4
    codes = [Client(REMOTE_ADDR=f"192.0.2.{n}").get("/s/wrong/").status_code for n in range(5)]
    assert codes == [404] * 4 + [429]


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "192.0.2.1, 10.0.0.2", "10.0.0.9"),  # no proxies: the header is the client's words
        (1, "192.0.2.1", "192.0.2.1"),
        (1, "6.6.6.6, 192.0.2.1", "192.0.2.1"),  # a spoofed entry on the left is ignored
        (2, "6.6.6.6, 192.0.2.1, 10.0.0.2", "192.0.2.1"),
        (2, "192.0.2.1", "192.0.2.1"),  # fewer entries than proxies: the first proxy's
        (1, "", "10.0.0.9"),
    ],
)
def test_the_client_address_is_taken_behind_the_trusted_proxies(
    settings, proxies, forwarded, expected
) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert ratelimit.client_address(request) == expected


@pytest.mark.django_db
def test_behind_a_proxy_each_client_has_its_own_counter(world, settings, store) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATE_LIMIT_SIGN_IN = 2
    proxy = "10.0.0.1"  # every request reaches us from the load balancer

    def sign_in_page(client_address: str) -> int:
        return (
            Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=client_address)
            .get("/sign-in/")
            .status_code
        )

    assert [sign_in_page("192.0.2.1") for _ in range(3)] == [200, 200, 429]
    assert sign_in_page("192.0.2.2") == 200  # a different person behind the same proxy


def _open_link_survey(client: Client, token: str, world) -> object:
    personal = start(client, token, open_link=True)
    answer_everything(client, personal)
    return submit(client, personal)


@pytest.mark.django_db
def test_an_open_link_flood_from_one_address_is_refused_and_shown_to_the_facilitator(
    world, open_round, settings, store
) -> None:
    settings.RATE_LIMIT_OPEN_SUBMITS = 3
    police = world.org("Northshire Police")
    token = services.create_open_link(open_round, police)
    flooder = "203.0.113.50"
    sent = [_open_link_survey(Client(REMOTE_ADDR=flooder), token, world) for _ in range(4)]
    assert [r.status_code for r in sent] == [302, 302, 302, 429]
    assert "Too many surveys from your network" in sent[-1].content.decode()
    assert sent[-1]["Retry-After"] == "3600"  # the hour the limit counts over
    assert Response.objects.count() == 3
    link = OpenLink.objects.get()
    assert link.refused_submissions == 1
    activity = services.open_link_activity(open_round)
    assert activity == [
        {
            "organisation": police,
            "refused_starts": 0,
            "refused_submissions": 1,
            "unusual": True,
        }
    ]
    # Colleagues at another address are not held back by the flood.
    assert _open_link_survey(Client(REMOTE_ADDR="203.0.113.51"), token, world).status_code == 302
    # Every member sees the burst on the round page, as the facilitator does.
    for member in (world.alice, world.carol):
        page = world.client(member).get(
            f"/partnerships/{world.partnership.pk}/rounds/{open_round.pk}/"
        )
        text = " ".join(page.content.decode().split())
        assert "Unusual activity through the open link for Northshire Police" in text
        assert "1 survey sent refused" in text


@pytest.mark.django_db
def test_starting_through_an_open_link_is_limited_per_address(
    world, open_round, settings, store
) -> None:
    settings.RATE_LIMIT_OPEN_STARTS = 2
    token = services.create_open_link(open_round, world.org("Northshire Police"))
    client = Client(REMOTE_ADDR="203.0.113.60")
    codes = [client.post(f"/o/{token}/").status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert OpenLink.objects.get().refused_starts == 1


def _own_redis(settings: Any) -> Any:
    if not REDIS_URL:
        pytest.skip("REDIS_URL is not set")
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "joinedup.site.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"joinedup-test-{secrets.token_hex(6)}",
        }
    }
    return caches["default"]._cache.get_client(write=True)  # type: ignore[attr-defined]


def test_redis_counters_reuse_one_client_from_thread_to_thread(settings) -> None:
    """One Redis client per pool (not one per call), shared by every thread, counting on."""
    from django.core.cache import caches

    first = _own_redis(settings)
    backend = caches["default"]
    assert backend._cache.get_client(write=True) is first  # type: ignore[attr-defined]
    key = secrets.token_hex(8)
    clients: list[object] = []

    def count() -> None:
        clients.append(backend._cache.get_client(write=True))  # type: ignore[attr-defined]
        ratelimit.hit_all([ratelimit.Limit("t", key, 5)])

    workers = [threading.Thread(target=count) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert all(client is first for client in clients)
    counts = [ratelimit.hit_all([ratelimit.Limit("t", key, 5)])[0] for _ in range(4)]
    assert counts == [True, True, True, False]  # the count went on: 3, 4, 5, then 6 > 5


def test_redis_counting_survives_a_restart_and_lost_scripts(settings) -> None:
    """Redis forgets its scripts or drops connections when it restarts: counting carries on."""
    client = _own_redis(settings)
    key = secrets.token_hex(8)
    limit = [ratelimit.Limit("t", key, 4)]
    assert ratelimit.hit_all(limit) == [True]  # 1
    client.script_flush()  # as after a restart: the script must be loaded again
    assert ratelimit.hit_all(limit) == [True]  # 2
    # The server drops the thread's own counting connection (only that one).
    own = ratelimit._local.redis[1]
    own.send_command("CLIENT", "ID")
    client.client_kill_filter(_id=own.read_response())
    assert ratelimit.hit_all(limit) == [True]  # 3
    assert ratelimit.hit_all(limit) == [True]  # 4
    assert ratelimit.hit_all(limit) == [False]  # 5 > 4: nothing was lost or counted twice


def test_an_overlapped_count_is_read_after_the_work_it_overlaps(settings) -> None:
    """The survey pages send the count, ask the database, then read the count."""
    _own_redis(settings)
    key = secrets.token_hex(8)
    counting = ratelimit.start([ratelimit.Limit("t", key, 1), ratelimit.Limit("u", key, 5)])
    other = ratelimit.hit_all([ratelimit.Limit("t", secrets.token_hex(8), 1)])
    assert counting.finish() == [True, True]
    assert other == [True]
    assert ratelimit.hit_all([ratelimit.Limit("t", key, 1)]) == [False]  # 2 > 1
    # A count started and dropped unread cannot make the next one read its reply.
    ratelimit.start([ratelimit.Limit("u", key, 5)])  # "u": 2
    assert ratelimit.hit_all([ratelimit.Limit("t", key, 3)]) == [True]  # "t": 3
    assert ratelimit.hit_all([ratelimit.Limit("t", key, 3)]) == [False]  # "t": 4
    assert ratelimit.hit_all([ratelimit.Limit("u", key, 3)]) == [True]  # "u": 3


@pytest.mark.django_db
def test_counters_are_not_written_to_postgresqls_log() -> None:
    """UNLOGGED: a counter write costs no log flush, and no backup or replica holds counters."""
    if connection.vendor != "postgresql":
        pytest.skip("UNLOGGED tables are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relpersistence FROM pg_class WHERE relname = %s", ["joinedup_rate_counter"]
        )
        assert cursor.fetchone() == ("u",)
