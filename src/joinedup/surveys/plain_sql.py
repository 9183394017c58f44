"""Plain SQL for the statements that sending a survey runs, built once per process.

Sending is the busiest write of the respondent's pages. Each statement here
is what the ORM would run, but made once from the models' own metadata
(table and column names, each field's preparation of its value, defaults
and `pre_save`) and kept, so that no query is compiled afresh per survey: on
a survey page that compiling cost more than running the statements. A field
added to a model later is written here without a change.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, Model


def _database() -> Any:
    return connections[DEFAULT_DB_ALIAS]


def _quote(name: str) -> str:
    return str(_database().ops.quote_name(name))


def _column(model: type[Model], name: str) -> str:
    return _quote(model._meta.get_field(name).column)  # type: ignore[union-attr]


@functools.cache
def _insert_sql(model: type[Model], rows: int) -> tuple[str, list[Field[Any, Any]]]:
    fields = list(model._meta.concrete_fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    columns = ", ".join(_quote(field.column) for field in fields)
    sql = f"INSERT INTO {_quote(model._meta.db_table)} ({columns}) VALUES " + ", ".join(
        [one] * rows
    )
    return sql, fields


def insert(model: type[Model], objects: Sequence[Model]) -> None:
    """INSERT new rows for model objects made in Python (their defaults already applied)."""
    if not objects:
        return
    database = _database()
    sql, fields = _insert_sql(model, len(objects))
    values: list[Any] = []
    for obj in objects:
        values += [field.get_db_prep_save(field.pre_save(obj, True), database) for field in fields]
    with database.cursor() as cursor:
        cursor.execute(sql, values)


@functools.cache
def _row_sql(model: type[Model], columns: tuple[str, ...], key: str, lock: bool) -> str:
    selected = ", ".join(_column(model, name) for name in columns)
    locking = f" {_database().ops.for_update_sql()}" if lock else ""
    return (
        f"SELECT {selected} FROM {_quote(model._meta.db_table)} "
        f"WHERE {_column(model, key)} = %s{locking}"
    )


def row(
    model: type[Model], columns: tuple[str, ...], key: str, value: Any, lock: bool = False
) -> tuple[Any, ...] | None:
    """One row's columns, found by one column's value; locked (PostgreSQL) if asked.

    Values come back as the database gives them, each converted as the ORM
    would (JSON decoded, SQLite's dates parsed).
    """
    database = _database()
    lock = lock and database.features.has_select_for_update
    with database.cursor() as cursor:
        cursor.execute(_row_sql(model, columns, key, lock), [value])
        found = cursor.fetchone()
    if found is None:
        return None
    return tuple(converted(model, columns, table=model._meta.db_table, values=found))


@functools.cache
def _converters(
    model: type[Model], names: tuple[str, ...], table: str
) -> list[tuple[list[Any], Any]]:
    database = _database()
    found = []
    for name in names:
        field: Any = model._meta.get_field(name)
        expression = field.get_col(table)
        functions = database.ops.get_db_converters(expression) + field.get_db_converters(database)
        found.append((functions, expression))
    return found


def converted(
    model: type[Model], names: tuple[str, ...], table: str, values: Sequence[Any]
) -> list[Any]:
    """A row's values for these fields, each converted as the ORM would (JSON, SQLite's dates).

    The converters are looked up once per process for each model and set of fields.
    """
    database = _database()
    result = list(values)
    for place, (functions, expression) in enumerate(_converters(model, names, table)):
        for convert in functions:
            result[place] = convert(result[place], expression, database)
    return result


@functools.cache
def _delete_sql(model: type[Model], key: str) -> str:
    return f"DELETE FROM {_quote(model._meta.db_table)} WHERE {_column(model, key)} = %s"


def delete(model: type[Model], key: str, value: Any) -> int:
    """DELETE the rows whose column `key` holds `value`; how many went."""
    with _database().cursor() as cursor:
        cursor.execute(_delete_sql(model, key), [value])
        return int(cursor.rowcount)


@functools.cache
def _set_sql(model: type[Model], column: str, key: str) -> str:
    return (
        f"UPDATE {_quote(model._meta.db_table)} SET {_column(model, column)} = %s "
        f"WHERE {_column(model, key)} = %s"
    )


def set_value(model: type[Model], column: str, value: Any, key: str, key_value: Any) -> int:
    """UPDATE one column of the rows whose column `key` holds `key_value`; how many changed."""
    database = _database()
    field = model._meta.get_field(column)
    prepared = field.get_db_prep_save(value, database)  # type: ignore[union-attr]
    with database.cursor() as cursor:
        cursor.execute(_set_sql(model, column, key), [prepared, key_value])
        return int(cursor.rowcount)
