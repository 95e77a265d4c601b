"""The public site: nothing before publication, the snapshot's numbers after, corrections, caching."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from results.compute import recompute
from results.models import Publication, UnitResult
from results.services import publish
from results.tests.published import SHARES, finalise, make_cycle

RANKING = "/cong-khai/2025/khoi/khoi-xa-phuong/"
UNIT = "/cong-khai/2025/don-vi/00070/"
# Every page, chart and file of cycle 2025, latest and versioned.
CYCLE_URLS = [
    "/cong-khai/2025/",
    RANKING,
    "/cong-khai/2025/khoi/khoi-so/",
    UNIT,
    "/cong-khai/2025/bieu-do/",
    "/cong-khai/2025/bieu-do/xep-hang-khoi-xa-phuong.svg",
    "/cong-khai/2025/bieu-do/ban-do-nhiet-khoi-so.svg",
    "/cong-khai/2025/bieu-do/phan-bo-khoi-so.svg",
    "/cong-khai/2025/bieu-do/phan-bo.svg",
    "/cong-khai/2025/bieu-do/linh-vuc-00070.svg",
    "/cong-khai/2025/bieu-do/qua-cac-nam-00070.svg",
    "/cong-khai/2025/du-lieu/ket-qua.csv",
    "/cong-khai/2025/du-lieu/ket-qua.xlsx",
    "/cong-khai/2025/du-lieu/ket-qua.json",
    "/cong-khai/2025/v1/",
    "/cong-khai/2025/v1/khoi/khoi-xa-phuong/",
    "/cong-khai/2025/v1/don-vi/00070/",
    "/cong-khai/2025/v1/bieu-do/",
    "/cong-khai/2025/v1/bieu-do/phan-bo.svg",
    "/cong-khai/2025/v1/du-lieu/ket-qua.csv",
    "/cong-khai/2025/v1/du-lieu/ket-qua.xlsx",
    "/cong-khai/2025/v1/du-lieu/ket-qua.json",
]
API_URLS = [
    "/api/v1/results/2025",
    "/api/v1/results/2025?version=1",
    "/api/v1/results/2025/groups/khoi-xa-phuong",
    "/api/v1/results/2025/units/00070",
]


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def without_tokens(response) -> str:
    """The page without its per-request CSRF tokens (the 404 page carries the login form's)."""
    import re

    return re.sub(
        r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]*"', "", response.content.decode()
    )


def ranking_rows(html: str) -> list[tuple[str, str]]:
    """(unit code, rank text) of each row of the ranking table, in order."""
    import re

    return re.findall(
        r'<tr data-code="([^"]+)">\s*<td class="code" data-testid="rank">([^<]*)<', html
    )


# ------------------------------------------------------------------ before publication


@pytest.mark.parametrize("url", CYCLE_URLS + API_URLS)
def test_nothing_of_a_finalised_cycle_is_public_before_publication(client, finalised_cycle, url):
    assert UnitResult.objects.filter(cycle=finalised_cycle).count() == 5  # computed, not published
    response = client.get(url)
    assert response.status_code == 404
    absent = client.get(url.replace("2025", "1999"))  # a year that never existed
    assert absent.status_code == 404
    # No hint that results exist: the same page (it names the address asked for, no more).
    assert without_tokens(response) == without_tokens(absent).replace("1999", "2025")


def test_the_index_lists_no_unpublished_cycle(client, finalised_cycle):
    html = page(client, "/cong-khai/")
    assert "2025" not in html and 'data-testid="no-cycles"' in html


def test_staff_being_logged_in_changes_nothing_before_publication(
    client, finalised_cycle, secretariat
):
    client.force_login(secretariat)
    assert client.get(RANKING).status_code == 404
    assert client.get("/cong-khai/2025/du-lieu/ket-qua.json").status_code == 404


# ------------------------------------------------------------------ after publication


@pytest.mark.parametrize("url", CYCLE_URLS + API_URLS)
def test_every_page_and_file_is_public_after_publication(client, published_cycle, url):
    assert client.get(url).status_code == 200


def test_the_ranking_shows_the_snapshots_numbers_in_rank_order(client, published_cycle):
    html = page(client, RANKING)
    assert ranking_rows(html) == [("00070", "1"), ("00073", "2"), ("00076", "3")]
    for index in ("90,00", "75,00", "60,00"):
        assert index in html
    assert "đơn vị mới" in html  # no previous year: every unit is new
    assert "Chỉ số CCHC năm 2025" in page(client, "/cong-khai/")


def test_pages_read_the_publication_not_the_live_results(client, published_cycle):
    # The live results change after publication (a recomputation with other points)...
    finalised = UnitResult.objects.get(cycle=published_cycle, unit__code="00070")
    UnitResult.objects.filter(pk=finalised.pk).update(index=Decimal("12.34"), rank=3)
    # ...the public still sees what was published.
    cache.clear()
    html = page(client, RANKING)
    assert "12,34" not in html and "90,00" in html
    data = json.loads(page(client, "/cong-khai/2025/du-lieu/ket-qua.json"))
    assert {u["code"]: u["index"] for u in data["units"]}["00070"] == 90.0


def test_unit_profile(client, published_cycle):
    html = page(client, UNIT)
    assert "Phường Hoàn Kiếm" in html
    assert 'data-testid="index">90,00\u00a0%' in html
    assert 'data-testid="rank">1<' in html
    # Domain 1 against the group: unit 90, mean of 90/75/60 = 75, best 90.
    domains = html.split('data-testid="domains"')[1].split("</table>")[0]
    assert "Công tác chỉ đạo, điều hành" in domains
    assert "75,00" in domains and "90,00" in domains
    # The weakest unit loses points on every criterion; titles come with the codes.
    weak = page(client, "/cong-khai/2025/don-vi/00076/")
    losses = weak.split('data-testid="losses"')[1].split("</table>")[0]
    assert "2.3" in losses and "Mức độ hài lòng (SIPAS)" in losses
    assert losses.count("<tr>") == 1 + 9  # header + the nine scored criteria
    history = html.split('data-testid="history"')[1].split("</table>")[0]
    assert "2025" in history and "90,00" in history


def test_criterion_titles_come_from_the_publication(client, published_cycle):
    def rename(snapshot):
        snapshot["leaf_titles"]["2.3"] = "Hài lòng của người dân (bản công bố)"

    publication = Publication.objects.get(cycle=published_cycle)
    snapshot = publication.snapshot
    rename(snapshot)
    Publication.objects.filter(pk=publication.pk).update(snapshot=snapshot)
    losses = page(client, "/cong-khai/2025/don-vi/00076/").split('data-testid="losses"')[1]
    assert "Hài lòng của người dân (bản công bố)" in losses
    assert "Mức độ hài lòng (SIPAS)" not in losses


def test_charts_are_svg_images(client, published_cycle):
    for url in (
        "/cong-khai/2025/bieu-do/xep-hang-khoi-xa-phuong.svg",
        "/cong-khai/2025/bieu-do/ban-do-nhiet-khoi-xa-phuong.svg",
        "/cong-khai/2025/bieu-do/linh-vuc-00070.svg",
    ):
        response = client.get(url)
        assert response["Content-Type"].startswith("image/svg+xml")
        assert b"<svg" in response.content
    ranking = client.get("/cong-khai/2025/bieu-do/xep-hang-khoi-xa-phuong.svg").content.decode()
    assert "Phường Hoàn Kiếm" in ranking and "Phường Ba Đình" in ranking
    html = page(client, "/cong-khai/2025/bieu-do/")
    assert "/cong-khai/2025/bieu-do/ban-do-nhiet-khoi-so.svg" in html
    # City averages per domain and the two parts: appraisal 90/75/60/80/95 % → mean 80 %.
    parts = html.split('data-testid="parts"')[1].split("</table>")[0]
    assert "80,00" in parts


def test_open_data_files_carry_the_snapshot(client, published_cycle):
    snapshot = Publication.objects.get(cycle=published_cycle, version=1).snapshot
    expected = {u["code"]: u for u in snapshot["units"]}

    response = client.get("/cong-khai/2025/du-lieu/ket-qua.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="ket-qua-chi-so-cchc-2025-lan-1.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["code"] for r in rows] == [u["code"] for u in snapshot["units"]]
    for row in rows:
        unit = expected[row["code"]]
        assert float(row["index"]) == unit["index"]
        assert int(row["rank"]) == unit["rank"]
        assert row["group"] == unit["group"] and row["band"] == unit["band"]
        assert float(row["domain_1_index"]) == unit["domains"][0]["index"]

    book = load_workbook(io.BytesIO(client.get("/cong-khai/2025/du-lieu/ket-qua.xlsx").content))
    assert book.sheetnames == ["ket_qua", "linh_vuc", "tieu_chi", "gioi_thieu"]
    sheet = list(book["ket_qua"].values)
    header = list(sheet[0])
    by_code = {r[header.index("code")]: r for r in sheet[1:]}
    assert by_code["00073"][header.index("index")] == 75.0
    assert by_code["00073"][header.index("rank")] == 2
    leaves = list(book["tieu_chi"].values)
    assert len(leaves) == 1 + 5 * 11
    assert ("00070", "2.3", "Mức độ hài lòng (SIPAS)") in {(r[0], r[3], r[4]) for r in leaves}

    document = json.loads(client.get("/cong-khai/2025/du-lieu/ket-qua.json").content)
    assert document["publication"]["version"] == 1
    assert document["publication"]["digest"] == Publication.objects.get(version=1).digest
    assert document["units"] == snapshot["units"]
    assert document["leaf_titles"]["2.3"] == "Mức độ hài lòng (SIPAS)"


def test_csv_neutralises_text_a_spreadsheet_would_run(client, published_cycle):
    publication = Publication.objects.get(cycle=published_cycle)
    snapshot = publication.snapshot
    snapshot["units"][0]["name"] = '=HYPERLINK("http://x")'
    Publication.objects.filter(pk=publication.pk).update(snapshot=snapshot)
    text = client.get("/cong-khai/2025/du-lieu/ket-qua.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    book = load_workbook(io.BytesIO(client.get("/cong-khai/2025/du-lieu/ket-qua.xlsx").content))
    cell = book["ket_qua"]["I2"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"


# ------------------------------------------------------------------ rank intervals, comparison notes


def rewrite_snapshot(cycle, change):
    publication = Publication.objects.get(cycle=cycle, version=1)
    snapshot = publication.snapshot
    for unit in snapshot["units"]:
        change(unit)
    Publication.objects.filter(pk=publication.pk).update(snapshot=snapshot)


def test_rank_intervals_and_neighbours_not_told_apart(client, published_cycle):
    figures = {
        "00070": (1, 2, 0.62),  # not clearly ahead of Cửa Nam
        "00073": (1, 3, 0.99),  # clearly ahead of Ba Đình
        "00076": (2, 3, None),
    }

    def change(unit):
        if unit["code"] in figures:
            unit["rank_low"], unit["rank_high"], unit["p_ahead_of_next"] = figures[unit["code"]]

    rewrite_snapshot(published_cycle, change)
    html = page(client, RANKING)
    assert ranking_rows(html) == [("00070", "1 (1–2)"), ("00073", "2 (1–3)"), ("00076", "3 (2–3)")]
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("</tr>")
    assert 'data-testid="close"' in rows[0] and "≈ Phường Cửa Nam" in rows[0]
    assert 'data-testid="close"' not in rows[1] and 'data-testid="close"' not in rows[2]
    assert "độ tin cậy 90\u00a0%" in html  # the plain-language explanation
    profile = page(client, UNIT)
    assert "khoảng từ 1 đến 2 với độ tin cậy 90\u00a0%" in profile
    assert "Chênh lệch với Phường Cửa Nam (xếp ngay sau)" in profile
    api = client.get("/api/v1/results/2025/groups/khoi-xa-phuong").json()
    assert [u["rank_distinct"] for u in api["units"]] == [False, True, None]


def test_comparison_notes_name_the_predecessors(client, published_cycle):
    def change(unit):
        if unit["code"] == "00070":
            unit.update(
                comparison="lineage",
                compared_with=["00073", "00076"],
                previous_index=80.0,
                change=10.0,
            )
        elif unit["code"] == "00073":
            unit.update(comparison="same", previous_index=77.5, change=-2.5, rank_change=-1)

    rewrite_snapshot(published_cycle, change)
    html = page(client, RANKING)
    assert "so với các đơn vị tiền thân: Phường Cửa Nam, Phường Ba Đình" in html
    assert "+10,00" in html and "-2,50" in html and "↓1" in html
    assert html.count("đơn vị mới") == 1  # Ba Đình only
    assert "so với các đơn vị tiền thân" in page(client, UNIT)


def test_history_over_published_years(client, secretariat, cycle_units):
    earlier = finalise(
        secretariat, make_cycle(secretariat, 2024, cycle_units), SHARES | {"00070": "0.8"}
    )
    publish(secretariat, earlier)
    current = finalise(secretariat, make_cycle(secretariat, 2025, cycle_units), SHARES)
    publish(secretariat, current)
    html = page(client, UNIT)
    history = html.split('data-testid="history"')[1].split("</table>")[0]
    assert "2024" in history and "80,00" in history and "90,00" in history
    assert 'data-testid="change">+10,00' in html
    assert client.get("/cong-khai/2025/bieu-do/qua-cac-nam-00070.svg").status_code == 200
    # The 2024 page does not show the later year.
    older = page(client, "/cong-khai/2024/don-vi/00070/")
    assert "2025" not in older.split('data-testid="history"')[1].split("</table>")[0]
    assert [c in page(client, "/cong-khai/") for c in ("2024", "2025")] == [True, True]


# ------------------------------------------------------------------ corrections


def correct(secretariat, cycle, code="00076", share="0.95", notice="Sửa điểm tiêu chí 2.1"):
    """Change one unit's final points, recompute and publish a correction."""
    from assessments.models import Item

    for item in Item.objects.filter(assessment__cycle=cycle, assessment__unit__code=code):
        if item.node.rule not in ("bonus", "penalty"):
            points = (item.node.max_points * Decimal(share)).quantize(Decimal("0.01"))
            Item.objects.filter(pk=item.pk).update(final_points=points)
    recompute(cycle)
    return publish(secretariat, cycle, notice=notice)


def test_a_correction_shows_its_notice_and_keeps_version_one(client, secretariat, published_cycle):
    before = page(client, RANKING)
    assert ranking_rows(before)[0] == ("00070", "1")
    correction = correct(secretariat, published_cycle)
    assert correction.version == 2

    after = page(client, RANKING)
    assert ranking_rows(after)[0] == ("00076", "1")
    notice = after.split('data-testid="correction-notice"')[1].split("</div>")[0]
    assert "Sửa điểm tiêu chí 2.1" in notice and 'href="/cong-khai/2025/v1/"' in notice
    assert 'data-testid="correction-notice"' in page(client, "/cong-khai/2025/")

    old = page(client, "/cong-khai/2025/v1/khoi/khoi-xa-phuong/")
    assert ranking_rows(old)[0] == ("00070", "1")
    assert 'data-testid="old-version"' in old and 'href="/cong-khai/2025/"' in old
    assert 'href="/cong-khai/2025/v1/don-vi/00070/"' in old  # links stay in version 1
    old_data = json.loads(page(client, "/cong-khai/2025/v1/du-lieu/ket-qua.json"))
    new_data = json.loads(page(client, "/cong-khai/2025/du-lieu/ket-qua.json"))
    index = {u["code"]: u["index"] for u in old_data["units"]}
    assert index["00076"] == 60.0 and old_data["publication"]["version"] == 1
    assert {u["code"]: u["index"] for u in new_data["units"]}["00076"] == 95.0
    assert new_data["publication"]["notice"] == "Sửa điểm tiêu chí 2.1"
    assert client.get("/cong-khai/2025/v2/du-lieu/ket-qua.json").json() == new_data
    assert client.get("/cong-khai/2025/v3/").status_code == 404
    versions = page(client, "/cong-khai/2025/").split('data-testid="versions"')[1]
    assert "Lần 1" in versions and "Lần 2" in versions
    assert "đã đính chính (lần 2)" in page(client, "/cong-khai/")


# ------------------------------------------------------------------ cache


def test_pages_are_cached_until_a_new_publication(client, secretariat, published_cycle):
    first = page(client, RANKING)
    # Edit the stored snapshot behind the cache's back: the cached page is still served...
    rewrite_snapshot(published_cycle, lambda u: u.update(name=u["name"] + " (sửa)"))
    assert page(client, RANKING) == first
    assert client.get("/cong-khai/2025/du-lieu/ket-qua.csv").content.count("(sửa)".encode()) == 5
    # ...and a new publication (here a correction) is shown at once, in every process.
    correct(secretariat, published_cycle)
    assert ranking_rows(page(client, RANKING))[0] == ("00076", "1")


def test_a_browser_revalidates_with_the_etag(client, published_cycle):
    response = client.get(RANKING)
    etag = response["ETag"]
    assert "no-cache" in response["Cache-Control"]
    again = client.get(RANKING, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert client.get(RANKING, headers={"If-None-Match": '"other"'}).status_code == 200


def test_an_etag_never_answers_for_an_unpublished_cycle(client, published_cycle, secretariat):
    etag = client.get(RANKING)["ETag"]
    assert client.get("/cong-khai/2026/", headers={"If-None-Match": etag}).status_code == 404


# ------------------------------------------------------------------ bad addresses


@pytest.mark.parametrize(
    "url",
    [
        "/cong-khai/1999/",
        "/cong-khai/99999999999999/",
        "/cong-khai/2025/don-vi/XXXX/",
        "/cong-khai/2025/khoi/khong-co/",
        "/cong-khai/2025/du-lieu/ket-qua.pdf",
        "/cong-khai/2025/du-lieu/ket-qua.CSV",
        "/cong-khai/2025/bieu-do/khong-co.svg",
        "/cong-khai/2025/bieu-do/linh-vuc-XXXX.svg",
        "/cong-khai/2025/bieu-do/xep-hang-khong-co.svg",
        "/cong-khai/2025/v0/",
        "/cong-khai/2025/v9/du-lieu/ket-qua.csv",
        "/cong-khai/2025/v99999999999999/",
        "/cong-khai/abc/",
    ],
)
def test_bad_addresses_answer_404(client, published_cycle, url):
    assert client.get(url).status_code == 404


def test_only_reading_methods(client, published_cycle):
    assert client.post(RANKING).status_code == 405
    assert client.head(RANKING).status_code == 200


def test_the_login_page_leads_visitors_to_the_published_results(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/cong-khai/"' in page
