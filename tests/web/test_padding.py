"""The padding attack, played as insiders would play it, and shown to get nothing.

The attack (issue 9 §2): a partner lead sees that a named person of a small
organisation has finished; makes an open link for that organisation and sends
four made-up surveys; the organisation now shows at n = 5, and
`5 × score − sum of fakes` gives back the person's scores. A facilitator's
import could pad a round the same way.
"""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from joinedup.api.services import create_token
from joinedup.results.models import Download
from joinedup.surveys import services
from joinedup.surveys.models import AuditEntry, Channel, Invitation, OpenLink, Response, Round
from tests.web.survey_steps import invite

from .survey_steps import INSTRUMENT, answer_everything, start, submit

LINK = re.compile(r"http://[^\s]+/s/([A-Za-z0-9_-]{43})/")


def _url(world, survey_round: Round, action: str = "") -> str:
    return f"/partnerships/{world.partnership.pk}/rounds/{survey_round.pk}/{action}"


def _invite(world, survey_round: Round, people: str, user=None) -> Any:
    return world.client(user or world.alice).post(
        _url(world, survey_round, "invite/"), {"people": people}
    )


def _answer(token: str, open_link: bool = False, answer: int = 4) -> None:
    person = Client()
    mine = start(person, token, open_link=open_link)
    answer_everything(person, mine, answer=answer)
    assert submit(person, mine).status_code == 302


def _csv(rows: list[dict[str, str]]) -> bytes:
    header = list(rows[0])
    lines = [",".join(header)] + [",".join(row[h] for h in header) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def _row(respondent: str, organisation: str) -> dict[str, str]:
    return {"respondent_id": respondent, "organisation": organisation} | dict.fromkeys(
        INSTRUMENT.item_codes, "2"
    )


# ----------------------------------------------- (a) who has finished?


def _routes() -> list[str]:
    """Every partnership page address (GET), with the ids this test can fill in."""
    found: list[str] = []

    def walk(resolver: URLResolver, prefix: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                found.append(prefix + str(entry.pattern))

    walk(get_resolver(), "")
    fillable = {"partnership_id", "round_id", "organisation_id", "member_id", "kind"}
    return [
        route
        for route in found
        if "partnership_id" in route
        and set(re.findall(r"<\w+:(\w+)>", route)) <= fillable
        and not route.startswith("api/")
    ]


def _fill(route: str, ids: dict[str, Any]) -> str:
    url = "/" + route
    for name, value in ids.items():
        url = re.sub(rf"<\w+:{name}>", str(value), url)
    return url


VARYING = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), "csrf"),
    (re.compile(r'nonce="[^"]+"'), "nonce"),
]


def _everything_seen(world, user, ids: dict[str, Any], api_secret: str) -> dict[str, str]:
    """What `user` sees on every page, download and API answer they can reach."""
    client = world.client(user)
    seen = {}
    Download.objects.all().delete()  # the download log would show the last snapshot's visits
    addresses = [_fill(route, ids) for route in _routes()]
    addresses += [
        _fill("partnerships/<int:partnership_id>/rounds/<int:round_id>/", ids) + q
        for q in ("?q=example.org", "?q=finisher", "?q=waiter")
    ]
    for address in addresses:
        response = client.get(address)
        if response.status_code == 200:
            text = response.content.decode(errors="replace")
            for pattern, stand_in in VARYING:
                text = pattern.sub(stand_in, text)
            seen[address] = text
    api = Client(HTTP_AUTHORIZATION=f"Bearer {api_secret}")
    partnership = world.partnership.pk
    for address in (
        "/api/v1/partnerships",
        f"/api/v1/partnerships/{partnership}",
        f"/api/v1/partnerships/{partnership}/rounds",
        f"/api/v1/partnerships/{partnership}/rounds/{ids['round_id']}/result",
    ):
        seen[address] = api.get(address).content.decode()
    return seen


def _swap_people(first: str, second: str) -> None:
    """Make `second` the one who did everything `first` did, and the other way round.

    Responses do not point at invitations, so swapping the two addresses is
    exactly the world in which the other person finished.
    """
    a, b = Invitation.objects.get(email=first), Invitation.objects.get(email=second)
    a.email, b.email = "swap@invalid", first
    a.save(update_fields=["email"])
    b.save(update_fields=["email"])
    a.email = second
    a.save(update_fields=["email"])


@pytest.mark.parametrize("closed", [False, True], ids=["open round", "closed round"])
@pytest.mark.parametrize("persona", ["bob", "alice", "carol"])
def test_nobody_can_tell_which_person_has_finished(world, open_round, mailbox, persona, closed):
    # Two police officers are invited; one answers; everyone unfinished is reminded.
    _invite(
        world,
        open_round,
        "finisher@example.org, Northshire Police\nwaiter@example.org, Northshire Police",
    )
    links = {m["To"]: LINK.search(mailbox.body(m)).group(1) for m in mailbox.wait_for(2)}
    _answer(links["finisher@example.org"])
    world.client(world.alice).post(_url(world, open_round, "remind/"))
    reminders = mailbox.wait_for(3)[2:]
    assert [m["To"] for m in reminders] == ["waiter@example.org"]  # reminders still work
    if closed:
        services.close_round(open_round)
    user = getattr(world, persona)
    _, secret = create_token(user, "insider")
    ids = {
        "partnership_id": world.partnership.pk,
        "round_id": open_round.pk,
        "organisation_id": world.org("Northshire Police").pk,
        "member_id": world.partnership.memberships.get(user=user).pk,
        "kind": "json",
    }
    # The insider looks at everything they can reach...
    as_it_is = _everything_seen(world, user, ids, secret)
    assert len(as_it_is) >= 10
    round_page = as_it_is[_fill("partnerships/<int:partnership_id>/rounds/<int:round_id>/", ids)]
    assert "Finished" not in round_page and "reminded" not in round_page.lower()
    if closed:
        # Closing erases the invitations (addresses and done flags), keeping counts:
        # after it there is nobody left to tell apart.
        assert not Invitation.objects.filter(round=open_round).exists()
        for address, page in as_it_is.items():
            assert "finisher@example.org" not in page, address
            assert "waiter@example.org" not in page, address
        return
    # ...and everything is the same in the world where the other officer answered.
    _swap_people("finisher@example.org", "waiter@example.org")
    swapped = _everything_seen(world, user, ids, secret)
    assert swapped.keys() == as_it_is.keys()
    for address, page in as_it_is.items():
        assert swapped[address] == page, f"{address} tells who has finished"


def test_the_people_list_shows_address_organisation_and_sending_only(world, open_round, mailbox):
    _invite(
        world,
        open_round,
        "finisher@example.org, Northshire Police\nwaiter@example.org, Northshire Police",
    )
    links = {m["To"]: LINK.search(mailbox.body(m)).group(1) for m in mailbox.wait_for(2)}
    _answer(links["finisher@example.org"])
    page = world.client(world.bob).get(_url(world, open_round) + "?q=finisher").content.decode()
    row = re.search(r"<tr[^>]*>\s*<td[^>]*>finisher@example.org</td>.*?</tr>", page, re.S).group(0)
    assert "Northshire Police" in row and "Sent" in row
    assert "waiter@example.org" not in page  # the search found only what it asked for


# ------------------------------------------- (b) open links: facilitators only


def test_a_partner_lead_cannot_make_an_open_link(world, open_round) -> None:
    bob = world.client(world.bob)
    police = world.org("Northshire Police")
    assert bob.get(_url(world, open_round, "open-links/")).status_code == 403
    assert (
        bob.post(_url(world, open_round, "open-links/"), {"organisation": police.pk}).status_code
        == 403
    )
    assert not OpenLink.objects.exists() and not AuditEntry.objects.exists()
    assert "open-links" not in bob.get(_url(world, open_round)).content.decode()
    assert "open-links" in world.client(world.alice).get(_url(world, open_round)).content.decode()


def test_the_facilitator_is_warned_of_what_an_open_link_risks(world, open_round) -> None:
    page = world.client(world.alice).get(_url(world, open_round, "open-links/")).content.decode()
    warning = re.search(r'<div class="govuk-warning-text">.*?</div>', page, re.S).group(0)
    assert "cannot tell real answers from made-up ones" in warning
    assert "minimum group size of 5" in warning


# ------------------------------------ (c) one channel per organisation


@pytest.fixture
def one_real_person(world, open_round, mailbox) -> Invitation:
    """Alice invites the one person of a small organisation, who answers."""
    _invite(world, open_round, "only@agewell.example, Age Well Northshire")
    _answer(LINK.search(mailbox.body(mailbox.wait_for(1)[0])).group(1))
    return Invitation.objects.get(email="only@agewell.example")


def test_an_open_link_cannot_pad_an_organisation_that_answers_by_invitation(
    world, open_round, one_real_person
):
    agewell = world.org("Age Well Northshire")
    page = world.client(world.alice).post(
        _url(world, open_round, "open-links/"), {"organisation": agewell.pk}
    )
    assert page.status_code == 400
    text = page.content.decode()
    assert (
        "Age Well Northshire already answers through private invitations in this round, "
        "so it cannot have an open link as well" in text
    )
    assert "work out a person&#x27;s answers from the difference" in text
    assert "/o/" not in text
    assert not OpenLink.objects.exists() and not AuditEntry.objects.exists()
    # Before choosing, the page already says which organisations cannot have a link.
    choices = world.client(world.alice).get(_url(world, open_round, "open-links/"))
    assert (
        "Answers through private invitations: it cannot have an open link in this round."
        in choices.content.decode()
    )


def test_an_import_cannot_pad_an_organisation_that_answers_by_invitation(
    world, open_round, one_real_person
):
    rows = [_row(f"fake{i}", "Age Well Northshire") for i in range(4)] + [
        _row("cop", "Northshire Police")
    ]
    upload = SimpleUploadedFile("fakes.csv", _csv(rows), content_type="text/csv")
    page = world.client(world.alice).post(_url(world, open_round, "import/"), {"responses": upload})
    assert page.status_code == 400
    text = page.content.decode()
    for row in (2, 3, 4, 5):  # every refused row is listed; the police row is not
        assert (
            f"fakes.csv row {row}, column organisation: "
            "Age Well Northshire already answers through private invitations" in text
        )
    assert "fakes.csv row 6" not in text
    assert Response.objects.count() == 1  # only the real person's answers
    assert not AuditEntry.objects.exists()


def test_nobody_can_be_invited_into_an_organisation_with_an_open_link(
    world, open_round, mailbox
) -> None:
    services.create_open_link(open_round, world.org("Age Well Northshire"), by=world.alice)
    page = _invite(
        world,
        open_round,
        "new@agewell.example, Age Well Northshire\ncop@example.org, Northshire Police",
    )
    assert page.status_code == 200
    assert (
        "Age Well Northshire already answers through an open link in this round, "
        "so nobody from it can be invited privately as well" in page.content.decode()
    )
    assert not Invitation.objects.exists()  # nobody, not even the police officer
    assert mailbox.messages == []


def test_imported_organisations_take_no_invitations_or_open_links_but_more_imports(
    world, open_round
) -> None:
    alice = world.client(world.alice)
    rows = [_row(f"r{i}", "Northshire Police") for i in range(3)]
    alice.post(
        _url(world, open_round, "import/"), {"responses": SimpleUploadedFile("a.csv", _csv(rows))}
    )
    assert Response.objects.filter(channel=Channel.IMPORT).count() == 3
    police = world.org("Northshire Police")
    refused = alice.post(_url(world, open_round, "open-links/"), {"organisation": police.pk})
    assert "already answers through imported answers" in refused.content.decode()
    refused = _invite(world, open_round, "cop@example.org, Northshire Police")
    assert "already answers through imported answers" in refused.content.decode()
    more = [_row(f"s{i}", "Northshire Police") for i in range(2)]
    alice.post(
        _url(world, open_round, "import/"), {"responses": SimpleUploadedFile("b.csv", _csv(more))}
    )
    assert Response.objects.filter(channel=Channel.IMPORT).count() == 5


def test_invitations_made_but_unanswered_still_fix_the_channel(world, open_round, mailbox) -> None:
    # The invitee holds a live link and can answer at any time, so the rule holds before any answer.
    _invite(world, open_round, "later@agewell.example, Age Well Northshire")
    with pytest.raises(services.ChannelRefused):
        services.create_open_link(open_round, world.org("Age Well Northshire"))
    # More people by invitation, and an open link for another organisation, are fine.
    _invite(world, open_round, "also@agewell.example, Age Well Northshire")
    assert Invitation.objects.filter(organisation=world.org("Age Well Northshire")).count() == 2
    services.create_open_link(open_round, world.org("Northshire County Council"))


# ------------------------------- (d) open-link answers, counted for everyone


def test_answers_through_an_open_link_are_counted_for_every_member(world, open_round) -> None:
    alice = world.client(world.alice)
    agewell = world.org("Age Well Northshire")
    made = alice.post(
        _url(world, open_round, "open-links/"), {"organisation": agewell.pk}
    ).content.decode()
    token = re.search(r"/o/([A-Za-z0-9_-]{43})/", made).group(1)
    for _ in range(3):
        _answer(token, open_link=True)
    assert set(Response.objects.values_list("channel", flat=True)) == {Channel.OPEN_LINK}
    page = world.client(world.carol).get(_url(world, open_round)).content.decode()
    total = re.search(r"Answers through open links</dt><dd[^>]*>([^<]*)</dd>", page).group(1)
    assert total.startswith("3 (open link for 1 organisation, made 1 time)")
    row = re.search(r"<th[^>]*>Age Well Northshire</th>(.*?)</tr>", page, re.S).group(1)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
    assert cells == ["An open link", "0", "0", "3", "0"]


# ------------------------------------------------------ (e) the audit log


def test_the_audit_log_has_each_open_link_and_a_daily_count_of_its_answers(
    world, open_round
) -> None:
    agewell = world.org("Age Well Northshire")
    token = services.create_open_link(open_round, agewell, by=world.alice)
    _answer(token, open_link=True)
    _answer(token, open_link=True)
    made = AuditEntry.objects.get(what="open_link_made")
    assert (made.user, made.organisation, made.round) == (world.alice, agewell, open_round)
    answers = AuditEntry.objects.get(what="open_link_answers")
    assert answers.user is None and answers.count == 2
    # Coarse time: the day, not the moment; and no column leads to a response.
    assert (answers.at.hour, answers.at.minute, answers.at.second, answers.at.microsecond) == (
        0,
        0,
        0,
        0,
    )
    assert not [f for f in AuditEntry._meta.get_fields() if f.related_model is Response]
    response_ids = {str(pk) for pk in Response.objects.values_list("id", flat=True)}
    assert not response_ids & {str(v) for v in AuditEntry.objects.values_list(flat=True)}
    log = world.client(world.carol).get(_url(world, open_round, "log/")).content.decode()
    assert "Made an open link" in log and "Alice Adams" in log
    assert "2 answers through the open link that day" in log


def test_an_import_is_written_to_the_audit_log_as_counts(world, open_round) -> None:
    rows = [_row(f"r{i}", "Northshire Police") for i in range(3)] + [
        _row("a", "Age Well Northshire")
    ]
    world.client(world.alice).post(
        _url(world, open_round, "import/"), {"responses": SimpleUploadedFile("a.csv", _csv(rows))}
    )
    entries = {
        e.organisation.name: (e.count, e.user) for e in AuditEntry.objects.filter(what="imported")
    }
    assert entries == {
        "Northshire Police": (3, world.alice),
        "Age Well Northshire": (1, world.alice),
    }
    log = world.client(world.bob).get(_url(world, open_round, "log/")).content.decode()
    assert "Imported 3 answers" in log


# ------------------------------------------- (f) a round of 20,000 people


def _invite_many(survey_round: Round, count: int, start_at: int = 0) -> None:
    organisations = list(survey_round.partnership.organisations.order_by("name"))
    Invitation.objects.bulk_create(
        (
            Invitation(
                round=survey_round,
                organisation=organisations[i % len(organisations)],
                email=f"person{i:06d}@example.org",
                token_hash=f"{survey_round.pk:08x}{i:056x}",
            )
            for i in range(start_at, start_at + count)
        ),
        batch_size=2000,
    )


def test_the_round_page_of_20000_people_is_bounded_in_queries_and_size(
    world, open_round, django_assert_max_num_queries
) -> None:
    alice = world.client(world.alice)
    _invite_many(open_round, 120)
    with CaptureQueriesContext(connection) as few:
        small = alice.get(_url(world, open_round)).content.decode()
    _invite_many(open_round, 19_880, start_at=120)
    with django_assert_max_num_queries(25) as captured:
        big = alice.get(_url(world, open_round)).content.decode()
    # The same queries for 120 people as for 20,000: none is made per person.
    assert len(captured.captured_queries) == len(few.captured_queries)
    assert "People invited: 1 to 50 of 20000" in big and "Page 1 of 400" in big
    assert big.count("@example.org</td>") == 50
    # Only digits change: 120 -> 20000, 3 pages -> 400, 30 -> 5000 per organisation.
    assert abs(len(big) - len(small)) < 40
    # Counts group each table by organisation for this round; no query joins
    # invitations with responses.
    for query in captured.captured_queries:
        sql = query["sql"].lower()
        assert not ("surveys_invitation" in sql and "surveys_response" in sql), sql
    page_two = alice.get(_url(world, open_round) + "?page=2").content.decode()
    assert "People invited: 51 to 100 of 20000" in page_two
    found = alice.get(_url(world, open_round) + "?q=person019999").content.decode()
    assert "person019999@example.org" in found and "1 to 1 of 1" in found


def test_a_partner_lead_finds_only_their_own_organisation_s_people(world, open_round) -> None:
    _invite_many(open_round, 400)
    page = world.client(world.bob).get(_url(world, open_round) + "?q=person").content.decode()
    assert "of 100</caption>" in page  # a quarter of 400: one organisation in four
    emails = re.findall(r"<td[^>]*>(person\d+@example.org)</td><td[^>]*>([^<]+)</td>", page)
    assert emails and {org for _, org in emails} == {"Northshire Police"}


def _at_the_same_moment(*actions) -> list[str]:
    """Run each action in its own thread and database connection, all released together."""
    from django.db import connection

    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = []

    def attempt(action) -> None:
        barrier.wait()
        try:
            action()
            outcomes.append("made")
        except services.ChannelRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_an_invitation_and_an_open_link_made_at_the_same_moment_never_both_succeed(world):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers with row locks: runs on PostgreSQL (CI)")
    survey_round = services.open_round(services.create_round(world.partnership, "Race"))
    for organisation in world.organisations.values():
        outcomes = _at_the_same_moment(
            lambda o=organisation: services.create_open_link(survey_round, o),
            lambda o=organisation: invite(survey_round, [(f"race@{o.pk}.example", o)]),
        )
        assert outcomes == ["made", "refused"], organisation.name
        has_link = OpenLink.objects.filter(round=survey_round, organisation=organisation).exists()
        invited = Invitation.objects.filter(round=survey_round, organisation=organisation).exists()
        assert has_link != invited
