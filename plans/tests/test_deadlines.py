"""Deadline cells of the reform plan: every form the 2025 appendix uses, and the appendix itself."""

import calendar
import csv
import unicodedata
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plans.deadlines import Deadline, end_of_month, parse_deadline

PLAN_DATE = date(2024, 12, 31)  # Decision 6830/QĐ-UBND was signed on 31/12/2024
APPENDIX = Path(__file__).resolve().parents[1] / "data" / "appendix-2025.tsv"


def parse(text: str) -> Deadline:
    return parse_deadline(text, PLAN_DATE)


# --- end_of_month ---------------------------------------------------------------------------


def test_end_of_month_handles_leap_years():
    assert end_of_month(2024, 2) == date(2024, 2, 29)
    assert end_of_month(2025, 2) == date(2025, 2, 28)
    assert end_of_month(2000, 2) == date(2000, 2, 29)
    assert end_of_month(2100, 2) == date(2100, 2, 28)
    assert end_of_month(2025, 12) == date(2025, 12, 31)


# --- one month ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Tháng 3/2025", date(2025, 3, 31)),
        ("Tháng 03/2025", date(2025, 3, 31)),
        ("tháng 3 năm 2025", date(2025, 3, 31)),
        ("Tháng 02/2025", date(2025, 2, 28)),
        ("Tháng 2/2024", date(2024, 2, 29)),
        ("Tháng 12/2025", date(2025, 12, 31)),
        ("THÁNG 6/2025", date(2025, 6, 30)),
    ],
)
def test_month_is_due_at_its_last_day(text, due):
    d = parse(text)
    assert (d.kind, d.due, d.starts, d.note) == ("date", due, None, text)


@given(year=st.integers(2000, 2100), month=st.integers(1, 12), padded=st.booleans())
def test_any_month_is_due_at_its_last_day(year, month, padded):
    text = f"Tháng {month:02d}/{year}" if padded else f"Tháng {month}/{year}"
    d = parse(text)
    assert d.kind == "date"
    assert d.due == date(year, month, calendar.monthrange(year, month)[1])


def test_decomposed_diacritics_are_read_like_composed_ones():
    text = unicodedata.normalize("NFD", "Tháng 3/2025")
    assert parse(text).due == date(2025, 3, 31)


def test_impossible_month_is_left_for_review():
    assert parse("Tháng 13/2025").kind == "unparsed"


# --- quarters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Quý I/2025", date(2025, 3, 31)),
        ("Quý II/2025", date(2025, 6, 30)),
        ("quý III năm 2025", date(2025, 9, 30)),
        ("Quý IV/2025", date(2025, 12, 31)),
        ("Quý 2/2025", date(2025, 6, 30)),
    ],
)
def test_quarter_is_due_at_its_end(text, due):
    d = parse(text)
    assert (d.kind, d.due) == ("date", due)


# --- several steps in one cell --------------------------------------------------------------


def test_first_fixed_date_of_several_wins_and_the_text_is_kept():
    text = "- Tháng 01/2025 (ban hành Công văn) - Báo cáo kết quả thực hiện (Theo kỳ báo cáo CCHC)"
    d = parse(text)
    assert (d.kind, d.due, d.note) == ("date", date(2025, 1, 31), text)


def test_fixed_date_wins_over_a_relative_one():
    d = parse("Tháng 01/2025 Trong 20 ngày kể từ khi Kế hoạch CCHC UBND Thành phố được ban hành.")
    assert (d.kind, d.due) == ("date", date(2025, 1, 31))


# --- periods --------------------------------------------------------------------------------


def test_period_runs_from_first_day_to_last_day():
    d = parse("Từ tháng 3/2025 đến tháng 9/2025")
    assert d == Deadline(
        due=date(2025, 9, 30),
        kind="period",
        note="Từ tháng 3/2025 đến tháng 9/2025",
        starts=date(2025, 3, 1),
    )


def test_period_start_month_borrows_the_end_year():
    d = parse("Từ tháng 11 đến tháng 2/2026")
    assert (d.kind, d.starts, d.due) == ("period", date(2025, 11, 1), date(2026, 2, 28))


def test_until_a_month_is_due_at_its_end():
    d = parse("Đến tháng 9/2025")
    assert (d.kind, d.due, d.starts) == ("date", date(2025, 9, 30), None)


# --- counted from the plan's signing --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Trong 30 ngày kể từ khi Kế hoạch CCHC UBND Thành phố ký ban hành.",
        "Trong 30 ngày kể từ khi Kế hoạch CCHC UBND Thành phố được ban hành.",
        "trong 30 ngày kể từ khi Kế hoạch ban hành",
    ],
)
def test_relative_counts_days_from_the_plan_date(text):
    d = parse(text)
    assert (d.kind, d.due, d.note) == ("relative", date(2025, 1, 30), text)


@given(days=st.integers(1, 365))
def test_relative_any_number_of_days(days):
    d = parse(f"Trong {days} ngày kể từ khi Kế hoạch CCHC UBND Thành phố ký ban hành.")
    assert (d.kind, d.due) == ("relative", PLAN_DATE + timedelta(days=days))


def test_working_days_are_not_guessed():
    assert parse("Trong 10 ngày làm việc kể từ khi Kế hoạch ban hành").kind == "unparsed"


# --- full dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("15/03/2025", date(2025, 3, 15)),
        ("ngày 15/3/2025", date(2025, 3, 15)),
        ("ngày 15 tháng 3 năm 2025", date(2025, 3, 15)),
    ],
)
def test_full_date(text, due):
    d = parse(text)
    assert (d.kind, d.due) == ("date", due)


def test_impossible_full_date_is_left_for_review():
    assert parse("31/02/2025").kind == "unparsed"


# --- no fixed deadline ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Theo chỉ đạo của Bộ Nội vụ",
        "Theo kỳ báo cáo CCHC",
        "Nhiệm vụ thường xuyên theo hướng dẫn của Bộ, Ngành và chỉ đạo của UBND Thành phố.",
        "Theo yêu cầu công tác kiểm soát TTHC",
        "Thường xuyên",
        "Theo quy định của ngành.",
        # The date here is the cited plan's, not a deadline.
        "Theo lộ trình tại Kế hoạch số 281/KH-UBND ngày 28/10/2022 của UBND Thành phố",
    ],
)
def test_open_deadlines_have_no_due_date(text):
    d = parse(text)
    assert (d.kind, d.due, d.starts, d.note) == ("open", None, None, text)


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_cell_is_open(text):
    d = parse(text)
    assert (d.kind, d.due) == ("open", None)


def test_anything_else_is_left_for_review():
    d = parse("Sau khi có ý kiến của Bộ")
    assert (d.kind, d.due, d.note) == ("unparsed", None, "Sau khi có ý kiến của Bộ")


# --- the 2025 appendix ----------------------------------------------------------------------


def appendix_rows() -> list[dict[str, str]]:
    with APPENDIX.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_every_deadline_of_the_appendix_is_read():
    rows = appendix_rows()
    parsed = [(row["number"], row["deadline"], parse(row["deadline"])) for row in rows]
    unparsed = [(number, text) for number, text, d in parsed if d.kind == "unparsed"]
    assert unparsed == []
    kinds = Counter(d.kind for _, _, d in parsed)
    assert {"date", "relative", "period", "open"} <= set(kinds)
    for _, _, d in parsed:
        assert (d.due is None) == (d.kind == "open")
        assert d.due is None or date(2025, 1, 1) <= d.due <= date(2025, 12, 31)


def test_appendix_tasks_are_numbered_in_order_with_milestones_below():
    rows = appendix_rows()
    assert list(rows[0]) == [
        "number",
        "area",
        "task",
        "product",
        "leader",
        "lead_unit",
        "coordinating_units",
        "deadline",
    ]
    numbers = [int(row["number"]) for row in rows if row["number"]]
    assert numbers == list(range(1, len(numbers) + 1))
    assert rows[0]["number"] == "1"
    for row in rows:
        if row["number"]:
            assert row["task"] and row["area"]
        else:
            assert any(row[k] for k in ("task", "product", "lead_unit", "deadline"))
