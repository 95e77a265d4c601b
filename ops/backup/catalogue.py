"""What a database holds, read through a DB-API cursor of either vendor: its tables, their row counts,
the applied migrations."""


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def tables(cursor, vendor: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    return [row[0] for row in cursor.fetchall()]


def counts(cursor, vendor: str) -> dict[str, int]:
    found = {}
    for table in tables(cursor, vendor):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (names from the catalogue)
        found[table] = cursor.fetchone()[0]
    return found


def migrations(cursor, table_names) -> dict[str, list[str]]:
    if "django_migrations" not in table_names:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied
