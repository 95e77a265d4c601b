"""The document kinds a results Job can make (results/tasks.py calls them with a snapshot)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.utils import timezone, translation

from core.letterhead import Letterhead
from cycles.organisers import letterhead_of

from . import BUILDERS, content, pdf, word, workbook

Progress = Callable[[int, str], None]


def register(kind: str):
    def decorate(function):
        BUILDERS[kind] = function
        return function

    return decorate


def _today() -> date:
    return timezone.localdate()


def _letterhead(snapshot: dict) -> Letterhead:
    """The letterhead of the index's organiser (the city's for snapshots made before organisers)."""
    return letterhead_of(snapshot["cycle"].get("organiser"))


def _stepper(on_progress: Progress, start: int, end: int, message: str):
    """Block-by-block progress of a renderer mapped onto start..end percent."""
    last = [-1]

    def step(done: int, total: int) -> None:
        percent = start + (end - start) * done // max(1, total)
        if percent != last[0]:
            last[0] = percent
            on_progress(percent, message)

    return step


@register("docx")
def analysis_docx(snapshot: dict, on_progress: Progress) -> tuple[str, bytes]:
    year = snapshot["cycle"]["year"]
    with translation.override(settings.LANGUAGE_CODE):
        on_progress(5, "Soạn nội dung báo cáo phân tích")
        report = content.analysis_report(snapshot, _today(), _letterhead(snapshot))
        data = word.render(report, _stepper(on_progress, 10, 95, "Vẽ biểu đồ, lập bảng (Word)"))
    on_progress(98, "Lưu tệp Word")
    return f"bao-cao-phan-tich-chi-so-cchc-{year}.docx", data


@register("pdf")
def analysis_pdf(snapshot: dict, on_progress: Progress) -> tuple[str, bytes]:
    year = snapshot["cycle"]["year"]
    with translation.override(settings.LANGUAGE_CODE):
        on_progress(5, "Soạn nội dung báo cáo phân tích")
        report = content.analysis_report(snapshot, _today(), _letterhead(snapshot))
        step = _stepper(on_progress, 10, 60, "Vẽ biểu đồ, lập bảng (PDF)")
        page = pdf.html(report, step)
        on_progress(65, "Dàn trang PDF")
        data = pdf.print_html(page)
    on_progress(98, "Lưu tệp PDF")
    return f"bao-cao-phan-tich-chi-so-cchc-{year}.pdf", data


@register("short")
def short_docx(snapshot: dict, on_progress: Progress) -> tuple[str, bytes]:
    year = snapshot["cycle"]["year"]
    with translation.override(settings.LANGUAGE_CODE):
        on_progress(5, "Soạn nội dung báo cáo rút gọn")
        report = content.short_report(snapshot, _today(), _letterhead(snapshot))
        data = word.render(report, _stepper(on_progress, 10, 95, "Lập bảng xếp hạng (Word)"))
    on_progress(98, "Lưu tệp Word")
    return f"bao-cao-rut-gon-chi-so-cchc-{year}.docx", data


@register("xlsx")
def results_xlsx(snapshot: dict, on_progress: Progress) -> tuple[str, bytes]:
    year = snapshot["cycle"]["year"]
    on_progress(5, "Chuẩn bị bảng tính kết quả")
    data = workbook.build(snapshot, on_progress)
    on_progress(98, "Lưu tệp Excel")
    return f"ket-qua-chi-so-cchc-{year}.xlsx", data
