"""Respondent pages without login or JavaScript, and the secretariat's monitoring and figures."""

import re

import pytest
from django.test import Client

from surveys import services
from surveys.models import Response

from .conftest import good_answers


def form_fields(html: str) -> dict:
    return dict(
        re.findall(r'name="(submission_id|started|csrfmiddlewaretoken)" value="([^"]+)"', html)
    )


def post_answers(client, url, answers, **extra):
    page = client.get(url)
    fields = form_fields(page.content.decode())
    data = (
        {k: v for k, v in answers.items() if v is not None}
        | {"submission_id": fields["submission_id"], "started": fields["started"]}
        | extra
    )
    return client.post(url, data), fields


def test_a_citizen_answers_on_the_public_link(client, wave, unit_a):
    url = f"/khao-sat/{wave.pk}/00070/"
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "Phường Hoàn Kiếm" in html and "Phiếu không ghi tên" in html
    assert len(page.content) < 100_000
    # Every question says where the respondent is, without JavaScript and to a screen reader.
    asked = sum(q.type != "section" for q in wave.version.parsed())
    assert f"Câu 1/{asked}." in html and f"Câu {asked}/{asked}." in html
    response, fields = post_answers(client, url, good_answers())
    assert response.status_code == 302
    assert response["Location"] == "/khao-sat/cam-on/?don-vi=00070"  # leads to the unit's results
    assert Response.objects.get().channel == "link"
    # The browser resends the same form: the same submission id, no second response.
    again = client.post(
        url,
        good_answers() | {"submission_id": fields["submission_id"], "started": fields["started"]},
    )
    assert again.status_code == 302 and Response.objects.count() == 1


def test_a_refused_page_keeps_the_answers_and_names_the_problem(client, wave, unit_a):
    response, _ = post_answers(client, f"/khao-sat/{wave.pk}/00070/", good_answers(sex=None))
    html = response.content.decode()
    assert response.status_code == 400 and "Câu “Giới tính”: cần trả lời." in html
    assert 'value="none" checked' in html  # the other answers are still ticked
    assert not Response.objects.exists()


def test_each_problem_links_to_its_question_and_is_read_out_there(client, wave, unit_a):
    answers = good_answers(sex=None, visits="99")
    response, _ = post_answers(client, f"/khao-sat/{wave.pk}/00070/", answers, dossier="")
    html = response.content.decode()
    summary = html[html.index('id="problems"') : html.index("</ul>")]
    assert '<a class="link-danger" href="#q-sex">Câu “Giới tính”: cần trả lời.</a>' in summary
    assert 'href="#q-visits">Câu “Số lần phải đi lại”: số ngoài khoảng cho phép.</a>' in summary
    sex = html[html.index('id="q-sex"') - 80 : html.index('id="q-harassed"')]
    assert 'aria-describedby="e-sex"' in sex and "border-danger" in sex
    assert '<p class="text-danger small mb-1" id="e-sex">Câu “Giới tính”: cần trả lời.</p>' in sex
    visits = html[html.index('id="q-visits"') : html.index('id="q-channels"')]
    assert 'value="99" aria-invalid="true"' in visits
    fine = html[html.index('id="q-harassed"') - 80 : html.index('id="q-visits"')]
    assert "aria-describedby" not in fine and "aria-invalid" not in fine


def test_a_nul_character_in_a_text_or_a_dossier_code_is_refused_not_a_500(client, wave, unit_a):
    """A form field may carry %00, which PostgreSQL cannot keep."""
    url = f"/khao-sat/{wave.pk}/00070/"
    answers = good_answers(harassed="some") | {"harassed_detail": "a\x00b"}
    response, _ = post_answers(client, url, answers)
    assert response.status_code == 400 and "có ký tự không hợp lệ" in response.content.decode()
    response, _ = post_answers(client, url, good_answers(), channel="dossier", dossier="HS\x00-1")
    assert response.status_code == 400
    assert "Hãy nhập mã hồ sơ ghi trên giấy tiếp nhận." in response.content.decode()
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/khao-sat/99999999999999999999999/00070/",  # past a bigint
        "/khao-sat/{wave}/00%0070/",  # a NUL character, which PostgreSQL cannot take
        "/khao-sat/{wave}/" + "x" * 5000 + "/",
        "/khao-sat/{wave}/%E1%BB%A7y-ban/",
    ],
)
def test_an_odd_address_of_the_respondent_page_is_not_found_not_a_500(client, wave, path):
    for method in ("get", "post"):
        response = getattr(client, method)(path.format(wave=wave.pk))
        assert response.status_code == 404, (method, response.status_code)


def test_invitation_code_entry(client, secretariat, wave, unit_a):
    code = services.generate_invitations(secretariat, wave, unit_a, 1)[0]
    wrong = client.post("/khao-sat/ma/", {"code": "AAAA-BBBB"})
    assert wrong.status_code == 400 and "Mã mời không đúng" in wrong.content.decode()
    right = client.post("/khao-sat/ma/", {"code": code})
    assert right.status_code == 302 and f"/khao-sat/{wave.pk}/00070/?kenh=code" in right["Location"]
    response, _ = post_answers(client, right["Location"], good_answers(), code=code, channel="code")
    assert response.status_code == 302 and Response.objects.get().invitation.used_at is not None


def test_unknown_wave_or_unit_is_a_404(client, wave):
    assert client.get(f"/khao-sat/{wave.pk}/NOPE/").status_code == 404
    assert client.get("/khao-sat/999/00070/").status_code == 404


def test_monitoring_and_figures(client, secretariat, leader, wave, unit_a):
    for level in ("5", "4", "2"):
        services.submit_response(
            wave=wave,
            unit=unit_a,
            submission_id=__import__("uuid").uuid4(),
            answers=good_answers(level),
            channel="link",
            ip=f"10.1.1.{level}",
        )
    client.force_login(leader)
    monitor = client.get(f"/surveys/{wave.pk}/").content.decode()
    assert 'data-testid="wave-total">3<' in monitor and "385" in monitor
    figures = client.get(f"/surveys/{wave.pk}/00070/").content.decode()
    assert 'data-testid="unit-n">3<' in figures and "chưa đủ tin cậy" in figures
    # Live: the page fetches itself every 30 s and swaps in the table and the total.
    assert (
        f'hx-get="/surveys/{wave.pk}/" hx-trigger="every 30s" hx-select="#monitor-live"' in monitor
    )
    services.submit_response(
        wave=wave,
        unit=unit_a,
        submission_id=__import__("uuid").uuid4(),
        answers=good_answers("5"),
        channel="link",
        ip="10.1.1.9",
    )
    again = client.get(f"/surveys/{wave.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="wave-total">4<' in again and 'id="monitor-live"' in again


def test_codes_as_csv_and_as_a_printable_qr_sheet(client, secretariat, wave, unit_a):
    client.force_login(secretariat)
    csv_response = client.post(
        f"/surveys/{wave.pk}/codes/", {"unit": "00070", "count": "3", "format": "csv"}
    )
    lines = csv_response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "unit_code,unit,code,url" and len(lines) == 4
    sheet = client.post(
        f"/surveys/{wave.pk}/codes/", {"unit": "00070", "count": "2", "format": "sheet"}
    )
    assert sheet.content.decode().count("<svg") == 2
    # Without a phone to scan it, the code is typed on the code page (the public link has no box for it).
    assert "vào http://testserver/khao-sat/ma/ và nhập mã mời" in sheet.content.decode()
    assert wave.invitations.count() == 5


@pytest.mark.parametrize("role", ["officer_a", "reviewer", "council", "leader"])
def test_only_the_secretariat_reviews_and_makes_codes(client, personas, wave, role):
    client.force_login(personas[role])
    assert (
        client.post(f"/surveys/{wave.pk}/codes/", {"unit": "00070", "count": "1"}).status_code
        == 403
    )
    assert client.get(f"/surveys/{wave.pk}/flagged/").status_code == 403


def test_the_real_sipas_page_stays_light(client, secretariat, draft_cycle, unit_a):
    from datetime import timedelta
    from pathlib import Path

    from django.utils import timezone

    data = (Path(__file__).resolve().parents[1] / "data" / "sipas.tsv").read_bytes()
    version = services.import_questionnaire(secretariat, "sipas", "SIPAS", data, "sipas.tsv")
    now = timezone.now()
    wave = services.create_wave(
        secretariat, draft_cycle, version, "SIPAS", now - timedelta(days=1), now + timedelta(days=1)
    )
    page = client.get(f"/khao-sat/{wave.pk}/00070/")
    assert page.status_code == 200
    assert (
        len(page.content) < 100_000
    )  # the shared Bootstrap CSS is cached; the page itself stays small
    assert "<script" in page.content.decode() and "keep.js" in page.content.decode()


def _answer_in_browser(browser, url, address, **headers):
    page = browser.get(url, REMOTE_ADDR=address, **headers)
    fields = form_fields(page.content.decode())
    data = good_answers() | {"submission_id": fields["submission_id"], "started": fields["started"]}
    return browser.post(url, data, REMOTE_ADDR=address, **headers)


def test_phones_with_the_same_browser_do_not_share_one_limit(settings, wave, unit_a):
    settings.SURVEY_MAX_PER_SOURCE_PER_HOUR = 2
    url = f"/khao-sat/{wave.pk}/00070/"
    same_browser = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0) Safari/604.1"}
    for n in range(4):  # four citizens, four phones and networks, one browser version
        response = _answer_in_browser(Client(), url, f"10.1.0.{n}", **same_browser)
        assert response.status_code == 302, response.content.decode()[:500]
    assert Response.objects.count() == 4
    # one phone on one network is still limited: its second is accepted, its third refused
    phone = Client()
    statuses = [
        _answer_in_browser(phone, url, "10.1.0.0", **same_browser).status_code for _ in range(2)
    ]
    assert statuses == [302, 400]


def test_one_phone_moving_between_networks_is_one_device(settings, wave, unit_a):
    """Its browser keeps its cookie on Wi-Fi and on mobile data: a burst and the per-device limit
    follow the phone, not the address."""
    settings.SURVEY_BURST_PER_10_MINUTES = 2
    settings.SURVEY_MAX_PER_DEVICE_PER_HOUR = 3
    url = f"/khao-sat/{wave.pk}/00070/"
    phone = Client()
    statuses = [_answer_in_browser(phone, url, f"10.2.0.{n}").status_code for n in range(4)]
    assert statuses == [302, 302, 302, 400]
    flags = [r.flags for r in Response.objects.order_by("submitted_at", "pk")]
    assert ["burst" in f for f in flags] == [False, False, True]
    assert len({r.device_hash for r in Response.objects.all()}) == 1
    assert len({r.ip_hash for r in Response.objects.all()}) == 3
    other = _answer_in_browser(Client(), url, "10.2.0.0")  # another citizen on the same Wi-Fi
    assert other.status_code == 302 and "burst" not in Response.objects.latest("pk").flags


def test_an_oversized_form_is_refused_and_stores_nothing(client, settings, wave, unit_a):
    url = f"/khao-sat/{wave.pk}/00070/"
    page = client.get(url)
    fields = form_fields(page.content.decode())
    data = good_answers(harassed="some", harassed_detail="x" * (3 * 1024 * 1024)) | {
        "submission_id": fields["submission_id"],
        "started": fields["started"],
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Câu “Xin cho biết cụ thể”: tối đa 2000 ký tự." in response.content.decode()
    assert not Response.objects.exists()
    too_big = client.post(url, data | {"visits": "1" * (6 * 1024 * 1024)})  # past the upload cap
    assert too_big.status_code == 400 and "Yêu cầu không hợp lệ" in too_big.content.decode()
    assert not Response.objects.exists()
