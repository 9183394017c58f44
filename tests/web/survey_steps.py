"""Walking through the survey with the Django test client, as a respondent would."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import Client

from joinedup.instrument import load_instrument
from joinedup.partnerships.models import Organisation
from joinedup.surveys import sending, services
from joinedup.surveys.models import Invitation, Round

INSTRUMENT = load_instrument()


def start(client: Client, token: str, open_link: bool = False) -> str:
    """Press 'Start now'; return the token of the link to continue with."""
    response = client.post(f"/{'o' if open_link else 's'}/{token}/")
    assert response.status_code == 302, response.content[:500]
    location = response["Location"]
    assert location.endswith("/about/")
    return location.split("/")[2]


def answer_everything(
    client: Client,
    token: str,
    answer: int | str = 4,
    partners: list[int] | None = None,
    rating: int | str = 3,
    contact: int = 3,
    role: str = "manager",
    comments: dict[str, str] | None = None,
) -> None:
    """Answer every page, in order, checking each one saves and moves on."""
    base = f"/s/{token}"
    _post(client, f"{base}/about/", {"role": role})
    for number, scale in enumerate(INSTRUMENT.scales, start=1):
        _post(client, f"{base}/statements/{number}/", dict.fromkeys(scale.items, str(answer)))
    _post(client, f"{base}/partners/", {"partners": [str(p) for p in partners or []]})
    for partner in partners or []:
        cells: dict[str, Any] = {"contact": str(contact)}
        cells |= dict.fromkeys(INSTRUMENT.rating_codes, str(rating))
        _post(client, f"{base}/partners/{partner}/", cells)
    _post(client, f"{base}/comments/", comments or {})


def submit(client: Client, token: str) -> Any:
    return client.post(f"/s/{token}/check/")


def _post(client: Client, url: str, data: dict[str, Any]) -> None:
    response = client.post(url, data)
    assert response.status_code == 302, (url, response.content.decode()[:2000])


@dataclass(frozen=True)
class Link:
    """An invitation with a link to it, as the person would find it in their e-mail."""

    invitation: Invitation
    token: str

    @property
    def url(self) -> str:
        return services.survey_url(self.token)


def invite(
    survey_round: Round, people: list[tuple[str, Organisation]]
) -> tuple[list[Link], list[str]]:
    """Invite people without e-mailing them, and give each a working link (as if e-mailed)."""
    ids, skipped = services.add_invitations(survey_round, people, send=False)
    found = Invitation.objects.select_related("organisation").in_bulk(ids)
    created = [found[pk] for pk in ids]
    links = []
    for invitation in created:
        url = sending.issue_link(invitation)
        links.append(Link(invitation, url.rstrip("/").rsplit("/", 1)[1]))
    return links, skipped
