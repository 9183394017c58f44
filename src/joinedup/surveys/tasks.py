"""The surveys app's slow work, run by `joinedup worker` (Django's tasks interface).

Each task takes ids only: a task row never holds an address or a link's
token (the sending task makes its token itself, see `sending.py`).
Every task here can run twice safely, which is what lets `joinedup.worker.tasks.recover` queue
again a task whose worker died under it.
"""

from __future__ import annotations

from django_tasks import task

from . import sending, services


@task()
def send_invitation_email(invitation_id: int) -> str:
    return sending.send_one(invitation_id)


@task()
def close_round_task(round_id: int) -> str:
    return services.finish_close(round_id)
