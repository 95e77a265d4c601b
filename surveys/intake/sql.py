"""Statements that the busiest path runs many times a second (the survey intake), prepared on PostgreSQL.

Django sends every statement as text with its values quoted in, and PostgreSQL parses and plans it anew
each time. For a statement run hundreds of times a second that is most of the database's work (about
half the CPU of the intake's look-around query). Here the statement goes to the server once per
connection (psycopg's server-side prepared statements) and then only its values travel.

Both functions run through Django's connection (the transaction and the mapping of errors to django.db
exceptions stay as for any query; the connection health check is left out, see `_execute`); on SQLite, or with
`DATABASE_PREPARED_STATEMENTS=0` (a PgBouncer older than 1.21 in transaction mode cannot keep prepared
statements), they are plain Django queries. Values are given as the database takes them (prepared by
the model's fields): the same on both.
"""

from django.conf import settings
from django.db import models, transaction


def _execute(sql: str, params: dict | list):
    """Runs the statement and returns the cursor that holds its result (the caller fetches)."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        cursor = connection.cursor()
        with transaction.mark_for_rollback_on_error(connection.alias):
            cursor.execute(sql, params)
        return cursor
    import psycopg

    # What Django does before any query, but the health check (a round trip of its own): should the
    # connection have broken, the statement fails, the request answers 503 (ops/middleware.py)
    # and Django replaces the connection at the end of the request.
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    # Django's own cursors bind values on the client; this one sends them apart, so that it can prepare.
    prepared = psycopg.Cursor(connection.connection)
    # A failed statement marks the enclosing atomic block for rollback, as a failed save() does.
    with transaction.mark_for_rollback_on_error(connection.alias), connection.wrap_database_errors:
        prepared.execute(sql, params, prepare=True)
    if connection.queries_logged:  # counted as Django's own queries are (DEBUG, tests)
        connection.queries_log.append({"sql": f"{sql} -- prepared", "time": "0.000"})
    return prepared


def fetch_one(sql: str, params: dict) -> tuple | None:
    cursor = _execute(sql, params)
    try:
        return cursor.fetchone()
    finally:
        cursor.close()


_inserts: dict[type, tuple[str, list]] = {}


def insert(instance: models.Model) -> None:
    """INSERT one new row as `instance.save(force_insert=True)` would (every concrete field, with its
    pre-save value: defaults, auto_now) and set its primary key. No signals are sent."""
    model = type(instance)
    if model not in _inserts:
        meta = model._meta
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        quote = transaction.get_connection().ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        values = ", ".join(["%s"] * len(fields))
        statement = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({values})"  # noqa: S608
        _inserts[model] = (f"{statement} RETURNING {quote(meta.pk.column)}", fields)
    sql, fields = _inserts[model]
    connection = transaction.get_connection()
    params = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    cursor = _execute(sql, params)
    try:
        instance.pk = cursor.fetchone()[0]
    finally:
        cursor.close()
    instance._state.adding = False
    instance._state.db = connection.alias
