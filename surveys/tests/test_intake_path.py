"""The busy intake path stays lean without changing what respondents see: the blank form is rendered once
per process and is the same page a fresh render gives; a change to the wave or the unit shows at once;
submitting through the API or the web form takes a fixed, small number of queries."""

import json
import re
import uuid

import pytest
from django.template.loader import render_to_string
from django.test import Client

from surveys import services
from surveys.intake import respondent
from surveys.intake import submit as intake
from surveys.models import Response

from .conftest import good_answers

HIDDEN = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">')


def hidden_fields(page) -> dict:
    return dict(HIDDEN.findall(page.content.decode()))


def test_the_blank_form_is_what_a_fresh_render_gives(client, wave, unit_a):
    url = f"/khao-sat/{wave.pk}/00070/"
    client.get(url)  # rendered once
    page = client.get(url)  # from the process's copy
    fields = hidden_fields(page)
    questions = wave.version.parsed()
    fresh = render_to_string(
        "surveys/respond.html",
        {
            "wave": wave,
            "unit": unit_a,
            "questions": questions,
            "answers": {},
            "problems": [],
            "chosen": set(),
            "channel": "link",
            "code": "",
            "dossier": "",
            "submission_id": fields["submission_id"],
            "started": fields["started"],
            "is_open": True,
            "answered_count": sum(q.type != "section" for q in questions),
            "csrf_token": fields["csrfmiddlewaretoken"],
        },
    )
    assert page.status_code == 200 and page.content.decode() == fresh


def test_each_respondent_gets_their_own_ids_and_a_working_csrf_token(wave, unit_a):
    url = f"/khao-sat/{wave.pk}/00070/"
    browsers = [Client(enforce_csrf_checks=True) for _ in range(2)]
    pages = [hidden_fields(browser.get(url)) for browser in browsers]
    assert pages[0]["submission_id"] != pages[1]["submission_id"]
    assert pages[0]["csrfmiddlewaretoken"] != pages[1]["csrfmiddlewaretoken"]
    for browser, fields in zip(browsers, pages, strict=True):
        sent = browser.post(url, good_answers() | fields)
        assert sent.status_code == 302, sent.content.decode()[:500]
    assert {str(s) for s in Response.objects.values_list("submission_id", flat=True)} == {
        fields["submission_id"] for fields in pages
    }
    # A form without its token is refused (CSRF), as before.
    assert Client(enforce_csrf_checks=True).post(url, good_answers()).status_code == 403


def test_a_change_to_the_wave_or_the_unit_shows_at_once(client, wave, unit_a):
    url = f"/khao-sat/{wave.pk}/00070/"
    assert "SIPAS 2025" in client.get(url).content.decode()
    wave.title = "SIPAS 2025 (đợt 2)"
    wave.save()
    unit_a.name = "Hoàn Kiếm mới"
    unit_a.save()
    html = client.get(url).content.decode()
    assert "SIPAS 2025 (đợt 2)" in html and "Phường Hoàn Kiếm mới" in html
    wave.closes_at = wave.opens_at
    wave.save()
    html = client.get(url).content.decode()
    assert "Đợt khảo sát đã đóng" in html and "<form" not in html


def test_a_code_in_the_link_fills_that_page_only(
    client, wave, unit_a, django_assert_max_num_queries
):
    url = f"/khao-sat/{wave.pk}/00070/?kenh=code&ma="
    first = client.get(url + "ABCD-EFGH").content.decode()
    assert 'name="code" value="ABCD-EFGH"' in first
    with django_assert_max_num_queries(1):  # another code: the same rendered form
        second = client.get(url + "WXYZ-2345").content.decode()
    assert 'name="code" value="WXYZ-2345"' in second and "ABCD-EFGH" not in second
    odd = client.get(url + '<b>"x').content.decode()
    assert 'name="code" value="&lt;b&gt;&quot;x"' in odd and "<b>" not in odd
    plain = client.get(f"/khao-sat/{wave.pk}/00070/").content.decode()
    assert 'name="code"' not in plain and "WXYZ-2345" not in plain


def test_submitting_takes_few_queries(client, wave, unit_a, django_assert_max_num_queries):
    def submit():
        body = {"submission_id": str(uuid.uuid4()), "answers": good_answers(), "channel": "api"}
        return client.post(
            f"/api/v1/surveys/{wave.pk}/00070/responses",
            json.dumps(body),
            content_type="application/json",
            HTTP_X_CLIENT="iHanoi/1.0 test",
        )

    respondent._version_questions.clear()
    # The look around, the questionnaire (once per process and version), the INSERT (in a test,
    # inside a savepoint: two more).
    with django_assert_max_num_queries(5):
        assert submit().status_code == 201
    with django_assert_max_num_queries(4):  # the questionnaire is known now
        assert submit().status_code == 201
    url = f"/khao-sat/{wave.pk}/00070/"
    client.get(url)  # the first one renders the form (and reads the wave and the unit for it)
    with django_assert_max_num_queries(1):  # then: the wave, its questions and the unit
        fields = hidden_fields(client.get(url))
    with django_assert_max_num_queries(4):  # the same four as the API
        assert client.post(url, good_answers() | fields).status_code == 302
    assert Response.objects.count() == 3


def test_the_web_form_is_read_without_the_questionnaire(client, wave, unit_a):
    """The view hands every posted field to the service, which keeps the wave's questions only."""
    url = f"/khao-sat/{wave.pk}/00070/"
    fields = hidden_fields(client.get(url))
    one_box = good_answers(channels="tv") | {"not_a_question": "x"} | fields
    assert client.post(url, one_box).status_code == 302
    stored = Response.objects.get()
    assert stored.answers["channels"] == ["tv"] and "not_a_question" not in stored.answers
    # Two values for a single-choice question (a forged form) are refused, not half-read.
    fields = hidden_fields(client.get(url))
    forged = client.post(url, good_answers(sex=["m", "f"]) | fields)
    assert forged.status_code == 400
    assert "Câu “Giới tính”: lựa chọn không hợp lệ." in forged.content.decode()
    assert Response.objects.count() == 1


def _submit(wave, unit, **changes):
    params = {
        "wave": wave.pk,
        "unit": unit.code,
        "submission_id": uuid.uuid4(),
        "answers": good_answers(),
        "channel": "api",
        "ip": "10.0.0.1",
        "device": "iHanoi test",
    }
    return services.submit_response(**(params | changes))


@pytest.mark.parametrize("prepared", [True, False])
def test_a_new_response_is_one_statement_on_postgresql(
    wave, unit_a, settings, django_assert_num_queries, prepared
):
    """Once the process knows the wave's questionnaire: the look-around and the INSERT in one
    statement (in a test, inside a savepoint: two more). SQLite keeps the two statements."""
    from django.db import connection

    settings.DATABASE_PREPARED_STATEMENTS = prepared
    settings.SURVEY_BURST_PER_10_MINUTES = 2
    _submit(wave, unit_a)  # the process learns the wave's version
    one_statement = connection.vendor == "postgresql"
    for expect_burst in (False, True):  # the second one from this address in ten minutes: a burst
        with django_assert_num_queries(3 if one_statement else 4):
            response, created = _submit(wave, unit_a)
        assert created and response.pk
        assert ("burst" in response.flags) is expect_burst
        stored = Response.objects.get(pk=response.pk)
        for field in Response._meta.concrete_fields:
            assert getattr(stored, field.attname) == getattr(response, field.attname), field.name
    assert Response.objects.count() == 3


def test_a_retry_and_every_refusal_come_out_as_before(wave, unit_a, unit_b, settings):
    """The one statement stores nothing that the checks would refuse, and the refusal is named."""
    from units.models import Unit, UnitKind

    first, _ = _submit(wave, unit_a)
    again, created = _submit(wave, unit_a, submission_id=first.submission_id)
    assert not created and again.pk == first.pk
    outside = Unit.objects.create(code="S99", name="Sở khác", kind=UnitKind.DEPARTMENT)
    with pytest.raises(services.SurveyError, match="không thuộc đợt"):
        _submit(wave, outside)
    settings.SURVEY_MAX_PER_SOURCE_PER_HOUR = 2
    _submit(wave, unit_b)
    with pytest.raises(services.SurveyError, match="quá nhiều phiếu"):
        _submit(wave, unit_b)
    wave.closes_at = wave.opens_at
    wave.save()
    with pytest.raises(services.SurveyError, match="đã đóng"):
        _submit(wave, unit_a, ip="10.0.0.7", device="other")
    assert Response.objects.count() == 2


def test_answers_are_checked_against_the_waves_own_questionnaire(
    wave, unit_a, secretariat, monkeypatch
):
    """Should the process remember another version for the wave, the statement stores nothing and
    the answers are checked against the wave's version."""
    _submit(wave, unit_a)
    table = "type\tname\tlabel\tchoices\trequired\trelevant\tdimension\nsingle\tsex\tGiới\tm=Nam|f=Nữ\t1\t\t"
    other = services.import_questionnaire(secretariat, "khac", "Khác", table.encode(), "k.tsv")
    monkeypatch.setitem(intake._wave_versions, wave.pk, (other.pk, str(other.created_at)))
    with pytest.raises(services.SurveyError, match="cần trả lời"):
        _submit(wave, unit_a, answers={"sex": "f"})  # enough for the other version only
    assert intake._wave_versions[wave.pk][0] == wave.version.pk  # remembered afresh
    assert Response.objects.count() == 1
