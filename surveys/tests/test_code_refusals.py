"""Refused invitation and dossier codes: no response is stored, the attempt is, so the secretariat sees
guessed and passed-on codes, a response after several refusals is flagged, and a source that keeps
trying is stopped."""

from datetime import timedelta

import pytest
from django.utils import timezone

from surveys import refusals, services
from surveys.models import Channel, CodeRefusal, Response

from .conftest import good_answers
from .test_intake import submit
from .test_pages import post_answers

DOSSIER = "000.00.26.H26-250101-0001"


def test_each_refused_code_is_recorded_with_its_reason_and_no_response(
    secretariat, wave, unit_a, unit_b
):
    codes = services.generate_invitations(secretariat, wave, unit_a, 2)
    submit(wave, unit_a, channel=Channel.CODE, code=codes[0])
    submit(wave, unit_a, channel=Channel.DOSSIER, dossier=DOSSIER)
    attempts = [
        (unit_a, {"code": codes[0]}, "đã được dùng"),  # passed on after use
        (unit_b, {"code": codes[1]}, "Mã mời không đúng"),  # a code of another unit
        (unit_a, {"code": "ZZZZ-ZZZZ"}, "Mã mời không đúng"),
    ]
    for unit, kwargs, message in attempts:
        with pytest.raises(services.SurveyError, match=message):
            submit(wave, unit, channel=Channel.CODE, **kwargs)
    with pytest.raises(services.SurveyError, match="đã được đánh giá"):
        submit(wave, unit_a, channel=Channel.DOSSIER, dossier=DOSSIER)
    assert Response.objects.count() == 2
    recorded = list(CodeRefusal.objects.order_by("pk").values_list("unit__code", "reason"))
    assert recorded == [
        ("00070", "used"),
        (unit_b.code, "unknown"),
        ("00070", "unknown"),
        ("00070", "dossier_used"),
    ]
    refusal = CodeRefusal.objects.first()
    assert refusal.wave == wave and refusal.ip_hash == services.keyed_hash("ip", "10.0.0.1")
    assert codes[0] not in str(CodeRefusal.objects.values_list())  # neither code nor its hash kept


def test_a_valid_code_with_bad_answers_is_not_a_refused_code(secretariat, wave, unit_a):
    code = services.generate_invitations(secretariat, wave, unit_a, 1)[0]
    with pytest.raises(services.SurveyError, match="cần trả lời"):
        submit(wave, unit_a, {"sex": "f"}, channel=Channel.CODE, code=code)
    assert not CodeRefusal.objects.exists()


def test_a_response_after_several_refusals_from_that_device_is_flagged(
    secretariat, wave, unit_a, settings
):
    settings.SURVEY_CODE_REFUSALS_FLAG = 3
    code = services.generate_invitations(secretariat, wave, unit_a, 2)
    for guess in ("AAAA-AAAA", "BBBB-BBBB"):
        with pytest.raises(services.SurveyError):
            submit(wave, unit_a, channel=Channel.CODE, code=guess)
    after_two, _ = submit(wave, unit_a, channel=Channel.CODE, code=code[0])
    assert "refused_codes" not in after_two.flags  # a typo or two is a citizen, not a guess
    with pytest.raises(services.SurveyError):
        submit(wave, unit_a, channel=Channel.CODE, code="CCCC-CCCC", ip="10.9.9.9")
    after_three, _ = submit(wave, unit_a, channel=Channel.CODE, code=code[1], ip="10.9.9.9")
    assert "refused_codes" in after_three.flags  # the same device from another network


def test_refusals_older_than_an_hour_no_longer_count(wave, unit_a, settings):
    settings.SURVEY_MAX_CODE_REFUSALS_PER_HOUR = 1
    with pytest.raises(services.SurveyError, match="Mã mời không đúng"):
        submit(wave, unit_a, channel=Channel.CODE, code="AAAA-AAAA")
    with pytest.raises(services.SurveyError, match="quá nhiều lần"):
        submit(wave, unit_a, channel=Channel.CODE, code="AAAA-AAAB")
    CodeRefusal.objects.update(at=timezone.now() - timedelta(minutes=61))
    with pytest.raises(services.SurveyError, match="Mã mời không đúng"):
        submit(wave, unit_a, channel=Channel.CODE, code="AAAA-AAAB")


def test_a_source_that_keeps_trying_codes_is_stopped_before_the_code_is_looked_up(
    secretariat, wave, unit_a, settings
):
    settings.SURVEY_MAX_CODE_REFUSALS_PER_HOUR = 3
    code = services.generate_invitations(secretariat, wave, unit_a, 1)[0]
    for guess in ("AAAA-AAAA", "BBBB-BBBB", "CCCC-CCCC"):
        with pytest.raises(services.SurveyError, match="Mã mời không đúng"):
            submit(wave, unit_a, channel=Channel.CODE, code=guess)
    # Even the right code is refused now: a guesser cannot tell a hit from a miss.
    with pytest.raises(services.SurveyError, match="quá nhiều lần"):
        submit(wave, unit_a, channel=Channel.CODE, code=code)
    assert CodeRefusal.objects.count() == 3  # the stopped attempts are not piled up
    assert not Response.objects.exists()
    # Another phone on another network, and the public link of the same phone, are not stopped.
    submit(wave, unit_a, channel=Channel.CODE, code=code, ip="10.0.0.2", device="another")
    submit(wave, unit_a)
    assert Response.objects.count() == 2


def test_the_code_page_records_refusals_and_stops_a_guesser(
    client, secretariat, wave, unit_a, settings
):
    settings.SURVEY_MAX_CODE_REFUSALS_PER_HOUR = 2
    code = services.generate_invitations(secretariat, wave, unit_a, 1)[0]
    assert client.post("/khao-sat/ma/", {"code": code}).status_code == 302
    done, _ = post_answers(
        client, f"/khao-sat/{wave.pk}/00070/?kenh=code", good_answers(), channel="code", code=code
    )
    assert done.status_code == 302
    used = client.post("/khao-sat/ma/", {"code": code})
    assert used.status_code == 400 and "đã được dùng" in used.content.decode()
    wrong = client.post("/khao-sat/ma/", {"code": "AAAA-BBBB"})
    assert wrong.status_code == 400 and "Mã mời không đúng" in wrong.content.decode()
    stopped = client.post("/khao-sat/ma/", {"code": "AAAA-BBBC"})
    assert stopped.status_code == 400 and "quá nhiều lần" in stopped.content.decode()
    assert list(CodeRefusal.objects.order_by("pk").values_list("wave", "unit", "reason")) == [
        (wave.pk, unit_a.pk, "used"),
        (None, None, "unknown"),  # a code of no wave: only the time places it
    ]
    assert Response.objects.count() == 1


def test_the_secretariat_sees_refusals_per_unit(client, secretariat, leader, wave, unit_a, unit_b):
    code = services.generate_invitations(secretariat, wave, unit_a, 1)[0]
    submit(wave, unit_a, channel=Channel.CODE, code=code)
    for device in ("one", "one", "two"):
        with pytest.raises(services.SurveyError):
            submit(wave, unit_a, channel=Channel.CODE, code=code, device=device)
    with pytest.raises(services.SurveyError):
        submit(wave, unit_b, channel=Channel.CODE, code="AAAA-AAAA")
    client.post(
        "/khao-sat/ma/", {"code": "QQQQ-QQQQ"}
    )  # unknown everywhere, while the wave is open
    client.force_login(secretariat)
    page = client.get(f"/surveys/{wave.pk}/flagged/").content.decode()
    table = page[page.index('id="refused-codes"') :]
    row_a = table[table.index(unit_a.display_name) :].split("</tr>")[0]
    # unknown 0, used 3, expired 0, dossier 0, from 2 devices
    assert [cell.split("<")[0] for cell in row_a.split('class="points">')[1:]] == [
        "0",
        "3",
        "0",
        "0",
        "2",
    ]
    assert table.index(unit_a.display_name) < table.index(unit_b.display_name)  # most first
    assert 'data-testid="unplaced-refusals">' in page and ": 1</p>" in page
    client.force_login(leader)  # the monitoring page shows the totals to whoever follows the wave
    monitor = client.get(f"/surveys/{wave.pk}/").content.decode()
    row = monitor[monitor.index(unit_a.display_name) :].split("</tr>")[0]
    assert '<td class="points">3</td>' in row


def test_a_code_of_a_closed_wave_is_expired_and_stores_nothing(client, secretariat, wave, unit_a):
    code = services.generate_invitations(secretariat, wave, unit_a, 1)[0]
    wave.closes_at = timezone.now() - timedelta(minutes=1)
    wave.save()
    expired = client.post("/khao-sat/ma/", {"code": code})
    assert expired.status_code == 400
    closed_at = timezone.localtime(wave.closes_at).strftime("%H:%M ngày %d/%m/%Y")
    assert (
        f"Mã mời đã hết hạn: đợt khảo sát đã kết thúc lúc {closed_at}." in expired.content.decode()
    )
    # Sent straight to the intake (the app, or a form left open past the close): refused too.
    with pytest.raises(services.SurveyError, match="đã đóng"):
        submit(wave, unit_a, channel=Channel.CODE, code=code)
    assert not Response.objects.exists()
    assert not wave.invitations.filter(used_at__isnull=False).exists()
    assert list(CodeRefusal.objects.values_list("wave", "unit", "reason")) == [
        (wave.pk, unit_a.pk, "expired")
    ]


def test_a_code_of_a_wave_not_yet_open_says_when_to_come_back(client, secretariat, wave, unit_a):
    code = services.generate_invitations(secretariat, wave, unit_a, 1)[0]
    wave.opens_at = timezone.now() + timedelta(days=2)
    wave.save()
    early = client.post("/khao-sat/ma/", {"code": code})
    opens = timezone.localtime(wave.opens_at).strftime("%H:%M ngày %d/%m/%Y")
    assert early.status_code == 400 and f"quay lại từ {opens}" in early.content.decode()
    assert not CodeRefusal.objects.exists()  # a right code, early: not a refusal


def test_phones_behind_one_address_do_not_lock_each_other_out(secretariat, wave, unit_a, settings):
    """A desk's Wi-Fi or a carrier's NAT: each citizen's typo counts against their own phone; the
    address has a limit of its own, higher."""
    settings.SURVEY_MAX_CODE_REFUSALS_PER_HOUR = 2
    settings.SURVEY_MAX_CODE_REFUSALS_PER_ADDRESS_PER_HOUR = 5
    settings.SURVEY_CODE_REFUSALS_FLAG = 1
    codes = services.generate_invitations(secretariat, wave, unit_a, 2)
    for phone in ("one", "two", "three"):  # three citizens mistype once each on the desk's Wi-Fi
        with pytest.raises(services.SurveyError, match="Mã mời không đúng"):
            submit(wave, unit_a, channel=Channel.CODE, code="AAAA-AAAA", device=phone)
    fourth, _ = submit(wave, unit_a, channel=Channel.CODE, code=codes[0], device="four")
    assert "refused_codes" not in fourth.flags  # the flag follows the device
    second_try, _ = submit(wave, unit_a, channel=Channel.CODE, code=codes[1], device="one")
    assert "refused_codes" in second_try.flags
    for phone in ("five", "six"):  # 5 refusals from the address: it may try no more
        with pytest.raises(services.SurveyError, match="Mã mời không đúng"):
            submit(wave, unit_a, channel=Channel.CODE, code="BBBB-BBBB", device=phone)
    with pytest.raises(services.SurveyError, match="quá nhiều lần"):
        submit(wave, unit_a, channel=Channel.CODE, code="CCCC-CCCC", device="seven")


def test_a_code_claimed_by_another_tab_a_moment_before_is_a_recorded_refusal(
    secretariat, wave, unit_a, monkeypatch
):
    code = services.generate_invitations(secretariat, wave, unit_a, 1)[0]
    stale = services.find_invitation(code)  # read by the second tab before the first one stored
    submit(wave, unit_a, channel=Channel.CODE, code=code, device="first tab")
    monkeypatch.setattr(refusals, "find_invitation", lambda _: stale)
    with pytest.raises(services.SurveyError, match="đã được dùng"):
        submit(wave, unit_a, channel=Channel.CODE, code=code, device="second tab")
    assert Response.objects.count() == 1
    assert list(CodeRefusal.objects.values_list("reason", "unit")) == [("used", unit_a.pk)]


def test_a_dossier_rated_by_another_phone_a_moment_before_is_a_recorded_refusal(
    wave, unit_a, monkeypatch
):
    from django.db.models.query import QuerySet

    submit(wave, unit_a, channel=Channel.DOSSIER, dossier=DOSSIER, device="first")
    # The second phone's check ran before the first one stored; the unique index refuses it.
    real_exists = QuerySet.exists
    answers = iter([False, False])  # "not rated yet", then "this submission is not stored"
    monkeypatch.setattr(
        QuerySet,
        "exists",
        lambda qs: next(answers) if qs.model is Response else real_exists(qs),
    )
    with pytest.raises(services.SurveyError, match="đã được đánh giá"):
        submit(wave, unit_a, channel=Channel.DOSSIER, dossier=DOSSIER, device="second")
    assert Response.objects.count() == 1
    assert list(CodeRefusal.objects.values_list("reason", flat=True)) == ["dossier_used"]
