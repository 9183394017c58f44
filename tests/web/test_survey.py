"""Answering the survey through a private link: pages, saving, resuming and sending."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from joinedup.surveys import services
from joinedup.surveys.models import AuditEntry, Draft, Invitation, Response
from joinedup.surveys.tokens import token_hash
from tests.web.survey_steps import invite

from .survey_steps import INSTRUMENT, answer_everything, start, submit


@pytest.fixture
def invited(world, open_round):
    """One person invited from the council, with their private token."""
    links, _ = invite(open_round, [("sam@example.org", world.org("Northshire County Council"))])
    return links[0]


def test_the_start_page_says_what_it_is_for_how_long_and_who_sees_what(client, invited) -> None:
    page = client.get(f"/s/{invited.token}/").content.decode()
    assert "Northshire partnership survey" in page
    assert "15 minutes" in page
    assert "at least 5 people" in page  # min_group_size
    assert "at least 10 people" in page  # min_text_group_size
    assert "Northshire County Council" in page


def test_respondents_are_told_before_answering_when_their_ratings_are_shown(
    client, world, invited
) -> None:
    """SPEC §4.4: ratings are an organisation's view, from enough raters, of an own unit."""
    world.partnership.min_tie_raters = 4
    world.partnership.save()
    token = start(client, invited.token)
    for address in (f"/s/{invited.token}/", f"/s/{token}/partners/"):
        page = " ".join(client.get(address).content.decode().split())
        assert "Northshire County Council's view of each partner" in page, address
        assert "at least 4 people from your organisation rated that partner" in page, address
        assert "reported on its own" in page, address


def test_an_unknown_link_is_not_found(client, world) -> None:
    assert client.get("/s/not-a-real-token/").status_code == 404


def test_a_completed_survey_becomes_one_anonymous_response(client, world, invited) -> None:
    token = start(client, invited.token)
    assert token == invited.token
    police = world.org("Northshire Police")
    answer_everything(client, token, answer=5, partners=[police.pk], rating=4, contact=2)
    response = submit(client, token)
    assert response.status_code == 302 and response["Location"].startswith("/s/done/?p=")

    stored = Response.objects.get()
    assert stored.organisation == world.org("Northshire County Council")
    assert stored.role == "manager"
    assert stored.answers == dict.fromkeys(INSTRUMENT.item_codes, 5)
    [rating] = stored.ratings
    assert rating == {
        "partner": police.pk,
        "contact": 2,
        **dict.fromkeys(INSTRUMENT.rating_codes, 4),
    }
    assert not Draft.objects.exists()
    assert Invitation.objects.get().done is True
    assert "Answers sent" in client.get("/s/done/").content.decode()


def test_the_survey_sets_no_cookie_and_needs_no_csrf_token(world, invited, open_round) -> None:
    """The link is the respondent's only credential (survey_views.CSRF_NOTE).

    A browser that enforces CSRF checks answers and sends the whole survey,
    by invitation and by open link, without any token; and no page leaves a
    cookie behind on a shared computer.
    """
    browser = Client(enforce_csrf_checks=True)
    token = start(browser, invited.token)
    answer_everything(browser, token, answer=4)
    assert submit(browser, token).status_code == 302
    link = services.create_open_link(open_round, world.org("Age Well Northshire"))
    personal = start(browser, link, open_link=True)
    answer_everything(browser, personal, answer=3)
    assert submit(browser, personal).status_code == 302
    assert Response.objects.count() == 2
    assert not browser.cookies, dict(browser.cookies)


def test_the_stored_response_cannot_be_joined_back_to_the_invitation(client, world, invited):
    token = start(client, invited.token)
    answer_everything(client, token)
    submit(client, token)
    # The response's columns hold nothing that identifies the person or their link.
    columns = {f.column for f in Response._meta.get_fields() if hasattr(f, "column")}
    assert columns == {
        "id", "round_id", "organisation_id", "role", "answers", "text_important",
        "text_sideshow", "text_other", "imported_id", "channel",
        "unit_id",  # the reporting unit, set when the round closes
        "ratings",  # partner ids and scores only
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM surveys_response")
        row = [str(cell) for cell in cursor.fetchone()]
    invitation = Invitation.objects.get()
    for secret in (invitation.email, invitation.token_hash, invited.token):
        assert all(secret not in cell for cell in row)
    # Nor does any other table link a response to an invitation or a draft.
    for model in (Invitation, Draft, AuditEntry):
        assert not [f for f in model._meta.get_fields() if f.related_model is Response]


def test_answers_are_saved_page_by_page_and_the_same_link_resumes(world, invited) -> None:
    first_visit = Client()
    token = start(first_visit, invited.token)
    first_visit.post(f"/s/{token}/about/", {"role": "executive"})
    first_visit.post(f"/s/{token}/statements/1/", dict.fromkeys(INSTRUMENT.scales[0].items, "2"))
    # The tab is closed; later, on another device, the same link is opened.
    later = Client()
    page = later.get(f"/s/{invited.token}/").content.decode()
    assert "Continue where you left off" in page
    statements = later.get(f"/s/{token}/statements/1/").content.decode()
    assert statements.count('value="2" checked') == len(INSTRUMENT.scales[0].items)
    assert 'value="executive" checked' in later.get(f"/s/{token}/about/").content.decode()


def test_save_and_come_back_later_keeps_a_half_answered_page(client, invited) -> None:
    token = start(client, invited.token)
    first = INSTRUMENT.scales[0].items[0]
    response = client.post(f"/s/{token}/statements/1/", {first: "dk", "action": "save-and-leave"})
    assert response.status_code == 302 and response["Location"].endswith("/saved/")
    assert Draft.objects.get().answers["items"] == {first: "dk"}
    assert "Your answers have been saved" in client.get(response["Location"]).content.decode()


def test_a_page_with_an_unanswered_statement_shows_the_error_beside_it_and_in_a_summary(
    client, invited
) -> None:
    token = start(client, invited.token)
    items = INSTRUMENT.scales[0].items
    page = client.post(f"/s/{token}/statements/1/", {items[0]: "4"}).content.decode()
    assert "There is a problem" in page
    assert f'href="#id_{items[1]}_0"' in page  # the summary links to the field
    assert "govuk-form-group--error" in page
    # Each message names its statement, beside the field and in the summary.
    second = INSTRUMENT.items[[i.code for i in INSTRUMENT.items].index(items[1])].text
    message = f"Choose how far you agree that “{' '.join(second.rstrip('.').split()[:8])}"
    assert page.count(message) == 2
    assert page.count("Choose how far you agree that") == 2 * (len(items) - 1)
    assert "<title>Error: " in page


def test_answers_cannot_be_sent_until_every_statement_is_answered(client, invited) -> None:
    token = start(client, invited.token)
    page = submit(client, token).content.decode()
    assert "There is a problem" in page
    assert not Response.objects.exists()


def test_sending_twice_from_two_tabs_stores_exactly_one_response(client, world, invited):
    token = start(client, invited.token)
    answer_everything(client, token)
    other_tab = Client()
    assert submit(client, token).status_code == 302
    again = submit(other_tab, token)
    assert Response.objects.count() == 1
    assert "already been sent" in again.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_store_one_response(world) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers with row locks: runs on PostgreSQL (CI)")
    survey_round = services.open_round(services.create_round(world.partnership, "Race"))
    links, _ = invite(survey_round, [("race@example.org", world.org("Northshire Police"))])
    client = Client()
    token = start(client, links[0].token)
    answer_everything(client, token)
    outcomes: list[str] = []

    def send() -> None:
        try:
            services.submit(token)
            outcomes.append("sent")
        except services.SurveyError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Response.objects.filter(round=survey_round).count() == 1
    assert sorted(outcomes) == ["refused", "sent"]


def test_a_round_closed_while_someone_answers_tells_them_and_keeps_what_it_holds(
    client, world, open_round, invited
) -> None:
    earlier, _ = invite(open_round, [("early@example.org", world.org("Northshire Police"))])
    early_client = Client()
    early = start(early_client, earlier[0].token)
    answer_everything(early_client, early)
    submit(early_client, early)

    token = start(client, invited.token)
    answer_everything(client, token)
    services.close_round(open_round)

    page = submit(client, token)
    assert page.status_code == 410
    assert "This survey has closed" in page.content.decode()
    assert client.get(f"/s/{token}/statements/1/").status_code == 410
    assert Response.objects.filter(round=open_round).count() == 1  # the earlier answers remain
    assert not Draft.objects.exists()  # unsent answers are not kept


def test_an_open_link_gives_each_person_their_own_link(world, open_round) -> None:
    token = services.create_open_link(open_round, world.org("Age Well Northshire"))
    first, second = Client(), Client()
    mine = start(first, token, open_link=True)
    theirs = start(second, token, open_link=True)
    assert len({mine, theirs, token}) == 3
    answer_everything(first, mine)
    submit(first, mine)
    assert Response.objects.get().organisation == world.org("Age Well Northshire")
    assert Draft.objects.filter(token_hash=token_hash(theirs)).exists()


def test_changing_partners_from_check_your_answers_asks_for_the_new_ratings(
    client, world, invited
) -> None:
    token = start(client, invited.token)
    police, trust = world.org("Northshire Police"), world.org("Northshire NHS Foundation Trust")
    answer_everything(client, token, partners=[police.pk])
    response = client.post(
        f"/s/{token}/partners/?change=1", {"partners": [str(police.pk), str(trust.pk)]}
    )
    assert response["Location"] == f"/s/{token}/partners/{trust.pk}/"


def test_the_check_page_lists_every_answer_with_a_change_link(client, world, invited) -> None:
    token = start(client, invited.token)
    answer_everything(client, token, answer="dk", comments={"TEXT_IMPORTANT": "Hospital discharge"})
    page = client.get(f"/s/{token}/check/").content.decode()
    assert page.count("Don&#x27;t know") == len(INSTRUMENT.item_codes)
    assert "Hospital discharge" in page
    assert page.count("?change=1") >= len(INSTRUMENT.scales) + 3


def test_every_survey_page_renders_for_a_phone_sized_screen_without_javascript(
    client, world, invited
) -> None:
    token = start(client, invited.token)
    police = world.org("Northshire Police")
    answer_everything(client, token, partners=[police.pk])
    pages = ["about/", "partners/", f"partners/{police.pk}/", "comments/", "check/"]
    pages += [f"statements/{n}/" for n in range(1, len(INSTRUMENT.scales) + 1)]
    for page in pages:
        response = client.get(f"/s/{token}/{page}")
        assert response.status_code == 200, page
        html = response.content.decode()
        assert 'name="viewport"' in html and "govuk-back-link" in html
        assert "<script" not in html.split("</main>")[0].split("<main")[1]  # no script needed


def test_respondents_can_choose_several_partners_with_checkboxes(client, world, invited) -> None:
    token = start(client, invited.token)
    page = client.get(f"/s/{token}/partners/").content.decode()
    assert page.count('type="checkbox"') == 3  # every other organisation
    assert 'type="radio"' not in page
    chosen = [world.org("Northshire Police").pk, world.org("Age Well Northshire").pk]
    client.post(f"/s/{token}/partners/", {"partners": [str(p) for p in chosen]})
    assert sorted(Draft.objects.get().answers["partners"]) == sorted(chosen)


def test_a_tab_saving_over_a_draft_another_tab_changed_keeps_both_pages(
    client, world, invited
) -> None:
    """Each save writes the draft as its request read it only if nobody saved since."""
    token = start(client, invited.token)
    first_tab = Draft.objects.get(token_hash=token_hash(token))
    second_tab = Draft.objects.get(token_hash=token_hash(token))  # read at the same moment
    one, two = INSTRUMENT.scales[0].items, INSTRUMENT.scales[1].items
    services.save_draft(first_tab, {"items": dict.fromkeys(one, 4)})
    services.save_draft(second_tab, {"items": dict.fromkeys(two, 2)})  # stale: merged afresh
    items = Draft.objects.get(token_hash=token_hash(token)).answers["items"]
    assert {code: items[code] for code in one} == dict.fromkeys(one, 4)
    assert {code: items[code] for code in two} == dict.fromkeys(two, 2)
    services.save_draft(first_tab, {"items": {one[0]: 1}})  # stale again: the rest survives
    items = Draft.objects.get(token_hash=token_hash(token)).answers["items"]
    assert items[one[0]] == 1 and items[two[0]] == 2


def test_a_save_from_a_tab_opened_before_the_answers_were_sent_is_refused(
    client, world, invited
) -> None:
    token = start(client, invited.token)
    answer_everything(client, token)
    stale = Draft.objects.get(token_hash=token_hash(token))
    assert submit(client, token).status_code == 302
    with pytest.raises(services.SurveyError):
        services.save_draft(stale, {"role": INSTRUMENT.roles[0].code})
    assert not Draft.objects.exists()
