"""Creating a partnership, changing its name, its privacy thresholds, and its overview."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from joinedup.accounts.models import User
from joinedup.partnerships.models import Membership, Partnership, Role


def page(name: str, world: Any, *args: int) -> str:
    return reverse(name, args=[world.partnership.pk, *args])


# ------------------------------------------------------------ creating


def test_the_list_links_to_setting_up_a_new_one_only_for_people_allowed_to(world: Any) -> None:
    new = reverse("partnerships:new")
    assert new not in world.client(world.carol).get(reverse("partnerships:list")).content.decode()
    User.objects.filter(pk=world.carol.pk).update(can_create_partnerships=True)
    assert new in world.client(world.carol).get(reverse("partnerships:list")).content.decode()


def test_without_the_permission_setting_up_a_partnership_is_refused_plainly(world: Any) -> None:
    # Carol is a viewer: before, she could start a partnership of her own and send
    # unlimited invitations from it.
    client = world.client(world.carol)
    for response in (
        client.get(reverse("partnerships:new")),
        client.post(reverse("partnerships:new"), {"name": "Carol's own"}),
    ):
        assert response.status_code == 403
        assert "only people the site's operators have allowed" in response.content.decode()
    assert not Partnership.objects.filter(name="Carol's own").exists()


@pytest.mark.django_db
def test_someone_allowed_sets_up_a_partnership_and_becomes_its_facilitator() -> None:
    from django.test import Client

    erin = User.objects.create_user("erin@example.org", None, can_create_partnerships=True)
    client = Client()
    client.force_login(erin, backend="joinedup.accounts.backends.EmailBackend")
    response = client.post(
        reverse("partnerships:new"),
        {"name": "  Eastmoor Together ", "description": "Councils and the NHS in Eastmoor."},
    )
    partnership = Partnership.objects.get(name="Eastmoor Together")
    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:overview", args=[partnership.pk])
    assert partnership.description == "Councils and the NHS in Eastmoor."
    membership = Membership.objects.get(partnership=partnership)
    assert (membership.user, membership.role) == (erin, Role.FACILITATOR)
    overview = client.get(response["Location"])
    assert "you are its facilitator" in overview.content.decode()


def test_a_partnership_needs_a_name(world: Any) -> None:
    User.objects.filter(pk=world.carol.pk).update(can_create_partnerships=True)
    response = world.client(world.carol).post(reverse("partnerships:new"), {"name": "  "})
    assert response.status_code == 200
    assert "Enter the name of the partnership" in response.content.decode()
    assert "Error: " in response.content.decode().split("</title>")[0]
    assert Partnership.objects.count() == 2


def test_signed_out_visitors_cannot_set_up_a_partnership(world: Any) -> None:
    response = world.client(None).post(reverse("partnerships:new"), {"name": "Anonymous"})
    assert response.status_code == 302
    assert not Partnership.objects.filter(name="Anonymous").exists()


# ------------------------------------------------------------- editing


def test_the_facilitator_changes_the_name_and_description(world: Any) -> None:
    alice = world.client(world.alice)
    form = alice.get(page("partnerships:edit", world)).content.decode()
    assert 'value="Northshire"' in form
    response = alice.post(
        page("partnerships:edit", world),
        {"name": "Northshire Together", "description": "Working as one county."},
    )
    assert response.status_code == 302
    world.partnership.refresh_from_db()
    assert world.partnership.name == "Northshire Together"
    assert world.partnership.description == "Working as one county."


def test_the_name_cannot_be_blanked(world: Any) -> None:
    response = world.client(world.alice).post(
        page("partnerships:edit", world), {"name": "", "description": ""}
    )
    assert "Enter the name of the partnership" in response.content.decode()
    world.partnership.refresh_from_db()
    assert world.partnership.name == "Northshire"


# ---------------------------------------------------------- thresholds


def test_the_thresholds_page_explains_each_threshold_in_plain_english(world: Any) -> None:
    text = world.client(world.alice).get(page("partnerships:settings", world)).content.decode()
    assert "combined into “Other organisations” and never shown on their own" in text
    assert "At least 3" in text
    assert "reported as their organisation’s view" in text
    assert "only for the whole partnership, never by organisation" in text
    # The current values are in the boxes.
    assert 'name="min_group_size" type="text" value="5"' in text
    assert 'name="min_text_group_size" type="text" value="10"' in text


def test_the_tie_raters_setting_says_what_it_protects_and_why_never_below_2(world: Any) -> None:
    text = world.client(world.alice).get(page("partnerships:settings", world)).content.decode()
    assert "This protects the people who rated" in text
    assert "It is never below 2, because with one rater the view shown would be" in text
    assert "the view of an organisation combined into “Other organisations” is never shown" in text
    assert "Most partnerships use 3." in text
    assert 'name="min_tie_raters" type="text" value="3"' in text


def test_a_new_partnership_needs_3_raters_for_a_view_of_a_partner(world: Any) -> None:
    User.objects.filter(pk=world.carol.pk).update(can_create_partnerships=True)
    world.carol.refresh_from_db()
    response = world.client(world.carol).post(
        reverse("partnerships:new"), {"name": "Southshire", "description": ""}
    )
    assert response.status_code == 302
    assert Partnership.objects.get(name="Southshire").min_tie_raters == 3


def test_the_facilitator_saves_new_thresholds(world: Any) -> None:
    response = world.client(world.alice).post(
        page("partnerships:settings", world),
        {"min_group_size": "7", "min_tie_raters": "2", "min_text_group_size": "12"},
    )
    assert response.status_code == 302
    world.partnership.refresh_from_db()
    assert (
        world.partnership.min_group_size,
        world.partnership.min_tie_raters,
        world.partnership.min_text_group_size,
    ) == (7, 2, 12)


TIE_RATERS_TOO_LOW = (
    "Enter a whole number of 2 or more: with fewer, one person’s ratings of a partner "
    "would be shown as their own answers"
)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"min_group_size": "2"}, "Enter a whole number of 3 or more"),
        ({"min_group_size": "five"}, "Enter a whole number of 3 or more"),
        ({"min_group_size": "4.5"}, "Enter a whole number of 3 or more"),
        ({"min_group_size": ""}, "Enter a whole number of 3 or more"),
        ({"min_group_size": "51"}, "Enter a whole number of 50 or fewer"),
        ({"min_tie_raters": "0"}, TIE_RATERS_TOO_LOW),
        ({"min_tie_raters": "1"}, TIE_RATERS_TOO_LOW),
        ({"min_text_group_size": "2"}, "Enter a whole number of 3 or more"),
    ],
)
def test_thresholds_out_of_range_are_refused_with_a_message_saying_what_to_enter(
    world: Any, values: dict[str, str], message: str
) -> None:
    data = {"min_group_size": "5", "min_tie_raters": "3", "min_text_group_size": "10", **values}
    response = world.client(world.alice).post(page("partnerships:settings", world), data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    field = next(iter(values))
    assert f'href="#id_{field}">{message}</a>' in text  # the summary links to the box
    world.partnership.refresh_from_db()
    assert (world.partnership.min_group_size, world.partnership.min_tie_raters) == (5, 3)


# ------------------------------------------------------------ overview


def test_the_overview_links_a_facilitator_to_every_set_up_page(world: Any) -> None:
    text = world.client(world.alice).get(page("partnerships:overview", world)).content.decode()
    for name in (
        "partnerships:edit",
        "partnerships:settings",
        "partnerships:organisations",
        "partnerships:people",
    ):
        assert f'href="{page(name, world)}"' in text, name
    assert f'href="{reverse("surveys:new-round", args=[world.partnership.pk])}"' in text
    assert "New survey round" in text


def test_the_overview_shows_a_viewer_who_runs_the_partnership_but_no_set_up_links(
    world: Any,
) -> None:
    text = world.client(world.carol).get(page("partnerships:overview", world)).content.decode()
    assert "Alice Adams" in text
    assert "alice@example.org" in text
    assert f'href="{page("partnerships:organisations", world)}"' in text
    for name in ("partnerships:edit", "partnerships:settings", "partnerships:people"):
        assert page(name, world) not in text, name
    assert reverse("surveys:new-round", args=[world.partnership.pk]) not in text


def test_the_overview_tells_a_partner_lead_their_organisation(world: Any) -> None:
    text = world.client(world.bob).get(page("partnerships:overview", world)).content.decode()
    assert "the partner lead for Northshire Police" in text


def test_the_overview_shows_everyone_the_thresholds(world: Any) -> None:
    world.partnership.min_group_size = 8
    world.partnership.save()
    text = world.client(world.carol).get(page("partnerships:overview", world)).content.decode()
    assert "8 people. Organisations with fewer respondents are combined" in text
