"""SQLite: a copy made with the online backup API, restored the same way over the target's content."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from django.db import connections

from . import catalogue


def connect(path: str) -> sqlite3.Connection:
    return sqlite3.connect(path, uri=path.startswith("file:"))


def table_counts(settings_dict: dict) -> dict[str, int]:
    """Every table's row count (an absent database file: none)."""
    name = str(settings_dict["NAME"])
    if not name.startswith("file:") and not Path(name).exists():
        return {}
    conn = connect(name)
    try:
        return catalogue.counts(conn.cursor(), "sqlite")
    finally:
        conn.close()


def dump(using: str, dump_path: Path) -> tuple[dict, dict]:
    connection = connections[using]
    connection.ensure_connection()
    copy = sqlite3.connect(dump_path)
    try:
        connection.connection.backup(copy)  # a consistent copy while others keep writing
        cursor = copy.cursor()
        counts = catalogue.counts(cursor, "sqlite")
        return counts, catalogue.migrations(cursor, counts)
    finally:
        copy.close()


def restore(settings_dict: dict, dump_path: Path) -> None:
    name = str(settings_dict["NAME"])
    if not name.startswith("file:"):
        Path(name).parent.mkdir(parents=True, exist_ok=True)
    source, target = sqlite3.connect(dump_path), connect(name)
    try:
        source.backup(target)  # replaces the target's whole content
    finally:
        source.close()
        target.close()
