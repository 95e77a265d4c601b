"""Vietnamese alphabetical order: letters first (a ă â … d đ … o ô ơ … u ư), tones after them."""

import random

from hypothesis import given
from hypothesis import strategies as st

from core.collation import compare, sort_key

# The order ICU's vi-VN collation gives on PostgreSQL (checked against `ORDER BY n COLLATE vi_icu`).
EXPECTED = [
    "An Khánh",
    "Ăn",
    "Ân Thi",
    "Ba Đình",
    "ba vì",
    "Ba Vì",
    "Bà Vì",
    "Bạch Mai",
    "Cầu Giấy",
    "Chương Mỹ",
    "Dương Nội",
    "Đống Đa",
    "Hà Đông",
    "Hoàng Mai",
    "Ô Chợ Dừa",
    "Ô Diên",
    "Ông",
    "Ơn",
    "Uy Nỗ",
    "Ứng Hòa",
    "Yên Hòa",
]


def test_names_sort_in_the_vietnamese_alphabet():
    shuffled = EXPECTED[:]
    random.Random(16).shuffle(shuffled)
    assert sorted(shuffled, key=sort_key) == EXPECTED


def test_letters_decide_before_tones():
    # Binary order puts "Hoàng Mai" first (o < à in code points); the letters say Ha < Ho.
    assert sorted(["Hoàng Mai", "Hà Đông"], key=sort_key) == ["Hà Đông", "Hoàng Mai"]
    assert sorted(["Bạch Mai", "Ba Đình"], key=sort_key) == ["Ba Đình", "Bạch Mai"]
    # Đ after D and before E; Ô and Ư after O and U, not after Z.
    assert sorted(["Đống Đa", "Dương Nội", "Yên Hòa"], key=sort_key) == [
        "Dương Nội",
        "Đống Đa",
        "Yên Hòa",
    ]
    assert sorted(["Ứng Hòa", "Uy Nỗ", "Ô Chợ Dừa", "Phúc Thọ"], key=sort_key) == [
        "Ô Chợ Dừa",
        "Phúc Thọ",
        "Uy Nỗ",
        "Ứng Hòa",
    ]


def test_tones_follow_the_dictionary_order_huyen_hoi_nga_sac_nang():
    assert sorted(["má", "mạ", "mả", "mã", "ma", "mà"], key=sort_key) == [
        "ma",
        "mà",
        "mả",
        "mã",
        "má",
        "mạ",
    ]


def test_composed_and_decomposed_text_sort_the_same():
    import unicodedata

    name = "Ứng Hòa"
    assert sort_key(unicodedata.normalize("NFD", name)) == sort_key(name)
    assert compare(unicodedata.normalize("NFD", name), name) == 0


@given(st.lists(st.text(alphabet="aăâbdđeêioôơuưy àáảãạ", max_size=6), max_size=8))
def test_compare_agrees_with_the_sort_key(names):
    for left in names:
        for right in names:
            assert compare(left, right) == -compare(right, left)
            assert (compare(left, right) < 0) == (sort_key(left) < sort_key(right))
