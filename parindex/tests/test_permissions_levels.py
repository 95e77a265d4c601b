"""The permission matrix for scoped roles (indices at every level, issue 17): the staff Phường Hoàn Kiếm
appoints for the index of its own offices reach their cycle's pages; the secretariat of another commune
(Phường Cửa Nam) gets 403 or 404 on every one of them, on its files, exports and API; and a commune's
staff are refused the city's pages. The city's secretariat sees every level (read only) as a roll-up.

The rows of test_permissions.py hold for every URL; these add the scoped personas on the URLs a scoped
role could reach.
"""

import pytest
from django.urls import reverse

from accounts.models import Role
from conftest import SMALL_TOTAL, item_of, open_phases, small_framework_specs
from cycles.models import IndexFamily
from units.models import UnitKind

from .levels import offices_of, person, second_commune, staff_of

ROLES = ["own_secretariat", "own_reviewer", "own_council", "other_secretariat", "city_secretariat"]
# Who reads the internal cycle: its organiser's staff and the city's; never another commune's.
READ = {
    "own_secretariat": 200,
    "own_reviewer": 200,
    "own_council": 200,
    "city_secretariat": 200,
}
NOT_SEEN = {"other_secretariat": 404}
REFUSED = {"other_secretariat": 403}
# Changing the internal cycle: its own secretariat only (the city reads, it does not run it).
MANAGE = dict.fromkeys(ROLES, 403) | {"own_secretariat": 200}
BOARD = READ | REFUSED | {"own_reviewer": 403}


def _office(f):
    return f["offices"][0].code


# (url name, args builder, expected status per role); every request is a GET.
INTERNAL_MATRIX = {
    "cycles:detail": (lambda f: [f["key"]], READ | NOT_SEEN),
    "cycles:participants": (lambda f: [f["key"]], READ | NOT_SEEN),
    "cycles:transition_preview": (lambda f: [f["key"]], MANAGE | {"own_secretariat": 302}),
    "frameworks:detail": (lambda f: [f["framework"].pk], READ | NOT_SEEN),
    "frameworks:export": (lambda f: [f["framework"].pk], READ | NOT_SEEN),
    "frameworks:import": (lambda f: [f["key"]], MANAGE),
    "frameworks:year_texts": (lambda f: [f["key"]], MANAGE),
    "assessments:board": (lambda f: [f["key"]], BOARD),
    "assessments:assign": (lambda f: [f["key"]], MANAGE),
    "assessments:form": (lambda f: [f["key"], _office(f)], READ | NOT_SEEN),
    "assessments:appraise": (lambda f: [f["key"], _office(f)], READ | NOT_SEEN),
    "assessments:explain": (lambda f: [f["key"], _office(f)], READ | NOT_SEEN),
    "assessments:history": (lambda f: [f["item"].pk], READ | NOT_SEEN),
    "assessments:history_export": (lambda f: [f["key"], _office(f)], READ | NOT_SEEN),
    "assessments:evidence": (lambda f: [f["evidence"].pk], READ | NOT_SEEN),
    "results:cycle": (lambda f: [f["key"]], READ | REFUSED),
    "results:jobs": (lambda f: [f["key"]], READ | REFUSED),
    "results:unit": (lambda f: [f["key"], _office(f)], READ | REFUSED),
    "results:awards": (lambda f: [f["key"]], READ | REFUSED),
}
# POSTs that change the internal cycle: refused to all but its secretariat (and, to finalise, its
# council), whatever is posted. The secretariat's own answers are the service's, tested elsewhere.
INTERNAL_WRITES = {
    "cycles:transition": lambda f: [f["key"]],
    "cycles:phase": lambda f: [f["key"]],
    "cycles:participants_add": lambda f: [f["key"]],
    "cycles:participants_remove": lambda f: [f["key"], f["offices"][1].pk],
    "results:request_job": lambda f: [f["key"]],
    "results:publish": lambda f: [f["key"]],
    "assessments:reopen": lambda f: [f["key"], _office(f)],
}


@pytest.fixture
def levels(secretariat, unit_a, open_cycle):
    """Phường Hoàn Kiếm (unit_a, also in the city's cycle 2025, open) runs the 2025 index of its
    offices: finalised and computed, its reviewer assigned to the first office, whose officer added a
    file; Phường Cửa Nam has a secretariat of its own."""
    from assessments.services import add_evidence_file, assign_reviewer
    from assessments.tests.helpers import PDF, upload
    from cycles.services import add_participants, create_cycle, transition
    from frameworks.services import save_specs
    from results.compute import recompute

    own = staff_of(unit_a, "hoankiem")
    other = staff_of(second_commune(), "cuanam")
    offices = offices_of(unit_a)
    boss = own["secretariat"]
    cycle = create_cycle(
        boss, 2025, "Chỉ số CCHC các phòng", organiser=unit_a, family=IndexFamily.INTERNAL
    )
    add_participants(boss, cycle, offices)
    framework = save_specs(
        boss,
        cycle,
        UnitKind.OFFICE,
        small_framework_specs(),
        source="test",
        target_total=SMALL_TOTAL,
    )
    open_phases(cycle, boss)
    transition(boss, cycle, "self_assessment")
    assign_reviewer(boss, cycle, own["reviewer"], [offices[0]])
    officer = person("canbo.vanphong", Role.UNIT_OFFICER, offices[0])
    item = item_of(cycle.assessments.get(unit=offices[0]), "1.5")
    evidence = add_evidence_file(officer, item, upload(PDF, "bao-cao.pdf"))
    for state in ("appraisal", "explanation", "finalised"):
        transition(boss, cycle, state)
    recompute(cycle)
    return {
        "key": cycle.key,
        "cycle": cycle,
        "city_cycle": open_cycle,
        "framework": framework,
        "offices": offices,
        "item": item,
        "evidence": evidence,
        "personas": {
            "own_secretariat": boss,
            "own_reviewer": own["reviewer"],
            "own_council": own["council"],
            "other_secretariat": other["secretariat"],
            "other_council": other["council"],
            "city_secretariat": secretariat,
        },
    }


def test_the_internal_cycle_is_keyed_by_its_commune(levels):
    assert levels["key"] == "2025-00070-noi-bo"


def _mismatches(client, user, requests) -> dict:
    """{url: (wanted, got)} for every (url, wanted status, method) the user does not get as wanted.
    One fixture build per persona: the cycle is long to prepare and every page only reads it."""
    client.force_login(user)
    wrong = {}
    for url, wanted, method in requests:
        got = getattr(client, method)(url, {"kind": "recompute"} if method == "post" else {})
        if got.status_code not in wanted:
            wrong[url] = (wanted, got.status_code)
    return wrong


@pytest.mark.parametrize("role", ROLES)
def test_scoped_role_gets_what_the_matrix_says(client, levels, role):
    requests = [
        (reverse(name, args=args(levels)), (expected[role],), "get")
        for name, (args, expected) in INTERNAL_MATRIX.items()
    ]
    assert _mismatches(client, levels["personas"][role], requests) == {}


@pytest.mark.parametrize(
    "role", ["other_secretariat", "other_council", "city_secretariat", "own_reviewer"]
)
def test_only_the_organiser_changes_its_cycle(client, levels, role):
    requests = [
        (reverse(name, args=args(levels)), (403, 404), "post")
        for name, args in INTERNAL_WRITES.items()
    ]
    assert _mismatches(client, levels["personas"][role], requests) == {}
    levels["cycle"].refresh_from_db()
    assert levels["cycle"].state == "finalised"
    assert not levels["cycle"].publications.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("own_secretariat", 200), ("own_council", 200), ("other_secretariat", 404)],
)
def test_the_api_answers_only_the_organisers_staff(client, levels, role, status):
    from accounts.tokens import create_token

    _token, key = create_token(levels["personas"][role], "Hệ thống văn bản")
    response = client.get(
        f"/api/v1/assessments/{levels['key']}/{levels['offices'][0].code}",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == status
    if status == 200:
        assert response.json()["cycle"]["key"] == "2025-00070-noi-bo"


def test_another_communes_secretariat_does_not_see_the_cycle_listed(client, levels):
    other = levels["personas"]["other_secretariat"]
    client.force_login(other)
    for url in ("/cycles/", "/results/", "/assessments/review/", "/units/"):
        page = client.get(url)
        assert page.status_code == 200, url
        main = page.content.decode().split("<main", 1)[1]
        assert "noi-bo" not in main and "Văn phòng HĐND" not in main, url
    assert client.get(f"/units/{levels['offices'][0].pk}/").status_code == 404


# The city's pages: a commune's staff run their own index, nothing of the city's. (The city's cycle
# 2025, open for self-assessment, has Hoàn Kiếm itself as a participant.)
CITY_PAGES = [
    "/surveys/",
    "/surveys/questionnaires/",
    "/surveys/new/",
    "/plans/import/",
    "/reports/periods/new/",
    "/reports/templates/new/",
    "/units/import/",
    "/accounts/security-log/",
    "/accounts/two-factor/users/",
    "/cycles/2025/",
    "/cycles/2025/units/",
    "/cycles/2025/transition/preview/?to_state=appraisal",
    "/frameworks/import/2025/",
    "/assessments/2025/board/",
    "/assessments/2025/assign/",
    "/assessments/2025/00070/",
    "/assessments/2025/00070/appraise/",
    "/results/2025/",
    "/results/2025/awards.xlsx",
    "/results/2025/jobs/",
]


@pytest.mark.parametrize("role", ["own_secretariat", "own_council", "own_reviewer"])
def test_a_communes_staff_are_refused_the_citys_pages(client, levels, role):
    requests = [(url, (403, 404), "get") for url in CITY_PAGES]
    assert _mismatches(client, levels["personas"][role], requests) == {}


def test_the_city_pages_listed_exist(client, levels):
    """The list above names real pages: the city's secretariat opens every one of them."""
    client.force_login(levels["personas"]["city_secretariat"])
    for url in CITY_PAGES:
        assert client.get(url).status_code in (200, 302), url


@pytest.mark.parametrize("role", ["own_secretariat", "own_council"])
def test_a_communes_staff_are_refused_the_citys_consolidated_report(
    client, levels, role, secretariat
):
    from datetime import timedelta

    from django.utils import timezone

    from reporting import services as reporting

    template = reporting.save_template(
        secretariat,
        "Mẫu",
        [{"code": "a", "label": "A", "is_rate": False, "unit_of_measure": ""}],
        [],
    )
    reporting.open_period(secretariat, 2025, "q1", template, timezone.now() + timedelta(days=3))
    client.force_login(levels["personas"][role])
    for url in ("/reports/2025/q1/", "/reports/2025/q1/city/"):
        assert client.get(url).status_code == 403, url


def test_a_communes_staff_cannot_open_the_admin(client, levels):
    client.force_login(levels["personas"]["own_secretariat"])
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_citys_cycle_is_untouched_by_the_communes_index(levels):
    city = levels["city_cycle"]
    city.refresh_from_db()
    assert city.state == "self_assessment"
    assert city.participations.count() == 2
    assert not city.assessments.filter(unit__kind=UnitKind.OFFICE).exists()


def test_the_menu_offers_a_commune_only_what_it_may_open(client, levels):
    def menu(role):
        client.force_login(levels["personas"][role])
        return client.get("/").content.decode().split("</nav>", 1)[0]

    city = menu("city_secretariat")
    assert 'href="/surveys/"' in city and 'href="/admin/"' in city and 'href="/results/"' in city
    for role in ("own_secretariat", "own_council"):
        commune = menu(role)
        assert 'href="/surveys/"' not in commune and 'href="/admin/"' not in commune, role
        assert 'href="/results/"' in commune, role
