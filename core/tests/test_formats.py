"""The one formatter: Vietnamese by default, English in English, and what it prints reads back."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.formats import (
    NBSP,
    day,
    moment,
    number,
    parse_decimal,
    parse_number_text,
    percent,
    points,
    quantity,
    share,
    signed,
)

two_places = st.decimals(
    min_value=Decimal("-99999999.99"),
    max_value=Decimal("99999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


def test_vietnamese_numbers_group_thousands_with_dots_and_use_the_decimal_comma():
    with translation.override("vi"):
        assert number(Decimal("1234.56"), 2) == "1.234,56"
        assert number(316508) == "316.508"
        assert number(Decimal("561.00")) == "561"
        assert number(Decimal("0.50")) == "0,5"
        assert points(Decimal("1.25")) == "1,25"
        assert points(41.35000000000001) == "41,35"
        assert number(None) == "–"


def test_english_numbers_use_the_english_separators():
    with translation.override("en"):
        assert number(Decimal("1234.56"), 2) == "1,234.56"
        assert percent(74.75) == f"74.75{NBSP}%"


def test_every_percentage_has_one_spacing_rule():
    with translation.override("vi"):
        assert percent(Decimal("74.75")) == f"74,75{NBSP}%"
        assert percent(97.16) == f"97,16{NBSP}%"
        assert share(0.9716) == f"97,2{NBSP}%"
        assert percent(None) == "–"


def test_halves_round_up_and_negative_zero_reads_as_zero():
    with translation.override("vi"):
        assert points(0.125) == "0,13"
        assert points(Decimal("-0.001")) == "0,00"
        assert signed(Decimal("1.3")) == "+1,30"
        assert signed(-0.5) == "-0,50"
        assert signed(0.001) == "0,00"


def test_dates_read_dd_mm_yyyy_in_local_time():
    assert day(date(2026, 1, 5)) == "05/01/2026"
    assert day("2026-01-05") == "05/01/2026"
    # 20:00 UTC is 03:00 the next day in Hà Nội.
    assert day(datetime(2026, 1, 4, 20, 0, tzinfo=UTC)) == "05/01/2026"
    assert moment(datetime(2026, 1, 4, 20, 30, tzinfo=UTC)) == "05/01/2026 03:30"
    with translation.override("en"):
        assert day(date(2026, 1, 5)) == "05/01/2026"


@pytest.mark.parametrize(
    "typed, value",
    [
        ("0,5", "0.5"),
        ("0.5", "0.5"),
        ("1,25", "1.25"),
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1 234,5", "1234.5"),
        ("316.508", "316508"),
        ("−2,5", "-2.5"),
        (" 7 ", "7"),
    ],
)
def test_typed_numbers_are_read_in_either_convention(typed, value):
    with translation.override("vi"):
        assert parse_decimal(typed) == Decimal(value)


def test_a_lone_comma_in_english_is_the_thousands_separator_when_it_groups_threes():
    with translation.override("en"):
        assert parse_decimal("1,234") == Decimal("1234")
        assert parse_decimal("0,5") == Decimal("0.5")


@pytest.mark.parametrize("typed", ["abc", "1,2,3", "1.2.3,4,5", "1..2", "--1", "1e5"])
def test_what_is_not_a_number_is_refused(typed):
    with pytest.raises(ValueError):
        parse_decimal(typed)


def test_the_rules_receive_a_canonical_text_and_a_bad_one_unchanged():
    assert parse_number_text("0,5") == "0.5"
    assert parse_number_text("") is None
    assert parse_number_text("năm") == "năm"


@given(value=two_places, language=st.sampled_from(["vi", "en"]))
def test_what_is_printed_reads_back_to_the_same_value(value, language):
    with translation.override(language):
        assert parse_decimal(number(value, 2)) == value
        assert parse_decimal(number(value)) == value


@given(value=st.integers(min_value=0, max_value=10**12))
def test_thousands_are_grouped_in_threes(value):
    with translation.override("vi"):
        text = number(value)
    groups = text.split(".")
    assert "".join(groups) == str(value)
    assert 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def test_the_filters_are_built_into_every_template():
    page = Template("{{ p|points }} {{ s|percent }} {{ d|day }} {{ n|number }}")
    with translation.override("vi"):
        text = page.render(
            Context({"p": Decimal("1.25"), "s": 74.75, "d": date(2026, 1, 5), "n": 316508})
        )
    assert text == f"1,25 74,75{NBSP}% 05/01/2026 316.508"


def test_a_figure_keeps_its_unit_and_only_the_places_it_needs():
    with translation.override("vi"):
        assert quantity(Decimal("561.00"), "cuộc") == f"561{NBSP}cuộc"
        assert quantity(Decimal("97.1612"), "%") == f"97,16{NBSP}%"
        assert quantity(Decimal("90"), "%") == f"90,00{NBSP}%"
        assert percent(Decimal("30"), None) == f"30{NBSP}%"
        assert quantity(None, "cuộc") == "–"


def test_decimal_form_fields_accept_a_comma_or_a_dot_in_either_language():
    from core.fields import DecimalField

    field = DecimalField(max_digits=7, decimal_places=2)
    for language in ("vi", "en"):
        with translation.override(language):
            assert field.clean("0,5") == Decimal("0.5")
            assert field.clean("0.5") == Decimal("0.5")
    with translation.override("vi"):
        assert field.clean("1.234,5") == Decimal("1234.5")
