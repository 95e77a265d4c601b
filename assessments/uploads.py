"""Evidence files checked by content: type from magic bytes, size, emptiness, a clean name."""

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.utils.translation import gettext as _

from core.spreadsheets import XLSX_CONTENT_TYPE

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = XLSX_CONTENT_TYPE
JPEG = "image/jpeg"
PNG = "image/png"
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", XLSX: ".xlsx", JPEG: ".jpg", PNG: ".png"}


class UploadRefused(Exception):
    """The file is not stored; the message says why, in the active language."""


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int
    sha256: str
    data: bytes


def clean_name(name: str) -> str:
    """The last path component only, without control characters, at most 150 characters."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = unicodedata.normalize("NFC", base)
    base = re.sub(r"[\x00-\x1f\x7f<>:\"/\\|?*]", "", base).strip(" .")
    return base[-150:] or "tep"


def sniff(data: bytes) -> str | None:
    """The real type of a file from its first bytes; Office files by their inner parts."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return DOCX
            if any(n.startswith("xl/") for n in names):
                return XLSX
    return None


def check_upload(upload) -> CheckedFile:
    limit = settings.EVIDENCE_MAX_BYTES
    name = clean_name(getattr(upload, "name", ""))
    if upload.size == 0:
        raise UploadRefused(_("Tệp “%(name)s” rỗng.") % {"name": name})
    if upload.size > limit:
        raise UploadRefused(
            _("Tệp “%(name)s” quá lớn (%(size)s MB); giới hạn là %(limit)s MB.")
            % {
                "name": name,
                "size": f"{upload.size / 1048576:.1f}",
                "limit": f"{limit / 1048576:.0f}",
            }
        )
    data = upload.read()
    content_type = sniff(data)
    if content_type is None:
        raise UploadRefused(
            _(
                "Tệp “%(name)s” không phải là PDF, DOCX, XLSX, JPG hoặc PNG "
                "(kiểm tra theo nội dung tệp)."
            )
            % {"name": name}
        )
    stem = name.rsplit(".", 1)[0] if "." in name else name
    name = f"{stem}{EXTENSIONS[content_type]}"
    if settings.CLAMAV_SOCKET:
        scan(data, name)
    return CheckedFile(name, content_type, len(data), hashlib.sha256(data).hexdigest(), data)


def scan(data: bytes, name: str) -> None:
    """Optional ClamAV scan through clamd's socket (INSTREAM); refuses the file if a virus is found."""
    import socket
    import struct

    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(30)
            conn.connect(settings.CLAMAV_SOCKET)
            conn.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), 65536):
                chunk = data[start : start + 65536]
                conn.sendall(struct.pack("!L", len(chunk)) + chunk)
            conn.sendall(struct.pack("!L", 0))
            answer = conn.recv(4096).decode(errors="replace")
    except OSError as exc:
        raise UploadRefused(_("Không kiểm tra được virus lúc này; vui lòng thử lại sau.")) from exc
    if "FOUND" in answer:
        raise UploadRefused(
            _("Tệp “%(name)s” bị phát hiện có mã độc và không được lưu.") % {"name": name}
        )
