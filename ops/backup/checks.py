"""The checks around a restore: the archive's migrations against the code's, a target that must be fresh,
and afterwards every table's row count and every file's checksum against the manifest."""

from __future__ import annotations

from django.utils.translation import gettext as _

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
            _(
                "Bản sao lưu là của %(found)s, cơ sở dữ liệu đích là %(target)s: "
                "hãy khôi phục vào cùng loại cơ sở dữ liệu."
            )
            % {"found": manifest["database"]["vendor"], "target": vendor}
        )


def refuse_newer_migrations(in_backup: set[tuple[str, str]], known: set[tuple[str, str]]) -> None:
    newer = sorted(f"{app}.{name}" for app, name in in_backup - known)
    if newer:
        raise RestoreRefused(
            _(
                "Bản sao lưu được tạo bởi phiên bản parindex mới hơn (có các migration "
                "%(migrations)s): hãy cài phiên bản đó, hoặc dùng --force nếu chắc chắn."
            )
            % {"migrations": ", ".join(newer[:5]) + ("…" if len(newer) > 5 else "")}
        )


def missing_migrations(in_backup: set[tuple[str, str]], known: set[tuple[str, str]]) -> list[str]:
    """A note when the code is newer than the backup: the restored database still needs migrating."""
    missing = sorted(f"{app}.{name}" for app, name in known - in_backup)
    if not missing:
        return []
    return [
        _("Mã nguồn có %(count)s migration chưa có trong bản sao lưu: hãy chạy `parindex migrate`.")
        % {"count": len(missing)}
    ]


def _data_rows(counts: dict[str, int]) -> dict[str, int]:
    return {table: n for table, n in counts.items() if n and table not in MIGRATE_TABLES}


def refuse_unless_fresh(target: dict, storage) -> None:
    problems = []
    rows = _data_rows(table_counts(target))
    if rows:
        example = ", ".join(f"{table} ({n})" for table, n in sorted(rows.items())[:3])
        problems.append(
            _(
                "Cơ sở dữ liệu đích đã có dữ liệu: %(rows)s dòng trong %(tables)s bảng, "
                "ví dụ %(example)s."
            )
            % {"rows": sum(rows.values()), "tables": len(rows), "example": example}
        )
    existing = next(storage_files(storage), None)
    if existing is not None:
        problems.append(_("Kho tệp đích đã có tệp (ví dụ %(name)s).") % {"name": existing})
    if problems:
        raise RestoreRefused(
            [
                *problems,
                _("Khôi phục chỉ vào một cài đặt mới; dùng --force để ghi đè dữ liệu hiện có."),
            ]
        )


def compare_counts(expected: dict[str, int], actual: dict[str, int]) -> list[str]:
    problems = []
    for table, want in sorted(expected.items()):
        if table not in actual:
            problems.append(_("Thiếu bảng %(table)s.") % {"table": table})
        elif actual[table] != want:
            problems.append(
                _("Bảng %(table)s: %(rows)s dòng, bảng kê ghi %(expected)s.")
                % {"table": table, "rows": actual[table], "expected": want}
            )
    problems.extend(
        _("Bảng %(table)s không có trong bảng kê.") % {"table": table}
        for table in sorted(set(actual) - set(expected))
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
            problems.append(_("Thiếu tệp %(name)s trong kho tệp.") % {"name": name})
            continue
        if (size, sha) != (entry["size"], entry["sha256"]):
            problems.append(
                _("Tệp %(name)s: nội dung trong kho tệp khác bảng kê.") % {"name": name}
            )
    return problems
