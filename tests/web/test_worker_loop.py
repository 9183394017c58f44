"""The worker's own claim and finish (`joinedup.worker.loop`): the backend's rows, in SQL.

The claim must take tasks in the backend's order and mark them as its
worker does; the finish must leave rows the backend reads back as it would
have written them; and on PostgreSQL two workers must never take the same
task (the kill, retry and recovery guarantees are tested with real workers
in tests/test_worker_process.py and test_task_queue_sending.py).
"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from joinedup.worker import loop

from .worker import DATABASE_BACKEND, task_queue  # noqa: F401

pytestmark = [pytest.mark.usefixtures("task_queue"), pytest.mark.django_db]


@task()
def echo(value: Any) -> Any:
    return value


@task()
def fail(message: str) -> None:
    raise ValueError(message)


@task()
def not_json() -> Any:
    return {1, 2}  # a set: no JSON for it


def test_claim_takes_tasks_in_the_backends_order_and_marks_them_running() -> None:
    now = timezone.now()
    echo.using(priority=-5).enqueue("low")
    echo.enqueue("first")
    echo.enqueue("second")
    echo.using(priority=10).enqueue("urgent")
    echo.using(run_after=now - timedelta(minutes=1)).enqueue("due")
    later = echo.using(run_after=now + timedelta(hours=1)).enqueue("later")
    taken = []
    while True:
        expected = DBTaskResult.objects.ready().filter(backend_name="default").first()
        row = loop.claim("worker-a")
        if row is None:
            assert expected is None
            break
        assert row.pk == expected.pk  # the backend's own choice
        assert row.args_kwargs == expected.args_kwargs
        stored = DBTaskResult.objects.get(pk=row.pk)
        assert stored.status == TaskResultStatus.RUNNING
        assert stored.worker_ids == ["worker-a"]
        assert stored.started_at is not None
        taken.append(row.args_kwargs["args"][0])
    # Priority first, then what may run (the due one before those with no time), then queued order.
    assert taken == ["urgent", "due", "first", "second", "low"]
    assert DBTaskResult.objects.get(pk=later.id).status == TaskResultStatus.READY


def test_finish_leaves_what_the_backend_reads_back() -> None:
    done = echo.enqueue({"sent": 3})
    failed = fail.enqueue("the mail server is away")
    odd = not_json.enqueue()
    while loop.run_one("worker-a"):
        pass

    result = echo.get_result(done.id)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"sent": 3}
    assert result.finished_at is not None
    assert result.worker_ids == ["worker-a"]

    result = fail.get_result(failed.id)
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[-1].exception_class_path == "builtins.ValueError"
    assert "the mail server is away" in result.errors[-1].traceback

    result = not_json.get_result(odd.id)
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[-1].exception_class_path == "builtins.TypeError"
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).exists()


def test_a_claimed_task_is_not_claimed_again() -> None:
    echo.enqueue("once")
    assert loop.claim("worker-a") is not None
    assert loop.claim("worker-b") is None  # running, not ready: `tasks.recover` alone re-queues


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_claim_the_same_task(settings: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent workers with row locks: runs on PostgreSQL (CI)")
    settings.TASKS = DATABASE_BACKEND
    for n in range(300):
        echo.enqueue(n)
    claimed: dict[str, list[str]] = {}
    start = threading.Barrier(4)

    def work(name: str) -> None:
        mine = claimed.setdefault(name, [])
        try:
            start.wait()
            while (row := loop.claim(name)) is not None:
                mine.append(str(row.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(f"worker-{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [pk for pks in claimed.values() for pk in pks]
    assert len(every) == len(set(every)) == 300
    assert sum(1 for pks in claimed.values() if pks) >= 2  # they did run side by side
    rows = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    assert all(len(row.worker_ids) == 1 for row in rows)
    assert rows.count() == 300


@pytest.mark.django_db(transaction=True)
def test_a_queued_task_wakes_a_waiting_worker_when_its_transaction_commits(settings: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's notifications (elsewhere workers poll)")
    settings.TASKS = DATABASE_BACKEND
    stop = threading.Event()
    waker = loop.Waker(stop)
    waker.start()
    try:
        assert waker.listening.wait(10)
        woken = threading.Event()

        def waiting() -> None:
            waker.wait(60)  # far longer than the test may take
            woken.set()

        with transaction.atomic():
            echo.enqueue("now")
            threading.Thread(target=waiting, daemon=True).start()
            assert not woken.wait(0.5)  # queued, but nobody can see it before the commit
        assert woken.wait(10)
        assert loop.claim("worker-a") is not None
    finally:
        stop.set()
        waker.wake()


def test_asking_a_waiting_loop_to_stop_ends_its_wait() -> None:
    stop = threading.Event()
    waker = loop.Waker(stop)  # not started: no notifications, as on SQLite
    done = threading.Event()

    def waiting() -> None:
        waker.wait(60)
        done.set()

    threading.Thread(target=waiting, daemon=True).start()
    assert not done.wait(0.2)
    stop.set()
    waker.wake()
    assert done.wait(10)


def test_a_wake_while_the_loop_looked_at_the_queue_is_not_slept_through() -> None:
    stop = threading.Event()
    waker = loop.Waker(stop)
    mark = waker.mark()  # the loop is about to find the queue empty…
    waker.wake()  # …as a task is queued and its notification arrives
    done = threading.Event()

    def waiting() -> None:
        waker.wait(60, since=mark)
        done.set()

    threading.Thread(target=waiting, daemon=True).start()
    assert done.wait(10)
    stop.set()
