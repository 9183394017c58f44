"""The worker's loop: take the next task in one statement, run it, record its end in one more.

The database backend's own worker (`db_worker`) takes a task in a
transaction of three statements through the ORM (lock the first ready row,
mark it running, commit) and records its end through the ORM: at a hundred
e-mails a second that was a fifth of the worker's time. Here the same rows
change in the same way, in plain SQL:

- `claim`: one UPDATE of the first ready row (the backend's order: priority,
  then when it may run, then when it was queued), marked running with this
  worker's id, RETURNING it. On PostgreSQL the row is chosen with
  `FOR UPDATE SKIP LOCKED`, so that workers (or threads) never take the same
  task and never wait for each other; SQLite runs one writing statement at
  a time, so a single UPDATE is enough there.
- `finish`: one UPDATE to successful or failed, with the return value or the
  error, as the backend writes them.

A task is still one row and one unit of work; the backend's signals
(task started, task finished) are sent as its worker sends them, so its
log lines are the same; `tasks.recover` still finds a task left running.

A loop with nothing to do waits `--interval` seconds before it looks again,
or less: on PostgreSQL a `Waker` listens for the notification a trigger on
the task table sends when tasks are queued (migration `worker` 0002), so a
round's close or an e-mail starts as soon as the request that asked for it
has committed, not up to a second later.
"""

from __future__ import annotations

import functools
import json
import logging
import random
import threading
import time
from traceback import format_exception
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.db import (
    DEFAULT_DB_ALIAS,
    OperationalError,
    close_old_connections,
    connection,
    connections,
)
from django.utils import timezone
from django_tasks.base import TaskContext, TaskResultStatus
from django_tasks.signals import task_finished, task_started

logger = logging.getLogger("django_tasks_db")
FINISH_TRIES = 3  # as the backend: a finish that fails is tried again, 0.1 s apart

_CLAIM = """
    UPDATE django_tasks_database_dbtaskresult
    SET status = %s, started_at = %s, worker_ids = {append}
    WHERE id = (
        SELECT id FROM django_tasks_database_dbtaskresult
        WHERE status = %s AND backend_name = %s AND (run_after = %s OR run_after <= %s)
        ORDER BY priority DESC, run_after ASC, enqueued_at ASC
        LIMIT 1 {lock})
    RETURNING {columns}"""
_APPEND = {
    "postgresql": "worker_ids || jsonb_build_array(%s::text)",
    "sqlite": "json_insert(worker_ids, '$[#]', %s)",
}
_LOCK = {"postgresql": "FOR UPDATE SKIP LOCKED", "sqlite": ""}
_FINISH = """
    UPDATE django_tasks_database_dbtaskresult
    SET status = %s, finished_at = %s, return_value = %s, exception_class_path = %s,
        traceback = %s
    WHERE id = %s"""


@functools.cache
def _claim_sql(vendor: str) -> str:
    """The claim for this database, once the task table is known to be the one written for."""
    from django_tasks_db.models import DBTaskResult

    columns = [field.column for field in DBTaskResult._meta.concrete_fields]
    expected = {"id", "status", "started_at", "worker_ids", "backend_name", "run_after",
                "priority", "enqueued_at", "finished_at", "return_value",
                "exception_class_path", "traceback"}  # fmt: skip
    table = DBTaskResult._meta.db_table
    if table != "django_tasks_database_dbtaskresult" or expected - set(columns):
        raise RuntimeError(f"The task table is not the one expected: {table} {columns}")
    return _CLAIM.format(
        append=_APPEND[vendor], lock=_LOCK[vendor], columns=", ".join(f'"{c}"' for c in columns)
    )


def supported() -> bool:
    """Whether this database has the SQL here (else the backend's own worker runs)."""
    return connection.vendor in _APPEND


class Busy(Exception):
    """SQLite's database was locked by another writer: no task was taken, try again."""


def claim(worker_id: str, backend_name: str = "default") -> Any:
    """Take the next ready task and mark it running; the task's row (a `DBTaskResult`), or None."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    sql = _claim_sql(connection.vendor)
    adapt = connection.ops.adapt_datetimefield_value
    now = timezone.now()
    parameters = [
        TaskResultStatus.RUNNING,
        adapt(now),
        worker_id,
        TaskResultStatus.READY,
        backend_name,
        adapt(get_date_max()),
        adapt(now),
    ]
    try:
        # Read through the ORM's raw(), which decodes the JSON and the times as it would.
        return next(iter(DBTaskResult.objects.raw(sql, parameters)), None)
    except OperationalError as error:
        if "is locked" in str(error).lower():
            raise Busy from error
        raise


def finish(row: Any, return_value: Any = None, error: BaseException | None = None) -> None:
    """Record a task's end in one statement: successful with its value, or failed with why."""
    from django_tasks_db.models import DBTaskResult

    if error is None:
        row.status, row.return_value = TaskResultStatus.SUCCESSFUL, return_value
        row.exception_class_path = row.traceback = ""
    else:
        row.status, row.return_value = TaskResultStatus.FAILED, None
        row.exception_class_path = f"{type(error).__module__}.{type(error).__qualname__}"
        row.traceback = "".join(format_exception(error))
    row.finished_at = timezone.now()
    field = DBTaskResult._meta.get_field("return_value")
    parameters = [
        row.status,
        connection.ops.adapt_datetimefield_value(row.finished_at),
        field.get_db_prep_save(row.return_value, connection),
        row.exception_class_path,
        row.traceback,
        DBTaskResult._meta.pk.get_db_prep_value(row.pk, connection),  # type: ignore[union-attr]
    ]
    for attempt in range(1, FINISH_TRIES + 1):
        try:
            with connection.cursor() as cursor:
                cursor.execute(_FINISH, parameters)
            return
        except Exception:
            if attempt == FINISH_TRIES:
                raise
            time.sleep(0.1)


def run(row: Any) -> None:
    """Run a claimed task and record how it ended, sending the backend's signals."""
    try:
        task = row.task
        result = row.task_result
        backend = type(task.get_backend())
        task_started.send(sender=backend, task_result=result)
        if task.takes_context:
            value = task.call(TaskContext(task_result=result), *result.args, **result.kwargs)
        else:
            value = task.call(*result.args, **result.kwargs)
        json.dumps(value)  # stored as JSON, as the backend does: a failure otherwise
        finish(row, return_value=value)
        task_finished.send(sender=backend, task_result=row.task_result)
    except BaseException as error:
        finish(row, error=error)
        try:
            backend = type(row.task.get_backend())
            result = row.task_result
        except (ImportError, SuspiciousOperation):
            logger.exception("Task id=%s failed unexpectedly", row.id)
        else:
            task_finished.send(sender=backend, task_result=result)
        if not isinstance(error, Exception):  # Ctrl+C, exiting: not the task's to swallow
            raise


def run_one(worker_id: str, backend_name: str = "default") -> bool | None:
    """Claim and run one task: True if one ran, False if none was ready, None if SQLite was busy."""
    try:
        row = claim(worker_id, backend_name)
    except Busy:
        return None
    if row is None:
        return False
    run(row)
    return True


CHANNEL = "joinedup_tasks"  # the task table's trigger notifies it (migration worker 0002)
LISTEN_AGAIN_SECONDS = 5  # after the listening connection failed


class Waker:
    """Wakes a process's waiting loops when tasks are queued, and when they must stop.

    On PostgreSQL a thread of its own holds a connection that `LISTEN`s on
    `CHANNEL`; each notification (sent when a transaction that queued tasks
    commits) wakes every waiting loop, and one of them takes the task. Elsewhere,
    or while that connection is down, loops simply wait out their interval.
    """

    def __init__(self, stop: threading.Event) -> None:
        self.stop = stop
        self._changed = threading.Condition()
        self._wakes = 0
        self.listening = threading.Event()  # set while notifications can arrive

    def start(self) -> None:
        if connection.vendor == "postgresql":
            threading.Thread(target=self._listen, daemon=True, name="worker-waker").start()

    def wake(self) -> None:
        with self._changed:
            self._wakes += 1
            self._changed.notify_all()

    def mark(self) -> int:
        """The wakes so far: take it before looking at the queue, and wait `since` it."""
        with self._changed:
            return self._wakes

    def wait(self, seconds: float, since: int | None = None) -> None:
        """Return after `seconds`, or sooner when woken (after `since`) or asked to stop.

        Pass `since` from a `mark()` taken before the queue was found empty, so
        that a task queued while the loop looked is not slept through.
        """
        with self._changed:
            seen = self._wakes if since is None else since
            self._changed.wait_for(
                lambda: self._wakes != seen or self.stop.is_set(), timeout=seconds
            )

    def _listen(self) -> None:
        while not self.stop.is_set():
            listener = connections.create_connection(DEFAULT_DB_ALIAS)
            try:
                listener.ensure_connection()
                raw = listener.connection
                raw.execute(f"LISTEN {CHANNEL}")
                self.wake()  # anything queued while nobody listened
                self.listening.set()
                while not self.stop.is_set():
                    for _ in raw.notifies(timeout=1.0):
                        self.wake()
            except Exception:  # the database away: poll meanwhile, listen again soon
                logger.warning("Listening for queued tasks failed; polling now", exc_info=True)
                self.stop.wait(LISTEN_AGAIN_SECONDS)
            finally:
                self.listening.clear()
                listener.close()


class Loop:
    """One worker loop: take, run, repeat; wait `interval` seconds when nothing is ready.

    `stop` (shared by a process's loops) ends every loop after the task it is
    running; `batch` ends a loop as soon as no task is ready. A `waker`
    (shared too) ends a wait early when tasks are queued.
    """

    def __init__(
        self,
        worker_id: str,
        stop: threading.Event,
        interval: float,
        batch: bool,
        waker: Waker | None = None,
    ) -> None:
        self.worker_id = worker_id
        self.stop = stop
        self.interval = interval
        self.batch = batch
        self.waker = waker
        self.failed = False  # stopped on an error, not asked to

    def run(self, startup_delay: bool = False) -> None:
        logger.info("Starting worker worker_id=%s queues=*", self.worker_id)
        if startup_delay and self.interval:
            self.stop.wait(random.random())  # workers started together spread out
        try:
            while not self.stop.is_set():
                close_old_connections()
                mark = self.waker.mark() if self.waker is not None else 0
                ran = run_one(self.worker_id)
                if ran is False and self.batch:
                    logger.info("No more tasks to run for worker_id=%s - exiting.", self.worker_id)
                    return
                if not ran:
                    if self.waker is not None:
                        self.waker.wait(self.interval, since=mark)
                    else:
                        self.stop.wait(self.interval)
        finally:
            close_old_connections()
