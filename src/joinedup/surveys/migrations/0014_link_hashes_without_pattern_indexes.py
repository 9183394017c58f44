"""Link hashes without PostgreSQL's second, pattern-matching index.

For a unique or indexed `CharField`, Django on PostgreSQL adds a second index
with `varchar_pattern_ops`, for `LIKE 'abc%'` lookups. A link's hash is only
ever looked up whole, so that index served nothing, and every link made,
draft started and closed round's hashes kept paid for writing it (about half
a second of a 100,000-response close). The ordinary unique index stays.
Other databases have no such index: nothing to do there.
"""

from django.db import migrations

# (model, field) whose hash is looked up whole, never by pattern.
HASHES = [
    ("closedlink", "token_hash"),
    ("draft", "token_hash"),
    ("invitation", "token_hash"),
    ("invitationtoken", "token_hash"),
    ("openlink", "token_hash"),
]


def _indexes(apps, schema_editor):  # type: ignore[no-untyped-def]
    for model_name, field_name in HASHES:
        model = apps.get_model("surveys", model_name)
        table = model._meta.db_table
        column = model._meta.get_field(field_name).column
        name = schema_editor._create_index_name(table, [column], suffix="_like")
        yield schema_editor.quote_name(name), schema_editor.quote_name(table), column


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in _indexes(apps, schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def restore(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in _indexes(apps, schema_editor):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"({schema_editor.quote_name(column)} varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0013_closing_references_checked_by_django")]

    operations = [migrations.RunPython(drop, restore, elidable=False)]
