"""The checks around a restore: the archive's migrations against the code's, a target that must be fresh,
and afterwards every table's row count and every file's checksum against the manifest."""

from __future__ import annotations

from .archive import digest, storage_files
from .databases import table_counts
from .errors import RestoreRefused

# Tables that `parindex migrate` fills by itself: a database holding rows only there is still fresh.
MIGRATE_TABLES = {"django_migrations", "django_content_type", "auth_permission"}


def code_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def refuse_other_vendor(manifest: dict, vendor: str) -> None:
    if manifest["database"]["vendor"] != vendor:
        raise RestoreRefused(
            f"Bản sao lưu là của {manifest['database']['vendor']}, cơ sở dữ liệu đích là {vendor}: "
            "hãy khôi phục vào cùng loại cơ sở dữ liệu."
        )


def refuse_newer_migrations(in_backup: set[tuple[str, str]], known: set[tuple[str, str]]) -> None:
    newer = sorted(f"{app}.{name}" for app, name in in_backup - known)
    if newer:
        raise RestoreRefused(
            "Bản sao lưu được tạo bởi phiên bản parindex mới hơn (có các migration "
            f"{', '.join(newer[:5])}{'…' if len(newer) > 5 else ''}): hãy cài phiên bản đó, "
            "hoặc dùng --force nếu chắc chắn."
        )


def missing_migrations(in_backup: set[tuple[str, str]], known: set[tuple[str, str]]) -> list[str]:
    """A note when the code is newer than the backup: the restored database still needs migrating."""
    missing = sorted(f"{app}.{name}" for app, name in known - in_backup)
    if not missing:
        return []
    return [
        f"Mã nguồn có {len(missing)} migration chưa có trong bản sao lưu: "
        "hãy chạy `parindex migrate`."
    ]


def _data_rows(counts: dict[str, int]) -> dict[str, int]:
    return {table: n for table, n in counts.items() if n and table not in MIGRATE_TABLES}


def refuse_unless_fresh(target: dict, storage) -> None:
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


def compare_counts(expected: dict[str, int], actual: dict[str, int]) -> list[str]:
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


def compare_files(entries: list[dict], storage) -> list[str]:
    problems = []
    for entry in entries:
        name = entry["path"]
        try:
            with storage.open(name, "rb") as stored:
                size, sha = digest(stored)
        except FileNotFoundError:
            problems.append(f"Thiếu tệp {name} trong kho tệp.")
            continue
        if (size, sha) != (entry["size"], entry["sha256"]):
            problems.append(f"Tệp {name}: nội dung trong kho tệp khác bảng kê.")
    return problems
