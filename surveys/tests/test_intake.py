"""Questionnaire definitions, and responses: validated, idempotent, one per code or dossier, limited, flagged."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import AuditEvent
from core.tabular import ImportFailed
from surveys import questionnaire as q
from surveys import services
from surveys.models import Channel, Response, WaveTarget
from surveys.services import invitations

from .conftest import ROWS, good_answers, tsv


def submit(wave, unit, answers=None, **kwargs):
    params = {
        "wave": wave,
        "unit": unit,
        "submission_id": kwargs.pop("submission_id", uuid.uuid4()),
        "answers": good_answers() if answers is None else answers,
        "channel": Channel.LINK,
        "started_at": timezone.now() - timedelta(minutes=5),
        "ip": "10.0.0.1",
        "device": "phone",
    }
    return services.submit_response(**(params | kwargs))


def test_questionnaire_is_versioned(secretariat, version):
    again = services.import_questionnaire(secretariat, "sipas", "SIPAS", tsv(), "sipas.tsv")
    assert (version.number, again.number) == (1, 2)
    assert [x.name for x in again.parsed()][:3] == ["section_2", "sex", "harassed"]


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        (
            ("likert7", "x", "X", "", "1", "", ""),
            "cột A (type): loại câu hỏi “likert7” không hợp lệ",
        ),
        (("likert5", "Bad Name", "X", "", "1", "", ""), "cột B (name): tên “Bad Name”"),
        (("likert5", "sex", "X", "", "1", "", ""), "cột B (name): tên “sex” trùng với dòng 3"),
        (("single", "y", "Y", "a=A", "1", "", ""), "cột D (choices): cần ít nhất 2 lựa chọn"),
        (("scale4", "z", "Z", "1=a|2=b|3=c", "1", "", ""), "thang 4 mức cần đúng 4 lựa chọn"),
        (
            ("text", "w", "W", "", "0", "${later} = 'x'", ""),
            "cột F (relevant): điều kiện nhắc đến câu hỏi “later”",
        ),
        (("text", "v", "V", "", "0", "sex == m", ""), "điều kiện phải viết dạng"),
        (("text", "u", "", "", "0", "", ""), "cột C (label): nội dung câu hỏi không được để trống"),
    ],
)
def test_bad_questionnaires_are_refused_with_row_and_column(secretariat, row, fragment):
    with pytest.raises(ImportFailed) as caught:
        services.import_questionnaire(secretariat, "x", "X", tsv([*ROWS, row]), "x.tsv")
    assert any(fragment in str(p) for p in caught.value.problems), caught.value.problems


def test_only_the_secretariat_manages_questionnaires(officer_a):
    with pytest.raises(PermissionDenied):
        services.import_questionnaire(officer_a, "x", "X", tsv(), "x.tsv")


def test_targets_follow_the_sample_size_formula(wave, unit_a, unit_b):
    assert WaveTarget.objects.get(wave=wave, unit=unit_a).sample == 385  # N = 10,000 at e = 5 %
    assert WaveTarget.objects.get(wave=wave, unit=unit_b).sample == 172


def test_a_good_response_is_stored_once_whatever_the_retries(wave, unit_a):
    submission = uuid.uuid4()
    first, created = submit(wave, unit_a, submission_id=submission)
    again, created_again = submit(wave, unit_a, submission_id=submission)
    assert created and not created_again and first.pk == again.pk
    assert Response.objects.count() == 1
    assert (
        first.answers["visits"] == 2.0 and first.answers["svc_2"] == 4 and first.duration_s >= 299
    )
    assert first.ip_hash and "10.0.0.1" not in first.ip_hash


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"sex": None}, "Câu “Giới tính”: cần trả lời."),
        ({"sex": "x"}, "Câu “Giới tính”: lựa chọn không hợp lệ."),
        ({"svc_3": "6"}, "Câu “Mức độ hài lòng 3”: lựa chọn không hợp lệ."),
        ({"visits": "40"}, "số ngoài khoảng cho phép"),
        ({"visits": "nhiều"}, "cần nhập một số"),
        ({"visits": "1e999"}, "số ngoài khoảng cho phép"),
        ({"channels": ["web", "radio"]}, "Câu “Kênh thông tin”: lựa chọn không hợp lệ."),
        ({"harassed": "some"}, "Câu “Xin cho biết cụ thể”: cần trả lời."),
    ],
)
def test_bad_answers_are_named_and_nothing_is_stored(wave, unit_a, changes, fragment):
    with pytest.raises(services.SurveyError) as caught:
        submit(wave, unit_a, good_answers(**changes))
    assert any(fragment in problem for problem in caught.value.problems)
    assert not Response.objects.exists()


def test_a_question_not_shown_is_not_kept(wave, unit_a):
    response, _ = submit(wave, unit_a, good_answers(harassed_detail="should not be kept"))
    assert "harassed_detail" not in response.answers


def test_malformed_answers_and_ids_are_refused(wave, unit_a):
    with pytest.raises(services.SurveyError, match="không hợp lệ"):
        submit(wave, unit_a, answers=["not", "a", "dict"])
    with pytest.raises(services.SurveyError, match="Mã phiếu không hợp lệ"):
        submit(wave, unit_a, submission_id="123")


def test_a_closed_wave_takes_nothing(wave, unit_a):
    wave.closes_at = timezone.now() - timedelta(seconds=1)
    wave.save()
    with pytest.raises(services.SurveyError, match="đã đóng"):
        submit(wave, unit_a)


def test_invitation_codes_are_one_time_and_stored_as_hashes(secretariat, wave, unit_a, unit_b):
    codes = services.generate_invitations(secretariat, wave, unit_a, 3)
    assert len(set(codes)) == 3 and all(len(c) == 9 and c[4] == "-" for c in codes)
    assert not wave.invitations.filter(code_hash__in=codes).exists()
    submit(wave, unit_a, channel=Channel.CODE, code=codes[0].lower().replace("-", ""))
    with pytest.raises(services.SurveyError, match="đã được dùng"):
        submit(wave, unit_a, channel=Channel.CODE, code=codes[0])
    with pytest.raises(services.SurveyError, match="Mã mời không đúng"):
        submit(wave, unit_b, channel=Channel.CODE, code=codes[1])  # a code of another unit
    with pytest.raises(services.SurveyError, match="Mã mời không đúng"):
        submit(wave, unit_a, channel=Channel.CODE, code="ZZZZ-ZZZZ")
    assert wave.invitations.filter(used_at__isnull=False).count() == 1


def test_one_response_per_dossier_code(wave, unit_a):
    submit(wave, unit_a, channel=Channel.DOSSIER, dossier="000.00.26.H26-250101-0001")
    with pytest.raises(services.SurveyError, match="Hồ sơ này đã được đánh giá"):
        submit(wave, unit_a, channel=Channel.DOSSIER, dossier=" 000.00.26.h26-250101-0001 ")
    stored = Response.objects.get()
    assert stored.dossier_hash and "0001" not in stored.dossier_hash


def test_too_many_from_one_source_is_refused(wave, unit_a, settings):
    settings.SURVEY_MAX_PER_SOURCE_PER_HOUR = 2
    submit(wave, unit_a)
    submit(wave, unit_a)
    with pytest.raises(services.SurveyError, match="quá nhiều phiếu"):
        submit(wave, unit_a)
    submit(wave, unit_a, ip="10.0.0.2", device="another phone")


def test_quality_flags(wave, unit_a, settings):
    settings.SURVEY_BURST_PER_10_MINUTES = 1
    fast, _ = submit(wave, unit_a, started_at=timezone.now() - timedelta(seconds=5))
    assert "speeding" in fast.flags
    flat, _ = submit(wave, unit_a, good_answers(svc_1="4"), ip="10.0.0.9")
    assert "straight_lining" in flat.flags
    burst, _ = submit(wave, unit_a)
    assert "burst" in burst.flags


@pytest.mark.parametrize("channel", [Channel.LINK, Channel.API])
def test_a_burst_from_one_device_is_flagged_across_addresses(wave, unit_a, settings, channel):
    """A phone that moves between networks (Wi-Fi, mobile data) is still one source of a burst."""
    settings.SURVEY_BURST_PER_10_MINUTES = 2
    stored = [
        submit(wave, unit_a, channel=channel, ip=f"10.0.1.{n}", device="one phone")[0]
        for n in range(1, 5)
    ]
    assert ["burst" in response.flags for response in stored] == [False, False, True, True]
    other, _ = submit(wave, unit_a, channel=channel, ip="10.0.1.9", device="another phone")
    assert "burst" not in other.flags


def test_exclusion_needs_a_reason_and_is_audited(secretariat, officer_a, wave, unit_a):
    response, _ = submit(wave, unit_a)
    with pytest.raises(services.SurveyError, match="lý do"):
        services.set_excluded(secretariat, response, True, " ")
    with pytest.raises(PermissionDenied):
        services.set_excluded(officer_a, response, True, "x")
    services.set_excluded(secretariat, response, True, "Phiếu gửi hàng loạt từ một máy")
    assert AuditEvent.objects.filter(
        action="response.exclude", reason__contains="hàng loạt"
    ).exists()


def test_relevant_conditions():
    question = q.Question(type="text", name="d", label="D", relevant="${harassed} != 'none'")
    assert q.shown(question, {"harassed": "some"}) and not q.shown(question, {"harassed": "none"})


def test_a_desk_behind_one_address_can_take_more_while_one_phone_stays_limited(
    wave, unit_a, settings
):
    settings.SURVEY_MAX_PER_SOURCE_PER_HOUR = 2
    settings.SURVEY_MAX_PER_ADDRESS_PER_HOUR = 100  # the one-stop desk's Wi-Fi
    for phone in range(4):  # four citizens' phones behind the desk's one address
        submit(wave, unit_a, ip="203.0.113.7", device=f"phone {phone}")
    submit(wave, unit_a, ip="203.0.113.7", device="phone 0")
    with pytest.raises(services.SurveyError, match="quá nhiều phiếu"):
        submit(wave, unit_a, ip="203.0.113.7", device="phone 0")  # its third


def test_codes_and_dossiers_outlive_a_new_secret_key_with_their_own_key(
    secretariat, wave, unit_a, settings
):
    settings.SURVEY_HASH_KEY = "a-survey-key-kept-across-secret-key-rotations"
    code = services.generate_invitations(secretariat, wave, unit_a, 1)[0]
    submit(wave, unit_a, channel=Channel.DOSSIER, dossier="000.00.26.H26-250101-0009")
    settings.SECRET_KEY = "a-new-secret-key-after-a-rotation-0123456789abcdef"
    assert services.find_invitation(code) is not None
    with pytest.raises(services.SurveyError, match="đã được đánh giá"):
        submit(wave, unit_a, channel=Channel.DOSSIER, dossier="000.00.26.H26-250101-0009")
    # Without it, the hashes follow SECRET_KEY (and a rotation loses them).
    settings.SURVEY_HASH_KEY = ""
    assert services.find_invitation(code) is None


def test_two_batches_in_one_second_are_told_apart(secretariat, wave, unit_a):
    first = services.generate_invitations(secretariat, wave, unit_a, 3)
    second = services.generate_invitations(secretariat, wave, unit_a, 3)
    batches = set(wave.invitations.values_list("batch", flat=True))
    assert len(batches) == 2 and len(set(first) | set(second)) == 6
    assert wave.invitations.count() == 6


def test_a_code_already_handed_out_is_drawn_again(secretariat, wave, unit_a, monkeypatch):
    draws = iter("A" * 8 + "A" * 8 + "B" * 8)
    monkeypatch.setattr(invitations.secrets, "choice", lambda alphabet: next(draws))
    assert services.generate_invitations(secretariat, wave, unit_a, 1) == ["AAAA-AAAA"]
    assert services.generate_invitations(secretariat, wave, unit_a, 1) == ["BBBB-BBBB"]
    assert wave.invitations.count() == 2
