"""The sections of the analysis report (I. overview … VI. findings and recommendations), each adding its
blocks to the report from one reading of the snapshot."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from results import analysis, charts

from . import narrative
from .model import Chart, Heading, Paragraph, Report
from .narrative import GroupFigures, cap
from .tables import (
    award_rule,
    awards_table,
    domains_table,
    gains_table,
    groups_table,
    losses_table,
    ranking_table,
)
from .text import group_phrase, join, percent, points, signed

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
BAR_CHART_LIMIT = 40  # a group larger than this gets a distribution, not one bar per unit
HEATMAP_ROWS = 45  # units per heatmap picture (one page)


@dataclass(frozen=True)
class Reading:
    """What every section reads from the snapshot, computed once."""

    snapshot: dict
    year: int
    figures: list[GroupFigures]
    averages: dict
    thresholds: dict[str, float]

    @classmethod
    def of(cls, snapshot: dict) -> Reading:
        return cls(
            snapshot=snapshot,
            year=snapshot["cycle"]["year"],
            figures=[narrative.group_figures(snapshot, g["name"]) for g in snapshot["groups"]],
            averages=analysis.city_averages(snapshot),
            thresholds=_thresholds(snapshot),
        )


def _thresholds(snapshot: dict) -> dict[str, float]:
    """Band thresholds when the snapshot carries them ([{"code": "A", "min": 90}, …])."""
    return {
        str(b["code"]): float(b["min"])
        for b in snapshot.get("bands") or []
        if "code" in b and "min" in b
    }


def heading(level: int, counter: int, text: str) -> Heading:
    if level == 1:
        return Heading(1, f"{ROMAN[counter - 1]}. {text.upper()}")
    if level == 2:
        return Heading(2, f"{counter}. {text}")
    return Heading(3, f"{chr(ord('a') + counter - 1)}) {text}")


def paragraphs(*texts: str) -> list[Paragraph]:
    return [Paragraph.of(t) for t in texts if t]


def _group_heatmap(snapshot: dict, figures: list[GroupFigures]) -> dict:
    domains = [
        (code, title)
        for code, title in analysis.domain_titles(snapshot)
        if any(d["code"] == code for fig in figures for d in fig.domains)
    ]
    return {
        "domains": domains,
        "rows": [
            {
                "code": fig.name,
                "name": fig.name,
                "rank": None,
                "values": [
                    next((d["mean_index"] for d in fig.domains if d["code"] == code), None)
                    for code, _ in domains
                ],
            }
            for fig in figures
        ],
    }


def _heatmap_parts(snapshot: dict, fig: GroupFigures) -> list[dict]:
    data = analysis.heatmap(snapshot, fig.name)
    rows = data["rows"]
    return [
        {"domains": data["domains"], "rows": rows[start : start + HEATMAP_ROWS]}
        for start in range(0, len(rows), HEATMAP_ROWS)
    ]


def draw(function, *args, **kwargs):
    """A Chart's `draw(fmt)`: the picture is made only when a layout asks for it, in its format."""
    return partial(_call, function, args, kwargs)


def _call(function, args, kwargs, fmt):
    return function(*args, fmt=fmt, **kwargs)


def overview(report: Report, r: Reading) -> None:
    """I. Overview: the city, each group's headline, the parts, the distribution."""
    snapshot, year, figures, averages = r.snapshot, r.year, r.figures, r.averages
    report.add(heading(1, 1, "Tổng quan kết quả"))
    report.add(*paragraphs(narrative.city_sentence(snapshot)))
    report.add(*paragraphs(*(narrative.headline(fig, year) for fig in figures)))
    if averages["appraisal_percent"] is not None and averages["survey_percent"] is not None:
        report.add(
            Paragraph.of(
                f"Tính chung toàn Thành phố, phần thẩm định đạt bình quân "
                f"{percent(averages['appraisal_percent'])} số điểm tối đa, phần điều tra xã hội học "
                f"đạt {percent(averages['survey_percent'])}."
            )
        )
    report.add(groups_table(snapshot, figures))
    all_bins = analysis.distribution(snapshot["units"])
    if all_bins:
        report.add(
            Chart(
                draw(charts.distribution, all_bins, title="Phân bố chỉ số CCHC toàn Thành phố"),
                f"Phân bố chỉ số CCHC năm {year} của {len(snapshot['units'])} cơ quan, đơn vị",
                width_cm=13,
            )
        )


def method(report: Report, r: Reading) -> None:
    """II. Method: index and rank, the survey part, rank intervals, the comparison."""
    year, thresholds = r.year, r.thresholds
    report.add(heading(1, 2, "Phương pháp tính"))
    report.add(heading(2, 1, "Chỉ số và thứ hạng"))
    band_text = (
        "; ".join(f"loại {code} từ {percent(value)} trở lên" for code, value in thresholds.items())
        if thresholds
        else "theo các ngưỡng chỉ số cố định của kỳ đánh giá"
    )
    report.add(
        *paragraphs(
            "Mỗi tiêu chí thành phần có điểm tối đa và quy tắc chấm điểm riêng. Điểm của đơn vị là "
            "tổng điểm các tiêu chí sau thẩm định và giải trình, cộng điểm thưởng, trừ điểm trừ. "
            "Chỉ số bằng tổng điểm chia cho tổng điểm tối đa áp dụng với đơn vị, nhân 100, làm tròn "
            "đến hai chữ số thập phân. Tiêu chí được chấp nhận là không áp dụng với một đơn vị thì "
            "không tính vào điểm tối đa của đơn vị đó, nên chỉ số của các đơn vị vẫn so sánh được.",
            "Các đơn vị được xếp hạng trong từng khối; đơn vị có chỉ số bằng nhau thì cùng thứ hạng "
            "(ví dụ 1, 2, 2, 4). Xếp loại theo ngưỡng cố định, không theo tỷ lệ số đơn vị: "
            f"{band_text}, để sự tiến bộ của mọi đơn vị đều được ghi nhận.",
        )
    )
    report.add(heading(2, 2, "Phần điều tra xã hội học"))
    report.add(
        *paragraphs(
            "Điểm các tiêu chí điều tra xã hội học được tính từ phiếu trả lời của người dân, tổ chức, "
            "doanh nghiệp và cán bộ, công chức về từng đơn vị: điểm của tiêu chí bằng điểm tối đa "
            "nhân với tỷ lệ đánh giá tích cực của những người trả lời hợp lệ. Mỗi con số khảo sát "
            "đi kèm số phiếu và khoảng tin cậy 95\u00a0%; đơn vị chưa có phiếu hợp lệ được nêu riêng.",
        )
    )
    report.add(heading(2, 3, "Khoảng thứ hạng"))
    report.add(
        *paragraphs(
            "Điểm điều tra xã hội học đến từ một mẫu vài trăm người trả lời nên có sai số chọn mẫu: "
            "nếu hỏi một mẫu khác, điểm có thể cao hơn hoặc thấp hơn đôi chút. Để biết sai số đó "
            "ảnh hưởng đến thứ hạng thế nào, mỗi tỷ lệ khảo sát được rút ngẫu nhiên lại nhiều lần "
            "theo đúng số phiếu của đơn vị, tính lại chỉ số và xếp hạng lại cả khối (phương pháp "
            "mô phỏng Monte Carlo, có cố định hạt giống ngẫu nhiên để tính lại luôn cho cùng kết quả).",
            "Khoảng thứ hạng 90\u00a0% gồm các thứ hạng đơn vị đạt được trong 90\u00a0% số lần mô phỏng. "
            "Cách ghi “12 (9–16)” nghĩa là đơn vị xếp hạng 12 theo kết quả chính thức, và khi tính "
            "đến sai số khảo sát, thứ hạng của đơn vị nằm trong khoảng từ 9 đến 16. Thứ hạng chính "
            "thức không thay đổi; khoảng thứ hạng cho biết những chênh lệch nào giữa các đơn vị là "
            "thực chất. Hai đơn vị liền nhau được coi là khác nhau thực sự khi đơn vị xếp trên đứng "
            "trên đơn vị xếp dưới trong ít nhất 95\u00a0% số lần mô phỏng.",
        )
    )
    report.add(heading(2, 4, "So sánh với năm trước"))
    report.add(
        *paragraphs(
            f"Thay đổi được tính bằng chỉ số năm {year} trừ chỉ số năm {year - 1} của cùng đơn vị. "
            "Đơn vị hình thành từ việc sắp xếp, sáp nhập được so sánh với bình quân chỉ số của các "
            "đơn vị trước sáp nhập; đơn vị mới chưa có kết quả để so sánh. Một đơn vị được coi là "
            "tiến bộ vượt bậc khi chỉ số gần như chắc chắn tăng (xác suất từ 95\u00a0% trở lên khi tính "
            "đến sai số khảo sát) và mức tăng nổi bật hẳn so với mức thay đổi chung của khối.",
        )
    )


def groups(report: Report, r: Reading) -> None:
    """III. Results per group: the narrative, a chart and the ranking table."""
    snapshot, year, figures, thresholds = r.snapshot, r.year, r.figures, r.thresholds
    report.add(heading(1, 3, "Kết quả theo khối"))
    for number_, fig in enumerate(figures, start=1):
        report.add(heading(2, number_, fig.name))
        report.add(
            *paragraphs(
                narrative.size_and_spread(fig),
                narrative.headline(fig, year),
                narrative.bands_sentence(fig, thresholds),
                narrative.parts_sentence(fig),
                narrative.uncertainty_sentence(fig),
                narrative.progress_sentence(fig),
                narrative.comparison_sentence(fig, year),
                narrative.survey_missing_sentence(fig),
            )
        )
        if fig.indexed and len(fig.indexed) <= BAR_CHART_LIMIT:
            chart = draw(charts.ranking_bars, fig.indexed, title=fig.name)
            report.add(Chart(chart, f"Chỉ số và thứ hạng {group_phrase(fig.name)}"))
        elif fig.indexed:
            bins = analysis.distribution(fig.indexed)
            chart = draw(
                charts.distribution, bins, title=f"Phân bố chỉ số {group_phrase(fig.name)}"
            )
            report.add(Chart(chart, f"Phân bố chỉ số {group_phrase(fig.name)}"))
        report.add(ranking_table(snapshot, fig))


def domains(report: Report, r: Reading) -> None:
    """IV. Domains: city and group averages, heatmaps, the leaves that lose most."""
    snapshot, figures, averages = r.snapshot, r.figures, r.averages
    titles = dict(analysis.domain_titles(snapshot)) | (snapshot.get("leaf_titles") or {})
    report.add(heading(1, 4, "Phân tích theo lĩnh vực"))
    city_domains = sorted(averages["domains"], key=lambda d: d["mean_index"])
    scored = [
        d
        for d in city_domains
        if not any(
            x.get("extra")
            for u in snapshot["units"]
            for x in u["domains"]
            if x["code"] == d["code"]
        )
    ]
    if len(scored) >= 2:
        lowest = [f"“{d['title']}” ({percent(d['mean_index'])})" for d in scored[:2]]
        report.add(
            Paragraph.of(
                f"Tính chung toàn Thành phố, lĩnh vực đạt chỉ số bình quân cao nhất là "
                f"“{scored[-1]['title']}” ({percent(scored[-1]['mean_index'])}); các lĩnh vực thấp "
                f"nhất là {join(lowest)}."
            )
        )
    report.add(*paragraphs(*(narrative.domains_sentence(fig) for fig in figures)))
    report.add(domains_table(snapshot, figures))
    if len(figures) > 1:
        report.add(
            Chart(
                draw(
                    charts.heatmap,
                    _group_heatmap(snapshot, figures),
                    title="Chỉ số bình quân theo khối và lĩnh vực",
                ),
                "Chỉ số bình quân theo khối và lĩnh vực (%)",
            )
        )
    for fig in figures:
        parts = _heatmap_parts(snapshot, fig)
        for part_number, part in enumerate(parts, start=1):
            suffix = f" (phần {part_number}/{len(parts)})" if len(parts) > 1 else ""
            report.add(
                Chart(
                    draw(charts.heatmap, part, title=f"{fig.name}{suffix}"),
                    f"Chỉ số theo lĩnh vực của từng đơn vị, {group_phrase(fig.name)}{suffix}",
                )
            )
        losses = losses_table(fig, titles)
        if losses.rows:
            report.add(losses)


def progress_and_awards(report: Report, r: Reading) -> None:
    """V. Progress and the awards proposal."""
    snapshot, year, figures = r.snapshot, r.year, r.figures
    report.add(heading(1, 5, "Tiến bộ và đề xuất khen thưởng"))
    gains = gains_table(snapshot)
    if gains.rows:
        report.add(*paragraphs(*(narrative.progress_sentence(fig) for fig in figures)))
        report.add(gains)
    else:
        report.add(Paragraph.of(f"Chưa có kết quả năm {year - 1} để đánh giá sự tiến bộ."))
    rule = award_rule(snapshot)
    report.add(
        Paragraph.of(
            f"Sở Nội vụ đề xuất Chủ tịch UBND Thành phố tặng Bằng khen cho {rule['top_n']} đơn vị "
            f"dẫn đầu mỗi khối và tối đa {rule['progress_n']} đơn vị tiến bộ vượt bậc của mỗi khối:"
        )
    )
    report.add(awards_table(snapshot))


def conclusions(report: Report, r: Reading) -> None:
    """VI. Findings, limits and recommendations drawn from the figures."""
    snapshot, figures, averages = r.snapshot, r.figures, r.averages
    report.add(heading(1, 6, "Nhận xét và kiến nghị"))
    report.add(heading(2, 1, "Kết quả đạt được"))
    report.add(*paragraphs(*_findings(snapshot, figures, averages)))
    report.add(heading(2, 2, "Tồn tại, hạn chế"))
    report.add(*paragraphs(*_limits(snapshot, figures)))
    report.add(heading(2, 3, "Kiến nghị, đề xuất"))
    report.add(*paragraphs(*_recommendations(snapshot, figures)))


def _findings(snapshot: dict, figures: list[GroupFigures], averages: dict) -> list[str]:
    year = snapshot["cycle"]["year"]
    out = []
    rising = [f for f in figures if f.mean_change is not None and f.mean_change > 0]
    if rising:
        out.append(
            "- Chỉ số bình quân tăng so với năm trước ở "
            + join([f"{group_phrase(f.name)} ({signed(f.mean_change)} điểm)" for f in rising])
            + "."
        )
    top_band = [(f, dict(f.bands).get(f.bands[0][0], 0), f.bands[0][0]) for f in figures if f.bands]
    for fig, count, code in top_band:
        out.append(
            f"- {count}/{len(fig.indexed)} đơn vị {group_phrase(fig.name)} đạt xếp loại {code}."
        )
    if averages["domains"]:
        best = max(averages["domains"], key=lambda d: d["mean_index"])
        out.append(
            f"- Lĩnh vực “{best['title']}” đạt kết quả tốt nhất, bình quân "
            f"{percent(best['mean_index'])} toàn Thành phố."
        )
    if not out:
        out.append(f"- Năm {year} là năm đầu tiên có kết quả trên hệ thống.")
    return out


def _limits(snapshot: dict, figures: list[GroupFigures]) -> list[str]:
    out = []
    falling = [f for f in figures if f.mean_change is not None and f.mean_change < 0]
    if falling:
        out.append(
            "- Chỉ số bình quân giảm ở "
            + join([f"{group_phrase(f.name)} ({signed(f.mean_change)} điểm)" for f in falling])
            + "."
        )
    for fig in figures:
        if len(fig.domains) >= 2:
            weak = min(fig.domains, key=lambda d: d["mean_index"])
            out.append(
                f"- {cap(group_phrase(fig.name))}: lĩnh vực "
                f"“{weak['title']}” còn thấp, bình quân {percent(weak['mean_index'])}."
            )
        gap = None
        if len(fig.indexed) > 1:
            gap = fig.best[0]["index"] - fig.worst[0]["index"]
        if gap is not None and gap >= 15:
            out.append(
                f"- Chênh lệch giữa đơn vị cao nhất và thấp nhất {group_phrase(fig.name)} còn lớn "
                f"({points(gap)} điểm)."
            )
    missing = [u for f in figures for u in f.survey_missing]
    if missing:
        out.append(f"- {len(missing)} đơn vị chưa có phiếu khảo sát hợp lệ.")
    return out or ["- Không có hạn chế nổi bật nào thể hiện qua số liệu."]


def _recommendations(snapshot: dict, figures: list[GroupFigures]) -> list[str]:
    out = []
    for fig in figures:
        if len(fig.domains) >= 2:
            weak = min(fig.domains, key=lambda d: d["mean_index"])
            behind = [
                u
                for u in fig.indexed
                for d in u["domains"]
                if d["code"] == weak["code"]
                and d["index"] is not None
                and d["index"] < weak["mean_index"] - 10
            ]
            text = (
                f"- Các đơn vị {group_phrase(fig.name)} tập trung khắc phục lĩnh vực "
                f"“{weak['title']}”"
            )
            if behind:
                text += f", nhất là {len(behind)} đơn vị thấp hơn bình quân khối từ 10 điểm trở lên"
            out.append(text + "; rà soát các tiêu chí mất điểm nêu tại Mục IV.")
    uncertain = {u["code"] for f in figures for u in f.wide_intervals + f.survey_missing}
    if uncertain:
        out.append(
            "- Viện Nghiên cứu phát triển kinh tế - xã hội Hà Nội và Sở Nội vụ tăng cỡ mẫu khảo sát "
            f"ở {len(uncertain)} đơn vị có khoảng thứ hạng rộng từ 10 hạng trở lên hoặc "
            "chưa có phiếu hợp lệ, để thứ hạng năm sau phản ánh chính xác hơn."
        )
    out.append(
        "- Đề nghị UBND Thành phố khen thưởng các đơn vị có tên tại Mục V; các đơn vị xếp cuối "
        "mỗi khối báo cáo nguyên nhân và giải pháp khắc phục trong kế hoạch CCHC năm sau."
    )
    out.append(
        "- Công bố kết quả công khai trên Cổng thông tin của Thành phố, kèm hồ sơ kết quả của từng "
        "đơn vị, để người dân và tổ chức theo dõi."
    )
    return out
