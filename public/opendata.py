"""Open data of a publication: the results as CSV, XLSX and JSON, made from its snapshot only.

Column names are stable machine names (the JSON keys), documented in docs/public.md and in the
workbook's "gioi_thieu" sheet. Numbers are plain numbers (a dot for decimals in CSV and JSON). Text
cells are always text, never a formula (core.spreadsheets).
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from openpyxl import Workbook

from core.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, append, csv_rows, save
from results import analysis
from results.models import Publication

FORMATS = {
    "csv": CSV_CONTENT_TYPE,
    "xlsx": XLSX_CONTENT_TYPE,
    "json": "application/json; charset=utf-8",
}

COLUMNS = [
    ("year", "Năm đánh giá"),
    ("version", "Lần công bố (lớn hơn 1 là bản đính chính)"),
    ("group", "Khối xếp hạng"),
    ("rank", "Thứ hạng trong khối (bằng chỉ số thì bằng hạng)"),
    ("rank_low", "Khoảng thứ hạng 90 %: hạng tốt nhất"),
    ("rank_high", "Khoảng thứ hạng 90 %: hạng kém nhất"),
    ("p_ahead_of_next", "Xác suất đứng trên đơn vị xếp ngay sau (≥ 0,95: khác biệt có ý nghĩa)"),
    ("code", "Mã đơn vị"),
    ("name", "Tên đơn vị"),
    ("kind", "Loại đơn vị"),
    ("index", "Chỉ số CCHC (%) = tổng điểm / điểm tối đa áp dụng × 100"),
    ("band", "Xếp loại"),
    ("total", "Tổng điểm"),
    ("maximum", "Điểm tối đa áp dụng"),
    ("appraisal_points", "Điểm phần thẩm định"),
    ("appraisal_maximum", "Điểm tối đa phần thẩm định"),
    ("survey_points", "Điểm phần điều tra xã hội học"),
    ("survey_maximum", "Điểm tối đa phần điều tra xã hội học"),
    ("extra_points", "Điểm thưởng, điểm trừ"),
    ("previous_index", "Chỉ số năm trước"),
    ("previous_rank", "Thứ hạng năm trước"),
    ("change", "Thay đổi chỉ số so với năm trước"),
    ("rank_change", "Số bậc tăng (dương) hoặc giảm (âm)"),
    ("comparison", "Cách so sánh: same (cùng đơn vị), lineage (đơn vị tiền thân), new (mới)"),
    ("compared_with", "Mã các đơn vị năm trước dùng để so sánh, cách nhau bởi dấu ;"),
    ("progress", "Tiến bộ: outstanding (vượt bậc), notable (đáng kể)"),
    ("survey_missing", "Thiếu số liệu điều tra xã hội học (1: có)"),
]


def _meta(publication: Publication) -> dict:
    return {
        "year": publication.cycle.year,
        "title": publication.snapshot["cycle"]["title"],
        "version": publication.version,
        "published_at": timezone.localtime(publication.published_at).isoformat(),
        "notice": publication.notice,
        "digest": publication.digest,
    }


def _domain_codes(snapshot: dict) -> list[tuple[str, str]]:
    return analysis.domain_titles(snapshot)


def header(snapshot: dict) -> list[str]:
    names = [name for name, _ in COLUMNS]
    for code, _title in _domain_codes(snapshot):
        names += [f"domain_{code}_points", f"domain_{code}_max", f"domain_{code}_index"]
    return names


def rows(publication: Publication) -> list[list]:
    """One row per unit, in group and rank order, the values typed (numbers stay numbers)."""
    snap = publication.snapshot
    domains = _domain_codes(snap)
    out = []
    for unit in snap["units"]:
        values = {
            **unit,
            "year": publication.cycle.year,
            "version": publication.version,
            "compared_with": ";".join(unit["compared_with"]),
            "survey_missing": int(bool(unit["survey_missing"])),
        }
        row = [values[name] for name, _ in COLUMNS]
        by_code = {d["code"]: d for d in unit["domains"]}
        for code, _title in domains:
            d = by_code.get(code)
            row += [None, None, None] if d is None else [d["points"], d["max"], d["index"]]
        out.append(row)
    return out


def as_csv(publication: Publication) -> bytes:
    return csv_rows([header(publication.snapshot), *rows(publication)])


def as_json(publication: Publication) -> bytes:
    """The publication's whole snapshot (bands, criterion titles, groups, units with domains and
    criteria) and its metadata."""
    snap = publication.snapshot
    document = {
        "publication": _meta(publication),
        "bands": snap.get("bands", []),
        "leaf_titles": snap.get("leaf_titles", {}),
        "groups": snap["groups"],
        "units": snap["units"],
    }
    return json.dumps(document, ensure_ascii=False, cls=DjangoJSONEncoder, indent=1).encode()


def as_xlsx(publication: Publication) -> bytes:
    """Sheets: ket_qua (as the CSV), linh_vuc (unit × domain), tieu_chi (unit × criterion),
    gioi_thieu (the publication and what each column means)."""
    snap = publication.snapshot
    book = Workbook(write_only=True)
    results = book.create_sheet("ket_qua")
    append(results, header(snap))
    for row in rows(publication):
        append(results, row)
    domains = book.create_sheet("linh_vuc")
    append(domains, ["code", "name", "group", "domain", "title", "points", "max", "index"])
    for unit in snap["units"]:
        for d in unit["domains"]:
            append(
                domains,
                [
                    unit["code"],
                    unit["name"],
                    unit["group"],
                    d["code"],
                    d["title"],
                    d["points"],
                    d["max"],
                    d["index"],
                ],
            )
    leaves = book.create_sheet("tieu_chi")
    titles = snap.get("leaf_titles", {})
    append(leaves, ["code", "name", "group", "criterion", "title", "points", "max", "applicable"])
    for unit in snap["units"]:
        for code, (points, maximum, applicable) in unit["leaves"].items():
            row = [unit["code"], unit["name"], unit["group"], code, titles.get(code, "")]
            append(leaves, [*row, points, maximum, int(applicable)])
    about = book.create_sheet("gioi_thieu")
    meta = _meta(publication)
    append(about, ["Kết quả Chỉ số CCHC", meta["title"]])
    append(about, ["Năm", meta["year"]])
    append(about, ["Lần công bố", meta["version"]])
    append(about, ["Thời điểm công bố", meta["published_at"]])
    if meta["notice"]:
        append(about, ["Thông báo đính chính", meta["notice"]])
    append(about, ["Mã kiểm tra (SHA-256)", meta["digest"]])
    append(about, [])
    append(about, ["Cột", "Ý nghĩa"])
    for name, meaning in COLUMNS:
        append(about, [name, meaning])
    for code, title in _domain_codes(snap):
        append(about, [f"domain_{code}_points / _max / _index", f"Lĩnh vực {code}. {title}"])
    return save(book)


BUILDERS = {"csv": as_csv, "xlsx": as_xlsx, "json": as_json}
