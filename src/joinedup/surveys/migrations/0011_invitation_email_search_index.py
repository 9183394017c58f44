"""A trigram index for finding invited people by part of their address (PostgreSQL only).

The round page's search is `email__icontains`, which PostgreSQL writes as
`UPPER(email::text) LIKE UPPER('%…%')`; at 100,000 invitations a scan of the
round took most of a request. This GIN index on that very expression lets a
search of three or more letters read only the matching rows. It needs the
pg_trgm extension (a trusted extension: the database's owner may create
it); where it cannot be created, searches keep working as a scan. SQLite
has no such index: it is skipped there.
"""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, migrations, transaction

INDEX = "surveys_invitation_email_trgm"


def create(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        return  # not allowed here: the search stays a scan of the round
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON surveys_invitation "
            "USING gin (UPPER(email::text) gin_trgm_ops)"
        )


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("surveys", "0010_rating_constraints_in_django")]

    operations = [migrations.RunPython(create, drop)]
