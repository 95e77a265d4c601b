"""Officials by roster (issue 18, item 3): a roster imported all or nothing, the matrix of who rates
which units, personal codes bound to a person and group, and a wave that refuses its public link."""

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import AuditEvent
from core.tabular import ImportFailed
from surveys import roster_codes, services
from surveys.models import Channel, Official, OfficialRating, Response

DATA = Path(__file__).resolve().parent.parent / "data"

ROSTER = (
    "Họ và tên,Chức vụ,Nhóm,Cơ quan,Mã đơn vị,Email,Điện thoại\n"
    "Nguyễn Văn An,Đại biểu,council_deputy,HĐND Thành phố,,an@example.vn,0912000001\n"
    "Trần Thị Bình,Chủ tịch UBND phường,commune_chair,UBND phường Hoàn Kiếm,00070,binh@example.vn,\n"
    "Lê Văn Cường,Chuyên viên,unit_staff,Sở Tư pháp,S02,cuong@example.vn,\n"
)


@pytest.fixture
def officials_wave(secretariat, draft_cycle, unit_a, unit_b):
    version = services.import_questionnaire(
        secretariat,
        "officials",
        "Điều tra xã hội học",
        (DATA / "officials.tsv").read_bytes(),
        "officials.tsv",
    )
    now = timezone.now()
    wave = services.create_wave(
        secretariat,
        draft_cycle,
        version,
        "ĐTXHH 2025",
        now - timedelta(days=1),
        now + timedelta(days=9),
    )
    services.set_targets(secretariat, wave, {unit_a: 50, unit_b: 50})
    return wave


@pytest.fixture
def roster(secretariat, officials_wave):
    services.import_roster(secretariat, officials_wave, ROSTER.encode(), "ds.csv")
    codes = {o.name: code for o, code in services.issue_codes(secretariat, officials_wave)}
    return codes


def answers(group="citizen", level=4):
    """Every question of the officials' form answered (those not asked of the group are dropped)."""
    from surveys.models import Wave

    wave = Wave.objects.get(title="ĐTXHH 2025")
    found = {"respondent_group": group}
    for i, question in enumerate(wave.version.parsed()):
        if question.type == "likert5":
            found[question.name] = str(level if i % 3 else 5)
    return found


def submit(wave, unit, code="", channel=Channel.CODE, group="citizen"):
    return services.submit_response(
        wave=wave,
        unit=unit,
        submission_id=uuid.uuid4(),
        answers=answers(group),
        channel=channel,
        code=code,
        ip="10.1.2.3",
    )


def test_import_is_all_or_nothing_with_row_and_column(secretariat, officials_wave):
    bad = ROSTER + "Phạm D,,ai_cung_duoc,,,khong-phai-email,\n,x,unit_staff,,,,\n"
    with pytest.raises(ImportFailed) as caught:
        services.import_roster(secretariat, officials_wave, bad.encode(), "ds.csv")
    text = [str(p) for p in caught.value.problems]
    assert any("Dòng 5, cột C (Nhóm)" in t and "ai_cung_duoc" in t for t in text)
    assert any("Dòng 5, cột F (Email)" in t for t in text)
    assert any("Dòng 6, cột A (Họ và tên)" in t for t in text)
    assert any("Dòng 6, cột E (Mã đơn vị)" in t for t in text)
    assert not Official.objects.exists()
    officials_wave.refresh_from_db()
    assert not officials_wave.by_roster


def test_import_sets_the_default_matrix_and_marks_the_wave(roster, officials_wave, unit_a, unit_b):
    officials_wave.refresh_from_db()
    assert officials_wave.by_roster
    by_name = {o.name: o for o in Official.objects.all()}
    # A deputy rates every department and commune, a commune chair the departments (not their own
    # commune), a unit's staff their own unit.
    assert roster_codes.units_to_rate(by_name["Nguyễn Văn An"]) == [unit_a, unit_b]
    assert roster_codes.units_to_rate(by_name["Trần Thị Bình"]) == [unit_b]
    assert roster_codes.units_to_rate(by_name["Lê Văn Cường"]) == [unit_b]
    assert AuditEvent.objects.filter(action="wave.roster").exists()


def test_a_personal_code_answers_for_its_group_only(roster, officials_wave, unit_b):
    code = roster["Trần Thị Bình"]
    # The posted group is ignored: the roster's group is stored.
    response, created = submit(officials_wave, unit_b, code=code, group="council_deputy")
    assert created
    assert response.answers["respondent_group"] == "commune_chair"
    assert OfficialRating.objects.filter(official__name="Trần Thị Bình", unit=unit_b).exists()
    # Once per unit.
    with pytest.raises(services.SurveyError, match="đã gửi phiếu"):
        submit(officials_wave, unit_b, code=code)


def test_a_personal_code_cannot_rate_a_unit_outside_its_row_of_the_matrix(
    roster, officials_wave, unit_a
):
    with pytest.raises(services.SurveyError, match="Mã cá nhân không đúng"):
        submit(officials_wave, unit_a, code=roster["Trần Thị Bình"])
    assert not Response.objects.exists()


@pytest.mark.parametrize("channel", [Channel.LINK, Channel.API])
def test_the_public_link_and_the_app_are_refused(roster, officials_wave, unit_b, channel):
    with pytest.raises(services.SurveyError, match="chỉ dành cho những người có tên"):
        submit(officials_wave, unit_b, channel=channel)
    assert not Response.objects.exists()


def test_the_public_page_is_refused_in_vietnamese(client, roster, officials_wave, unit_b):
    page = client.get(f"/khao-sat/{officials_wave.pk}/{unit_b.code}/")
    assert page.status_code == 403
    assert "mã cá nhân" in page.content.decode()
    posted = client.post(
        f"/khao-sat/{officials_wave.pk}/{unit_b.code}/",
        answers() | {"submission_id": str(uuid.uuid4())},
    )
    assert posted.status_code == 403
    assert not Response.objects.exists()


def test_the_code_page_lists_the_units_and_the_form_shows_the_group(
    client, roster, officials_wave, unit_b
):
    code = roster["Lê Văn Cường"]
    page = client.post("/khao-sat/ma/", {"code": code.lower().replace("-", " ")})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Cán bộ, công chức, viên chức, người lao động" in html
    assert unit_b.display_name in html
    form = client.get(f"/khao-sat/{officials_wave.pk}/{unit_b.code}/?kenh=code&ma={code}")
    html = form.content.decode()
    assert 'data-testid="fixed-group"' in html
    # The group question offers no choice: one checked, hidden value.
    assert html.count('name="respondent_group"') == 1
    posted = client.post(
        f"/khao-sat/{officials_wave.pk}/{unit_b.code}/?kenh=code",
        answers(group="council_deputy")
        | {"submission_id": str(uuid.uuid4()), "channel": "code", "code": code},
    )
    assert posted.status_code == 302, posted.content.decode()[:2000]
    assert Response.objects.get().answers["respondent_group"] == "unit_staff"
    done = client.get(posted["Location"]).content.decode()
    assert 'data-testid="roster-done"' in done


def test_reminders_go_to_those_who_have_not_answered(
    roster, officials_wave, unit_b, secretariat, django_capture_on_commit_callbacks
):
    submit(officials_wave, unit_b, code=roster["Lê Văn Cường"])
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.remind(secretariat, officials_wave, "https://example.vn/khao-sat/ma/")
    assert sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["an@example.vn", "binh@example.vn"]
    # Not again within a day.
    assert services.remind(secretariat, officials_wave, "x") == 0
    assert AuditEvent.objects.filter(action="wave.roster_remind").count() == 2


def test_codes_issued_again_are_e_mailed_with_the_code_that_then_works(
    roster, officials_wave, unit_b, secretariat, django_capture_on_commit_callbacks
):
    from surveys.roster_codes import find_official

    with django_capture_on_commit_callbacks(execute=True):
        issued = services.issue_codes(
            secretariat, officials_wave, again=True, email_link="https://example.vn/khao-sat/ma/"
        )
    code_of = {official.email: code for official, code in issued}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(code_of)
    letter = next(m for m in mail.outbox if m.to == ["binh@example.vn"])
    code = code_of["binh@example.vn"]
    assert "Thư mời" in letter.subject and "Trần Thị Bình" in letter.body
    assert f"https://example.vn/khao-sat/ma/?ma={code}" in letter.body
    assert find_official(code).name == "Trần Thị Bình"
    assert find_official(roster["Trần Thị Bình"]) is None  # the old code stopped working
    event = AuditEvent.objects.filter(action="wave.roster_codes").latest("pk")
    assert event.after["emailed"] == 3 and code not in str(event.after)


def test_the_queued_letters_hold_no_code_in_plain_text(
    roster, officials_wave, secretariat, monkeypatch, django_capture_on_commit_callbacks
):
    import json

    from accounts import tasks
    from accounts.secretbox import open_sealed

    queued = []
    from types import SimpleNamespace

    from surveys.services import roster as roster_service

    monkeypatch.setattr(roster_service, "send_coded_emails", SimpleNamespace(enqueue=queued.append))
    with django_capture_on_commit_callbacks(execute=True):
        issued = services.issue_codes(
            secretariat, officials_wave, again=True, email_link="https://x.vn/ma/"
        )
    # What the task table would keep: no working code, only sealed ones, opened by the worker.
    assert queued and all(code not in json.dumps(queued) for _official, code in issued)
    letters = queued[0]
    assert {open_sealed(letter[4], tasks.CODE_CONTEXT).decode() for letter in letters} == {
        code for _official, code in issued
    }
    assert all(tasks.CODE_SLOT in letter[1] for letter in letters)


def test_progress_per_group_and_unit(roster, officials_wave, unit_a, unit_b):
    from surveys.services.roster import progress

    submit(officials_wave, unit_b, code=roster["Nguyễn Văn An"])
    found = progress(officials_wave)
    assert found["expected"] == 4 and found["answered"] == 1
    assert found["groups"]["council_deputy"] | {} == {
        "people": 1,
        "expected": 2,
        "answered": 1,
        "percent": 50.0,
    }
    assert found["units"][unit_b.pk]["expected"] == 3


def test_the_api_lists_the_wave_as_roster_only_and_refuses_a_response(
    client, roster, officials_wave, unit_b
):
    import json

    listed = {w["id"]: w for w in client.get("/api/v1/surveys/waves").json()}
    assert listed[officials_wave.pk]["by_roster"] is True
    refused = client.post(
        f"/api/v1/surveys/{officials_wave.pk}/{unit_b.code}/responses",
        json.dumps({"submission_id": str(uuid.uuid4()), "answers": answers(), "channel": "api"}),
        content_type="application/json",
        HTTP_X_CLIENT="iHanoi/1.0 test",
    )
    assert refused.status_code == 400
    assert refused.json()["detail"] == [roster_codes.ROSTER_ONLY]
    assert not Response.objects.exists()
