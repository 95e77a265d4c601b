"""Cycle screens: state changes and their messages, phases in Hà Nội time, creation with copy."""

import pytest

from cycles.models import Cycle, CycleState


def test_transition_button_moves_the_cycle(
    client, secretariat, draft_cycle, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/cycles/2025/transition/",
            {"to_state": "self_assessment", "reason": "Mở", "confirm": "1"},
        )
    response = client.get(response["Location"])
    assert "đã chuyển sang “Tự đánh giá”" in response.content.decode()
    draft_cycle.refresh_from_db()
    assert draft_cycle.state == CycleState.SELF_ASSESSMENT


def test_illegal_transition_shows_the_reason(client, secretariat, draft_cycle):
    client.force_login(secretariat)
    page = client.post(
        "/cycles/2025/transition/", {"to_state": "published", "confirm": "1"}, follow=True
    ).content.decode()
    assert "không chuyển được sang trạng thái này từ “Dự thảo”" in page
    draft_cycle.refresh_from_db()
    assert draft_cycle.state == CycleState.DRAFT


def test_phase_form_takes_hanoi_time(client, secretariat, draft_cycle):
    client.force_login(secretariat)
    client.post(
        "/cycles/2025/phase/",
        {
            "kind": "self_assessment",
            "opens_at": "01/12/2025 08:00",
            "closes_at": "10/01/2026 17:00",
        },
    )
    phase = draft_cycle.phases.get()
    assert phase.opens_at.isoformat() == "2025-12-01T01:00:00+00:00"
    page = client.get("/cycles/2025/").content.decode()
    assert "01/12/2025 08:00" in page and "10/01/2026 17:00" in page


def test_phase_form_refuses_close_before_open(client, secretariat, draft_cycle):
    client.force_login(secretariat)
    page = client.post(
        "/cycles/2025/phase/",
        {"kind": "appraisal", "opens_at": "10/01/2026 08:00", "closes_at": "01/01/2026 08:00"},
        follow=True,
    ).content.decode()
    assert "Thời điểm đóng phải sau thời điểm mở." in page
    assert not draft_cycle.phases.exists()


@pytest.mark.parametrize("bad_year", ["abc", "1990"])
def test_create_form_validates(client, secretariat, bad_year):
    client.force_login(secretariat)
    response = client.post("/cycles/new/", {"year": bad_year, "title": "X"})
    assert response.status_code == 200
    assert not Cycle.objects.exists()


def test_create_form_copies_a_previous_cycle(client, secretariat, draft_cycle):
    client.force_login(secretariat)
    response = client.post(
        "/cycles/new/", {"year": "2026", "title": "Năm 2026", "copy_from": draft_cycle.pk}
    )
    assert response.status_code == 302
    cycle = Cycle.objects.get(year=2026)
    assert cycle.frameworks.count() == 2 and cycle.participations.count() == 2
    again = client.post("/cycles/new/", {"year": "2026", "title": "Lại"})
    assert "Đã có kỳ đánh giá năm 2026" in again.content.decode()


def test_secretariat_adds_all_units_of_a_kind_and_removes_one(client, secretariat, draft_cycle, db):
    from units.importer import import_hanoi_catalogue

    import_hanoi_catalogue()
    client.force_login(secretariat)
    page = client.post(
        "/cycles/2025/units/add/", {"kind": "department"}, follow=True
    ).content.decode()
    # S02 (Sở Tư pháp) of the fixture is the catalogue's S02 and already takes part.
    assert "Đã thêm 14 đơn vị tham gia." in page
    assert draft_cycle.participations.filter(unit__kind="department").count() == 15
    target = draft_cycle.participations.filter(unit__code="S01").get()
    client.post(f"/cycles/2025/units/{target.unit_id}/remove/")
    assert not draft_cycle.participations.filter(unit__code="S01").exists()


def test_adding_unknown_codes_is_refused_with_their_list(client, secretariat, draft_cycle):
    client.force_login(secretariat)
    page = client.post(
        "/cycles/2025/units/add/", {"kind": "commune", "codes": "00070, 99999"}, follow=True
    ).content.decode()
    assert "Không có đơn vị loại “UBND xã, phường” với mã: 99999." in page


def test_participants_are_fixed_once_the_cycle_opens(client, secretariat, draft_cycle, unit_a):
    from cycles.services import transition

    transition(secretariat, draft_cycle, "self_assessment")
    client.force_login(secretariat)
    page = client.post(f"/cycles/2025/units/{unit_a.pk}/remove/", follow=True).content.decode()
    assert "chỉ sửa được khi còn là dự thảo" in page
    assert draft_cycle.participations.filter(unit=unit_a).exists()
