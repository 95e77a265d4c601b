"""Open data of a year's SIPAS (docs/public.md, "SIPAS"): CSV, XLSX and JSON made from
results.sipas_public.as_data, one row per figure (long format: city, family or unit × measure)."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from openpyxl import Workbook

from core.spreadsheets import append, csv_rows, save

COLUMNS = [
    ("year", "Năm"),
    ("scope", "Phạm vi: city (Thành phố), family (khối), unit (đơn vị)"),
    ("family", "Khối đối tượng (departments, communes, …)"),
    ("unit_code", "Mã đơn vị"),
    ("unit_name", "Tên đơn vị"),
    ("kind", "Loại: index, part, element, policy_element, expectation, indicator"),
    ("measure", "Mã thành phần (overall, service/access, expect_fees, indicator/harassment, …)"),
    ("measure_name", "Tên thành phần"),
    ("value", "Tỷ lệ (%)"),
    ("low", "Cận dưới khoảng tin cậy 95 % (%)"),
    ("high", "Cận trên khoảng tin cậy 95 % (%)"),
    ("n", "Số câu trả lời hợp lệ (với Thành phố và khối: cỡ mẫu hiệu dụng)"),
    ("reliable", "Tin cậy (1: n ≥ 30 và khoảng tin cậy không rộng quá 20 điểm)"),
]
WEIGHT_COLUMNS = [
    ("unit_code", "Mã đơn vị"),
    ("unit_name", "Tên đơn vị"),
    ("family", "Khối đối tượng"),
    ("population", "Số hồ sơ trong kỳ N"),
    ("population_assumed", "N ước tính (1: trung vị các đơn vị có số hồ sơ)"),
    ("responses", "Số phiếu được tính n"),
    ("weight", "Trọng số mỗi phiếu w = N / n"),
]
KINDS = (
    ("parts", "part"),
    ("elements", "element"),
    ("policy_elements", "policy_element"),
    ("expectations", "expectation"),
    ("indicators", "indicator"),
)


def _figures(block: dict):
    if block["index"] is not None:
        yield "index", block["index"]
    for key, kind in KINDS:
        for figure in block[key]:
            yield kind, figure


def rows(data: dict) -> list[list]:
    out = []
    blocks = [("city", "", "", "", data)]
    blocks += [("family", f["family"], "", "", f) for f in data["families"]]
    blocks += [("unit", u["family"], u["code"], u["name"], u) for u in data["units"]]
    for scope, family, code, name, block in blocks:
        for kind, f in _figures(block):
            out.append(
                [
                    data["year"],
                    scope,
                    family,
                    code,
                    name,
                    kind,
                    f["code"],
                    f["name"],
                    f["value"],
                    f["low"],
                    f["high"],
                    f["n"],
                    int(f["reliable"]),
                ]
            )
    return out


def weight_rows(data: dict) -> list[list]:
    return [
        [
            u["code"],
            u["name"],
            u["family"],
            u["population"],
            int(u["population_assumed"]),
            u["n"],
            u["weight"],
        ]
        for u in data["units"]
    ]


def as_csv(data: dict) -> bytes:
    return csv_rows([[c for c, _ in COLUMNS], *rows(data)])


def as_json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder, indent=1).encode()


def as_xlsx(data: dict) -> bytes:
    """Sheets: sipas (as the CSV), trong_so (N, n and w per unit), gioi_thieu (the columns)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("sipas")
    append(sheet, [c for c, _ in COLUMNS])
    for row in rows(data):
        append(sheet, row)
    weights = book.create_sheet("trong_so")
    append(weights, [c for c, _ in WEIGHT_COLUMNS])
    for row in weight_rows(data):
        append(weights, row)
    about = book.create_sheet("gioi_thieu")
    append(about, ["Chỉ số SIPAS", data["year"]])
    append(
        about,
        [
            "Trọng số",
            "Thành phố và khối: tỷ lệ có trọng số p = Σ w·x / Σ w·m, w = N / n của đơn vị; "
            "khoảng tin cậy Wilson theo cỡ mẫu hiệu dụng Kish.",
        ],
    )
    append(about, [])
    append(about, ["Cột", "Ý nghĩa"])
    for name, meaning in COLUMNS + WEIGHT_COLUMNS:
        append(about, [name, meaning])
    return save(book)


BUILDERS = {"csv": as_csv, "xlsx": as_xlsx, "json": as_json}
