"""SIPAS in the results reports (docs/surveys.md, "Chỉ số SIPAS"): a section of the analysis report,
a line of the short version and a sheet of the results workbook.

The job that builds a document (results/tasks.py) adds `snapshot["sipas"]` (`for_cycle`: the plain
data of `results.sipas_public.as_data`, with the plan's target) to the snapshot it hands the builders;
it is not part of the stored publication. A snapshot without it (no SIPAS wave) gets no SIPAS part."""

from __future__ import annotations

from surveys.sipas_index import year_index

from ..sipas_public import as_data
from .model import Column, Paragraph, Report, Table
from .text import percent, points

SECTION_NUMBER = 7


def for_cycle(cycle, counts: dict | None = None) -> dict | None:
    """SIPAS of the cycle's own SIPAS waves as plain data; None when it has none. `counts`: the
    snapshot's `sipas_counts` when the caller has just built it (not counted a second time)."""
    found = year_index(cycle.year, [cycle], {cycle.pk: counts} if counts is not None else None)
    return None if found.empty else as_data(found)


def _value(figure: dict | None) -> str:
    return "–" if not figure or figure["value"] is None else points(figure["value"])


def _interval(figure: dict | None) -> str:
    if not figure or figure["value"] is None:
        return "–"
    return f"{points(figure['low'])}–{points(figure['high'])}"


def headline(data: dict) -> str:
    """ "Chỉ số SIPAS của Thành phố năm 2025 đạt 86,50 % (khoảng tin cậy 95 %: …), chỉ tiêu 85 %: đạt." """
    index = data["index"]
    if not index or index["value"] is None:
        return ""
    text = (
        f"Chỉ số hài lòng của người dân, tổ chức (SIPAS) năm {data['year']} của Thành phố đạt "
        f"{percent(index['value'])} (khoảng tin cậy 95 %: {percent(index['low'])} – "
        f"{percent(index['high'])}; {data['n']} phiếu)"
    )
    target = data.get("target")
    if target:
        verdict = "đạt chỉ tiêu" if target["met"] else "chưa đạt chỉ tiêu"
        text += f", so với chỉ tiêu của kế hoạch {percent(target['value'])}: {verdict}"
    return text + "."


def families_table(data: dict) -> Table:
    rows = [["Thành phố", _value(data["index"]), _interval(data["index"])]]
    rows[0] += [_value(f) for f in data["parts"]] + [str(data["n"])]
    for family in data["families"]:
        row = [family["family_name"], _value(family["index"]), _interval(family["index"])]
        rows.append(row + [_value(f) for f in family["parts"]] + [str(family["n"])])
    parts = [Column(f"{p['name']} (%)", 2.6, "right") for p in data["parts"]]
    return Table(
        [
            Column("Phạm vi", 4.2),
            Column("Chỉ số SIPAS (%)", 1.9, "right"),
            Column("Khoảng tin cậy 95 %", 2.4, "center"),
            *parts,
            Column("Số phiếu", 1.5, "right"),
        ],
        rows,
        caption=f"Chỉ số SIPAS năm {data['year']} của Thành phố và từng khối",
        note="Số liệu của Thành phố và khối có trọng số theo thiết kế mẫu: mỗi phiếu của đơn vị "
        "đại diện cho N/n hồ sơ (N: số hồ sơ trong kỳ, n: số phiếu).",
        bold_rows=frozenset({0}),
        size_pt=10,
    )


def units_table(data: dict) -> Table:
    names = [e["name"] for e in data["elements"]]
    rows = [
        [u["name"], _value(u["index"]), _interval(u["index"])]
        + [_value(f) for f in u["elements"]]
        + [str(u["n"]), points(u["weight"]) if u["weight"] is not None else "–"]
        for u in data["units"]
    ]
    return Table(
        [
            Column("Đơn vị", 3.6),
            Column("Chỉ số (%)", 1.4, "right"),
            Column("Khoảng tin cậy", 1.9, "center"),
            *[Column(name, 1.45, "right") for name in names],
            Column("n", 1.0, "right"),
            Column("Trọng số N/n", 1.3, "right"),
        ],
        rows,
        caption=f"Chỉ số SIPAS năm {data['year']} và năm yếu tố dịch vụ của từng đơn vị (%)",
        size_pt=8,
    )


def section(report: Report, snapshot: dict) -> None:
    """VII. Chỉ số SIPAS (only when the snapshot carries SIPAS figures)."""
    from .sections import heading

    data = snapshot.get("sipas")
    if not data:
        return
    report.add(heading(1, SECTION_NUMBER, "Chỉ số hài lòng của người dân, tổ chức (SIPAS)"))
    report.add(Paragraph.of(headline(data)))
    report.add(
        Paragraph.of(
            "Mỗi tỷ lệ là tỷ lệ câu trả lời hài lòng, rất hài lòng (mức 4–5); yếu tố là trung "
            "bình các câu hỏi, phần là trung bình các yếu tố, chỉ số chung là trung bình hai phần "
            "dịch vụ hành chính công và chính sách."
        )
    )
    report.add(families_table(data))
    report.add(units_table(data))


def sheet(book, data: dict, name: str) -> None:
    """A "SIPAS" sheet: city, families and units, each measure with its interval, and the weights."""
    from core.spreadsheets import append

    ws = book.create_sheet(name)
    append(ws, [f"Chỉ số SIPAS năm {data['year']}"])
    if data.get("target"):
        append(ws, ["Chỉ tiêu của kế hoạch (%)", data["target"]["value"]])
    append(ws, [])
    header = ["Phạm vi", "Mã đơn vị", "Đơn vị", "Chỉ số (%)", "Cận dưới", "Cận trên"]
    header += [e["name"] for e in data["elements"]] + [p["name"] for p in data["parts"]]
    append(ws, header + ["Số phiếu n", "Số hồ sơ N", "Trọng số N/n"])
    blocks = [("Thành phố", "", "", data, None)]
    blocks += [(f["family_name"], "", "", f, None) for f in data["families"]]
    blocks += [(u["family"], u["code"], u["name"], u, u) for u in data["units"]]
    for scope, code, unit_name, block, unit in blocks:
        index = block["index"] or {}
        row = [scope, code, unit_name, index.get("value"), index.get("low"), index.get("high")]
        row += [f["value"] for f in block["elements"]] + [f["value"] for f in block["parts"]]
        row += [block["n"]]
        row += [unit["population"], unit["weight"]] if unit else [None, None]
        append(ws, row)
