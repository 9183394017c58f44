"""A facilitator can delete a round, or a whole partnership, after a page that shows what goes."""

from __future__ import annotations

from joinedup.actions.models import Action
from joinedup.partnerships.models import Organisation, Partnership
from joinedup.results.models import Download, RoundFile
from joinedup.surveys import services
from joinedup.surveys.models import ClosedLink, ReportingUnit, Response, Round

from .closing_steps import submit_answers


def _closed_round(world) -> Round:
    survey_round = services.open_round(services.create_round(world.partnership, "Spring 2027"))
    police, council = world.org("Northshire Police"), world.org("Northshire County Council")
    submit_answers(survey_round, police, 5, answers=(2, 4), partners=[council])
    submit_answers(survey_round, council, 5, answers=(3,), partners=[police])
    return services.close_round(survey_round)


def test_a_facilitator_deletes_a_round_after_seeing_what_goes(world) -> None:
    closed = _closed_round(world)
    url = f"/partnerships/{world.partnership.pk}/rounds/{closed.pk}/delete/"
    for kind in ("json", "pdf"):  # the PDF is made and kept (tasks run at once in tests)
        world.client(world.alice).get(
            f"/partnerships/{world.partnership.pk}/rounds/{closed.pk}/download/{kind}/"
        )
    assert RoundFile.objects.filter(round=closed).exists()
    Action.objects.create(
        partnership=world.partnership, area="focus", title="Talk", started_from=closed
    )
    page = world.client(world.alice).get(url).content.decode()
    assert "Delete Spring 2027?" in page
    assert "Survey responses</dt>" in page and ">10</dd>" in page
    assert "Entries in the downloads log" in page
    assert "1 action in the plan started from this round" in page
    assert world.client(world.alice).post(url).status_code == 302
    assert not Round.objects.filter(pk=closed.pk).exists()
    assert not Response.objects.exists()  # each with its ratings inside
    assert not ReportingUnit.objects.exists() and not ClosedLink.objects.exists()
    assert not Download.objects.filter(partnership=world.partnership).exists()
    assert not RoundFile.objects.exists()  # the kept PDF went with its round
    assert Action.objects.get(title="Talk").started_from is None  # the plan keeps it
    assert Organisation.objects.filter(partnership=world.partnership).count() == 4


def test_only_a_facilitator_may_delete_a_round(world) -> None:
    closed = _closed_round(world)
    url = f"/partnerships/{world.partnership.pk}/rounds/{closed.pk}/delete/"
    assert world.client(world.bob).post(url).status_code == 403
    assert world.client(world.carol).post(url).status_code == 403
    assert world.client(world.dave).post(url).status_code == 404
    assert Round.objects.filter(pk=closed.pk).exists()


def test_a_partnership_is_deleted_only_when_its_name_is_typed(world) -> None:
    closed = _closed_round(world)
    world.client(world.carol).get(
        f"/partnerships/{world.partnership.pk}/rounds/{closed.pk}/download/xlsx/"
    )
    assert RoundFile.objects.filter(round=closed, status="ready").exists()
    url = f"/partnerships/{world.partnership.pk}/delete/"
    page = world.client(world.alice).get(url).content.decode()
    assert "Delete Northshire?" in page
    assert "Member organisations</dt>" in page
    wrong = world.client(world.alice).post(url, {"confirm_name": "Southvale"})
    assert wrong.status_code == 400
    assert "There is a problem" in wrong.content.decode()
    assert "exactly as shown" in wrong.content.decode()
    blank = world.client(world.alice).post(url, {"confirm_name": ""})
    assert "Type the partnership" in blank.content.decode()
    assert world.client(world.bob).post(url, {"confirm_name": "Northshire"}).status_code == 403
    assert Partnership.objects.filter(pk=world.partnership.pk).exists()

    done = world.client(world.alice).post(url, {"confirm_name": " northshire "})
    assert done.status_code == 302
    assert not Partnership.objects.filter(pk=world.partnership.pk).exists()
    assert not Response.objects.filter(round__partnership_id=world.partnership.pk).exists()
    assert not Organisation.objects.filter(partnership_id=world.partnership.pk).exists()
    assert not RoundFile.objects.exists()  # no copy of its results is kept
    # Another partnership is untouched, and everyone's account stays.
    assert Partnership.objects.filter(pk=world.other.pk).exists()
    assert world.alice.__class__.objects.filter(pk=world.alice.pk).exists()
