"""The archive: a tar file (gzip-compressed when its name ends in .gz or .tgz) holding the database dump,
every stored file under media/ and manifest.json, written last, with their sizes and SHA-256; read back
only after every member has been checked against the manifest."""

from __future__ import annotations

import hashlib
import io
import json
import posixpath
import tarfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from django.utils.translation import gettext as _

from ..health import PROBE_PREFIX
from .errors import BackupError, RestoreRefused

FORMAT = "parindex-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media/"
DUMP_NAMES = {"postgresql": "database/parindex.pgdump", "sqlite": "database/parindex.sqlite3"}
CHUNK = 1024 * 1024


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


def digest(fileobj) -> tuple[int, str]:
    reader = _Hashing(fileobj)
    while reader.read(CHUNK):
        pass
    return reader.size, reader.sha256.hexdigest()


def _safe_name(name: str) -> bool:
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and "\\" not in name and ".." not in parts


def default_archive_name() -> str:
    return f"parindex-backup-{datetime.now().strftime('%Y%m%d-%H%M%S')}.tar"


def tar_mode(path: Path, write: bool) -> str:
    if not write:
        return "r:*"
    return "w:gz" if path.name.endswith((".gz", ".tgz")) else "w"


def add_file(tar: tarfile.TarFile, name: str, size: int, fileobj) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(datetime.now().timestamp()), 0o644
    tar.addfile(info, fileobj)


def add_stored_file(tar: tarfile.TarFile, storage, name: str) -> dict:
    size = storage.size(name)
    with storage.open(name, "rb") as stored:
        reader = _Hashing(stored)
        try:
            add_file(tar, MEDIA + name, size, reader)
        except OSError as error:
            raise BackupError(
                _("Tệp %(name)s thay đổi trong khi sao lưu (%(error)s); hãy chạy lại.")
                % {"name": name, "error": error}
            ) from None
    return {"path": name, "size": size, "sha256": reader.sha256.hexdigest()}


def add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    add_file(tar, name, len(data), io.BytesIO(data))


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember(MANIFEST)
    except KeyError:
        raise RestoreRefused(
            _("Tệp này không có bảng kê manifest.json: không phải bản sao lưu parindex.")
        ) from None
    try:
        manifest = json.loads(tar.extractfile(member).read())
    except (ValueError, AttributeError):
        raise RestoreRefused(_("Bảng kê manifest.json hỏng, không đọc được.")) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise RestoreRefused(_("Tệp này không phải bản sao lưu parindex."))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise RestoreRefused(
            _(
                "Bản sao lưu có định dạng phiên bản %(found)s; "
                "phiên bản này của parindex đọc định dạng %(known)s."
            )
            % {"found": manifest.get("format_version"), "known": FORMAT_VERSION}
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
        raise RestoreRefused(_("Bảng kê manifest.json thiếu hoặc sai thông tin, không dùng được."))
    return manifest


def verify_archive(archive: Path | str, dump_to: Path | None = None) -> dict:
    """Check every member of the archive against the manifest; return the manifest or raise
    RestoreRefused listing every difference. With `dump_to`, the database dump is written there."""
    archive = Path(archive)
    if not archive.is_file():
        raise RestoreRefused(_("Không có tệp %(path)s.") % {"path": archive})
    try:
        with tarfile.open(archive, tar_mode(archive, False)) as tar:
            manifest = read_manifest(tar)
            return _verify_members(tar, manifest, dump_to)
    except (tarfile.TarError, EOFError, OSError) as error:
        raise RestoreRefused(
            _("Tệp sao lưu hỏng, không đọc hết được (%(error)s).") % {"error": error}
        ) from None


def _verify_members(tar: tarfile.TarFile, manifest: dict, dump_to: Path | None) -> dict:
    problems = []
    database = manifest["database"]
    expected = {MEDIA + entry["path"]: entry for entry in manifest["files"]}
    unsafe = [entry["path"] for entry in manifest["files"] if not _safe_name(entry["path"])]
    if unsafe:
        raise RestoreRefused(
            _("Bảng kê có tên tệp không hợp lệ: %(names)s.") % {"names": ", ".join(unsafe[:5])}
        )
    seen, dump_seen = set(), False
    for member in tar.getmembers():
        if member.name == MANIFEST:
            continue
        if member.name == database["file"]:
            dump_seen = True
            label, want = _("Bản kết xuất cơ sở dữ liệu"), database
        elif member.name in expected:
            seen.add(member.name)
            label = _("Tệp %(name)s") % {"name": member.name[len(MEDIA) :]}
            want = expected[member.name]
        else:
            problems.append(
                _("Bản sao lưu có %(name)s, không có trong bảng kê.") % {"name": member.name}
            )
            continue
        if not member.isfile():
            problems.append(_("%(label)s: không phải một tệp thường.") % {"label": label})
            continue
        source = tar.extractfile(member)
        if member.name == database["file"] and dump_to is not None:
            with open(dump_to, "wb") as out:
                reader = _Hashing(source)
                while data := reader.read(CHUNK):
                    out.write(data)
            size, sha = reader.size, reader.sha256.hexdigest()
        else:
            size, sha = digest(source)
        if size != want["size"]:
            problems.append(
                _("%(label)s: %(size)s byte, bảng kê ghi %(expected)s byte.")
                % {"label": label, "size": size, "expected": want["size"]}
            )
        elif sha != want["sha256"]:
            problems.append(
                _("%(label)s: mã kiểm tra SHA-256 khác bảng kê (nội dung đã bị thay đổi).")
                % {"label": label}
            )
    if not dump_seen:
        problems.append(
            _("Thiếu bản kết xuất cơ sở dữ liệu %(file)s.") % {"file": database["file"]}
        )
    problems.extend(
        _("Thiếu tệp %(name)s (có trong bảng kê).") % {"name": name[len(MEDIA) :]}
        for name in sorted(set(expected) - seen)
    )
    if problems:
        raise RestoreRefused([_("Bản sao lưu không toàn vẹn, không khôi phục:"), *problems])
    return manifest


def extract_files(archive: Path, manifest: dict, storage, force: bool) -> None:
    """Save the archive's files into the storage, over existing ones only with `force`."""
    expected = {MEDIA + entry["path"]: entry for entry in manifest["files"]}
    with tarfile.open(archive, tar_mode(archive, False)) as tar:
        for member in tar.getmembers():
            entry = expected.get(member.name)
            if entry is None:
                continue
            name = entry["path"]
            if force and storage.exists(name):
                storage.delete(name)
            saved = storage.save(name, tar.extractfile(member))
            if saved != name:
                raise BackupError(
                    _("Kho tệp lưu %(name)s dưới tên khác (%(saved)s).")
                    % {"name": name, "saved": saved}
                )
