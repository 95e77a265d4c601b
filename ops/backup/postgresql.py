"""PostgreSQL: pg_dump in the custom format from one exported snapshot, and pg_restore into a database
emptied first; connections through psycopg (the restore target is not one of Django's connections)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from django.utils.translation import gettext as _

from . import catalogue
from .errors import BackupError

# libpq parameters that may appear in DATABASES OPTIONS, and the environment variables pg_dump reads.
LIBPQ_ENV = {
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "dbname": "PGDATABASE",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
    "application_name": "PGAPPNAME",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


def libpq_params(settings_dict: dict) -> dict[str, str]:
    params = {
        "dbname": settings_dict.get("NAME") or "",
        "user": settings_dict.get("USER") or "",
        "password": settings_dict.get("PASSWORD") or "",
        "host": settings_dict.get("HOST") or "",
        "port": str(settings_dict.get("PORT") or ""),
    }
    for key, value in (settings_dict.get("OPTIONS") or {}).items():
        if key in LIBPQ_ENV:
            params[key] = str(value)
    return {key: value for key, value in params.items() if value}


def _env(settings_dict: dict) -> dict[str, str]:
    """The connection for pg_dump/pg_restore, in the environment (a password never shows in `ps`)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    for key, value in libpq_params(settings_dict).items():
        env[LIBPQ_ENV[key]] = value
    return env


def connect(settings_dict: dict):
    import psycopg

    return psycopg.connect(**libpq_params(settings_dict), autocommit=True)


def table_counts(settings_dict: dict) -> dict[str, int]:
    with connect(settings_dict) as conn, conn.cursor() as cursor:
        return catalogue.counts(cursor, "postgresql")


def _client_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _("Không tìm thấy %(tool)s: hãy cài gói postgresql-client cùng phiên bản với máy chủ.")
            % {"tool": name}
        )
    return path


def dump(settings_dict: dict, dump_path: Path) -> tuple[dict, dict]:
    pg_dump = _client_tool("pg_dump")
    with connect(settings_dict) as conn, conn.cursor() as cursor:
        # One snapshot for the counts and the dump: they describe the same moment.
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = catalogue.counts(cursor, "postgresql")
        migrations = catalogue.migrations(cursor, counts)
        result = subprocess.run(  # noqa: S603 (our own arguments, no shell)
            [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={dump_path}"],
            env=_env(settings_dict),
            capture_output=True,
            text=True,
        )
        cursor.execute("COMMIT")
    if result.returncode != 0:
        raise BackupError(
            _("pg_dump không chạy được: %(error)s") % {"error": result.stderr.strip()}
        )
    return counts, migrations


def _drop_tables(settings_dict: dict) -> None:
    with connect(settings_dict) as conn, conn.cursor() as cursor:
        tables = catalogue.tables(cursor, "postgresql")
        if tables:
            cursor.execute(
                f"DROP TABLE IF EXISTS {', '.join(map(catalogue.quote, tables))} CASCADE"
            )
        # The dump creates the collations the migrations made (units: vi_icu); a forced restore
        # over an installation must drop them too, or pg_restore stops on "already exists".
        cursor.execute(
            "SELECT c.collname FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace "
            "WHERE n.nspname = 'public'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP COLLATION IF EXISTS public.{catalogue.quote(name)}")


def restore(settings_dict: dict, dump_path: Path) -> None:
    pg_restore = _client_tool("pg_restore")
    _drop_tables(settings_dict)
    result = subprocess.run(  # noqa: S603 (our own arguments, no shell)
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={settings_dict['NAME']}",
            str(dump_path),
        ],
        env=_env(settings_dict),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(
            _("pg_restore không chạy được: %(error)s") % {"error": result.stderr.strip()}
        )
