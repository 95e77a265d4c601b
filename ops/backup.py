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
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import connections

from .health import PROBE_PREFIX

FORMAT = "parindex-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media/"
DUMP_NAMES = {"postgresql": "database/parindex.pgdump", "sqlite": "database/parindex.sqlite3"}
# Tables that `parindex migrate` fills by itself: a database holding rows only there is still fresh.
MIGRATE_TABLES = {"django_migrations", "django_content_type", "auth_permission"}
CHUNK = 1024 * 1024
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


class BackupError(Exception):
    """Refused or failed: `problems` says why, in Vietnamese, one line each."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class RestoreRefused(BackupError):
    """Refused before anything was changed (a damaged archive, a database that is not empty, …)."""


class RestoreMismatch(BackupError):
    """Restored, but what the database or the storage now holds differs from the manifest."""


@dataclass
class RestoreReport:
    manifest: dict
    tables: dict[str, int]
    files: int
    notes: list[str] = field(default_factory=list)


def _say(say: Callable[[str], None] | None) -> Callable[[str], None]:
    return say or (lambda _text: None)


# ── databases, through their own drivers (the restore target is not one of Django's connections) ──


def vendor_of(settings_dict: dict) -> str:
    engine = settings_dict["ENGINE"]
    if engine.endswith("postgresql") or engine.endswith("postgis"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu loại {engine}.")


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


def _pg_env(settings_dict: dict) -> dict[str, str]:
    """The connection for pg_dump/pg_restore, in the environment (a password never shows in `ps`)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    for key, value in libpq_params(settings_dict).items():
        env[LIBPQ_ENV[key]] = value
    return env


def _pg_connect(settings_dict: dict):
    import psycopg

    return psycopg.connect(**libpq_params(settings_dict), autocommit=True)


def _sqlite_connect(path: str) -> sqlite3.Connection:
    return sqlite3.connect(path, uri=path.startswith("file:"))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(cursor, vendor: str) -> list[str]:
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


def _counts(cursor, vendor: str) -> dict[str, int]:
    counts = {}
    for table in _tables(cursor, vendor):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 (names from the catalogue)
        counts[table] = cursor.fetchone()[0]
    return counts


def _migrations(cursor, tables) -> dict[str, list[str]]:
    if "django_migrations" not in tables:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def table_counts(settings_dict: dict) -> dict[str, int]:
    """Every table's row count in the database these settings name (an absent SQLite file: none)."""
    vendor = vendor_of(settings_dict)
    if vendor == "postgresql":
        with _pg_connect(settings_dict) as conn, conn.cursor() as cursor:
            return _counts(cursor, vendor)
    name = str(settings_dict["NAME"])
    if not name.startswith("file:") and not Path(name).exists():
        return {}
    conn = _sqlite_connect(name)
    try:
        return _counts(conn.cursor(), vendor)
    finally:
        conn.close()


# ── files, through the storage API ──


def storage_files(storage, folder: str = "") -> Iterator[str]:
    """Every file name in the storage, folders first-level sorted; the health probe's folder skipped."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        if folder:
            raise
        return  # a local storage whose folder does not exist yet: no files
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for name in sorted(folders):
        if not folder and name == PROBE_PREFIX:
            continue
        yield from storage_files(storage, posixpath.join(folder, name) if folder else name)


class _Hashing(io.RawIOBase):
    """Reads through, keeping the SHA-256 and the count of what was read."""

    def __init__(self, source):
        self.source, self.sha256, self.size = source, hashlib.sha256(), 0

    def readable(self):
        return True

    def read(self, size=-1):
        data = self.source.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _digest(fileobj) -> tuple[int, str]:
    reader = _Hashing(fileobj)
    while reader.read(CHUNK):
        pass
    return reader.size, reader.sha256.hexdigest()


def _safe_name(name: str) -> bool:
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and "\\" not in name and ".." not in parts


# ── backup ──


def _client_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"Không tìm thấy {name}: hãy cài gói postgresql-client cùng phiên bản với máy chủ."
        )
    return path


def _dump_postgresql(settings_dict: dict, dump_path: Path) -> tuple[dict, dict]:
    pg_dump = _client_tool("pg_dump")
    with _pg_connect(settings_dict) as conn, conn.cursor() as cursor:
        # One snapshot for the counts and the dump: they describe the same moment.
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = _counts(cursor, "postgresql")
        migrations = _migrations(cursor, counts)
        result = subprocess.run(  # noqa: S603 (our own arguments, no shell)
            [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={dump_path}"],
            env=_pg_env(settings_dict),
            capture_output=True,
            text=True,
        )
        cursor.execute("COMMIT")
    if result.returncode != 0:
        raise BackupError(f"pg_dump không chạy được: {result.stderr.strip()}")
    return counts, migrations


def _dump_sqlite(using: str, dump_path: Path) -> tuple[dict, dict]:
    connection = connections[using]
    connection.ensure_connection()
    copy = sqlite3.connect(dump_path)
    try:
        connection.connection.backup(copy)  # a consistent copy while others keep writing
        cursor = copy.cursor()
        counts = _counts(cursor, "sqlite")
        return counts, _migrations(cursor, counts)
    finally:
        copy.close()


def _app_version() -> str:
    try:
        return version("parindex")
    except PackageNotFoundError:
        return "unknown"


def default_archive_name() -> str:
    return f"parindex-backup-{datetime.now().strftime('%Y%m%d-%H%M%S')}.tar"


def _tar_mode(path: Path, write: bool) -> str:
    if not write:
        return "r:*"
    return "w:gz" if path.name.endswith((".gz", ".tgz")) else "w"


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
        say("Kết xuất cơ sở dữ liệu…")
        if vendor == "postgresql":
            counts, migrations = _dump_postgresql(settings_dict, dump_path)
        else:
            counts, migrations = _dump_sqlite(using, dump_path)
        with open(dump_path, "rb") as dump:
            dump_size, dump_sha = _digest(dump)
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
        try:
            with tarfile.open(partial, _tar_mode(output, True), format=tarfile.PAX_FORMAT) as tar:
                with open(dump_path, "rb") as dump:
                    _add_file(tar, DUMP_NAMES[vendor], dump_size, dump)
                say("Chép các tệp lưu trữ…")
                for name in storage_files(storage):
                    manifest["files"].append(_add_stored_file(tar, storage, name))
                _add_bytes(
                    tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                )
            with open(partial, "rb") as written:
                os.fsync(written.fileno())
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def _add_file(tar: tarfile.TarFile, name: str, size: int, fileobj) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(datetime.now().timestamp()), 0o644
    tar.addfile(info, fileobj)


def _add_stored_file(tar: tarfile.TarFile, storage, name: str) -> dict:
    size = storage.size(name)
    with storage.open(name, "rb") as stored:
        reader = _Hashing(stored)
        try:
            _add_file(tar, MEDIA + name, size, reader)
        except OSError as error:
            raise BackupError(
                f"Tệp {name} thay đổi trong khi sao lưu ({error}); hãy chạy lại."
            ) from None
    return {"path": name, "size": size, "sha256": reader.sha256.hexdigest()}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    _add_file(tar, name, len(data), io.BytesIO(data))


# ── restore ──


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember(MANIFEST)
    except KeyError:
        raise RestoreRefused(
            "Tệp này không có bảng kê manifest.json: không phải bản sao lưu parindex."
        ) from None
    try:
        manifest = json.loads(tar.extractfile(member).read())
    except (ValueError, AttributeError):
        raise RestoreRefused("Bảng kê manifest.json hỏng, không đọc được.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise RestoreRefused("Tệp này không phải bản sao lưu parindex.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise RestoreRefused(
            f"Bản sao lưu có định dạng phiên bản {manifest.get('format_version')}; "
            f"phiên bản này của parindex đọc định dạng {FORMAT_VERSION}."
        )
    try:
        database, files = manifest["database"], manifest["files"]
        well_formed = (
            database["vendor"] in DUMP_NAMES
            and database["file"] == DUMP_NAMES[database["vendor"]]
            and isinstance(database["size"], int)
            and isinstance(database["sha256"], str)
            and isinstance(manifest["tables"], dict)
            and isinstance(manifest["migrations"], dict)
            and all(
                isinstance(f["path"], str)
                and isinstance(f["size"], int)
                and isinstance(f["sha256"], str)
                for f in files
            )
        )
    except (KeyError, TypeError):
        well_formed = False
    if not well_formed:
        raise RestoreRefused("Bảng kê manifest.json thiếu hoặc sai thông tin, không dùng được.")
    return manifest


def verify_archive(archive: Path | str, dump_to: Path | None = None) -> dict:
    """Check every member of the archive against the manifest; return the manifest or raise
    RestoreRefused listing every difference. With `dump_to`, the database dump is written there."""
    archive = Path(archive)
    if not archive.is_file():
        raise RestoreRefused(f"Không có tệp {archive}.")
    try:
        with tarfile.open(archive, _tar_mode(archive, False)) as tar:
            manifest = read_manifest(tar)
            return _verify_members(tar, manifest, dump_to)
    except (tarfile.TarError, EOFError, OSError) as error:
        raise RestoreRefused(f"Tệp sao lưu hỏng, không đọc hết được ({error}).") from None


def _verify_members(tar: tarfile.TarFile, manifest: dict, dump_to: Path | None) -> dict:
    problems = []
    database = manifest["database"]
    expected = {MEDIA + entry["path"]: entry for entry in manifest["files"]}
    unsafe = [entry["path"] for entry in manifest["files"] if not _safe_name(entry["path"])]
    if unsafe:
        raise RestoreRefused(f"Bảng kê có tên tệp không hợp lệ: {', '.join(unsafe[:5])}.")
    seen, dump_seen = set(), False
    for member in tar.getmembers():
        if member.name == MANIFEST:
            continue
        if member.name == database["file"]:
            dump_seen = True
            label, want = "Bản kết xuất cơ sở dữ liệu", database
        elif member.name in expected:
            seen.add(member.name)
            label, want = f"Tệp {member.name[len(MEDIA) :]}", expected[member.name]
        else:
            problems.append(f"Bản sao lưu có {member.name}, không có trong bảng kê.")
            continue
        if not member.isfile():
            problems.append(f"{label}: không phải một tệp thường.")
            continue
        source = tar.extractfile(member)
        if member.name == database["file"] and dump_to is not None:
            with open(dump_to, "wb") as out:
                reader = _Hashing(source)
                while data := reader.read(CHUNK):
                    out.write(data)
            size, sha = reader.size, reader.sha256.hexdigest()
        else:
            size, sha = _digest(source)
        if size != want["size"]:
            problems.append(f"{label}: {size} byte, bảng kê ghi {want['size']} byte.")
        elif sha != want["sha256"]:
            problems.append(f"{label}: mã kiểm tra SHA-256 khác bảng kê (nội dung đã bị thay đổi).")
    if not dump_seen:
        problems.append(f"Thiếu bản kết xuất cơ sở dữ liệu {database['file']}.")
    problems.extend(
        f"Thiếu tệp {name[len(MEDIA) :]} (có trong bảng kê)."
        for name in sorted(set(expected) - seen)
    )
    if problems:
        raise RestoreRefused(["Bản sao lưu không toàn vẹn, không khôi phục:", *problems])
    return manifest


def _code_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def _data_rows(counts: dict[str, int]) -> dict[str, int]:
    return {table: n for table, n in counts.items() if n and table not in MIGRATE_TABLES}


def _drop_postgresql_tables(settings_dict: dict) -> None:
    with _pg_connect(settings_dict) as conn, conn.cursor() as cursor:
        tables = _tables(cursor, "postgresql")
        if tables:
            cursor.execute(f"DROP TABLE IF EXISTS {', '.join(map(_quote, tables))} CASCADE")


def _restore_database(vendor: str, settings_dict: dict, dump_path: Path) -> None:
    if vendor == "postgresql":
        pg_restore = _client_tool("pg_restore")
        _drop_postgresql_tables(settings_dict)
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
            env=_pg_env(settings_dict),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore không chạy được: {result.stderr.strip()}")
        return
    name = str(settings_dict["NAME"])
    if not name.startswith("file:"):
        Path(name).parent.mkdir(parents=True, exist_ok=True)
    source, target = sqlite3.connect(dump_path), _sqlite_connect(name)
    try:
        source.backup(target)  # replaces the target's whole content
    finally:
        source.close()
        target.close()


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
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="parindex-restore-") as work:
        dump_path = Path(work) / "dump"
        say("Kiểm tra bản sao lưu…")
        manifest = verify_archive(archive, dump_to=dump_path)
        vendor = vendor_of(target)
        if manifest["database"]["vendor"] != vendor:
            raise RestoreRefused(
                f"Bản sao lưu là của {manifest['database']['vendor']}, cơ sở dữ liệu đích là {vendor}: "
                "hãy khôi phục vào cùng loại cơ sở dữ liệu."
            )
        known = _code_migrations()
        in_backup = {(app, name) for app, names in manifest["migrations"].items() for name in names}
        newer = sorted(f"{app}.{name}" for app, name in in_backup - known)
        if newer and not force:
            raise RestoreRefused(
                "Bản sao lưu được tạo bởi phiên bản parindex mới hơn (có các migration "
                f"{', '.join(newer[:5])}{'…' if len(newer) > 5 else ''}): hãy cài phiên bản đó, "
                "hoặc dùng --force nếu chắc chắn."
            )
        if not force:
            _refuse_unless_fresh(target, storage)
        say("Khôi phục cơ sở dữ liệu…")
        _restore_database(vendor, target, dump_path)
        say("Khôi phục các tệp…")
        _restore_files(archive, manifest, storage, force)
    say("Đối chiếu với bảng kê…")
    counts = table_counts(target)
    problems = _compare_counts(manifest["tables"], counts)
    problems.extend(_compare_files(manifest["files"], storage))
    if problems:
        raise RestoreMismatch(["Đã khôi phục nhưng không khớp với bảng kê:", *problems])
    missing = sorted(f"{app}.{name}" for app, name in known - in_backup)
    if missing:
        notes.append(
            f"Mã nguồn có {len(missing)} migration chưa có trong bản sao lưu: "
            "hãy chạy `parindex migrate`."
        )
    return RestoreReport(
        manifest=manifest, tables=counts, files=len(manifest["files"]), notes=notes
    )


def _refuse_unless_fresh(target: dict, storage) -> None:
    problems = []
    rows = _data_rows(table_counts(target))
    if rows:
        example = ", ".join(f"{table} ({n})" for table, n in sorted(rows.items())[:3])
        problems.append(
            f"Cơ sở dữ liệu đích đã có dữ liệu: {sum(rows.values())} dòng trong {len(rows)} bảng, "
            f"ví dụ {example}."
        )
    existing = next(storage_files(storage), None)
    if existing is not None:
        problems.append(f"Kho tệp đích đã có tệp (ví dụ {existing}).")
    if problems:
        raise RestoreRefused(
            [
                *problems,
                "Khôi phục chỉ vào một cài đặt mới; dùng --force để ghi đè dữ liệu hiện có.",
            ]
        )


def _restore_files(archive: Path, manifest: dict, storage, force: bool) -> None:
    expected = {MEDIA + entry["path"]: entry for entry in manifest["files"]}
    with tarfile.open(archive, _tar_mode(archive, False)) as tar:
        for member in tar.getmembers():
            entry = expected.get(member.name)
            if entry is None:
                continue
            name = entry["path"]
            if force and storage.exists(name):
                storage.delete(name)
            saved = storage.save(name, tar.extractfile(member))
            if saved != name:
                raise BackupError(f"Kho tệp lưu {name} dưới tên khác ({saved}).")


def _compare_counts(expected: dict[str, int], actual: dict[str, int]) -> list[str]:
    problems = []
    for table, want in sorted(expected.items()):
        if table not in actual:
            problems.append(f"Thiếu bảng {table}.")
        elif actual[table] != want:
            problems.append(f"Bảng {table}: {actual[table]} dòng, bảng kê ghi {want}.")
    problems.extend(
        f"Bảng {table} không có trong bảng kê." for table in sorted(set(actual) - set(expected))
    )
    return problems


def _compare_files(entries: list[dict], storage) -> list[str]:
    problems = []
    for entry in entries:
        name = entry["path"]
        try:
            with storage.open(name, "rb") as stored:
                size, sha = _digest(stored)
        except FileNotFoundError:
            problems.append(f"Thiếu tệp {name} trong kho tệp.")
            continue
        if (size, sha) != (entry["size"], entry["sha256"]):
            problems.append(f"Tệp {name}: nội dung trong kho tệp khác bảng kê.")
    return problems
