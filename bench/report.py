"""Benchmark: the analysis report for a city's units as Word, PDF and Excel (issue 6, Performance).

A synthetic but realistic snapshot (results/snapshot.py shape): by default 150 units in 2 groups
(24 departments, 126 communes and wards), 8 domains and a bonus/penalty part, 120 leaves, survey
parts, rank intervals, last year's results with merged and new units. No database is needed: the
documents are made from the snapshot alone, as the background job does.

Prints the time of each document and, as a baseline, the time of a plain python-docx document with
the same ranking tables and no charts, no layout (the ratio says what the layout and charts cost).
Last line: {"units": …, "docx_s": …, "pdf_s": …, "xlsx_s": …, "short_s": …, "baseline_s": …,
"ratio": …}.
"""

from __future__ import annotations

import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _harness import arguments, report  # noqa: E402

DOMAINS = [
    ("1", "Công tác chỉ đạo, điều hành CCHC", 10),
    ("2", "Cải cách thể chế", 8),
    ("3", "Cải cách thủ tục hành chính", 14),
    ("4", "Cải cách tổ chức bộ máy", 8),
    ("5", "Cải cách chế độ công vụ", 12),
    ("6", "Cải cách tài chính công", 8),
    ("7", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số", 16),
    ("8", "Tác động của CCHC đến phát triển kinh tế - xã hội", 24),
]
EXTRA = ("9", "Điểm thưởng, điểm trừ", 4)
LEAVES = 120
BANDS = (("A", 90), ("B", 80), ("C", 70), ("D", 0))
WARDS = [
    "Hoàn Kiếm",
    "Cửa Nam",
    "Ba Đình",
    "Ngọc Hà",
    "Giảng Võ",
    "Hai Bà Trưng",
    "Vĩnh Tuy",
    "Bạch Mai",
    "Đống Đa",
    "Kim Liên",
    "Văn Miếu - Quốc Tử Giám",
    "Láng",
    "Ô Chợ Dừa",
    "Hồng Hà",
    "Lĩnh Nam",
    "Hoàng Mai",
    "Vĩnh Hưng",
    "Tương Mai",
    "Định Công",
    "Hoàng Liệt",
    "Yên Sở",
    "Thanh Xuân",
    "Khương Đình",
    "Phương Liệt",
    "Cầu Giấy",
    "Nghĩa Đô",
    "Yên Hòa",
    "Tây Hồ",
    "Phú Thượng",
    "Tây Tựu",
    "Phú Diễn",
    "Xuân Đỉnh",
    "Đông Ngạc",
    "Thượng Cát",
    "Từ Liêm",
    "Xuân Phương",
    "Tây Mỗ",
    "Đại Mỗ",
    "Long Biên",
    "Bồ Đề",
    "Việt Hưng",
    "Phúc Lợi",
    "Hà Đông",
    "Dương Nội",
    "Yên Nghĩa",
    "Phú Lương",
    "Kiến Hưng",
    "Thanh Liệt",
    "Chương Mỹ",
    "Sơn Tây",
    "Tùng Thiện",
    "Sóc Sơn",
    "Đa Phúc",
    "Nội Bài",
    "Trung Giã",
    "Kim Anh",
]
DEPARTMENTS = [
    "Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính", "Sở Công Thương", "Sở Xây dựng",
    "Sở Nông nghiệp và Môi trường", "Sở Giáo dục và Đào tạo", "Sở Y tế",
    "Sở Khoa học và Công nghệ", "Sở Văn hóa và Thể thao", "Sở Du lịch", "Sở Quy hoạch - Kiến trúc",
    "Sở Dân tộc và Tôn giáo", "Thanh tra Thành phố", "Văn phòng UBND Thành phố",
    "Sở Ngoại vụ", "Ban Quản lý các khu công nghiệp và chế xuất", "Ban Dân tộc",
    "Sở Giao thông vận tải", "Sở Lao động - Thương binh và Xã hội", "Sở Thông tin và Truyền thông",
    "Sở Kế hoạch và Đầu tư", "Sở Tài nguyên và Môi trường", "Ban Quản lý dự án đầu tư xây dựng",
]  # fmt: skip


def _leaf_plan() -> list[tuple[str, str, float, bool]]:
    """(code, domain, max, survey?) for LEAVES leaves spread over the 8 domains by their weight."""
    total = sum(m for _, _, m in DOMAINS)
    plan = []
    for code, _title, maximum in DOMAINS:
        count = max(3, round(LEAVES * maximum / total))
        for i in range(1, count + 1):
            plan.append((f"{code}.{i}", code, round(maximum / count, 2), code == "8" or i % 9 == 0))
    return plan[:LEAVES]


def synthetic_snapshot(units: int = 150, seed: int = 2025) -> dict:
    rng = random.Random(seed)
    plan = _leaf_plan()
    departments = min(24, max(2, units // 6))
    names = [(DEPARTMENTS[i % len(DEPARTMENTS)], "department") for i in range(departments)]
    names += [
        (f"UBND {'phường' if i % 3 else 'xã'} {WARDS[i % len(WARDS)]}"
         + (f" {i // len(WARDS) + 1}" if i >= len(WARDS) else ""), "commune")
        for i in range(units - departments)
    ]  # fmt: skip
    groups = {"department": "Khối Sở, ban, ngành", "commune": "Khối UBND xã, phường"}
    rows = []
    for number, (name, kind) in enumerate(names):
        skill = rng.gauss(0.85, 0.06)
        leaves, domains = {}, []
        appraisal = survey = appraisal_max = survey_max = 0.0
        for code, dtitle, _dmax in DOMAINS:
            points = maximum = 0.0
            for leaf, domain, leaf_max, is_survey in plan:
                if domain != code:
                    continue
                applicable = rng.random() > 0.03
                score = min(1.0, max(0.0, rng.gauss(skill, 0.12)))
                value = (
                    round(leaf_max * score * 4) / 4 if not is_survey else round(leaf_max * score, 2)
                )
                leaves[leaf] = [value, leaf_max, applicable]
                if applicable:
                    points, maximum = points + value, maximum + leaf_max
                    if is_survey:
                        survey, survey_max = survey + value, survey_max + leaf_max
                    else:
                        appraisal, appraisal_max = appraisal + value, appraisal_max + leaf_max
            domains.append(
                {"code": code, "title": dtitle, "points": round(points, 2), "max": round(maximum, 2),
                 "index": round(100 * points / maximum, 2) if maximum else None, "extra": False}
            )  # fmt: skip
        extra = rng.choice([0.0, 0.0, 0.5, 1.0, -0.5])
        leaves["9.1"] = [max(extra, 0.0), 2.0, True]
        leaves["9.2"] = [min(extra, 0.0), 2.0, True]
        domains.append(
            {"code": EXTRA[0], "title": EXTRA[1], "points": extra, "max": EXTRA[2], "index": None,
             "extra": True}
        )  # fmt: skip
        total = appraisal + survey + extra
        maximum = appraisal_max + survey_max
        index = round(100 * min(total, maximum) / maximum, 2)
        comparison = rng.choices(["same", "lineage", "new"], [0.8, 0.15, 0.05])[0]
        previous = None if comparison == "new" else round(index - rng.gauss(1.2, 3.0), 2)
        rows.append(
            {
                "code": f"{'S' if kind == 'department' else '0'}{number:04d}",
                "name": name,
                "kind": kind,
                "group": groups[kind],
                "index": index,
                "total": round(total, 2),
                "maximum": round(maximum, 2),
                "appraisal_points": round(appraisal, 2),
                "appraisal_maximum": round(appraisal_max, 2),
                "survey_points": round(survey, 2),
                "survey_maximum": round(survey_max, 2),
                "extra_points": extra,
                "previous_index": previous,
                "change": None if previous is None else round(index - previous, 2),
                "comparison": comparison,
                "compared_with": [] if comparison == "new" else [f"X{number:04d}"],
                "survey_missing": rng.random() < 0.02,
                "domains": domains,
                "leaves": leaves,
            }
        )
    for group in groups.values():
        members = sorted(
            (u for u in rows if u["group"] == group), key=lambda u: (-u["index"], u["name"])
        )
        previous_order = sorted(
            (u for u in members if u["comparison"] == "same"), key=lambda u: -u["previous_index"]
        )
        previous_rank = {u["code"]: r for r, u in enumerate(previous_order, start=1)}
        rank = 0
        for position, unit in enumerate(members, start=1):
            if position == 1 or unit["index"] != members[position - 2]["index"]:
                rank = position
            spread = rng.randint(0, 6)
            unit.update(
                rank=rank,
                group_size=len(members),
                band=next(code for code, low in BANDS if unit["index"] >= low),
                rank_low=max(1, rank - spread),
                rank_high=min(len(members), rank + rng.randint(0, 6)),
                p_ahead_of_next=None if position == len(members) else round(rng.random(), 4),
                previous_rank=previous_rank.get(unit["code"]),
                p_gain=None if unit["change"] is None else round(rng.random(), 4),
            )
            unit["rank_change"] = (
                None if unit["previous_rank"] is None else unit["previous_rank"] - rank
            )
            change = unit["change"]
            unit["progress"] = (
                "outstanding"
                if change and change > 8
                else "notable"
                if change and change > 6
                else ""
            )
    order = {name: i for i, name in enumerate(sorted(groups.values()))}
    rows.sort(key=lambda u: (order[u["group"]], u["rank"], u["name"], u["code"]))
    from results.snapshot import _groups

    return {
        "format": 1,
        "cycle": {"year": 2025, "title": "Chỉ số CCHC năm 2025"},
        "groups": _groups(rows),
        "units": rows,
    }


def plain_docx(snapshot: dict) -> bytes:
    """The baseline: the same ranking tables in a plain python-docx document, no layout, no charts."""
    from docx import Document

    document = Document()
    document.add_heading(f"Kết quả Chỉ số CCHC năm {snapshot['cycle']['year']}", 0)
    for group in snapshot["groups"]:
        document.add_heading(group["name"], 1)
        table = document.add_table(rows=1, cols=7)
        for cell, title in zip(
            table.rows[0].cells,
            ["Hạng", "Đơn vị", "Chỉ số", "Xếp loại", "Thay đổi", "Hạng trước", "Thay đổi hạng"],
            strict=True,
        ):
            cell.text = title
        for unit in snapshot["units"]:
            if unit["group"] != group["name"]:
                continue
            cells = table.add_row().cells
            values = [unit["rank"], unit["name"], unit["index"], unit["band"], unit["change"],
                      unit["previous_rank"], unit["rank_change"]]  # fmt: skip
            for cell, value in zip(cells, values, strict=True):
                cell.text = "" if value is None else str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def main() -> None:
    args = arguments("Analysis report (Word, PDF, Excel) for a city's units")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret")
    import django

    django.setup()
    from results.reports import BUILDERS

    units = 30 if args.quick else 150
    snapshot = synthetic_snapshot(units)

    def quiet(_percent: int, _message: str) -> None:
        return None

    figures: dict = {"units": units}
    sizes, cpu_s = {}, {}
    for kind, key in (
        ("docx", "docx_s"),
        ("pdf", "pdf_s"),
        ("xlsx", "xlsx_s"),
        ("short", "short_s"),
    ):
        start, cpu = time.perf_counter(), time.process_time()
        _name, data = BUILDERS[kind](snapshot, quiet)
        figures[key] = round(time.perf_counter() - start, 2)
        cpu_s[kind] = round(time.process_time() - cpu, 2)
        sizes[kind] = len(data)
    start = time.perf_counter()
    plain = plain_docx(snapshot)
    figures["baseline_s"] = round(time.perf_counter() - start, 2)
    figures["ratio"] = round(figures["docx_s"] / max(figures["baseline_s"], 0.001), 1)
    for kind, size in sizes.items():
        print(f"{kind + ' size':>24}: {size / 1024:.0f} KB")
        print(
            f"{kind + ' cpu_s':>24}: {cpu_s[kind]} (wall time rises when other work shares the cores)"
        )
    print(f"{'baseline size':>24}: {len(plain) / 1024:.0f} KB")
    print(f"{'docx target':>24}: under 20 s for 150 units")
    report(figures)


if __name__ == "__main__":
    main()
