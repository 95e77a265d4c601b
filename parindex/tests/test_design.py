"""The staff side's design system: the organisation's identity from settings, the menu by role, the
language names, the icon and the page of components (docs/ui.md)."""

import re

import pytest
from django.contrib.staticfiles import finders

from parindex.navigation import menu
from parindex.theme import darker


def page(client, user, url="/"):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_header_carries_the_organisation_from_settings(client, officer_a, settings):
    settings.ORGANISATION_SUPERIOR = "UBND TỈNH BẮC NINH"
    settings.ORGANISATION_NAME = "SỞ NỘI VỤ TỈNH"
    settings.ORGANISATION_EMBLEM = "https://example.vn/quoc-huy.svg"
    html = page(client, officer_a)
    header = html[html.index('<header class="org-header">') : html.index("</header>")]
    assert "UBND TỈNH BẮC NINH" in header and "SỞ NỘI VỤ TỈNH" in header
    assert 'src="https://example.vn/quoc-huy.svg"' in header


def test_default_emblem_is_a_shipped_static_file(client, officer_a):
    html = page(client, officer_a)
    emblem = re.search(r'<img class="org-emblem" src="/static/([^"]+)"', html).group(1)
    assert finders.find(emblem) is not None


def test_organisation_colour_is_served_as_a_stylesheet(client, settings):
    settings.ORGANISATION_COLOUR = "#a00000"
    css = client.get("/theme.css")
    assert css["Content-Type"].startswith("text/css")
    assert "--org-colour: #a00000;" in css.content.decode()
    assert darker("#a00000", 0.5) == "#500000"


def test_every_page_names_the_icon_and_favicon_ico_leads_to_it(client, officer_a):
    html = page(client, officer_a)
    icon = re.search(r'<link rel="icon" href="/static/([^"]+)"', html).group(1)
    assert finders.find(icon) is not None
    assert client.get("/favicon.ico")["Location"] == f"/static/{icon}"
    public = client.get("/cong-khai/").content.decode()
    assert f'<link rel="icon" href="/static/{icon}"' in public


def test_language_menu_names_each_language_in_its_own_tongue(client):
    html = client.get("/accounts/login/").content.decode()
    assert '<option value="en" lang="en">English</option>' in html
    assert "Tiếng Anh" not in html


def labels(groups):
    return {group["label"]: [str(link["label"]) for link in group["links"]] for group in groups}


def test_menu_groups_the_links_each_role_may_use(personas):
    reviewer = labels(menu(personas["reviewer"]))
    assert reviewer["Thẩm định"] == ["Việc thẩm định của tôi"]
    assert "Khảo sát" not in reviewer
    officer = labels(menu(personas["officer_a"]))
    assert set(officer) == {"Kỳ đánh giá", "Kết quả", "Kế hoạch & báo cáo"}
    assert officer["Kết quả"] == ["Trang công khai kết quả"]
    secretariat = labels(menu(personas["secretariat"]))
    assert list(secretariat) == [
        "Kỳ đánh giá",
        "Khảo sát",
        "Kết quả",
        "Kế hoạch & báo cáo",
        "Quản trị",
    ]
    assert "Trang quản trị dữ liệu" in secretariat["Quản trị"]


@pytest.mark.parametrize("role", ["secretariat", "officer_a", "reviewer", "council", "leader"])
def test_menu_offers_no_page_its_user_may_not_open(client, personas, role):
    user = personas[role]
    client.force_login(user)
    for group in menu(user):
        for link in group["links"]:
            response = client.get(link["url"])
            assert response.status_code in (200, 302), (role, link["url"], response.status_code)
            if response.status_code == 302:  # only the admin's own front door, never the login
                assert not response["Location"].startswith("/accounts/login/")


def test_current_page_is_marked_in_the_menu(client, secretariat):
    html = page(client, secretariat, "/surveys/questionnaires/")
    assert '<li class="nav-group is-current">' in html
    assert 'href="/surveys/questionnaires/" aria-current="page"' in html


def test_component_page_shows_every_component(client, council):
    html = page(client, council, "/ui/")
    for marker in (
        'class="notice notice-success"',
        'class="notice notice-danger"',
        'class="status-badge status-warning"',
        'data-testid="empty-state"',
        'data-testid="charts"',
        'data-testid="sample-table"',
    ):
        assert marker in html, marker
    assert "Đã lưu thay đổi" in html
    # Nothing was queued: the next page carries no example message.
    assert "Đã lưu thay đổi" not in client.get("/").content.decode()


def test_component_page_is_for_city_staff_only(client, officer_a):
    client.force_login(officer_a)
    assert client.get("/ui/").status_code == 403


def test_home_without_a_cycle_shows_an_empty_state_with_what_comes_next(client, officer_a):
    html = page(client, officer_a)
    empty = html.split('data-testid="empty-state"')[1].split("</div>")[0]
    assert "Chưa có kỳ đánh giá nào bạn được xem." in empty
    assert "Khi Sở Nội vụ mở kỳ đánh giá" in empty


def test_home_shows_states_as_badges(client, officer_a, assessment_a):
    html = page(client, officer_a)
    assert '<span class="status-badge status-warning">Đang tự đánh giá</span>' in html
    assert '<span class="status-badge status-info">Tự đánh giá</span>' in html
