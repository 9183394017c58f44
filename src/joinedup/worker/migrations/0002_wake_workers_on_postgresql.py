"""On PostgreSQL, a queued task wakes the waiting workers at once.

A trigger on the task backend's table sends a notification on the channel
`joinedup_tasks` after each statement that adds tasks; PostgreSQL delivers
it when that transaction commits, so a worker never wakes for a task it
cannot see yet. Workers `LISTEN` on the channel (`worker/loop.py: Waker`)
and still look at the queue every `--interval` seconds, so a notification
lost (a worker reconnecting, say) costs at most that. Other databases
have no notifications: their workers poll.
"""

from django.db import migrations

CHANNEL = "joinedup_tasks"
TABLE = "django_tasks_database_dbtaskresult"

CREATE = f"""
CREATE OR REPLACE FUNCTION joinedup_wake_workers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', '');
    RETURN NULL;
END $$;
CREATE TRIGGER joinedup_wake_workers AFTER INSERT ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION joinedup_wake_workers();
"""
DROP = f"""
DROP TRIGGER IF EXISTS joinedup_wake_workers ON {TABLE};
DROP FUNCTION IF EXISTS joinedup_wake_workers();
"""


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("worker", "0001_daily_jobs"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
