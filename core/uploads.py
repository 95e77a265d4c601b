"""The upload form every import screen uses: one file, size-checked before it is read, and the check of
an XLSX package's declared sizes that every import runs before openpyxl opens it (core/tabular.py)."""

import io
import zipfile

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .formats import number

# An XLSX is a zip: a few kilobytes may unpack into gigabytes of XML. Python's zipfile never unpacks a
# member past the size its directory declares (it stops there and the CRC check fails), so checking the
# declared sizes before anything is unpacked bounds the work. The limits are far above a real import
# (the Hà Nội unit catalogue is 0,1 MB unpacked; a 20.000-row sheet from Excel some 5 MB).
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
# Deflate packs at most about 1:1030; Excel's own sheets about 1:5 to 1:20, repetitive ones 1:300.
MAX_COMPRESSION_RATIO = 500
RATIO_CHECKED_FROM_BYTES = 1024 * 1024  # a small member may be all zeros: harmless
MAX_MEMBERS = 1000


class PackageRefused(ValueError):
    """An XLSX package refused before it is opened; the message says why, in Vietnamese."""


def _megabytes(size: int) -> str:
    return number(size / 1048576, 1)


def check_xlsx_package(data: bytes) -> None:
    """Raises PackageRefused when the zip's directory declares too much to unpack: more than
    MAX_UNCOMPRESSED_BYTES in all, a member packed more than MAX_COMPRESSION_RATIO to one (a zip bomb),
    or more than MAX_MEMBERS parts. Reads the directory only; unpacks nothing."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise PackageRefused(
            _("Tệp không phải là tệp Excel .xlsx hợp lệ (không mở được).")
        ) from None
    if len(members) > MAX_MEMBERS:
        raise PackageRefused(
            _("Tệp Excel có quá nhiều thành phần (%(count)s; tối đa %(limit)s): không mở tệp này.")
            % {"count": len(members), "limit": MAX_MEMBERS}
        )
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise PackageRefused(
            _(
                "Tệp Excel quá lớn khi giải nén (%(size)s MB; tối đa %(limit)s MB). "
                "Hãy chia dữ liệu thành nhiều tệp nhỏ hơn."
            )
            % {"size": _megabytes(total), "limit": _megabytes(MAX_UNCOMPRESSED_BYTES)}
        )
    for member in members:
        if (
            member.file_size >= RATIO_CHECKED_FROM_BYTES
            and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
        ):
            raise PackageRefused(
                _(
                    "Tệp Excel bị nén bất thường (một phần nở ra gấp hơn %(ratio)s lần khi giải nén) "
                    "nên không được mở. Hãy mở tệp bằng Excel, lưu lại rồi tải lên lần nữa."
                )
                % {"ratio": MAX_COMPRESSION_RATIO}
            )


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp (.xlsx hoặc .csv)"))

    def __init__(self, *args, max_bytes: int | None = None, accept: str = ".xlsx,.csv", **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes or settings.FRAMEWORK_UPLOAD_MAX_BYTES
        self.fields["file"].widget.attrs["accept"] = accept

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                gettext_lazy("Tệp quá lớn (%(size)s MB); giới hạn là %(limit)s MB."),
                params={
                    "size": round(upload.size / 1048576, 1),
                    "limit": round(self.max_bytes / 1048576, 1),
                },
            )
        # A zip bomb is refused here, before the view keeps or parses it (read_table checks again).
        head = upload.read(4)
        upload.seek(0)
        if head == b"PK\x03\x04":
            try:
                check_xlsx_package(upload.read())
            except PackageRefused as exc:
                raise forms.ValidationError(str(exc)) from None
            finally:
                upload.seek(0)
        return upload
