"""The awards proposal list as an Excel sheet (the secretariat attaches it to the draft decision)."""

from core.spreadsheets import Column, Sheet, xlsx

REASONS = {"top": "Dẫn đầu khối", "progress": "Tiến bộ vượt bậc"}
AWARD_COLUMNS = [
    Column("STT", "number", width=6),
    Column("Mã", "code", width=10),
    Column("Đơn vị", "name", width=40),
    Column("Khối", "group", width=24),
    Column("Lý do", lambda row: REASONS[row["reason"]], width=20),
    Column("Chỉ số (%)", "index", width=12),
    Column("Xếp hạng", "rank", width=10),
    Column("Thay đổi (điểm)", "change", width=16),
]


def awards_workbook(cycle, rows: list[dict]) -> bytes:
    title = f"Danh sách đề xuất khen thưởng theo kết quả Chỉ số CCHC năm {cycle.year}"
    numbered = [row | {"number": number} for number, row in enumerate(rows, start=1)]
    return xlsx(Sheet("Đề xuất khen thưởng", AWARD_COLUMNS, numbered, preamble=[[title]]))


def awards_filename(cycle) -> str:
    return f"de-xuat-khen-thuong-{cycle.year}.xlsx"
