"""The QR posters of the public link per unit, printed for the one-stop desk."""

import re
from pathlib import Path

import pytest
import segno
from django.contrib.staticfiles import finders

from units.models import Unit, UnitKind


def qr_of(url: str) -> str:
    """The code the page must carry for `url`, made the same way."""
    return segno.make(url, error="m").svg_inline(omitsize=True)


def posters_of(html: str) -> list[str]:
    return re.findall(r'<section class="poster" data-unit="([^"]+)">', html)


def test_the_secretariat_prints_one_poster_per_unit_of_the_wave(
    client, secretariat, wave, unit_a, unit_b
):
    Unit.objects.create(code="S99", name="Sở không tham gia", kind=UnitKind.DEPARTMENT)
    client.force_login(secretariat)
    page = client.get(f"/surveys/{wave.pk}/posters/")
    html = page.content.decode()
    assert page.status_code == 200
    assert sorted(posters_of(html)) == ["00070", "S02"]
    assert html.count("<svg") == 2
    for code in ("00070", "S02"):
        url = f"http://testserver/khao-sat/{wave.pk}/{code}/"
        assert qr_of(url) in html  # the code scans to the absolute public link
        assert f"<span>{url}</span>" in html  # and the link is printed for those who type it
    assert "Phường Hoàn Kiếm" in html and "Sở Tư pháp" in html and "SIPAS 2025" in html
    assert "Mời Ông/Bà đánh giá mức độ hài lòng" in html
    assert "Phiếu khảo sát không cần đăng nhập, không ghi tên." in html
    assert "Sở không tham gia" not in html


def test_the_posters_print_one_per_page_under_the_site_policy(client, secretariat, wave):
    client.force_login(secretariat)
    page = client.get(f"/surveys/{wave.pk}/posters/")
    html = page.content.decode()
    # The print CSS is a stylesheet of the site: the policy, which refuses inline styles, stays as is.
    assert '<link rel="stylesheet" href="/static/surveys/poster.css">' in html
    assert "<style" not in html and "unsafe-inline" not in page["Content-Security-Policy"]
    css = Path(finders.find("surveys/poster.css")).read_text()
    assert "@media print" in css and "break-after: page" in css and "size: A4" in css


def test_one_unit_by_its_code(client, secretariat, wave, unit_a):
    client.force_login(secretariat)
    html = client.get(f"/surveys/{wave.pk}/posters/?don-vi=00070").content.decode()
    assert posters_of(html) == ["00070"] and html.count("<svg") == 1
    assert qr_of(f"http://testserver/khao-sat/{wave.pk}/00070/") in html
    assert "Sở Tư pháp" not in html


@pytest.mark.parametrize(
    "path",
    [
        "/surveys/{wave}/posters/?don-vi=NOPE",
        "/surveys/{wave}/posters/?don-vi=S99",  # a unit that exists but has no target in the wave
        "/surveys/{wave}/posters/?don-vi=00%0070",  # a NUL character, which PostgreSQL cannot take
        "/surveys/999999/posters/",
    ],
)
def test_an_unknown_wave_or_a_unit_not_in_it_is_not_found(client, secretariat, wave, path):
    Unit.objects.create(code="S99", name="Sở không tham gia", kind=UnitKind.DEPARTMENT)
    client.force_login(secretariat)
    assert client.get(path.format(wave=wave.pk)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, wave):
    response = client.get(f"/surveys/{wave.pk}/posters/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "role", ["officer_a", "head_a", "officer_b", "reviewer", "council", "leader"]
)
def test_only_the_secretariat_prints_posters(client, personas, wave, role):
    client.force_login(personas[role])
    assert client.get(f"/surveys/{wave.pk}/posters/").status_code == 403
    assert client.get(f"/surveys/{wave.pk}/posters/?don-vi=00070").status_code == 403


def test_the_monitoring_page_links_the_posters_for_the_secretariat_only(
    client, secretariat, leader, wave
):
    everyone = f'href="/surveys/{wave.pk}/posters/"'
    one_unit = f'href="/surveys/{wave.pk}/posters/?don-vi=00070"'
    client.force_login(secretariat)
    html = client.get(f"/surveys/{wave.pk}/").content.decode()
    assert everyone in html and one_unit in html and "In áp phích QR (tất cả đơn vị)" in html
    client.force_login(leader)
    html = client.get(f"/surveys/{wave.pk}/").content.decode()
    assert "/posters/" not in html
