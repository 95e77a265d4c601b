"""The database part of a backup, whichever the vendor: which one, its row counts, dump and restore."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from . import postgresql, sqlite
from .errors import BackupError


def vendor_of(settings_dict: dict) -> str:
    engine = settings_dict["ENGINE"]
    if engine.endswith("postgresql") or engine.endswith("postgis"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise BackupError(_("Chưa hỗ trợ sao lưu cơ sở dữ liệu loại %(engine)s.") % {"engine": engine})


def table_counts(settings_dict: dict) -> dict[str, int]:
    """Every table's row count in the database these settings name (an absent SQLite file: none)."""
    if vendor_of(settings_dict) == "postgresql":
        return postgresql.table_counts(settings_dict)
    return sqlite.table_counts(settings_dict)


def dump(using: str, settings_dict: dict, dump_path: Path) -> tuple[dict, dict]:
    """Write the dump; return the row counts and applied migrations of the moment it shows."""
    if vendor_of(settings_dict) == "postgresql":
        return postgresql.dump(settings_dict, dump_path)
    return sqlite.dump(using, dump_path)


def restore(settings_dict: dict, dump_path: Path) -> None:
    if vendor_of(settings_dict) == "postgresql":
        postgresql.restore(settings_dict, dump_path)
    else:
        sqlite.restore(settings_dict, dump_path)
