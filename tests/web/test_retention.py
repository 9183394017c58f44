"""Personal data is kept only as long as needed: the downloads log for two years.

Kept copies of results (a round's PDF and workbook) go after KEPT_FILE_DAYS too.
"""

from __future__ import annotations

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from joinedup.results.models import Download, FileStatus, RoundFile
from joinedup.results.retention import AUDIT_LOG_DAYS, KEPT_FILE_DAYS
from joinedup.surveys import services

from .closing_steps import submit_answers


def test_downloads_log_entries_older_than_two_years_are_erased(world) -> None:
    now = timezone.now()
    for days in (AUDIT_LOG_DAYS + 1, AUDIT_LOG_DAYS - 1, 0):
        entry = Download.objects.create(user=world.alice, partnership=world.partnership, what="pdf")
        Download.objects.filter(pk=entry.pk).update(at=now - datetime.timedelta(days=days))
    out = io.StringIO()
    call_command("erase_expired", stdout=out)
    assert "1 downloads-log entry erased." in out.getvalue()
    ages = sorted((now - d.at).days for d in Download.objects.all())
    assert ages == [0, AUDIT_LOG_DAYS - 1]


def test_kept_result_files_made_long_ago_are_erased_and_made_again_when_asked(world) -> None:
    survey_round = services.open_round(services.create_round(world.partnership, "Spring 2027"))
    police, council = world.org("Northshire Police"), world.org("Northshire County Council")
    submit_answers(survey_round, police, 5, partners=[council])
    submit_answers(survey_round, council, 5, partners=[police])
    closed = services.close_round(survey_round, in_worker=False)
    url = f"/partnerships/{world.partnership.pk}/rounds/{closed.pk}/download/xlsx/"
    assert world.client(world.carol).get(url).status_code == 200
    kept = RoundFile.objects.get()
    now = timezone.now()

    RoundFile.objects.update(made_at=now - datetime.timedelta(days=KEPT_FILE_DAYS - 1))
    call_command("erase_expired", stdout=io.StringIO())
    assert RoundFile.objects.filter(pk=kept.pk).exists()

    RoundFile.objects.update(made_at=now - datetime.timedelta(days=KEPT_FILE_DAYS + 1))
    out = io.StringIO()
    call_command("erase_expired", stdout=out)
    assert "1 kept result file erased." in out.getvalue()
    assert not RoundFile.objects.exists()
    # Asked for again, it is made again (tasks run at once in tests).
    assert world.client(world.carol).get(url).status_code == 200
    assert RoundFile.objects.get().status == FileStatus.READY
