"""The results app's slow work, run by `joinedup worker`: making a round's PDF or workbook.

The task takes ids and a key only; it is safe to run twice (see `files.make`),
so `joinedup.worker.tasks.recover` may queue it again after a worker died.
"""

from __future__ import annotations

from django_tasks import task

from . import files


@task()
def make_round_file(file_id: int, key: str) -> str:
    return files.make(file_id, key)
