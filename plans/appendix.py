"""The 2025 plan of Hà Nội (Decision 6830/QĐ-UBND) as shipped with the project: its appendix of key tasks
and its targets, kept as readable TSV (plans/data/) and turned into the Excel layout users import."""

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

DATA = Path(__file__).resolve().parent / "data"
APPENDIX_2025 = DATA / "appendix-2025.tsv"
TARGETS_2025 = DATA / "targets-2025.tsv"
PLAN_2025 = {
    "year": 2025,
    "decision_number": "6830/QĐ-UBND",
    "decision_date": date(2024, 12, 31),
    "title": "Kế hoạch cải cách hành chính nhà nước của thành phố Hà Nội năm 2025",
}
# Bodies the appendix names that are not assessed units: confirmed once as "outside the catalogue".
OUTSIDE_CATALOGUE_2025 = [
    "Trung tâm Phục vụ Hành chính công Thành phố",
    "Viện Nghiên cứu phát triển Kinh tế - Xã hội Hà Nội",
    "Công an Thành phố",
    "Các cơ quan, đơn vị được Thành phố phân công",
]


def tsv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t"))


def workbook_from_tsv(path: Path) -> bytes:
    return workbook(tsv_rows(path))


def workbook(rows: list[list[str]]) -> bytes:
    """Rows in the import layout as the .xlsx a user would upload."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def targets(path: Path = TARGETS_2025) -> list[dict]:
    rows = tsv_rows(path)
    header = rows[0]
    result = []
    for order, row in enumerate(rows[1:]):
        values = dict(zip(header, row, strict=True))
        values["target_value"] = Decimal(values["target_value"]) if values["target_value"] else None
        values["unit_of_measure"] = values.pop("unit")
        result.append(values | {"order": order})
    return result
