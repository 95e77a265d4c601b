"""A snapshot turned into the analysis report and its short version (model.Report), once for every
format: word.py and pdf.py only lay these blocks out.

The analysis report (báo cáo phân tích kết quả Chỉ số CCHC): I. overview, II. method, III. results
per group, IV. analysis per domain, V. progress and the awards proposal, VI. findings and
recommendations. The short version (báo cáo rút gọn): key figures, leading units, ranking tables.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from results import analysis, charts

from . import narrative
from .model import Chart, Column, Heading, PageBreak, Paragraph, Report, Table
from .narrative import GroupFigures, cap
from .text import (
    PROGRESS,
    REASONS,
    change_cell,
    group_phrase,
    join,
    number,
    percent,
    rank_change_cell,
    rank_label,
    signed,
)

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
BAR_CHART_LIMIT = 40  # a group larger than this gets a distribution, not one bar per unit
HEATMAP_ROWS = 45  # units per heatmap picture (one page)

RECIPIENTS = [
    "Bộ Nội vụ (để báo cáo);",
    "Thường trực Thành ủy (để báo cáo);",
    "Thường trực HĐND Thành phố (để báo cáo);",
    "Chủ tịch, các Phó Chủ tịch UBND Thành phố (để báo cáo);",
    "Thành viên Hội đồng thẩm định Chỉ số CCHC;",
    "Các sở, ban, ngành; UBND các xã, phường;",
    "Lưu: VT, CCHC.",
]
SHORT_RECIPIENTS = [
    "UBND Thành phố (để báo cáo);",
    "Đại biểu dự Hội nghị;",
    "Lưu: VT, CCHC.",
]
SIGNER = ["GIÁM ĐỐC"]


def _thresholds(snapshot: dict) -> dict[str, float]:
    """Band thresholds when the snapshot carries them ([{"code": "A", "min": 90}, …])."""
    return {
        str(b["code"]): float(b["min"])
        for b in snapshot.get("bands") or []
        if "code" in b and "min" in b
    }


def _figures(snapshot: dict) -> list[GroupFigures]:
    return [narrative.group_figures(snapshot, g["name"]) for g in snapshot["groups"]]


def _heading(level: int, counter: int, text: str) -> Heading:
    if level == 1:
        return Heading(1, f"{ROMAN[counter - 1]}. {text.upper()}")
    if level == 2:
        return Heading(2, f"{counter}. {text}")
    return Heading(3, f"{chr(ord('a') + counter - 1)}) {text}")


def _paragraphs(*texts: str) -> list[Paragraph]:
    return [Paragraph.of(t) for t in texts if t]


# Tables ---------------------------------------------------------------------------------------


def groups_table(snapshot: dict, figures: list[GroupFigures]) -> Table:
    year = snapshot["cycle"]["year"]
    rows = []
    for fig in figures:
        rows.append(
            [
                fig.name,
                str(len(fig.units)),
                number(fig.mean_index),
                signed(fig.mean_change),
                number(fig.best[0]["index"]) if fig.best else "–",
                number(fig.worst[0]["index"]) if fig.worst else "–",
                number(fig.appraisal_percent),
                number(fig.survey_percent),
            ]
        )
    return Table(
        [
            Column("Khối", 4.2),
            Column("Số đơn vị", 1.5, "center"),
            Column("Chỉ số bình quân (%)", 1.9, "right"),
            Column(f"Thay đổi so với {year - 1} (điểm)", 1.9, "right"),
            Column("Cao nhất (%)", 1.6, "right"),
            Column("Thấp nhất (%)", 1.6, "right"),
            Column("Phần thẩm định (%)", 1.9, "right"),
            Column("Phần điều tra XHH (%)", 1.9, "right"),
        ],
        rows,
        caption="Chỉ số bình quân theo khối",
        note="Phần thẩm định, phần điều tra xã hội học: số điểm đạt được so với điểm tối đa của "
        "phần đó, bình quân các đơn vị.",
    )


def ranking_table(snapshot: dict, fig: GroupFigures, *, compact: bool = False) -> Table:
    year = snapshot["cycle"]["year"]
    units = sorted(fig.units, key=lambda u: (u["rank"] is None, u["rank"] or 0, u["name"]))
    if compact:
        columns = [
            Column("Hạng", 1.6, "center"),
            Column("Đơn vị", 8.0),
            Column("Chỉ số (%)", 2.0, "right"),
            Column("Xếp loại", 1.6, "center"),
            Column(f"So với {year - 1} (điểm)", 2.6, "right"),
        ]
        rows = [
            [
                str(u["rank"] or "–"),
                u["name"],
                number(u["index"]),
                u["band"] or "–",
                change_cell(u),
            ]
            for u in units
        ]
    else:
        columns = [
            Column("Hạng (khoảng 90 %)", 2.3, "center"),
            Column("Đơn vị", 5.6),
            Column("Chỉ số (%)", 1.7, "right"),
            Column("Xếp loại", 1.4, "center"),
            Column(f"Thay đổi so với {year - 1} (điểm)", 2.0, "right"),
            Column(f"Hạng {year - 1}", 1.5, "center"),
            Column("Thay đổi hạng", 1.5, "center"),
        ]
        rows = [
            [
                rank_label(u),
                u["name"],
                number(u["index"]),
                u["band"] or "–",
                change_cell(u),
                str(u["previous_rank"]) if u.get("previous_rank") else "–",
                rank_change_cell(u),
            ]
            for u in units
        ]
    note = []
    if any(u.get("comparison") == "lineage" for u in units):
        note.append("* So với bình quân chỉ số của các đơn vị trước sáp nhập.")
    if not compact:
        note.append(
            "Hạng (khoảng 90 %): thứ hạng chính thức và, trong ngoặc, khoảng thứ hạng khi tính đến "
            "sai số chọn mẫu của điều tra xã hội học."
        )
    return Table(
        columns,
        rows,
        caption=f"Kết quả xếp hạng {group_phrase(fig.name)}",
        note=" ".join(note),
        size_pt=10.5 if compact else 11,
    )


def domains_table(snapshot: dict, figures: list[GroupFigures]) -> Table:
    averages = {d["code"]: d for d in analysis.city_averages(snapshot)["domains"]}
    extra = {d["code"] for u in snapshot["units"] for d in u["domains"] if d.get("extra")}
    per_group = [{d["code"]: d["mean_index"] for d in fig.domains} for fig in figures]
    width = max(1.6, min(2.2, 8.0 / max(1, len(figures))))
    rows = []
    for code, title in analysis.domain_titles(snapshot):
        if code in extra or code not in averages:
            continue
        rows.append(
            [f"{code}. {title}", number(averages[code]["mean_index"])]
            + [number(values.get(code)) for values in per_group]
        )
    return Table(
        [
            Column("Lĩnh vực", 16.4 - 1.9 - width * len(figures)),
            Column("Toàn thành phố", 1.9, "right"),
        ]
        + [Column(fig.name, width, "right") for fig in figures],
        rows,
        caption="Chỉ số bình quân theo lĩnh vực (%)",
    )


def losses_table(fig: GroupFigures, titles: dict[str, str]) -> Table:
    rows = []
    for row in narrative.leaf_losses(fig):
        domain = row["code"].split(".")[0]
        rows.append(
            [
                row["code"],
                titles.get(row["code"]) or f"Thuộc lĩnh vực {domain}. {titles.get(domain, '')}",
                number(row["max"]),
                number(row["mean_points"]),
                number(row["mean_lost"]),
                f"{row['full']}/{row['units']}",
            ]
        )
    return Table(
        [
            Column("Mã", 1.4, "center"),
            Column("Tiêu chí", 7.4),
            Column("Điểm tối đa", 1.8, "right"),
            Column("Điểm bình quân", 1.9, "right"),
            Column("Điểm mất bình quân", 1.9, "right"),
            Column("Số đơn vị đạt tối đa", 2.0, "center"),
        ],
        rows,
        caption=f"Các tiêu chí {group_phrase(fig.name)} mất nhiều điểm nhất",
    )


def awards_table(snapshot: dict) -> Table:
    rows = []
    for number_, row in enumerate(analysis.awards(snapshot, **_award_rule(snapshot)), start=1):
        reason = REASONS[row["reason"]]
        if row["reason"] == "progress" and row["progress"] == "notable":
            reason = "Tiến bộ đáng kể"
        rows.append(
            [
                str(number_),
                row["name"],
                row["group"],
                reason,
                number(row["index"]),
                str(row["rank"] or "–"),
                signed(row["change"]),
            ]
        )
    return Table(
        [
            Column("TT", 1.0, "center"),
            Column("Đơn vị", 5.0),
            Column("Khối", 3.4),
            Column("Lý do", 2.6),
            Column("Chỉ số (%)", 1.6, "right"),
            Column("Hạng", 1.2, "center"),
            Column("Thay đổi (điểm)", 1.6, "right"),
        ],
        rows,
        caption="Danh sách đề xuất khen thưởng",
    )


def _award_rule(snapshot: dict) -> dict:
    rule = snapshot.get("awards") or {}
    return {"top_n": int(rule.get("top_n", 3)), "progress_n": int(rule.get("progress_n", 2))}


def gains_table(snapshot: dict) -> Table:
    rows = [
        [
            u["name"],
            u["group"],
            number(u["previous_index"]),
            number(u["index"]),
            change_cell(u),
            rank_change_cell(u),
            PROGRESS.get(u.get("progress") or "", "").capitalize() or "–",
        ]
        for u in analysis.largest_gains(snapshot, limit=10)
    ]
    year = snapshot["cycle"]["year"]
    return Table(
        [
            Column("Đơn vị", 4.8),
            Column("Khối", 3.2),
            Column(f"Chỉ số {year - 1} (%)", 1.7, "right"),
            Column(f"Chỉ số {year} (%)", 1.7, "right"),
            Column("Thay đổi (điểm)", 1.6, "right"),
            Column("Thay đổi hạng", 1.4, "center"),
            Column("Đánh giá", 2.0, "center"),
        ],
        rows,
        caption="Các đơn vị có chỉ số tăng nhiều nhất",
        note="* So với bình quân chỉ số của các đơn vị trước sáp nhập."
        if any(u.get("comparison") == "lineage" for u in analysis.largest_gains(snapshot, 10))
        else "",
    )


# Charts ---------------------------------------------------------------------------------------


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


def _draw(function, *args, **kwargs):
    return partial(_call, function, args, kwargs)


def _call(function, args, kwargs, fmt):
    return function(*args, fmt=fmt, **kwargs)


# The analysis report --------------------------------------------------------------------------


def analysis_report(snapshot: dict, issued: date) -> Report:
    year = snapshot["cycle"]["year"]
    figures = _figures(snapshot)
    averages = analysis.city_averages(snapshot)
    thresholds = _thresholds(snapshot)
    leaf_titles = snapshot.get("leaf_titles") or {}
    titles = dict(analysis.domain_titles(snapshot)) | leaf_titles
    report = Report(
        kind_title="BÁO CÁO",
        subject=f"Phân tích kết quả Chỉ số cải cách hành chính năm {year}",
        number_suffix="BC-SNV",
        issued=issued,
        recipients=RECIPIENTS,
        signer_title=SIGNER,
    )
    report.add(
        Paragraph.of(
            f"Căn cứ kết quả thẩm định, kết quả điều tra xã hội học và kết quả đã được Hội đồng "
            f"thẩm định Chỉ số cải cách hành chính (CCHC) thông qua, Sở Nội vụ báo cáo phân tích "
            f"kết quả Chỉ số CCHC năm {year} của các cơ quan, đơn vị trên địa bàn Thành phố như sau:"
        )
    )

    # I. Overview
    report.add(_heading(1, 1, "Tổng quan kết quả"))
    report.add(*_paragraphs(narrative.city_sentence(snapshot)))
    report.add(*_paragraphs(*(narrative.headline(fig, year) for fig in figures)))
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
                _draw(charts.distribution, all_bins, title="Phân bố chỉ số CCHC toàn Thành phố"),
                f"Phân bố chỉ số CCHC năm {year} của {len(snapshot['units'])} cơ quan, đơn vị",
                width_cm=13,
            )
        )

    # II. Method
    report.add(_heading(1, 2, "Phương pháp tính"))
    report.add(_heading(2, 1, "Chỉ số và thứ hạng"))
    band_text = (
        "; ".join(f"loại {code} từ {percent(value)} trở lên" for code, value in thresholds.items())
        if thresholds
        else "theo các ngưỡng chỉ số cố định của kỳ đánh giá"
    )
    report.add(
        *_paragraphs(
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
    report.add(_heading(2, 2, "Phần điều tra xã hội học"))
    report.add(
        *_paragraphs(
            "Điểm các tiêu chí điều tra xã hội học được tính từ phiếu trả lời của người dân, tổ chức, "
            "doanh nghiệp và cán bộ, công chức về từng đơn vị: điểm của tiêu chí bằng điểm tối đa "
            "nhân với tỷ lệ đánh giá tích cực của những người trả lời hợp lệ. Mỗi con số khảo sát "
            "đi kèm số phiếu và khoảng tin cậy 95 %; đơn vị chưa có phiếu hợp lệ được nêu riêng.",
        )
    )
    report.add(_heading(2, 3, "Khoảng thứ hạng"))
    report.add(
        *_paragraphs(
            "Điểm điều tra xã hội học đến từ một mẫu vài trăm người trả lời nên có sai số chọn mẫu: "
            "nếu hỏi một mẫu khác, điểm có thể cao hơn hoặc thấp hơn đôi chút. Để biết sai số đó "
            "ảnh hưởng đến thứ hạng thế nào, mỗi tỷ lệ khảo sát được rút ngẫu nhiên lại nhiều lần "
            "theo đúng số phiếu của đơn vị, tính lại chỉ số và xếp hạng lại cả khối (phương pháp "
            "mô phỏng Monte Carlo, có cố định hạt giống ngẫu nhiên để tính lại luôn cho cùng kết quả).",
            "Khoảng thứ hạng 90 % gồm các thứ hạng đơn vị đạt được trong 90 % số lần mô phỏng. "
            "Cách ghi “12 (9–16)” nghĩa là đơn vị xếp hạng 12 theo kết quả chính thức, và khi tính "
            "đến sai số khảo sát, thứ hạng của đơn vị nằm trong khoảng từ 9 đến 16. Thứ hạng chính "
            "thức không thay đổi; khoảng thứ hạng cho biết những chênh lệch nào giữa các đơn vị là "
            "thực chất. Hai đơn vị liền nhau được coi là khác nhau thực sự khi đơn vị xếp trên đứng "
            "trên đơn vị xếp dưới trong ít nhất 95 % số lần mô phỏng.",
        )
    )
    report.add(_heading(2, 4, "So sánh với năm trước"))
    report.add(
        *_paragraphs(
            f"Thay đổi được tính bằng chỉ số năm {year} trừ chỉ số năm {year - 1} của cùng đơn vị. "
            "Đơn vị hình thành từ việc sắp xếp, sáp nhập được so sánh với bình quân chỉ số của các "
            "đơn vị trước sáp nhập; đơn vị mới chưa có kết quả để so sánh. Một đơn vị được coi là "
            "tiến bộ vượt bậc khi chỉ số gần như chắc chắn tăng (xác suất từ 95 % trở lên khi tính "
            "đến sai số khảo sát) và mức tăng nổi bật hẳn so với mức thay đổi chung của khối.",
        )
    )

    # III. Results per group
    report.add(_heading(1, 3, "Kết quả theo khối"))
    for number_, fig in enumerate(figures, start=1):
        report.add(_heading(2, number_, fig.name))
        report.add(
            *_paragraphs(
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
            chart = _draw(charts.ranking_bars, fig.indexed, title=fig.name)
            report.add(Chart(chart, f"Chỉ số và thứ hạng {group_phrase(fig.name)}"))
        elif fig.indexed:
            bins = analysis.distribution(fig.indexed)
            chart = _draw(
                charts.distribution, bins, title=f"Phân bố chỉ số {group_phrase(fig.name)}"
            )
            report.add(Chart(chart, f"Phân bố chỉ số {group_phrase(fig.name)}"))
        report.add(ranking_table(snapshot, fig))

    # IV. Domains
    report.add(_heading(1, 4, "Phân tích theo lĩnh vực"))
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
    report.add(*_paragraphs(*(narrative.domains_sentence(fig) for fig in figures)))
    report.add(domains_table(snapshot, figures))
    if len(figures) > 1:
        report.add(
            Chart(
                _draw(
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
                    _draw(charts.heatmap, part, title=f"{fig.name}{suffix}"),
                    f"Chỉ số theo lĩnh vực của từng đơn vị, {group_phrase(fig.name)}{suffix}",
                )
            )
        losses = losses_table(fig, titles)
        if losses.rows:
            report.add(losses)

    # V. Progress and awards
    report.add(_heading(1, 5, "Tiến bộ và đề xuất khen thưởng"))
    gains = gains_table(snapshot)
    if gains.rows:
        report.add(*_paragraphs(*(narrative.progress_sentence(fig) for fig in figures)))
        report.add(gains)
    else:
        report.add(Paragraph.of(f"Chưa có kết quả năm {year - 1} để đánh giá sự tiến bộ."))
    rule = _award_rule(snapshot)
    report.add(
        Paragraph.of(
            f"Sở Nội vụ đề xuất Chủ tịch UBND Thành phố tặng Bằng khen cho {rule['top_n']} đơn vị "
            f"dẫn đầu mỗi khối và tối đa {rule['progress_n']} đơn vị tiến bộ vượt bậc của mỗi khối:"
        )
    )
    report.add(awards_table(snapshot))

    # VI. Findings and recommendations
    report.add(_heading(1, 6, "Nhận xét và kiến nghị"))
    report.add(_heading(2, 1, "Kết quả đạt được"))
    report.add(*_paragraphs(*_findings(snapshot, figures, averages)))
    report.add(_heading(2, 2, "Tồn tại, hạn chế"))
    report.add(*_paragraphs(*_limits(snapshot, figures)))
    report.add(_heading(2, 3, "Kiến nghị, đề xuất"))
    report.add(*_paragraphs(*_recommendations(snapshot, figures)))
    report.add(
        Paragraph.of(
            f"Trên đây là báo cáo phân tích kết quả Chỉ số CCHC năm {year} của Sở Nội vụ./.",
            kind="closing",
        )
    )
    return report


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
                f"({number(gap)} điểm)."
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


# The short version ----------------------------------------------------------------------------


def short_report(snapshot: dict, issued: date) -> Report:
    year = snapshot["cycle"]["year"]
    figures = _figures(snapshot)
    averages = analysis.city_averages(snapshot)
    thresholds = _thresholds(snapshot)
    report = Report(
        kind_title="BÁO CÁO",
        subject=f"Tóm tắt kết quả Chỉ số cải cách hành chính năm {year}",
        number_suffix="BC-SNV",
        issued=issued,
        recipients=SHORT_RECIPIENTS,
        signer_title=SIGNER,
        body_pt=13,
    )
    report.add(_heading(1, 1, "Số liệu chính"))
    report.add(*_paragraphs(narrative.city_sentence(snapshot)))
    for fig in figures:
        report.add(
            *_paragraphs(
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
    report.add(groups_table(snapshot, figures))

    report.add(_heading(1, 2, "Đơn vị dẫn đầu và tiến bộ"))
    rule = _award_rule(snapshot)
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
        report.add(*_paragraphs(narrative.progress_sentence(fig)))

    report.add(_heading(1, 3, "Bảng xếp hạng"))
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


__all__ = ["analysis_report", "short_report", "PageBreak"]
