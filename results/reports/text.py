"""How numbers and labels read in the Vietnamese documents: decimal comma, signed changes, ranks."""

from __future__ import annotations

from core.formats import number, percent, points, signed
from results.charts import rank_label

__all__ = [
    "number",
    "points",
    "rank_label",
    "percent",
    "signed",
    "movement",
    "group_phrase",
    "change_cell",
    "rank_change_cell",
    "COMPARISON",
    "PROGRESS",
    "REASONS",
    "join",
]

COMPARISON = {
    "same": "cùng đơn vị năm trước",
    "lineage": "so với các đơn vị trước sáp nhập",
    "new": "đơn vị mới, chưa có kết quả để so sánh",
}
PROGRESS = {"outstanding": "tiến bộ vượt bậc", "notable": "tiến bộ đáng kể", "": ""}
REASONS = {"top": "Dẫn đầu khối", "progress": "Tiến bộ vượt bậc"}


def movement(value: float | None, unit: str = "điểm") -> str:
    """ "tăng 1,30 điểm", "giảm 0,50 điểm", "không thay đổi"."""
    if value is None:
        return "chưa có số liệu để so sánh"
    if round(value, 2) == 0:
        return "không thay đổi"
    return f"{'tăng' if value > 0 else 'giảm'} {points(abs(value))} {unit}"


def group_phrase(name: str) -> str:
    """A ranking group's name inside a sentence: "Khối Sở, ban, ngành" → "khối Sở, ban, ngành"."""
    name = " ".join(name.split())
    if name[:5].lower() == "khối ":
        return "khối " + name[5:]
    return f"khối {name}"


def change_cell(unit: dict) -> str:
    """The change in index for a table cell; a merged unit's change carries an asterisk, a new unit
    says so."""
    if unit.get("change") is None:
        return "Đơn vị mới" if unit.get("comparison") == "new" else "–"
    text = signed(unit["change"])
    return text + "*" if unit.get("comparison") == "lineage" else text


def rank_change_cell(unit: dict) -> str:
    """ "↑3", "↓2", "=" or "–" when there is no previous rank."""
    change = unit.get("rank_change")
    if change is None:
        return "–"
    if change == 0:
        return "="
    return f"↑{change}" if change > 0 else f"↓{-change}"


def join(items: list[str]) -> str:
    """ "a", "a và b", "a, b và c"."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " và " + items[-1]
