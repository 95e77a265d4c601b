"""`parindex backup` and `parindex restore`: the demo year and its files come back exactly, into a fresh
database of the same kind as the suite's (a second PostgreSQL database, or another SQLite file); a
damaged archive is refused before anything is touched."""

import hashlib
import io
import json
import shutil
import tarfile
from contextlib import contextmanager

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, InMemoryStorage, default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from assessments.models import Evidence
from demo.load import load_demo
from ops.backup import (
    MANIFEST,
    MEDIA,
    RestoreRefused,
    libpq_params,
    restore,
    storage_files,
    table_counts,
    verify_archive,
)


@contextmanager
def fresh_database(tmp_path, suffix: str):
    """Settings for an empty database beside the suite's own, dropped afterwards."""
    source = connection.settings_dict
    if connection.vendor == "sqlite":
        yield {**source, "NAME": str(tmp_path / f"{suffix}.sqlite3")}
        return
    import psycopg

    name = f"{source['NAME']}_{suffix}"[:63]
    with psycopg.connect(**libpq_params(source), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**source, "NAME": name}
    finally:
        with psycopg.connect(**libpq_params(source), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def checksums(storage) -> dict[str, str]:
    sums = {}
    for name in storage_files(storage):
        with storage.open(name, "rb") as stored:
            sums[name] = hashlib.sha256(stored.read()).hexdigest()
    return sums


def data_rows(counts):
    return {t: n for t, n in counts.items() if n} if counts else {}


def rewrite(archive, target, *, flip_in=None, leave_out=None):
    """A copy of the archive with one byte changed in member `flip_in`, or without member `leave_out`."""
    if flip_in:
        shutil.copy(archive, target)
        with tarfile.open(archive) as tar:
            member = tar.getmember(flip_in)
        with open(target, "r+b") as damaged:
            damaged.seek(member.offset_data + member.size // 2)
            byte = damaged.read(1)
            damaged.seek(-1, 1)
            damaged.write(bytes([byte[0] ^ 0x01]))
        return target
    with (
        tarfile.open(archive) as source,
        tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as out,
    ):
        for member in source.getmembers():
            if member.name != leave_out:
                out.addfile(member, source.extractfile(member))
    return target


@pytest.mark.whole_demo
@pytest.mark.django_db(transaction=True)
def test_the_demo_year_and_its_files_round_trip_and_damage_is_refused(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    load_demo()
    # Besides the demo's evidence: nested folders, a Vietnamese name, a larger binary, a report.
    default_storage.save(
        "evidence/2026/00070/biên bản kiểm tra.pdf", ContentFile(b"%PDF-1.4 " * 9000)
    )
    default_storage.save("evidence/2026/S02/anh chup.png", ContentFile(bytes(range(256)) * 2000))
    default_storage.save("results/2025/7-bao-cao.docx", ContentFile(b"PK\x03\x04 report"))
    source_counts = table_counts(connection.settings_dict)
    source_files = checksums(default_storage)
    assert Evidence.objects.exclude(file="").count() > 10 and len(source_files) > 10
    assert data_rows(source_counts)["surveys_response"] > 1000

    archive = tmp_path / "backup.tar"
    call_command("backup", output=str(archive), verbosity=0)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[-1] == MANIFEST and len(names) == len(source_files) + 2

    with fresh_database(tmp_path, "restored") as target:
        # Files go through the storage API only: restored into a storage with no folder at all.
        restored = InMemoryStorage()
        report = restore(archive, target=target, storage=restored)
        # Every table's row count and every file's checksum, read back from the new installation.
        assert table_counts(target) == source_counts == report.manifest["tables"]
        assert checksums(restored) == source_files
        assert report.manifest["database"]["vendor"] == connection.vendor
        assert report.manifest["migrations"]["accounts"][0] == "0001_initial"
        assert report.notes == []
        # Now it holds data: a second restore is refused unless forced.
        with pytest.raises(RestoreRefused) as refused:
            restore(archive, target=target, storage=restored)
        assert "Cơ sở dữ liệu đích đã có dữ liệu" in str(refused.value)
        assert "--force" in str(refused.value)
        assert restore(archive, target=target, storage=restored, force=True).files == len(
            source_files
        )

    # Damaged archives: refused with the damage named, and the fresh installation left untouched.
    evidence = next(name for name in source_files if name.startswith("evidence/"))
    changed = rewrite(archive, tmp_path / "changed.tar", flip_in=MEDIA + evidence)
    missing = rewrite(archive, tmp_path / "missing.tar", leave_out=MEDIA + evidence)
    dump = rewrite(archive, tmp_path / "dump.tar", flip_in=report.manifest["database"]["file"])
    with fresh_database(tmp_path, "damaged") as target:
        untouched = FileSystemStorage(location=tmp_path / "untouched-media")
        expected = {
            changed: f"Tệp {evidence}: mã kiểm tra SHA-256 khác bảng kê (nội dung đã bị thay đổi).",
            missing: f"Thiếu tệp {evidence} (có trong bảng kê).",
            dump: "Bản kết xuất cơ sở dữ liệu: mã kiểm tra SHA-256 khác bảng kê (nội dung đã bị "
            "thay đổi).",
        }
        for damaged, message in expected.items():
            with pytest.raises(RestoreRefused) as refused:
                restore(damaged, target=target, storage=untouched)
            assert refused.value.problems[0] == "Bản sao lưu không toàn vẹn, không khôi phục:"
            assert message in refused.value.problems[1:]
            assert data_rows(table_counts(target)) == {}
            assert list(storage_files(untouched)) == []
    # The command says the same and exits non-zero (refused before it touches the suite's database).
    with pytest.raises(CommandError, match=f"Thiếu tệp {evidence}"):
        call_command("restore", str(missing), verbosity=0)
    assert table_counts(connection.settings_dict) == source_counts


def test_what_is_not_a_parindex_backup_is_refused(tmp_path):
    text = tmp_path / "notes.tar"
    text.write_bytes(b"not an archive at all" * 100)
    with pytest.raises(RestoreRefused, match="Tệp sao lưu hỏng"):
        verify_archive(text)
    other = tmp_path / "other.tar"
    with tarfile.open(other, "w") as tar:
        tar.add(__file__, arcname="test_backup.py")
    with pytest.raises(RestoreRefused, match="không có bảng kê manifest.json"):
        verify_archive(other)
    forged = tmp_path / "forged.tar"
    manifest = json.dumps({"format": "parindex-backup", "format_version": 1, "files": []}).encode()
    with tarfile.open(forged, "w") as tar:
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))
    with pytest.raises(RestoreRefused, match="thiếu hoặc sai thông tin"):
        verify_archive(forged)
    with pytest.raises(RestoreRefused, match="Không có tệp"):
        verify_archive(tmp_path / "absent.tar")
