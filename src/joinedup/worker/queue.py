"""Queueing many tasks at once: one INSERT per thousand, not one per task.

A facilitator's upload of 20,000 people queues 20,000 e-mails in the
request; the task backend's `enqueue` writes one row per call, which took
over a minute at that size. With the database backend (production) the rows
are written with `bulk_create`, each the row `enqueue` would have written;
any other backend (tests run tasks at once) gets one `enqueue` per task.
Either way each task stays its own unit of work for the worker.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.db import connections
from django_tasks.base import Task, TaskResultStatus

logger = logging.getLogger(__name__)
BATCH_SIZE = 1000
ANALYZE_FROM = 1000  # tasks queued at once, from which PostgreSQL's statistics are renewed


def enqueue_each(task: Task[Any, Any], ids: Sequence[int]) -> int:
    """Queue `task(id)` once for each of `ids` (tasks take ids only); returns how many.

    Call inside the transaction that stores what the tasks will act on, so
    that both are kept or neither is.
    """
    from django_tasks_db.backend import DatabaseBackend

    backend = task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        for pk in ids:
            task.enqueue(pk)
        return len(ids)

    from django_tasks_db.compat import normalize_json
    from django_tasks_db.models import DBTaskResult, get_date_max

    backend.validate_task(task)
    run_after = task.run_after or get_date_max()  # what the model's pre_save would set
    if connections[DBTaskResult.objects.db].vendor == "postgresql":
        return _insert_postgresql(task, backend.alias, run_after, ids)
    rows = [
        DBTaskResult(
            args_kwargs=normalize_json({"args": [pk], "kwargs": {}}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=run_after,
            backend_name=backend.alias,
        )
        for pk in ids
    ]
    DBTaskResult.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    logger.info("Queued %d tasks %s", len(rows), task.module_path)
    return len(rows)


def _insert_postgresql(task: Task[Any, Any], alias: str, run_after: Any, ids: Sequence[int]) -> int:
    """The same rows in one INSERT from an array: the ORM's work per value was most of the time.

    Every column the model has is given, with what `enqueue` would store:
    arguments `{"args": [id], "kwargs": {}}`, a random UUID, the defaults.
    """
    from django_tasks_db.models import DBTaskResult

    if not ids:
        return 0
    column = {field.name: field.column for field in DBTaskResult._meta.concrete_fields}
    values = {
        "id": "gen_random_uuid()",
        "args_kwargs": "jsonb_build_object('args', jsonb_build_array(n), 'kwargs', '{}'::jsonb)",
        "status": "%s",
        "enqueued_at": "now()",
        "started_at": "NULL",
        "finished_at": "NULL",
        "priority": "%s",
        "task_path": "%s",
        "worker_ids": "'[]'::jsonb",
        "queue_name": "%s",
        "backend_name": "%s",
        "run_after": "%s",
        "return_value": "NULL",
        "exception_class_path": "''",
        "traceback": "''",
    }
    if set(values) != set(column):  # a new version of the backend changed its table
        raise RuntimeError(f"The task table's columns are not the ones expected: {sorted(column)}")
    names = ", ".join(f'"{column[name]}"' for name in values)
    sql = (
        f'INSERT INTO "{DBTaskResult._meta.db_table}" ({names}) '
        f"SELECT {', '.join(values.values())} FROM unnest(%s::bigint[]) AS n"
    )
    parameters = [
        TaskResultStatus.READY,
        task.priority,
        task.module_path,
        task.queue_name,
        alias,
        run_after,
        list(ids),
    ]
    with connections[DBTaskResult.objects.db].cursor() as cursor:
        cursor.execute(sql, parameters)
        if len(ids) >= ANALYZE_FROM:
            # The worker takes each task with "the first ready row in order"; with
            # statistics from before thousands of rows arrived, PostgreSQL sorts
            # them all for every task (50 ms each) until autovacuum catches up.
            # A small sample is enough to see the many ready rows, and keeps it quick.
            cursor.execute("SET LOCAL default_statistics_target = 10")
            cursor.execute(f'ANALYZE "{DBTaskResult._meta.db_table}"')
            cursor.execute("SET LOCAL default_statistics_target = DEFAULT")
    logger.info("Queued %d tasks %s", len(ids), task.module_path)
    return len(ids)
