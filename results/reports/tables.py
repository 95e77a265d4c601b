"""The tables of the results reports (model.Table), shared by the analysis report and its short version."""

from __future__ import annotations

from core.collation import sort_key
from results import analysis

from . import narrative
from .model import Column, Table
from .narrative import GroupFigures
from .text import (
    PROGRESS,
    REASONS,
    change_cell,
    group_phrase,
    points,
    rank_change_cell,
    rank_label,
    signed,
)


def groups_table(snapshot: dict, figures: list[GroupFigures]) -> Table:
    year = snapshot["cycle"]["year"]
    rows = []
    for fig in figures:
        rows.append(
            [
                fig.name,
                str(len(fig.units)),
                points(fig.mean_index),
                signed(fig.mean_change),
                points(fig.best[0]["index"]) if fig.best else "–",
                points(fig.worst[0]["index"]) if fig.worst else "–",
                points(fig.appraisal_percent),
                points(fig.survey_percent),
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
    units = sorted(
        fig.units, key=lambda u: (u["rank"] is None, u["rank"] or 0, sort_key(u["name"]))
    )
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
                points(u["index"]),
                u["band"] or "–",
                change_cell(u),
            ]
            for u in units
        ]
    else:
        columns = [
            Column("Hạng (khoảng 90\u00a0%)", 2.3, "center"),
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
                points(u["index"]),
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
            "Hạng (khoảng 90\u00a0%): thứ hạng chính thức và, trong ngoặc, khoảng thứ hạng khi tính đến "
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
            [f"{code}. {title}", points(averages[code]["mean_index"])]
            + [points(values.get(code)) for values in per_group]
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
                points(row["max"]),
                points(row["mean_points"]),
                points(row["mean_lost"]),
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
    for number_, row in enumerate(analysis.awards(snapshot, **award_rule(snapshot)), start=1):
        reason = REASONS[row["reason"]]
        if row["reason"] == "progress" and row["progress"] == "notable":
            reason = "Tiến bộ đáng kể"
        rows.append(
            [
                str(number_),
                row["name"],
                row["group"],
                reason,
                points(row["index"]),
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


def award_rule(snapshot: dict) -> dict:
    rule = snapshot.get("awards") or {}
    return {"top_n": int(rule.get("top_n", 3)), "progress_n": int(rule.get("progress_n", 2))}


def gains_table(snapshot: dict) -> Table:
    rows = [
        [
            u["name"],
            u["group"],
            points(u["previous_index"]),
            points(u["index"]),
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
