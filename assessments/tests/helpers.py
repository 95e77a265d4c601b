"""Small real files for evidence tests."""

import io
from datetime import timedelta

from django.utils import timezone
from openpyxl import Workbook

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def xlsx_bytes() -> bytes:
    book = Workbook()
    book.active.append(["Báo cáo", 1])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    """A minimal Word package: what sniffing looks at is the zip's [Content_Types].xml and word/ part."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def report_rate(secretariat, officer, unit, numerator, denominator, kind="year"):
    """A submitted report of `unit` (annual unless `kind` says) whose dossiers_on_time rate feeds
    leaf 2.2."""
    from reporting import services as reporting

    template = reporting.save_template(
        secretariat,
        "Mẫu",
        [
            {
                "code": "dossiers_on_time",
                "label": "Đúng hạn",
                "is_rate": True,
                "unit_of_measure": "%",
            }
        ],
        [],
    )
    period = reporting.open_period(
        secretariat, 2025, kind, template, timezone.now() + timedelta(days=2)
    )
    report = reporting.report_for(period, unit)
    figures = {"dossiers_on_time": {"numerator": numerator, "denominator": denominator}}
    reporting.save_report(officer, report, figures, {})
    reporting.submit_report(officer, report)
