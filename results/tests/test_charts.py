"""Charts render as SVG and PNG, carry their labels and an accessible name, and are deterministic."""

import xml.etree.ElementTree as ET

import pytest

from results import charts

SVG = "{http://www.w3.org/2000/svg}"

UNITS = [
    {
        "code": "S01",
        "name": "Sở Tư pháp",
        "index": 91.25,
        "rank": 1,
        "rank_low": 1,
        "rank_high": 2,
    },
    {
        "code": "S02",
        "name": "Sở Xây dựng",
        "index": 88.5,
        "rank": 2,
        "rank_low": 1,
        "rank_high": 3,
    },
    {
        "code": "S03",
        "name": "Sở Nông nghiệp và Môi trường",
        "index": 80.0,
        "rank": 3,
        "rank_low": 3,
        "rank_high": 3,
    },
    {"code": "S04", "name": "Sở Mới lập", "index": None, "rank": None},
]

PROFILE = [
    {
        "code": "1",
        "title": "Công tác chỉ đạo, điều hành",
        "extra": False,
        "points": 5.0,
        "max": 6.0,
        "value": 83.33,
        "group_mean": 75.5,
        "group_best": 100.0,
        "gap_to_mean": 7.83,
    },
    {
        "code": "2",
        "title": "Tác động của CCHC",
        "extra": False,
        "points": 2.0,
        "max": 4.0,
        "value": 50.0,
        "group_mean": 62.0,
        "group_best": 90.0,
        "gap_to_mean": -12.0,
    },
    {
        "code": "3",
        "title": "Điểm thưởng, điểm trừ",
        "extra": True,
        "points": 0.5,
        "max": 2.0,
        "value": 0.5,
        "group_mean": 0.25,
        "group_best": 1.0,
        "gap_to_mean": 0.25,
    },
]

HEAT = {
    "domains": [("1", "Công tác chỉ đạo, điều hành"), ("2", "Tác động của CCHC")],
    "rows": [
        {"code": "S01", "name": "Sở Tư pháp", "rank": 1, "values": [95.0, 88.0]},
        {"code": "S02", "name": "Sở Xây dựng", "rank": 2, "values": [71.5, None]},
    ],
}


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg.encode())
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def accessible(svg: str) -> tuple[str, str]:
    root = ET.fromstring(svg.encode())
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    return title.text, desc.text


def test_number_uses_the_vietnamese_decimal_comma():
    assert charts.points(85.126) == "85,13"
    assert charts.number(1234.5, 1) == "1.234,5"
    assert charts.number(None) == "–"


def test_rank_label_shows_the_interval_only_when_it_is_wider_than_the_rank():
    assert charts.rank_label({"rank": 12, "rank_low": 9, "rank_high": 16}) == "12 (9–16)"
    assert charts.rank_label({"rank": 3, "rank_low": 3, "rank_high": 3}) == "3"
    assert charts.rank_label({"rank": 3}) == "3"
    assert charts.rank_label({"rank": None}) == "–"


def test_ranking_bars_label_each_ranked_unit_with_index_and_rank_interval():
    svg = charts.ranking_bars(UNITS, title="Khối Sở, ngành")
    labels = texts(svg)
    assert "1. Sở Tư pháp" in labels
    assert "3. Sở Nông nghiệp và Môi trường" in labels
    assert "91,25  hạng 1 (1–2)" in labels
    assert "80,00  hạng 3" in labels
    assert not any("Sở Mới lập" in label for label in labels)  # no index, no bar
    title, desc = accessible(svg)
    assert title == "Khối Sở, ngành"
    assert "Cao nhất: Sở Tư pháp 91,25\u00a0%" in desc
    assert "thấp nhất: Sở Nông nghiệp và Môi trường 80,00\u00a0%" in desc


def test_ranking_bars_order_by_rank_whatever_the_input_order():
    svg = charts.ranking_bars(list(reversed(UNITS)))
    labels = [t for t in texts(svg) if t[:2] in ("1.", "2.", "3.")]
    assert labels == ["1. Sở Tư pháp", "2. Sở Xây dựng", "3. Sở Nông nghiệp và Môi trường"]


def test_domain_profile_shows_scored_domains_against_the_group():
    svg = charts.domain_profile(PROFILE)
    labels = texts(svg)
    assert "1. Công tác chỉ đạo, điều hành" in labels
    assert "2. Tác động của CCHC" in labels
    assert not any("Điểm thưởng" in label for label in labels)  # points, not a percentage
    assert {"Đơn vị", "Trung bình khối", "Cao nhất khối"} <= set(labels)
    assert "83,3" in labels
    _title, desc = accessible(svg)
    assert (
        "Tác động của CCHC: 50,00\u00a0% (trung bình khối 62,00\u00a0%, cao nhất 90,00\u00a0%)"
        in desc
    )


def test_heatmap_labels_units_and_domains_and_prints_the_values():
    svg = charts.heatmap(HEAT)
    labels = texts(svg)
    assert "1. Sở Tư pháp" in labels and "2. Sở Xây dựng" in labels
    assert "1" in labels and "2" in labels
    assert "95" in labels and "88" in labels and "72" in labels  # 71,5 rounds to 72
    _title, desc = accessible(svg)
    assert "2 đơn vị" in desc and "1: Công tác chỉ đạo, điều hành" in desc
    assert "ô xám là chưa có số liệu" in desc


def test_distribution_labels_bins_and_counts():
    svg = charts.distribution([(75.0, 1), (80.0, 0), (85.0, 3)])
    labels = texts(svg)
    assert {"75–80", "80–85", "85–90"} <= set(labels)
    assert "3" in labels
    _title, desc = accessible(svg)
    assert "85–90\u00a0%: 3" in desc and "80–85\u00a0%: 0" in desc


def test_history_shows_each_year_with_index_and_rank():
    rows = [
        {"year": 2023, "index": 80.1, "rank": 5},
        {"year": 2024, "index": 83.5, "rank": 3},
        {"year": 2025, "index": 88.12, "rank": 2},
    ]
    svg = charts.history(rows)
    labels = texts(svg)
    assert {"2023", "2024", "2025"} <= set(labels)
    assert "88,12" in labels and "hạng 2" in labels
    _title, desc = accessible(svg)
    assert "Năm 2024: 83,50\u00a0%, hạng 3" in desc


@pytest.mark.parametrize(
    "draw",
    [
        lambda fmt: charts.ranking_bars(UNITS, fmt=fmt),
        lambda fmt: charts.domain_profile(PROFILE, fmt=fmt),
        lambda fmt: charts.heatmap(HEAT, fmt=fmt),
        lambda fmt: charts.distribution([(80.0, 2), (85.0, 1)], fmt=fmt),
        lambda fmt: charts.history([{"year": 2025, "index": 88.0, "rank": 1}], fmt=fmt),
    ],
)
def test_charts_are_deterministic_in_both_formats(draw):
    svg = draw("svg")
    assert svg == draw("svg")
    assert "<metadata" not in svg  # no date, no software name
    assert "Matplotlib" not in svg
    png = draw("png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png == draw("png")


def test_two_different_charts_have_different_ids_for_their_accessible_names():
    first = accessible(charts.ranking_bars(UNITS[:2]))
    second = charts.ranking_bars(UNITS[:3])
    root_a = ET.fromstring(charts.ranking_bars(UNITS[:2]).encode())
    root_b = ET.fromstring(second.encode())
    assert first[0] == "Chỉ số CCHC theo đơn vị"
    assert root_a.get("aria-labelledby") != root_b.get("aria-labelledby")


def test_empty_input_renders_a_message_not_an_error():
    for svg in (
        charts.ranking_bars([]),
        charts.domain_profile([]),
        charts.heatmap({"domains": [], "rows": []}),
        charts.distribution([]),
        charts.history([]),
    ):
        assert "Chưa có số liệu." in texts(svg)


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError):
        charts.history([{"year": 2025, "index": 88.0, "rank": 1}], fmt="gif")


def test_overview_charts_say_their_figures_to_screen_readers_and_embed_as_images():
    import base64

    rows = [{"name": "Phường Láng", "point": 79.99, "low": 71.28, "high": 88.7, "last": 81.09}]
    svg = charts.forecast_intervals(rows)
    assert "Phường Láng: dự báo 79,99 % (71,28–88,70), năm trước 81,09 %" in svg
    assert svg == charts.forecast_intervals(rows)
    uri = charts.data_uri(svg)
    assert base64.b64decode(uri.removeprefix("data:image/svg+xml;base64,")).decode() == svg
