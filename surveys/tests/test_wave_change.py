"""The secretariat extends a wave, closes it early or renames it, with a reason; the questionnaire stays,
the respondents see the new times at once, and a cycle whose results are approved keeps its waves."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent
from cycles.models import Cycle
from surveys import services
from surveys.models import Response, Wave

from .conftest import good_answers
from .test_pages import form_fields


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def change(client, wave, **fields):
    data = {
        "title": wave.title,
        "opens_at": local(wave.opens_at),
        "closes_at": local(wave.closes_at),
        "reason": "Gia hạn theo Công văn số 123/SNV-CCHC",
    } | fields
    return client.post(f"/surveys/{wave.pk}/change/", data)


def test_extending_a_closed_wave_lets_citizens_answer_again(client, secretariat, wave, unit_a):
    wave.closes_at = timezone.now() - timedelta(hours=1)
    wave.save()
    respondent = Client()
    page = respondent.get(f"/khao-sat/{wave.pk}/00070/").content.decode()
    assert "Đợt khảo sát đã đóng hoặc chưa mở." in page  # the closed page is the one cached

    client.force_login(secretariat)
    form = client.get(f"/surveys/{wave.pk}/change/").content.decode()
    assert f'value="{local(wave.opens_at)}"' in form and "SIPAS (v1)" in form
    new_close = (timezone.localtime() + timedelta(days=10)).replace(second=0, microsecond=0)
    done = change(client, wave, closes_at=new_close.strftime("%d/%m/%Y %H:%M"))
    assert done.status_code == 302 and done["Location"] == f"/surveys/{wave.pk}/"
    wave.refresh_from_db()
    assert wave.closes_at == new_close

    page = respondent.get(f"/khao-sat/{wave.pk}/00070/").content.decode()
    assert "đã đóng" not in page
    fields = form_fields(page)
    data = good_answers() | {"submission_id": fields["submission_id"], "started": fields["started"]}
    assert respondent.post(f"/khao-sat/{wave.pk}/00070/", data).status_code == 302
    assert Response.objects.count() == 1

    event = AuditEvent.objects.get(action="wave.change", object_id=str(wave.pk))
    assert event.actor == secretariat and event.reason == "Gia hạn theo Công văn số 123/SNV-CCHC"
    assert event.after["closes_at"] == new_close.strftime("%d/%m/%Y %H:%M")
    assert event.before["closes_at"] != event.after["closes_at"]


def test_closing_early_stops_the_intake_at_once(client, secretariat, wave, unit_a):
    from .test_intake import submit

    submit(wave, unit_a)
    client.force_login(secretariat)
    now = timezone.localtime().replace(second=0, microsecond=0)
    done = change(client, wave, closes_at=now.strftime("%d/%m/%Y %H:%M"), reason="Đóng sớm")
    assert done.status_code == 302
    with pytest.raises(services.SurveyError, match="đã đóng"):
        submit(wave, unit_a)
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reason": "  "}, "Lý do thay đổi.*Trường này là bắt buộc."),
        ({"closes_at": "01/01/2020 08:00"}, "Thời điểm đóng phải sau thời điểm mở."),
        ({"opens_at": "31/02/2026 08:00"}, "Nhập ngày giờ theo dạng dd/mm/yyyy HH:MM"),
        ({"title": ""}, "Tên đợt khảo sát.*Trường này là bắt buộc."),
    ],
)
def test_a_bad_change_is_refused_with_its_reason_and_changes_nothing(
    client, secretariat, wave, fields, message
):
    import re

    before = Wave.objects.values().get(pk=wave.pk)
    client.force_login(secretariat)
    response = change(client, wave, **fields)
    assert response.status_code == 400
    assert re.search(message, response.content.decode(), re.S)
    assert Wave.objects.values().get(pk=wave.pk) == before
    assert not AuditEvent.objects.filter(action="wave.change").exists()


@pytest.mark.parametrize("state", ["finalised", "published"])
def test_the_waves_of_an_approved_cycle_stay_as_they_were(client, secretariat, wave, state):
    Cycle.objects.filter(pk=wave.cycle_id).update(state=state)
    client.force_login(secretariat)
    response = change(client, wave, title="Đổi tên")
    assert response.status_code == 400
    assert "Kết quả kỳ đánh giá đã được phê duyệt" in response.content.decode()
    page = client.get(f"/surveys/{wave.pk}/change/").content.decode()
    assert "đợt khảo sát này không thể thay đổi nữa" in page and '<form method="post"' not in page
    wave.refresh_from_db()
    assert wave.title == "SIPAS 2025"


@pytest.mark.parametrize("who", ["officer_a", "head_a", "reviewer", "council", "leader"])
def test_only_the_secretariat_changes_a_wave(request, who, wave):
    browser = Client()
    browser.force_login(request.getfixturevalue(who))
    assert browser.get(f"/surveys/{wave.pk}/change/").status_code == 403
    assert change(browser, wave, title="Đổi tên").status_code == 403
    with pytest.raises(PermissionDenied):
        services.change_wave(
            request.getfixturevalue(who), wave, "x", wave.opens_at, wave.closes_at, "lý do"
        )
    wave.refresh_from_db()
    assert wave.title == "SIPAS 2025"
    anonymous = Client().get(f"/surveys/{wave.pk}/change/")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_the_monitoring_page_links_to_the_change_for_the_secretariat_only(
    client, secretariat, leader, wave
):
    client.force_login(secretariat)
    assert f"/surveys/{wave.pk}/change/" in client.get(f"/surveys/{wave.pk}/").content.decode()
    client.force_login(leader)
    assert f"/surveys/{wave.pk}/change/" not in client.get(f"/surveys/{wave.pk}/").content.decode()


def test_the_service_names_every_problem(secretariat, wave):
    with pytest.raises(services.SurveyError) as refused:
        services.change_wave(secretariat, wave, " ", wave.closes_at, wave.opens_at, " ")
    assert refused.value.problems == [
        "Hãy nhập tên đợt khảo sát.",
        "Thời điểm đóng phải sau thời điểm mở.",
        "Hãy nêu lý do thay đổi (ví dụ: gia hạn theo văn bản số …).",
    ]


@pytest.mark.parametrize("state", ["appraisal", "explanation"])
def test_once_appraisal_opens_a_wave_keeps_its_times_but_may_be_renamed(
    client, secretariat, wave, state
):
    """The survey leaves took the wave's figures when appraisal opened."""
    Cycle.objects.filter(pk=wave.cycle_id).update(state=state)
    client.force_login(secretariat)
    later = local(wave.closes_at + timedelta(days=5))
    moved = change(client, wave, closes_at=later)
    assert moved.status_code == 400 and "không đổi được thời gian" in moved.content.decode()
    renamed = change(client, wave, title="SIPAS 2025 (đã hiệu đính)", reason="Sửa tên")
    assert renamed.status_code == 302
    wave.refresh_from_db()
    assert wave.title == "SIPAS 2025 (đã hiệu đính)" and local(wave.closes_at) != later


@pytest.mark.parametrize("field", ["opens_at", "closes_at"])
def test_a_year_out_of_range_is_refused_on_the_form_not_stored(client, secretariat, wave, field):
    """01/01/0001 in Hà Nội time is before year 1 in UTC: stored, no page could read the wave back."""
    before = Wave.objects.values().get(pk=wave.pk)
    client.force_login(secretariat)
    response = change(client, wave, **{field: "01/01/0001 00:00"})
    assert response.status_code == 400
    assert "Thời điểm phải trong các năm 2000–2100." in response.content.decode()
    assert Wave.objects.values().get(pk=wave.pk) == before
    assert client.get(f"/surveys/{wave.pk}/").status_code == 200


def test_the_services_refuse_a_year_out_of_range_too(secretariat, wave, draft_cycle):
    far = wave.opens_at.replace(year=2999)
    with pytest.raises(services.SurveyError, match="trong các năm 2000–2100"):
        services.change_wave(secretariat, wave, "x", wave.opens_at, far, "lý do")
    with pytest.raises(services.SurveyError, match="trong các năm 2000–2100"):
        services.create_wave(secretariat, draft_cycle, wave.version, "x", wave.opens_at, far)


def test_opening_a_wave_in_year_one_is_refused_on_the_form(
    client, secretariat, draft_cycle, version
):
    client.force_login(secretariat)
    data = {
        "cycle": draft_cycle.pk,
        "version": version.pk,
        "title": "SIPAS",
        "opens_at": "01/01/0001 00:00",
        "closes_at": "30/04/2025 17:30",
    }
    response = client.post("/surveys/new/", data)
    assert response.status_code == 200 and "Thời điểm phải trong các năm 2000–2100." in (
        response.content.decode()
    )
    assert not Wave.objects.exists()
