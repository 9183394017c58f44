"""Fixed-window rate limits: one round-trip a request, counted atomically.

Where the counters live:
- with REDIS_URL set (the cache is Django's RedisCache), in Redis: one Lua
  script does INCR and EXPIREAT for every counter a request needs, sent on
  the server thread's own connection so that its reply can be read later
  (`start`/`Counting`: the survey pages overlap it with their database query);
- otherwise in the database, table `joinedup_rate_counter`: one
  `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` statement counts every
  counter a request needs. Django's database cache cannot do this (its
  add-then-incr is several queries and not atomic), which is why the
  counters have a table of their own. Both are shared by every server process.

What an operator of the database or of Redis can see: keys that are HMACs
under a key derived from SECRET_KEY that changes every day (never a token,
a token hash or an address), and the end of a fixed window that every
counter counted in the same window shares. So a key cannot be joined to an
invitation, and no expiry says when one request came.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import random
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any

import redis
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

WINDOW_SECONDS = 60
DAY = 24 * 60 * 60
# Old database counters are swept now and then, by the request that opens a
# counter's new window (about one in this many): an occasional extra query.
SWEEP_ONE_IN = 200


@dataclass(frozen=True)
class Limit:
    """One counter to count: at most `limit` hits in a window of `window` seconds."""

    scope: str
    key: str
    limit: int
    window: int = WINDOW_SECONDS


def client_address(request: HttpRequest) -> str:
    """The client's address, behind TRUSTED_PROXY_COUNT proxies that we run.

    Each proxy appends the address it received the request from to
    X-Forwarded-For, so the n-th address from the right is the one our first
    proxy saw: the client's. Addresses further left were written by the
    client and could be anything. With no trusted proxies, REMOTE_ADDR.
    """
    remote = str(request.META.get("REMOTE_ADDR", "unknown"))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if part.strip()
    ]
    if not forwarded:
        return remote
    return forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]


@functools.lru_cache(maxsize=4)
def _day_key(secret_key: str, day: int) -> bytes:
    """The day's key for counter names (made once a day, not on every request)."""
    return hmac.new(
        secret_key.encode(), f"joinedup.ratelimit:{day}".encode(), hashlib.sha256
    ).digest()


def keyed(scope: str, key: str, now: float | None = None) -> str:
    """A counter's name: an HMAC of scope and key under today's key, never the key itself."""
    day = int((time.time() if now is None else now) // DAY)
    secret = _day_key(settings.SECRET_KEY, day)
    digest = hmac.new(secret, f"{scope}\x00{key}".encode(), hashlib.sha256).hexdigest()
    return f"rl:{digest[:40]}"


def window_end(window: int, now: float) -> int:
    """The end of the fixed window holding `now`: the same for every counter of that window."""
    return (int(now) // window + 1) * window


def hit_all(limits: Sequence[Limit]) -> list[bool]:
    """Count one hit on each counter, in one round-trip; True for each still within its limit."""
    return start(limits).finish()


class Counting:
    """Hits on some counters, sent to be counted; `finish()` says which are within their limits.

    With Redis, the counting command goes out when this is made and its
    reply is read by `finish()`: whatever the caller does in between (the
    survey pages look up their link in the database) overlaps the wait for
    Redis, so the round-trip costs no wait of its own. The database's
    counters are counted by `finish()`.
    """

    def __init__(self, limits: Sequence[Limit]) -> None:
        self.limits = list(limits)
        self.now = time.time()
        self.names = [keyed(limit.scope, limit.key, self.now) for limit in self.limits]
        self.ends = [window_end(limit.window, self.now) for limit in self.limits]
        self._sent = _redis_send(self.names, self.ends) if self.limits and _uses_redis() else None

    def finish(self) -> list[bool]:
        if not self.limits:
            return []
        if self._sent is not None:
            counts = _redis_receive(self._sent)
        else:
            counts = _database_counts(self.names, self.ends, self.now)
        return [count <= limit.limit for count, limit in zip(counts, self.limits, strict=True)]


def start(limits: Sequence[Limit]) -> Counting:
    """Start counting one hit on each counter; call `finish()` on the result (in a `finally`)."""
    return Counting(limits)


def hit(scope: str, key: str, limit: int, window: int = WINDOW_SECONDS) -> bool:
    """Count one request; True while the key is within `limit` requests this window."""
    return hit_all([Limit(scope, key, limit, window)])[0]


def _uses_redis() -> bool:
    from django.core.cache.backends.redis import RedisCache

    return isinstance(caches["default"], RedisCache)


# INCR each key and make it expire when its window ends, in Redis itself: one
# command, one round-trip, and atomic (a script runs alone).
_COUNT_SCRIPT = """
local counts = {}
for place, key in ipairs(KEYS) do
  counts[place] = redis.call('INCR', key)
  redis.call('EXPIREAT', key, ARGV[place])
end
return counts
"""


@dataclass
class _Sent:
    connection: Any  # this thread's connection the command went out on, or None
    script: Any
    keys: list[str]
    ends: list[int]


def _redis_send(names: list[str], ends: list[int]) -> _Sent:
    """Send the counting script's command on this thread's own connection, without waiting."""
    backend: Any = caches["default"]
    keys = [backend.make_and_validate_key(name) for name in names]
    client = backend._cache.get_client(keys[0], write=True)
    script = _scripts.get(id(client))
    if script is None:
        script = _scripts.setdefault(id(client), client.register_script(_COUNT_SCRIPT))
    sent = _Sent(_own_connection(client.connection_pool), script, keys, ends)
    waiting = getattr(_local, "waiting", None)
    if waiting is not None and waiting() is not None:
        sent.connection = None  # another count of this thread is under way: use the pool
        return sent
    if waiting is not None:  # a count was dropped unread: never read its reply as ours
        sent.connection.disconnect()
    try:
        sent.connection.send_command("EVALSHA", script.sha, len(keys), *keys, *ends)
    except (redis.ConnectionError, redis.TimeoutError):
        sent.connection = None  # counted through the client's pool instead, which retries
        _local.waiting = None
        return sent
    _local.waiting = weakref.ref(sent)
    return sent


def _redis_receive(sent: _Sent) -> list[int]:
    """The counts: the reply to what `_redis_send` sent, or counted afresh if that failed."""
    if sent.connection is not None:
        _local.waiting = None
        try:
            return [int(count) for count in sent.connection.read_response()]
        except redis.exceptions.NoScriptError:
            pass  # Redis restarted or dropped its scripts: nothing was counted; load it again
        except (redis.ConnectionError, redis.TimeoutError):
            pass  # the connection is closed; the next send opens it again
    return [int(count) for count in sent.script(keys=sent.keys, args=sent.ends)]


# One registered script per kept Redis client (site/cache.py keeps one per pool).
_scripts: dict[int, Any] = {}
_local = threading.local()


def _own_connection(pool: Any) -> Any:
    """This thread's own connection to the cache's Redis, for counting.

    A connection of its own (made with the pool's settings) lets a command be
    sent and its reply read later, and skips the pool's bookkeeping on every
    request. A server thread counts one request at a time, so it never has
    two replies outstanding.
    """
    kept = getattr(_local, "redis", None)
    if kept is None or kept[0] is not pool:
        kept = (pool, pool.connection_class(**pool.connection_kwargs))
        _local.redis = kept
    return kept[1]


def _database_counts(names: list[str], ends: list[int], now: float) -> list[int]:
    """One upsert for every counter: a new window starts again at one."""
    rows = ", ".join(["(%s, %s, 1)"] * len(names))
    parameters: list[Any] = []
    for name, end in zip(names, ends, strict=True):
        parameters += [name, end]
    table = connection.ops.quote_name("joinedup_rate_counter")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, window_end, count) VALUES {rows} "
            "ON CONFLICT (key) DO UPDATE SET "
            f"count = CASE WHEN {table}.window_end = excluded.window_end "
            f"THEN {table}.count + 1 ELSE 1 END, "
            "window_end = excluded.window_end "
            "RETURNING key, count",
            parameters,
        )
        counted = dict(cursor.fetchall())
        if 1 in counted.values() and random.randrange(SWEEP_ONE_IN) == 0:
            cursor.execute(f"DELETE FROM {table} WHERE window_end < %s", [int(now)])
    return [int(counted[name]) for name in names]


def too_many(request: HttpRequest, window: int = WINDOW_SECONDS) -> HttpResponse:
    response = render(request, "errors/429.html", {"messages": ()}, status=429)
    response["Retry-After"] = str(window)
    return response


def rate_limited(scope: str, limit: Callable[[], int]) -> Callable[..., Any]:
    """Refuse a view with 429 when one address calls it more than `limit()` times a minute."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not hit(scope, client_address(request), limit()):
                return too_many(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
