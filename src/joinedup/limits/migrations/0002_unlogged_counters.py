"""Rate counters skip PostgreSQL's write-ahead log.

A counter lives for a minute or an hour and is an HMAC of a name, nothing
more: losing the table in a crash only forgives a few requests. Writing it
to the log cost every survey page a log flush; an UNLOGGED table is written
without one (and is never copied to replicas or backups). SQLite has no such
thing and is left as it is.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def _set(logged: bool) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        table = schema_editor.quote_name("joinedup_rate_counter")
        schema_editor.execute(f"ALTER TABLE {table} SET {'LOGGED' if logged else 'UNLOGGED'}")

    return run


class Migration(migrations.Migration):
    dependencies = [("limits", "0001_rate_counters")]

    operations = [migrations.RunPython(_set(logged=False), _set(logged=True))]
