"""A round's PDF report and Excel workbook are made in the worker, kept, and waited for.

Through the test client and the real task backends: the immediate one (the
file is made within the first request) and the database one (the request
only queues, and the person waits on the "being prepared" page).
"""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django_tasks_db.models import DBTaskResult

from joinedup.actions import services as actions
from joinedup.results import files
from joinedup.results.models import Download, FileStatus, RoundFile
from joinedup.surveys import services
from joinedup.surveys.models import Round

from .closing_steps import submit_answers
from .worker import run_worker, task_queue, waiting_tasks  # noqa: F401


@pytest.fixture
def closed(world) -> Round:
    survey_round = services.open_round(services.create_round(world.partnership, "Spring 2027"))
    police, council = world.org("Northshire Police"), world.org("Northshire County Council")
    submit_answers(survey_round, police, 5, answers=(2, 4), partners=[council])
    submit_answers(survey_round, council, 5, answers=(3,), partners=[police])
    return services.close_round(survey_round, in_worker=False)


def _url(world, survey_round, kind: str, tail: str = "") -> str:
    return f"/partnerships/{world.partnership.pk}/rounds/{survey_round.pk}/download/{kind}/{tail}"


def _made_tasks() -> int:
    return DBTaskResult.objects.filter(task_path__endswith="make_round_file").count()


@pytest.mark.usefixtures("task_queue")
def test_the_first_request_waits_then_the_file_is_kept_and_served_without_being_made_again(
    world, closed
) -> None:
    person = world.client(world.carol)
    first = person.get(_url(world, closed, "pdf"))
    assert first.status_code == 302
    assert first["Location"] == _url(world, closed, "pdf", "preparing/")
    assert _made_tasks() == 1 and waiting_tasks() == 1
    assert not Download.objects.exists()  # nothing was downloaded yet

    page = person.get(first["Location"]).content.decode()
    assert "Your PDF report is being prepared" in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert 'role="status"' in page and "joinedup-file-status.mjs" in page
    assert "<script>" not in page  # no inline script (CSP)
    # Asking again while it waits queues nothing more.
    person.get(_url(world, closed, "pdf"))
    person.get(_url(world, closed, "pdf", "status/"))
    assert _made_tasks() == 1

    run_worker()
    kept = RoundFile.objects.get(round=closed, kind="pdf")
    assert kept.status == FileStatus.READY and bytes(kept.content).startswith(b"%PDF-")
    status = json.loads(person.get(_url(world, closed, "pdf", "status/")).content)
    assert status["status"] == "ready" and status["heading"] == "Your PDF report is ready"
    ready = person.get(_url(world, closed, "pdf", "preparing/")).content.decode()
    assert "Download the PDF report (PDF," in ready
    assert "http-equiv" not in ready  # nothing left to wait for

    for _ in range(2):
        served = person.get(_url(world, closed, "pdf"))
        assert served.status_code == 200
        assert served["Content-Type"] == "application/pdf"
        assert served["Content-Disposition"] == (
            'attachment; filename="joinedup-northshire-spring-2027.pdf"'
        )
        assert served["Cache-Control"] == "private, no-store"
        assert served.content == bytes(kept.content)
    # Served twice from the kept bytes: no task was queued again, none made it again.
    assert _made_tasks() == 1 and waiting_tasks() == 0
    assert RoundFile.objects.get(pk=kept.pk).made_at == kept.made_at
    assert Download.objects.filter(what="pdf", user=world.carol, via="web").count() == 2


def test_with_tasks_run_at_once_the_first_request_gets_the_workbook(world, closed) -> None:
    response = world.client(world.bob).get(_url(world, closed, "xlsx"))
    assert response.status_code == 200
    assert "Scales" in openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames
    assert RoundFile.objects.get(round=closed, kind="xlsx").status == FileStatus.READY


@pytest.mark.usefixtures("task_queue")
def test_a_change_to_the_action_plan_makes_a_new_pdf_but_keeps_the_workbook(world, closed) -> None:
    person = world.client(world.alice)
    for kind in ("pdf", "xlsx"):
        person.get(_url(world, closed, kind))
    run_worker()
    before = {f.kind: (f.key, f.made_at) for f in RoundFile.objects.all()}

    actions.start_from_recommendation(closed, closed.result["recommendations"][0]["action"])
    assert person.get(_url(world, closed, "pdf")).status_code == 302  # made again
    assert person.get(_url(world, closed, "xlsx")).status_code == 200  # the plan is not in it
    assert RoundFile.objects.get(kind="pdf").status == FileStatus.WAITING
    run_worker()
    after = {f.kind: (f.key, f.made_at) for f in RoundFile.objects.all()}
    assert after["xlsx"] == before["xlsx"]
    assert after["pdf"][0] != before["pdf"][0]
    assert RoundFile.objects.filter(kind="pdf").count() == 1  # made again in place
    assert person.get(_url(world, closed, "pdf")).status_code == 200


@pytest.mark.usefixtures("task_queue")
def test_a_change_to_an_organisation_s_sector_makes_both_files_again(world, closed) -> None:
    person = world.client(world.alice)
    for kind in ("pdf", "xlsx"):
        person.get(_url(world, closed, kind))
    run_worker()
    police = world.org("Northshire Police")
    police.sector = "health"
    police.save()
    for kind in ("pdf", "xlsx"):
        assert person.get(_url(world, closed, kind)).status_code == 302
    assert waiting_tasks() == 2


@pytest.mark.usefixtures("task_queue")
def test_a_task_run_twice_makes_the_file_once(world, closed) -> None:
    world.client(world.alice).get(_url(world, closed, "pdf"))
    row = DBTaskResult.objects.get()
    run_worker()
    kept = RoundFile.objects.get()
    # A copy of the same task (as worker.tasks.recover queues) finds the file made.
    assert files.make(*row.args_kwargs["args"]) == "already made"
    assert RoundFile.objects.get().made_at == kept.made_at
    # A task for a key that has been replaced leaves the newer request's row alone.
    assert files.make(kept.pk, "0" * 64) == "superseded"


@pytest.mark.usefixtures("task_queue")
def test_a_file_that_cannot_be_made_says_why_and_can_be_tried_again(world, closed) -> None:
    # A stored result the report cannot be drawn from (as an old, damaged result might be).
    Round.objects.filter(pk=closed.pk).update(result=closed.result | {"units": "damaged"})
    person = world.client(world.carol)
    person.get(_url(world, closed, "pdf"))
    run_worker()
    kept = RoundFile.objects.get()
    assert kept.status == FileStatus.FAILED and kept.content is None
    page = person.get(_url(world, closed, "pdf", "preparing/")).content.decode()
    assert "Your PDF report could not be made" in page
    assert "Something went wrong while making the PDF report" in page
    assert "Traceback" not in page and "damaged" not in page
    assert "Try again" in page and "http-equiv" not in page
    # Visiting again does not try again on its own; the button does.
    assert person.get(_url(world, closed, "pdf")).status_code == 302
    assert waiting_tasks() == 0
    Round.objects.filter(pk=closed.pk).update(result=closed.result)  # repaired
    again = person.post(_url(world, closed, "pdf", "preparing/"))
    assert again.status_code == 302 and waiting_tasks() == 1
    run_worker()
    assert person.get(_url(world, closed, "pdf")).status_code == 200


@pytest.mark.usefixtures("task_queue")
def test_waiting_and_status_pages_keep_to_the_download_rules(world, closed) -> None:
    world.client(world.alice).get(_url(world, closed, "pdf"))
    for tail in ("", "preparing/", "status/"):
        url = _url(world, closed, "pdf", tail)
        # Dave facilitates another partnership: he learns nothing, not even a status.
        response = world.client(world.dave).get(url)
        assert response.status_code == 404
        assert b"waiting" not in response.content and b"prepared" not in response.content
        assert world.client(None).get(url).status_code == 302  # to sign in
        assert world.client(world.carol).get(url).status_code in (200, 302)
    # Facilitator-only formats stay theirs; light formats have nothing to wait for.
    assert (
        world.client(world.carol).get(_url(world, closed, "responses", "status/")).status_code
        == 403
    )
    assert (
        world.client(world.alice).get(_url(world, closed, "json", "preparing/")).status_code == 404
    )
    assert world.client(world.alice).get(_url(world, closed, "exe", "status/")).status_code == 404
    assert _made_tasks() == 1


def test_a_recompute_forgets_the_kept_files(world, closed) -> None:
    from joinedup.surveys.recompute import recompute_closed_rounds

    world.client(world.alice).get(_url(world, closed, "pdf"))
    assert RoundFile.objects.filter(round=closed).exists()
    recompute_closed_rounds([Round.objects.get(pk=closed.pk)])
    assert not RoundFile.objects.filter(round=closed).exists()


def test_a_changed_result_is_never_served_from_the_kept_file(world, closed) -> None:
    world.client(world.alice).get(_url(world, closed, "xlsx"))
    old = RoundFile.objects.get()
    changed = closed.result | {"respondents": closed.result["respondents"] + 1}
    Round.objects.filter(pk=closed.pk).update(result=changed)
    world.client(world.alice).get(_url(world, closed, "xlsx"))
    assert RoundFile.objects.get().key != old.key
