"""The awards proposal list as an Excel sheet (the secretariat attaches it to the draft decision)."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

REASONS = {"top": "Dẫn đầu khối", "progress": "Tiến bộ vượt bậc"}
PROGRESS = {"outstanding": "vượt bậc", "notable": "đáng kể", "": ""}


def awards_workbook(cycle, rows: list[dict]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Đề xuất khen thưởng"
    sheet.append([f"Danh sách đề xuất khen thưởng theo kết quả Chỉ số CCHC năm {cycle.year}"])
    sheet["A1"].font = Font(bold=True)
    sheet.append(
        ["STT", "Mã", "Đơn vị", "Khối", "Lý do", "Chỉ số (%)", "Xếp hạng", "Thay đổi (điểm)"]
    )
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for number, row in enumerate(rows, start=1):
        sheet.append(
            [
                number,
                row["code"],
                row["name"],
                row["group"],
                REASONS[row["reason"]],
                row["index"],
                row["rank"],
                row["change"],
            ]
        )
    for column, width in zip("ABCDEFGH", (6, 10, 40, 24, 20, 12, 10, 16), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
