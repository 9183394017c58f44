"""A round's slow downloads (PDF report, Excel workbook): made in the worker, kept, served.

A 40-organisation PDF takes WeasyPrint about 4 seconds, too long for a web
request and wasteful to repeat. So each is made once by `joinedup worker`
(`tasks.make_round_file`) and kept in a `RoundFile` row under a key: a hash
of everything the file is made from (the stored result and the revision
that made it, the action plan's status, organisations' sectors, the
partnership's and round's names, the previous round's result, and the code
and words that write it). Any change there gives another key, and the next
request makes the file afresh in the same row; the old bytes go.

`request_file` is what the download pages call: it returns the kept row,
queueing one task when there is nothing for today's key (never a second
one for the same key). The task is safe to run twice: it does nothing when
the row already holds its key's file, or when the row has moved on to a
newer key, whose own task is queued.

The light formats (CSV, GraphML, JSON, anonymised responses) are still
built in the request by `services.build_download`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

import joinedup
from joinedup.reports.report import ReportOptions, render_pdf
from joinedup.surveys.models import Round

from .models import FileStatus, RoundFile

logger = logging.getLogger(__name__)

# The formats made in the worker and kept; the others are built in the request.
KEPT_FORMATS = ("pdf", "xlsx")
# Raise to make every kept file again without a change to the sources below.
FILES_VERSION = "1"
PACKAGE = Path(joinedup.__file__).parent

FAILED_REASON = {
    "pdf": "Something went wrong while making the PDF report, so there is no file yet.",
    "xlsx": "Something went wrong while making the Excel workbook, so there is no file yet.",
}


@cache
def sources_digest() -> str:
    """A hash of the code, templates and words a kept file is written by.

    Read once per process: a new release with a changed chart, template or
    wording makes every file afresh when it is next asked for.
    """
    digest = hashlib.sha256()
    for folder in ("reports", "analysis", "instrument"):
        for path in sorted((PACKAGE / folder).rglob("*")):
            if path.suffix in {".py", ".j2", ".css", ".toml"} and path.is_file():
                digest.update(str(path.relative_to(PACKAGE)).encode("utf-8"))
                digest.update(path.read_bytes())
    for name in ("files.py", "services.py"):
        digest.update((PACKAGE / "results" / name).read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Recipe:
    """Everything one kept file is made from, read from the database once.

    The key and the file come from the same values, so a file is never kept
    under a key that describes anything other than what it shows.
    """

    kind: str
    result: dict[str, Any]
    revision: int
    options: ReportOptions

    def key(self) -> str:
        options = dataclasses.asdict(self.options)
        options.pop("generated")  # the day it was made, printed on the cover
        described = [
            FILES_VERSION,
            sources_digest(),
            self.kind,
            self.revision,
            self.result,
            options,
        ]
        text = json.dumps(described, sort_keys=True, default=str, ensure_ascii=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def make(self) -> bytes:
        """Write the file: seconds for a large partnership's PDF."""
        from . import services

        if self.kind == "pdf":
            return render_pdf(self.result, self.options)
        if self.kind == "xlsx":
            return services.workbook_bytes(
                self.result, self.options.sectors or {}, self.options.partnership
            )
        raise ValueError(f"{self.kind} is not a kept format")


def recipe(survey_round: Round, kind: str) -> Recipe:
    """What the `kind` file of a closed round is made from today."""
    from . import services

    assert survey_round.result is not None, "only a closed round has files"
    if kind == "pdf":
        # The PDF carries the action plan's status; the workbook does not.
        options = services.report_options(survey_round, with_plan=True)
    elif kind == "xlsx":
        options = ReportOptions(
            partnership=survey_round.partnership.name,
            sectors=services.sectors(survey_round.partnership, survey_round),
        )
    else:
        raise ValueError(f"{kind} is not a kept format")
    return Recipe(kind, survey_round.result, survey_round.result_revision, options)


def request_file(survey_round: Round, kind: str, again: bool = False) -> RoundFile:
    """The kept `kind` file of a closed round, with one task queued if it must be made.

    Returns the row as it stands: ready (serve it), waiting or being made
    (show the waiting page), or failed. A failed file is tried again only
    when asked (`again`, the "Try again" button), so a file that cannot be
    made is not attempted on every visit. With a backend that runs tasks at
    once, the row comes back ready (or failed).
    """
    from .tasks import make_round_file

    key = recipe(survey_round, kind).key()
    now = timezone.now()
    with transaction.atomic():
        kept, created = RoundFile.objects.select_for_update().get_or_create(
            round=survey_round, kind=kind, defaults={"key": key, "requested_at": now}
        )
        queue = created
        if kept.key != key or (again and kept.status == FileStatus.FAILED):
            # Start again in place: the old bytes describe something that changed.
            RoundFile.objects.filter(pk=kept.pk).update(
                key=key,
                status=FileStatus.WAITING,
                content=None,
                reason="",
                requested_at=now,
                made_at=None,
            )
            queue = True
        if queue:
            make_round_file.enqueue(kept.pk, key)
    kept.refresh_from_db()
    return kept


def make(file_id: int, key: str) -> str:
    """Make one kept file (in the worker); safe to run twice, or after a newer request.

    Returns what happened, for the task's result. A failure is kept on the
    row as a plain sentence; the traceback goes to the log only.
    """
    kept = RoundFile.objects.select_related("round__partnership").filter(pk=file_id).first()
    if kept is None:
        return "gone"  # the round was deleted
    if kept.key != key:
        return "superseded"  # a newer request queued its own task
    if kept.status == FileStatus.READY:
        return "already made"
    RoundFile.objects.filter(pk=file_id, key=key).update(status=FileStatus.MAKING, reason="")
    try:
        wanted = recipe(kept.round, kept.kind)
        made_key = wanted.key()
        content = wanted.make()
    except Exception:
        logger.exception("Could not make the %s of round %s", kept.kind, kept.round_id)
        RoundFile.objects.filter(pk=file_id, key=key).update(
            status=FileStatus.FAILED, reason=FAILED_REASON.get(kept.kind, "")
        )
        return "failed"
    # What changed since the request (say, the plan) is in the file and so in
    # made_key: kept under that key, unless a newer request has moved the row on.
    stored = RoundFile.objects.filter(pk=file_id, key__in={key, made_key}).update(
        key=made_key,
        status=FileStatus.READY,
        content=content,
        reason="",
        made_at=timezone.now(),
    )
    return "made" if stored else "superseded"


def forget_round_files(rounds: list[Any]) -> int:
    """Delete the kept files of these rounds (their results were recomputed); how many went.

    Takes the model from the rounds' own registry, so that a data migration
    passing historical rounds works, and does nothing when that registry has
    no kept files yet. The key holds the result anyway; this only frees space.
    """
    if not rounds:
        return 0
    try:
        model = rounds[0]._meta.apps.get_model("results", "RoundFile")
    except LookupError:
        return 0
    deleted, _ = model.objects.filter(round__in=[r.pk for r in rounds]).delete()
    return int(deleted)
