"""A snapshot turned into the analysis report and its short version (model.Report), once for every
format: word.py and pdf.py only lay these blocks out.

The analysis report (báo cáo phân tích kết quả Chỉ số CCHC): I. overview, II. method, III. results
per group, IV. analysis per domain, V. progress and the awards proposal, VI. findings and
recommendations. The short version (báo cáo rút gọn): key figures, leading units, ranking tables.
"""

from __future__ import annotations

from datetime import date

from core.letterhead import Letterhead

from . import narrative, sections
from . import sipas as sipas_part
from .model import Paragraph, Report
from .sections import Reading, heading, paragraphs
from .tables import award_rule, groups_table, ranking_table
from .text import join, percent

# The short version is handed out at the conference; the full report goes to the letterhead's
# standing recipients (settings REPORT_RECIPIENTS, core/letterhead.py).
SHORT_RECIPIENTS = ["UBND Thành phố (để báo cáo)", "Đại biểu dự Hội nghị"]

# The analysis report, section by section (sections.py).
ANALYSIS_SECTIONS = (
    sections.overview,
    sections.method,
    sections.groups,
    sections.domains,
    sections.progress_and_awards,
    sections.conclusions,
)


def analysis_report(snapshot: dict, issued: date, letterhead: Letterhead | None = None) -> Report:
    reading = Reading.of(snapshot)
    year = reading.year
    report = Report(
        kind_title="BÁO CÁO",
        subject=f"Phân tích kết quả Chỉ số cải cách hành chính năm {year}",
        issued=issued,
        letterhead=letterhead or Letterhead.from_settings(),
    )
    report.add(
        Paragraph.of(
            f"Căn cứ kết quả thẩm định, kết quả điều tra xã hội học và kết quả đã được Hội đồng "
            f"thẩm định Chỉ số cải cách hành chính (CCHC) thông qua, Sở Nội vụ báo cáo phân tích "
            f"kết quả Chỉ số CCHC năm {year} của các cơ quan, đơn vị trên địa bàn Thành phố như sau:"
        )
    )
    for section in ANALYSIS_SECTIONS:
        section(report, reading)
    sipas_part.section(report, snapshot)
    report.add(
        Paragraph.of(
            f"Trên đây là báo cáo phân tích kết quả Chỉ số CCHC năm {year} của Sở Nội vụ./.",
            kind="closing",
        )
    )
    return report


def short_report(snapshot: dict, issued: date, letterhead: Letterhead | None = None) -> Report:
    reading = Reading.of(snapshot)
    year, figures, averages = reading.year, reading.figures, reading.averages
    thresholds = reading.thresholds
    report = Report(
        kind_title="BÁO CÁO",
        subject=f"Tóm tắt kết quả Chỉ số cải cách hành chính năm {year}",
        issued=issued,
        letterhead=letterhead or Letterhead.from_settings(),
        recipients=SHORT_RECIPIENTS,
        body_pt=13,
    )
    report.add(heading(1, 1, "Số liệu chính"))
    report.add(*paragraphs(narrative.city_sentence(snapshot)))
    for fig in figures:
        report.add(
            *paragraphs(
                "- " + narrative.headline(fig, year), narrative.bands_sentence(fig, thresholds)
            )
        )
    if averages["appraisal_percent"] is not None and averages["survey_percent"] is not None:
        report.add(
            Paragraph.of(
                f"- Phần thẩm định đạt bình quân {percent(averages['appraisal_percent'])}, phần "
                f"điều tra xã hội học {percent(averages['survey_percent'])} số điểm tối đa."
            )
        )
    if snapshot.get("sipas"):
        report.add(Paragraph.of("- " + sipas_part.headline(snapshot["sipas"])))
    report.add(groups_table(snapshot, figures))

    report.add(heading(1, 2, "Đơn vị dẫn đầu và tiến bộ"))
    rule = award_rule(snapshot)
    for fig in figures:
        leaders = [u for u in fig.indexed if u["rank"] is not None and u["rank"] <= rule["top_n"]]
        if leaders:
            report.add(
                Paragraph.of(
                    join([f"{u['rank']}. {u['name']} ({percent(u['index'])})" for u in leaders])
                    + ".",
                    lead=f"{fig.name}: ",
                )
            )
        report.add(*paragraphs(narrative.progress_sentence(fig)))

    report.add(heading(1, 3, "Bảng xếp hạng"))
    for fig in figures:
        report.add(ranking_table(snapshot, fig, compact=True))
    report.add(
        Paragraph.of(
            "Khoảng thứ hạng của từng đơn vị, phân tích theo lĩnh vực và đề xuất khen thưởng: xem "
            f"Báo cáo phân tích kết quả Chỉ số CCHC năm {year}.",
            kind="note",
        )
    )
    return report
