"""surveys/intake/sql.py: its INSERT stores what the ORM would, its errors are Django's, it counts as a
query, and on PostgreSQL its statements are prepared on the server (unless turned off)."""

import uuid
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from surveys import services
from surveys.intake import sql
from surveys.models import Channel, Invitation, Response
from surveys.tests import conftest as surveys_fixtures

version, wave = surveys_fixtures.version, surveys_fixtures.wave  # an open wave, as fixtures

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="server-side prepared statements exist only on PostgreSQL (run with DATABASE_URL=postgres://…)",
)


def new_response(wave, unit, **changes) -> Response:
    """A response built as surveys.services.submit_response builds one."""
    now = timezone.now()
    started_at = now - timedelta(minutes=4, microseconds=123)
    fields = {
        "wave_id": wave.pk,
        "unit_id": unit.pk,
        "submission_id": uuid.uuid4(),
        "channel": Channel.API,
        "answers": {
            "sex": "f",
            "svc_1": 5,
            "visits": 2.5,
            "channels": ["web", "tv"],
            "x": "Nữ “á”",
        },
        "started_at": started_at,
        "submitted_at": now,
        "duration_s": int((now - started_at).total_seconds()),
        "ip_hash": services.keyed_hash("ip", "203.0.113.7"),
        "device_hash": services.keyed_hash("device", "iHanoi/1.0 test"),
        "invitation": None,
        "dossier_hash": "",  # one per wave: only the dossier channel has one
        "flags": ["speeding"],
    }
    return Response(**(fields | changes))


def stored_fields(instance, leave_out=("id",)) -> dict:
    """Every concrete field as read back from the database."""
    instance.refresh_from_db()
    return {
        f.attname: getattr(instance, f.attname)
        for f in type(instance)._meta.concrete_fields
        if f.attname not in leave_out
    }


# ------------------------------------------------------------------ insert()


@pytest.mark.parametrize("prepared", [True, False], ids=["prepared", "plain"])
def test_insert_stores_the_row_that_save_would(wave, unit_a, settings, prepared):
    settings.DATABASE_PREPARED_STATEMENTS = prepared
    by_orm, by_insert = new_response(wave, unit_a), new_response(wave, unit_a)
    # built a moment apart: given the same moments, they differ only by their submission id
    by_insert.submitted_at = by_orm.submitted_at
    by_insert.started_at, by_insert.duration_s = by_orm.started_at, by_orm.duration_s
    by_orm.save(force_insert=True)
    sql.insert(by_insert)
    assert by_insert.pk is not None and by_insert.pk != by_orm.pk
    assert (by_insert._state.adding, by_insert._state.db) == (False, "default")
    in_memory = {f.attname: getattr(by_insert, f.attname) for f in Response._meta.concrete_fields}
    assert stored_fields(by_insert, leave_out=()) == in_memory  # what the instance says is stored
    leave_out = ("id", "submission_id")
    assert stored_fields(by_insert, leave_out) == stored_fields(by_orm, leave_out)
    assert Response.objects.get(submission_id=by_insert.submission_id).pk == by_insert.pk
    # the model's defaults are applied as by save()
    assert (by_insert.excluded, by_insert.exclusion_reason) == (False, "")


def test_insert_applies_auto_now_add_as_save_does(wave, unit_a):
    invitation = Invitation(wave=wave, unit=unit_a, code_hash="h" * 64, batch="20250101")
    assert invitation.created_at is None
    before = timezone.now()
    sql.insert(invitation)
    assert before <= invitation.created_at <= timezone.now()
    assert Invitation.objects.get(pk=invitation.pk).created_at == invitation.created_at


def test_a_duplicate_raises_djangos_integrity_error_and_its_savepoint_rolls_back(wave, unit_a):
    first = new_response(wave, unit_a)
    sql.insert(first)
    second = new_response(wave, unit_a, submission_id=first.submission_id)
    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        sql.insert(second)
    # Django's exception (what services.submit_response catches), not the driver's
    assert type(raised.value) is IntegrityError
    assert type(raised.value.__cause__).__module__.split(".")[0] in ("sqlite3", "psycopg")
    assert second.pk is None and second._state.adding
    # the test's own transaction goes on
    assert list(Response.objects.values_list("pk", flat=True)) == [first.pk]


@pytest.mark.django_db(transaction=True)
def test_a_duplicate_in_autocommit_mode_leaves_the_connection_usable(wave, unit_a):
    """services.submit_response inserts outside any transaction and then reads the first copy."""
    first = new_response(wave, unit_a)
    sql.insert(first)
    assert not connection.in_atomic_block
    with pytest.raises(IntegrityError):
        sql.insert(new_response(wave, unit_a, submission_id=first.submission_id))
    assert Response.objects.get(submission_id=first.submission_id).pk == first.pk
    assert sql.fetch_one("SELECT COUNT(*) FROM surveys_response", {}) == (1,)


def test_a_statement_in_a_broken_transaction_is_refused_as_djangos_own_are(wave, unit_a):
    first = new_response(wave, unit_a)
    first.save()
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            # caught inside the block: Django marks the block for rollback
            new_response(wave, unit_a, submission_id=first.submission_id).save(force_insert=True)
        with pytest.raises(TransactionManagementError):
            sql.fetch_one("SELECT COUNT(*) FROM surveys_response", {})
        with pytest.raises(TransactionManagementError):
            sql.insert(new_response(wave, unit_a))
    assert list(Response.objects.values_list("pk", flat=True)) == [first.pk]


# ------------------------------------------------------------------ fetch_one()


@pytest.mark.parametrize("prepared", [True, False])
def test_a_failed_insert_caught_inside_a_block_marks_it_for_rollback_as_save_does(
    wave, unit_a, settings, prepared
):
    settings.DATABASE_PREPARED_STATEMENTS = prepared
    first = new_response(wave, unit_a)
    sql.insert(first)
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            sql.insert(new_response(wave, unit_a, submission_id=first.submission_id))
        # a clean refusal (not PostgreSQL's "transaction is aborted"), and nothing commits
        with pytest.raises(TransactionManagementError):
            sql.fetch_one("SELECT COUNT(*) FROM surveys_response", {})
    assert list(Response.objects.values_list("pk", flat=True)) == [first.pk]


@pytest.mark.parametrize("prepared", [True, False], ids=["prepared", "plain"])
def test_statements_are_counted_as_queries(wave, unit_a, settings, prepared):
    settings.DATABASE_PREPARED_STATEMENTS = prepared
    with CaptureQueriesContext(connection) as queries:
        row = sql.fetch_one(
            "SELECT COUNT(*) FROM surveys_response WHERE unit_id = %(unit)s", {"unit": unit_a.pk}
        )
        sql.insert(new_response(wave, unit_a))
    assert row == (0,)
    assert len(queries) == 2
    assert "surveys_response" in queries[0]["sql"] and "INSERT" in queries[1]["sql"]


def test_django_assert_num_queries_sees_them(wave, unit_a, django_assert_num_queries):
    with django_assert_num_queries(2):
        sql.insert(new_response(wave, unit_a))
        assert sql.fetch_one("SELECT COUNT(*) FROM surveys_response", {}) == (1,)


def test_fetch_one_returns_none_without_a_row(db):
    assert sql.fetch_one("SELECT id FROM surveys_response WHERE id = %(id)s", {"id": -1}) is None


def prepared_statements(marker: str) -> list[str]:
    """This connection's prepared statements whose text holds `marker`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE strpos(statement, %s) > 0", [marker]
        )
        return [row[0] for row in cursor.fetchall()]


@on_postgresql
def test_on_postgresql_a_statement_is_prepared_once_per_connection(db):
    marker = f"prepared-{uuid.uuid4()}"  # a statement this connection has never seen
    statement = f"SELECT %(n)s::int + 1 /* {marker} */"
    assert prepared_statements(marker) == []
    for n in range(3):
        assert sql.fetch_one(statement, {"n": n}) == (n + 1,)
    assert prepared_statements(marker) == [f"SELECT $1::int + 1 /* {marker} */"]


@on_postgresql
def test_on_postgresql_nothing_is_prepared_when_turned_off(db, settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    marker = f"not-prepared-{uuid.uuid4()}"
    for n in range(10):  # more than psycopg's prepare_threshold
        assert sql.fetch_one(f"SELECT %(n)s::int + 1 /* {marker} */", {"n": n}) == (n + 1,)
    assert prepared_statements(marker) == []


@on_postgresql
def test_on_postgresql_djangos_own_queries_are_never_prepared(db):
    """The prepare_threshold in the connection's options is for surveys/intake/sql.py's cursors only."""
    marker = f"orm-{uuid.uuid4()}"
    for _ in range(10):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT %s::int /* {marker} */", [1])
    assert prepared_statements(marker) == []
