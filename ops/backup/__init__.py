"""Backups that restore (docs/backup.md): one archive with the database dump, the stored files and a
manifest of checksums; a restore that rebuilds a fresh installation and proves it got everything back.

The archive is a tar file (gzip-compressed when its name ends in .gz or .tgz):

    database/parindex.pgdump   pg_dump's custom format (PostgreSQL), or
    database/parindex.sqlite3  a copy made with SQLite's online backup API
    media/<path>               every file of the default storage (evidence, generated reports), read
                               through the storage API, so that S3 works as well as a local folder
    manifest.json              written last: when, which version, the database vendor, the applied
                               migrations, every table's row count, every file's size and SHA-256, and
                               the dump's SHA-256

The row counts are taken in the same snapshot as the dump (PostgreSQL: an exported snapshot that
pg_dump reuses; SQLite: counted in the copy), so that they describe exactly what the dump holds. The
database is dumped before the files are read: every file the dump refers to already exists then.

`restore` first reads the whole archive and checks every checksum against the manifest, and refuses
(touching nothing) on any difference; it refuses a database or storage that already holds data unless
`force`; it then restores the dump and the files and checks again what the database and the storage
now hold: every table's row count and every file's checksum.

Here: the two operations. archive.py: the archive's format; databases.py with postgresql.py and
sqlite.py: dump and restore per database; checks.py: the checks before and after a restore.
"""

from __future__ import annotations

import json
import os
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import connections
from django.utils.translation import gettext as _

from . import archive as archive_format
from . import checks, databases
from .archive import (
    DUMP_NAMES,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA,
    default_archive_name,
    read_manifest,
    storage_files,
    verify_archive,
)
from .databases import table_counts, vendor_of
from .errors import BackupError, RestoreMismatch, RestoreRefused
from .postgresql import libpq_params

__all__ = [
    "DUMP_NAMES",
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST",
    "MEDIA",
    "BackupError",
    "RestoreMismatch",
    "RestoreRefused",
    "RestoreReport",
    "backup",
    "default_archive_name",
    "libpq_params",
    "read_manifest",
    "restore",
    "storage_files",
    "table_counts",
    "vendor_of",
    "verify_archive",
]


@dataclass
class RestoreReport:
    manifest: dict
    tables: dict[str, int]
    files: int
    notes: list[str] = field(default_factory=list)


def _say(say: Callable[[str], None] | None) -> Callable[[str], None]:
    return say or (lambda _text: None)


def _app_version() -> str:
    try:
        return version("parindex")
    except PackageNotFoundError:
        return "unknown"


def backup(output: Path | str, *, using: str = "default", storage=None, say=None) -> dict:
    """Write the archive to `output` (through a temporary name: a failed run leaves no archive) and
    return its manifest."""
    say, storage = _say(say), storage or default_storage
    output = Path(output)
    settings_dict = connections[using].settings_dict
    vendor = vendor_of(settings_dict)
    partial = output.with_name(output.name + ".partial")
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="parindex-backup-") as work:
        dump_path = Path(work) / "dump"
        say(_("Kết xuất cơ sở dữ liệu…"))
        counts, migrations = databases.dump(using, settings_dict, dump_path)
        with open(dump_path, "rb") as dump:
            dump_size, dump_sha = archive_format.digest(dump)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "app_version": _app_version(),
            "database": {
                "vendor": vendor,
                "file": DUMP_NAMES[vendor],
                "size": dump_size,
                "sha256": dump_sha,
            },
            "migrations": migrations,
            "tables": counts,
            "storage": f"{type(storage).__module__}.{type(storage).__name__}",
            "files": [],
        }
        mode = archive_format.tar_mode(output, True)
        try:
            with tarfile.open(partial, mode, format=tarfile.PAX_FORMAT) as tar:
                with open(dump_path, "rb") as dump:
                    archive_format.add_file(tar, DUMP_NAMES[vendor], dump_size, dump)
                say(_("Chép các tệp lưu trữ…"))
                for name in storage_files(storage):
                    manifest["files"].append(archive_format.add_stored_file(tar, storage, name))
                archive_format.add_bytes(
                    tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                )
            with open(partial, "rb") as written:
                os.fsync(written.fileno())
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def restore(
    archive: Path | str,
    *,
    target: dict | None = None,
    storage=None,
    force: bool = False,
    say=None,
) -> RestoreReport:
    """Rebuild the database named by `target` (Django's DATABASES entry; default: the installation's)
    and the storage from the archive, then check both against the manifest."""
    say, storage = _say(say), storage or default_storage
    target = target or connections["default"].settings_dict
    archive = Path(archive)
    with tempfile.TemporaryDirectory(prefix="parindex-restore-") as work:
        dump_path = Path(work) / "dump"
        say(_("Kiểm tra bản sao lưu…"))
        manifest = verify_archive(archive, dump_to=dump_path)
        checks.refuse_other_vendor(manifest, vendor_of(target))
        known = checks.code_migrations()
        in_backup = {(app, name) for app, names in manifest["migrations"].items() for name in names}
        if not force:
            checks.refuse_newer_migrations(in_backup, known)
            checks.refuse_unless_fresh(target, storage)
        say(_("Khôi phục cơ sở dữ liệu…"))
        databases.restore(target, dump_path)
        say(_("Khôi phục các tệp…"))
        archive_format.extract_files(archive, manifest, storage, force)
    say(_("Đối chiếu với bảng kê…"))
    counts = table_counts(target)
    problems = checks.compare_counts(manifest["tables"], counts)
    problems.extend(checks.compare_files(manifest["files"], storage))
    if problems:
        raise RestoreMismatch([_("Đã khôi phục nhưng không khớp với bảng kê:"), *problems])
    return RestoreReport(
        manifest=manifest,
        tables=counts,
        files=len(manifest["files"]),
        notes=checks.missing_migrations(in_backup, known),
    )
