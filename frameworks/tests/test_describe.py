"""A rule in words: the dates, tiers and thresholds a unit reads come from the parameters."""

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from frameworks.describe import describe


def test_each_kind_in_words():
    assert describe("ratio", {"mode": "proportional", "min": 0.8}, Decimal("1")) == [
        "Điểm = 1,00 × tỷ lệ đạt được",
        "Dưới 80\u00a0%: 0 điểm",
    ]
    assert describe("ratio", {"tiers": [[0.3, 1], [0.2, 0.5], [0, 0]]}, Decimal("1")) == [
        "Từ 30\u00a0%: 1,00 điểm",
        "Từ 20\u00a0%: 0,50 điểm",
    ]
    assert describe("checklist", {"items": ["a", "b"], "per_item": 0.1}, Decimal("0.2")) == [
        "Mỗi nội dung đáp ứng: 0,10 điểm, tối đa 0,20 điểm"
    ]
    assert describe("deduction", {"per_item": 0.25}, Decimal("1")) == [
        "Mỗi lần vi phạm trừ 0,25 điểm, không thấp hơn 0 điểm"
    ]
    assert describe("penalty", {"step": 0.5}, Decimal("2")) == [
        "Trừ tối đa 2,00 điểm, theo bước 0,50 điểm"
    ]
    assert describe("deadline", {"tiers": "not a list"}, Decimal("1")) == []


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
        min_size=1,
        max_size=4,
        unique=True,
    )
)
def test_every_deadline_tier_is_stated_with_its_date(days):
    days = sorted(days)
    tiers = [[d.isoformat(), 0.5] for d in days]
    lines = describe("deadline", {"tiers": tiers}, Decimal("0.5"))
    assert len(lines) == len(days) + 1
    for day, line in zip(days, lines, strict=False):
        assert line == f"Thực hiện đến {day:%d/%m/%Y}: 0,50 điểm"
    assert lines[-1] == f"Sau {days[-1]:%d/%m/%Y} hoặc không thực hiện: 0 điểm"
