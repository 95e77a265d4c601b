"""The staff boards' progress chart: one SVG with its figures in its text, put in a page as an image."""

from core import charts

from .charts import description, svgs_in

ROWS = [
    {"label": "Khối sở", "counts": [12, 3], "total": 20},
    {"label": "Khối xã, phường", "counts": [1234, 0], "total": 1000},
]


def test_progress_draws_every_group_with_its_figures():
    svg = charts.progress(ROWS, ["Đã nộp", "Đang làm"], "Tiến độ", unit="đơn vị")
    text = description(svg)
    assert "Khối sở: đã nộp 12, đang làm 3 trên tổng 20 đơn vị" in text
    assert "Khối xã, phường: đã nộp 1.234, đang làm 0 trên tổng 1.000 đơn vị" in text
    # The figure beside each bar, with the Vietnamese thousands dot and one spacing rule for %.
    assert "12/20 (60 %)" in svg and "1.234/1.000 (123 %)" in svg
    assert svg.count("<title") == 1 and 'role="img"' in svg


def test_progress_with_nothing_to_count_says_so():
    svg = charts.progress([{"label": "Khối sở", "counts": [0], "total": 0}], ["Đã nộp"], "Tiến độ")
    assert "Chưa có số liệu." in svg


def test_a_chart_goes_in_a_page_as_an_image_with_its_figures_as_alternative_text():
    svg = charts.progress(ROWS, ["Đã nộp", "Đang làm"], "Tiến độ", unit="đơn vị")
    image = charts.for_page(svg)
    page = f'<img src="{image["src"]}" alt="{image["alt"]}">'
    assert svgs_in(page) == [svg]
    assert image["alt"].startswith("Tiến độ. Khối sở: đã nộp 12")
    assert 'style="' not in page  # the shapes' styles stay inside the image
