"""The journeys `make bench-load` plays: respondents answering the whole survey.

Each simulated respondent takes an unused invitation token from the file
named by BENCH_TOKENS, then opens the link, starts, answers every page
(about you, the nine statement pages, partners, two partner pages,
comments), checks and sends, and takes the next token. There is no think
time: the figures are the server's capacity, not a day's traffic.

BENCH_KIND=bare plays the yardstick instead: a bare Django view, fetched
over and over by the same number of users.
"""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from locust import FastHttpUser, constant, task
from locust.exception import RescheduleTask, StopUser

from joinedup.instrument import load_instrument

INSTRUMENT = load_instrument()
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
PARTNER = re.compile(rb'name="partners" type="checkbox" value="(\d+)"')
KIND = os.environ.get("BENCH_KIND", "survey")
TOKENS = iter(Path(os.environ["BENCH_TOKENS"]).read_text().split()) if KIND == "survey" else None
SENT_FILE = os.environ.get("BENCH_SENT", "")
# Surveys whose sending began, and those whose sending was confirmed. When the
# run ends mid-request the server may still store one, so the stored count
# must lie between the two, and never above "attempted" (nothing twice).
attempted = 0
sent = 0
# Several server processes (BENCH_SERVERS): users are spread over them, as a proxy would.
HOSTS = [h for h in os.environ.get("BENCH_HOSTS", "").split(",") if h]
_users = itertools.count()


class _Spread(FastHttpUser):
    abstract = True

    def __init__(self, environment: Any) -> None:
        if HOSTS:
            self.host = HOSTS[next(_users) % len(HOSTS)]
        super().__init__(environment)


def _record() -> None:
    if SENT_FILE:
        Path(SENT_FILE).write_text(f"{attempted} {sent}")


class Respondent(_Spread):
    wait_time = constant(0)
    abstract = KIND != "survey"

    def _get(self, url: str, name: str) -> bytes:
        with self.client.get(url, name=f"GET {name}", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                raise RescheduleTask  # this journey ends here; the user starts another
            return response.content or b""

    def _post(self, url: str, page: bytes, fields: dict[str, object], name: str) -> str:
        found = CSRF.search(page)
        data = {"csrfmiddlewaretoken": found.group(1).decode() if found else "", **fields}
        with self.client.post(
            url,
            data=urlencode(data, doseq=True),
            name=f"POST {name}",
            allow_redirects=False,
            catch_response=True,
            headers={
                "Referer": self.host + url,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        ) as response:
            if response.status_code != 302:
                response.failure(f"status {response.status_code}")
                raise RescheduleTask  # this journey ends here; the user starts another
            return response.headers.get("Location", "")

    @task
    def answer_the_survey(self) -> None:
        global attempted, sent
        assert TOKENS is not None
        token = next(TOKENS, None)
        if token is None:
            raise StopUser  # every invitation is used: seed more with BENCH_INVITATIONS
        base = f"/s/{token}"
        page = self._get(f"{base}/", "open link")
        self._post(f"{base}/", page, {}, "start")
        page = self._get(f"{base}/about/", "about")
        self._post(f"{base}/about/", page, {"role": INSTRUMENT.roles[0].code}, "about")
        for number, scale in enumerate(INSTRUMENT.scales, start=1):
            url = f"{base}/statements/{number}/"
            page = self._get(url, "statements")
            self._post(url, page, dict.fromkeys(scale.items, "4"), "statements")
        page = self._get(f"{base}/partners/", "partners")
        offered = [m.decode() for m in PARTNER.findall(page)]
        chosen = offered[:2]
        self._post(f"{base}/partners/", page, {"partners": chosen}, "partners")
        for partner in chosen:
            url = f"{base}/partners/{partner}/"
            page = self._get(url, "partner")
            fields: dict[str, object] = {"contact": "3"}
            fields |= dict.fromkeys(INSTRUMENT.rating_codes, "4")
            self._post(url, page, fields, "partner")
        page = self._get(f"{base}/comments/", "comments")
        texts = {code: "Shared budgets would help." for code in INSTRUMENT.text_codes[:1]}
        self._post(f"{base}/comments/", page, texts, "comments")
        page = self._get(f"{base}/check/", "check")
        attempted += 1
        _record()
        done = self._post(f"{base}/check/", page, {}, "submit")
        sent += 1
        _record()
        self._get(done, "done")
        self.client.cookiejar.clear()  # the next respondent is someone else


class BareView(_Spread):
    wait_time = constant(0)
    abstract = KIND != "bare"

    @task
    def bare(self) -> None:
        self.client.get("/bench/bare/", name="GET bare view")
