"""The city's consolidated report in Word: the official header and signature from settings, Times
New Roman throughout, and a period named once ("năm 2026", not "năm năm 2026")."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document

from core.letterhead import MOTTO, SLOGAN
from core.tests.official import assert_times_new_roman, ending_texts, header_texts
from reporting import services
from reporting.consolidation import consolidate
from reporting.documents import word_report
from reporting.models import KIND_ORDER, Period, PeriodKind


@pytest.fixture
def annual(secretariat):
    indicators, sections = services.parse_definition(
        "meetings; Số cuộc họp giao ban CCHC; number; cuộc",
        "direction; Công tác chỉ đạo, điều hành",
    )
    template = services.save_template(secretariat, "Báo cáo CCHC năm", indicators, sections)
    return services.open_period(
        secretariat, 2026, PeriodKind.YEAR, template, timezone.now() + timedelta(days=5)
    )


def test_a_period_names_its_year_once():
    titles = [str(Period(year=2026, kind=kind)) for kind in KIND_ORDER]
    assert titles == [
        "Báo cáo CCHC quý I năm 2026",
        "Báo cáo CCHC 6 tháng năm 2026",
        "Báo cáo CCHC 9 tháng năm 2026",
        "Báo cáo CCHC năm 2026",
    ]


@pytest.mark.django_db
def test_the_annual_report_is_titled_without_a_doubled_word(secretariat, annual):
    document = Document(io.BytesIO(word_report(consolidate(annual))))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Kết quả cải cách hành chính năm 2026" in text and "năm năm" not in text
    template = annual.template
    with pytest.raises(services.ReportingError, match=r"^Đã có kỳ báo cáo năm 2026\.$"):
        services.open_period(secretariat, 2026, PeriodKind.YEAR, template, annual.due_at)


@pytest.mark.django_db
def test_consolidated_report_has_the_official_header_from_settings(annual, settings):
    settings.ORGANISATION_SUPERIOR = "UBND THÀNH PHỐ HÀ NỘI"
    settings.ORGANISATION_NAME = "SỞ NỘI VỤ"
    settings.REPORT_SIGNER_TITLE = "KT. GIÁM ĐỐC; PHÓ GIÁM ĐỐC"
    settings.REPORT_SIGNER_NAME = "Trần Thị Bình"
    settings.REPORT_RECIPIENTS = "UBND Thành phố (để báo cáo); Bộ Nội vụ (để báo cáo)"
    document = Document(io.BytesIO(word_report(consolidate(annual))))
    body, nation, number, place = header_texts(document)
    assert body == ["UBND THÀNH PHỐ HÀ NỘI", "SỞ NỘI VỤ", ""] and nation == [MOTTO, SLOGAN, ""]
    assert number.endswith("/BC-SNV")
    today = timezone.localdate()
    assert place == f"Hà Nội, ngày {today:%d} tháng {today:%m} năm {today.year}"
    receivers, signer = ending_texts(document)
    assert receivers == [
        "Nơi nhận:",
        "- UBND Thành phố (để báo cáo);",
        "- Bộ Nội vụ (để báo cáo);",
        "- Lưu: VT, CCHC.",
    ]
    assert signer == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Thị Bình"]
    section = document.sections[0]
    assert (section.left_margin.cm, section.right_margin.cm) == pytest.approx((3.0, 1.5), abs=0.01)
    assert_times_new_roman(document)
