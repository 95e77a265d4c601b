"""The JSON API for surveys (/api/v1/surveys/): the citizen app submits responses without a token
(idempotent, validated, nothing stored when refused, never a 500), reads the waves and their
questionnaires; the figures for every persona; the OpenAPI schema."""

import json
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tokens import create_token
from surveys import services
from surveys.intake import submit as intake
from surveys.models import Channel, CodeRefusal, Response

from .conftest import ROWS, good_answers


@pytest.fixture
def keys(personas):
    """A bearer key for every persona (none for the anonymous visitor)."""
    return {
        name: (create_token(user, f"test {name}")[1] if user else None)
        for name, user in personas.items()
    }


def url(wave, unit_code="00070", what="responses"):
    wave_id = wave if isinstance(wave, int) else wave.pk
    return f"/api/v1/surveys/{wave_id}/{unit_code}/{what}"


def body(**changes):
    data = {
        "submission_id": str(uuid.uuid4()),
        "answers": good_answers(),
        "channel": "api",
        "started_at": (timezone.now() - timedelta(minutes=5)).isoformat(),
    }
    return data | changes


def post(client, path, data=None, raw=None, client_name="iHanoi/1.0 test", **extra):
    """A submission as the app sends it; `data` as JSON, `raw` exactly as given."""
    if client_name is not None:
        extra["HTTP_X_CLIENT"] = client_name
    payload = raw if raw is not None else json.dumps(data)
    return client.post(path, payload, content_type="application/json", **extra)


def get(client, path, key=None):
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return client.get(path, **kwargs)


# ------------------------------------------------------------------ submitting


def test_a_response_is_stored_once_and_a_retry_answers_200(client, wave, unit_a):
    data = body()
    response = post(client, url(wave), data, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 201, response.content
    assert response.json() == {"submission_id": data["submission_id"], "stored": True}
    stored = Response.objects.get()
    assert (stored.wave, stored.unit, stored.channel) == (wave, unit_a, Channel.API)
    assert str(stored.submission_id) == data["submission_id"]
    assert stored.answers["sex"] == "f" and stored.answers["svc_2"] == 4
    assert stored.ip_hash == services.keyed_hash("ip", "203.0.113.7")
    assert stored.device_hash == services.keyed_hash("device", "iHanoi/1.0 test")
    assert stored.started_at is not None and 250 <= stored.duration_s <= 400
    # the app did not get the answer and sends the same response again
    again = post(client, url(wave), data, REMOTE_ADDR="203.0.113.7")
    assert again.status_code == 200, again.content
    assert again.json() == response.json()
    assert Response.objects.count() == 1


def test_answers_as_json_numbers_and_without_started_at(client, wave):
    answers = good_answers() | {f"svc_{i}": 4 for i in range(2, 9)} | {"svc_1": 5, "visits": 3}
    data = body(answers=answers)
    del data["started_at"]
    response = post(client, url(wave, "S02"), data)
    assert response.status_code == 201, response.content
    stored = Response.objects.get()
    assert (stored.unit.code, stored.started_at, stored.duration_s) == ("S02", None, None)
    assert stored.answers["visits"] == 3.0


def test_a_start_more_than_a_day_old_is_not_kept(client, wave):
    for started in ("0001-01-01T00:00:00", (timezone.now() - timedelta(days=2)).isoformat()):
        response = post(client, url(wave), body(started_at=started))
        assert response.status_code == 201, response.content
    assert list(Response.objects.values_list("started_at", "duration_s")) == [(None, None)] * 2


def test_wrong_answers_are_400_with_every_problem_and_nothing_stored(client, wave):
    answers = good_answers(sex="x", harassed="some") | {"visits": "99"}
    del answers["pol_1"]
    response = post(client, url(wave), body(answers=answers))
    assert response.status_code == 400, response.content
    assert response.json() == {
        "detail": [
            "Câu “Giới tính”: lựa chọn không hợp lệ.",
            "Câu “Xin cho biết cụ thể”: cần trả lời.",
            "Câu “Số lần phải đi lại”: số ngoài khoảng cho phép.",
            "Câu “Chính sách 1”: cần trả lời.",
        ]
    }
    assert not Response.objects.exists()


@pytest.mark.parametrize("channel", ["link", "code", "dossier", "API", ""])
def test_a_channel_other_than_api_is_400(client, wave, channel):
    response = post(client, url(wave), body(channel=channel))
    assert response.status_code == 400, response.content
    assert response.json() == {"detail": ["Kênh trả lời không hợp lệ; ứng dụng gửi “api”."]}
    assert not Response.objects.exists()


@pytest.mark.parametrize("client_name", [None, "", "   "])
def test_without_x_client_it_is_400(client, wave, client_name):
    response = post(client, url(wave), body(), client_name=client_name)
    assert response.status_code == 400, response.content
    assert response.json() == {"detail": ["Thiếu tiêu đề X-Client (tên ứng dụng gửi phiếu)."]}
    assert not Response.objects.exists()


def test_a_body_over_64_kb_is_413_before_it_is_read(client, wave):
    data = body(answers=good_answers(harassed="some", harassed_detail="x" * 70_000))
    response = post(client, url(wave), data)
    assert response.status_code == 413, response.content
    assert response.json() == {"detail": "Phiếu quá lớn (tối đa 64 KB)."}
    # ... even when it is not JSON, and even without X-Client
    response = post(client, url(wave), raw="{" * (64 * 1024 + 1), client_name=None)
    assert response.status_code == 413
    # just under the limit is read (and refused for its too long text)
    data = body(answers=good_answers(harassed="some", harassed_detail="x" * 60_000))
    response = post(client, url(wave), data)
    assert response.status_code == 400
    assert response.json()["detail"] == ["Câu “Xin cho biết cụ thể”: tối đa 2000 ký tự."]
    assert not Response.objects.exists()


@pytest.mark.parametrize("text", ["a\u0000b", "a\ud800b"])
def test_text_the_database_cannot_keep_is_400_not_500(client, wave, text):
    """JSON may carry a NUL character or a lone surrogate; PostgreSQL refuses both."""
    answers = good_answers(harassed="some") | {"harassed_detail": text}
    response = post(client, url(wave), raw=json.dumps(body(answers=answers)))
    assert response.status_code == 400, response.content
    assert response.json() == {"detail": ["Câu “Xin cho biết cụ thể”: có ký tự không hợp lệ."]}
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "raw",
    [
        "{oops",
        "",
        "null",
        "[1, 2]",
        '"answers"',
        "[" * 30_000,  # deeper than the JSON reader goes
        json.dumps(body() | {"submission_id": "not-a-uuid"}),
        json.dumps(body() | {"answers": ["sex", "f"]}),
        json.dumps(body() | {"answers": "sex=f"}),
        json.dumps(body() | {"answers": {"sex": {"value": "f"}}}),
        json.dumps(body() | {"answers": {"sex": True}}),
        json.dumps(body() | {"answers": {"channels": [["web"]]}}),
        json.dumps(body() | {"channel": 1}),
        json.dumps(body() | {"started_at": "yesterday"}),
        json.dumps(body() | {"dossier": 12345}),
        json.dumps(body() | {"extra": 1}),
        json.dumps({k: v for k, v in body().items() if k != "answers"}),
        json.dumps({k: v for k, v in body().items() if k != "channel"}),
        json.dumps(body()).replace('"2"', "Infinity"),
        json.dumps(body()).replace('"2"', "NaN"),
        json.dumps(body()).replace('"2"', "1e999"),
    ],
)
def test_malformed_bodies_are_refused_not_500(client, wave, raw):
    response = post(client, url(wave), raw=raw)
    assert response.status_code in (400, 422), response.content
    assert "detail" in response.json()
    assert not Response.objects.exists()


def test_malformed_json_is_400_and_wrong_types_422(client, wave):
    assert post(client, url(wave), raw="{oops").status_code == 400
    response = post(client, url(wave), body(answers={"sex": ["f", {"x": 1}]}))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:4] == ["body", "payload", "answers", "sex"]


def test_a_closed_or_not_yet_open_wave_is_400(client, wave, secretariat):
    for opens, closes in ((-10, -1), (1, 10)):
        now = timezone.now()
        wave.opens_at, wave.closes_at = now + timedelta(days=opens), now + timedelta(days=closes)
        wave.save()
        response = post(client, url(wave), body())
        assert response.status_code == 400, response.content
        assert response.json() == {"detail": ["Đợt khảo sát đã đóng hoặc chưa mở."]}
    assert not Response.objects.exists()


def test_a_retry_after_the_wave_closed_still_answers_200(client, wave):
    data = body()
    assert post(client, url(wave), data).status_code == 201
    wave.closes_at = timezone.now() - timedelta(minutes=1)
    wave.save()
    assert post(client, url(wave), data).status_code == 200
    assert Response.objects.count() == 1


def test_a_submission_id_used_elsewhere_is_400(client, wave):
    data = body()
    assert post(client, url(wave), data).status_code == 201
    response = post(client, url(wave, "S02"), data)
    assert response.status_code == 400
    assert response.json() == {"detail": ["Mã phiếu đã được dùng cho một khảo sát khác."]}
    assert Response.objects.get().unit.code == "00070"


def test_a_unit_outside_the_wave_is_400(client, wave):
    from units.models import Unit, UnitKind

    Unit.objects.create(code="S99", name="Sở khác", kind=UnitKind.DEPARTMENT)
    response = post(client, url(wave, "S99"), body())
    assert response.status_code == 400
    assert response.json() == {"detail": ["Đơn vị không thuộc đợt khảo sát này."]}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/surveys/999/00070/responses",
        "/api/v1/surveys/{wave}/99999/responses",
        "/api/v1/surveys/{wave}/00%0070/responses",  # a NUL character, which PostgreSQL refuses
        "/api/v1/surveys/{wave}/" + "0" * 300 + "/responses",
        "/api/v1/surveys/9223372036854775807/00070/responses",  # the largest bigint
        "/api/v1/surveys/99999999999999999999/00070/responses",  # past it: the operation's turn
    ],
)
def test_an_unknown_wave_or_unit_is_404(client, wave, path):
    response = post(client, path.format(wave=wave.pk), body())
    assert response.status_code == 404, response.content
    assert response.json() == {"detail": "Không tìm thấy."}
    assert not Response.objects.exists()


def test_submitting_needs_no_token_and_ignores_one(client, wave, keys):
    response = post(client, url(wave), body(), HTTP_AUTHORIZATION="Bearer not-a-key")
    assert response.status_code == 201, response.content
    response = post(client, url(wave), body(), HTTP_AUTHORIZATION=f"Bearer {keys['officer_a']}")
    assert response.status_code == 201, response.content


def test_too_many_from_one_source_are_refused(client, wave, settings):
    settings.SURVEY_MAX_PER_SOURCE_PER_HOUR = 2
    for address in ("10.0.0.1", "10.0.0.2"):
        assert post(client, url(wave), body(), REMOTE_ADDR=address).status_code == 201
    response = post(client, url(wave), body(), REMOTE_ADDR="10.0.0.3")
    assert response.status_code == 400
    assert "quá nhiều phiếu" in response.json()["detail"][0]
    assert post(client, url(wave), body(), client_name="other").status_code == 201


def test_citizens_behind_the_proxy_each_have_their_own_survey_limit(client, wave, settings):
    """The survey's per-address limit counts the citizen's address, not nginx's."""
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    settings.SURVEY_MAX_PER_ADDRESS_PER_HOUR = 1

    def from_citizen(address, phone):
        return post(
            client,
            url(wave),
            body(),
            client_name=phone,
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=address,
        )

    assert from_citizen("203.0.113.1", "phone-1").status_code == 201
    assert from_citizen("203.0.113.2", "phone-2").status_code == 201  # another citizen
    # The same citizen again, even claiming another address on the left: refused.
    assert from_citizen("9.9.9.9, 203.0.113.1", "phone-3").status_code == 400


# ------------------------------------------------------------------ public readings


def test_the_waves_are_public(client, wave):
    response = client.get("/api/v1/surveys/waves")
    assert response.status_code == 200, response.content
    assert response.json() == [
        {
            "id": wave.pk,
            "title": "SIPAS 2025",
            "questionnaire": "sipas",
            "questionnaire_version": 1,
            "opens_at": response.json()[0]["opens_at"],
            "closes_at": response.json()[0]["closes_at"],
            "is_open": True,
            "by_roster": False,
        }
    ]


def test_no_wave_is_an_empty_list(client, db):
    assert client.get("/api/v1/surveys/waves").json() == []


def test_the_questionnaire_is_public(client, wave):
    response = client.get(f"/api/v1/surveys/waves/{wave.pk}/questionnaire")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["wave"]["id"] == wave.pk and data["wave"]["is_open"] is True
    questions = data["questions"]
    assert [q["name"] for q in questions] == [
        "section_2" if row[0] == "section" else row[1] for row in ROWS[1:]
    ]
    by_name = {q["name"]: q for q in questions}
    assert by_name["sex"] == {
        "type": "single",
        "name": "sex",
        "label": "Giới tính",
        "choices": [["m", "Nam"], ["f", "Nữ"]],
        "options": [["m", "Nam"], ["f", "Nữ"]],
        "required": True,
        "relevant": "",
        "dimension": "",
        "min": None,
        "max": None,
    }
    assert by_name["harassed_detail"]["relevant"] == "${harassed} = 'some'"
    assert (by_name["visits"]["min"], by_name["visits"]["max"]) == (1, 20)
    svc = by_name["svc_1"]
    assert (svc["type"], svc["choices"], svc["dimension"]) == ("likert5", [], "service/access")
    assert svc["options"][0] == ["1", "Rất không hài lòng"] and len(svc["options"]) == 5


def test_an_unknown_wave_has_no_questionnaire(client, db):
    response = client.get("/api/v1/surveys/waves/999/questionnaire")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}


# ------------------------------------------------------------------ figures

FIGURES = {
    "secretariat": 200,
    "officer_a": 403,
    "head_a": 403,
    "officer_b": 403,
    "reviewer": 403,
    "council": 200,
    "leader": 200,
    "anonymous": 401,
}


@pytest.mark.parametrize(("persona", "status"), FIGURES.items())
def test_figures_matrix(client, wave, keys, persona, status):
    response = get(client, url(wave, what="figures"), keys[persona])
    assert response.status_code == status, response.content
    if status == 200:
        assert response.json()["unit"] == {"code": "00070", "name": "Hoàn Kiếm"}
    elif status == 403:
        assert response.json() == {
            "detail": "Chỉ Sở Nội vụ, Hội đồng và lãnh đạo Thành phố xem được kết quả khảo sát."
        }
    else:
        assert response["WWW-Authenticate"] == "Bearer"


def test_the_figures_count_the_kept_responses(client, wave, keys, secretariat):
    for level in ("4", "5", "2"):
        assert post(client, url(wave), body(answers=good_answers(level))).status_code == 201
    post(client, url(wave, "S02"), body())  # another unit's response is not counted
    excluded = Response.objects.filter(unit__code="00070").order_by("submitted_at").last()
    services.set_excluded(secretariat, excluded, True, "Phiếu thử")

    response = get(client, url(wave, what="figures"), keys["leader"])
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["wave"]["id"] == wave.pk and data["n"] == 2
    assert [e["dimension"] for e in data["elements"]] == [
        "service/access",
        "service/results",
        "policy/participation",
    ]
    assert [p["dimension"] for p in data["parts"]] == ["service", "policy"]
    five_point = [q.name for q in wave.version.parsed() if q.type == "likert5"]
    assert [q["question"] for q in data["questions"]] == five_point
    for share in [data["overall"], *data["parts"], *data["elements"], *data["questions"]]:
        assert set(share) >= {"n", "share", "low", "high", "mean", "reliable"}
        assert share["n"] == 2 and share["share"] == 1.0 and share["reliable"] is False
        assert 0 < share["low"] < 1 == share["high"]


def test_figures_without_responses(client, wave, keys):
    data = get(client, url(wave, "S02", "figures"), keys["council"]).json()
    assert (data["n"], data["overall"]) == (0, None)
    assert data["elements"][0] == {
        "dimension": "service/access",
        "n": 0,
        "share": None,
        "low": 0.0,
        "high": 1.0,
        "mean": None,
        "reliable": False,
    }


@pytest.mark.parametrize("path", ["999/00070/figures", "{wave}/99999/figures"])
def test_figures_of_an_unknown_wave_or_unit_are_404(client, wave, keys, path):
    response = get(client, "/api/v1/surveys/" + path.format(wave=wave.pk), keys["secretariat"])
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}


# ------------------------------------------------------------------ schema


def test_the_openapi_schema_lists_the_survey_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert set(paths) >= {
        "/api/v1/surveys/{wave_id}/{unit_code}/responses",
        "/api/v1/surveys/waves",
        "/api/v1/surveys/waves/{wave_id}/questionnaire",
        "/api/v1/surveys/{wave_id}/{unit_code}/figures",
    }
    submit = paths["/api/v1/surveys/{wave_id}/{unit_code}/responses"]["post"]
    assert "security" not in submit
    assert {"200", "201", "400", "404", "413"} <= set(submit["responses"])
    header = [p for p in submit["parameters"] if p["in"] == "header"]
    assert [(p["name"], p["required"]) for p in header] == [("X-Client", True)]
    for path in ("/api/v1/surveys/waves", "/api/v1/surveys/waves/{wave_id}/questionnaire"):
        assert "security" not in paths[path]["get"]
    figures = paths["/api/v1/surveys/{wave_id}/{unit_code}/figures"]["get"]
    assert figures["security"] == [{"BearerToken": []}]
    assert {"200", "401", "403", "404"} <= set(figures["responses"])


def test_figures_are_public_only_once_the_year_is_published(client, wave, unit_a):
    from cycles.models import CycleState

    path = f"/api/v1/surveys/{wave.pk}/{unit_a.code}/published-figures"
    response = client.get(path)
    assert response.status_code == 404  # nothing of the year is public yet
    type(wave.cycle).objects.filter(pk=wave.cycle_id).update(state=CycleState.PUBLISHED)
    response = client.get(path)
    assert response.status_code == 200
    assert response.json()["unit"]["code"] == unit_a.code


def test_the_app_naming_a_dossier_gets_one_response_per_dossier(client, wave, unit_a):
    dossier = "000.00.26.H26-250101-0042"
    first = post(client, url(wave), body(dossier=dossier))
    assert first.status_code == 201
    stored = Response.objects.get()
    assert stored.channel == "api"
    assert stored.dossier_hash == services.keyed_hash("dossier", dossier)
    assert dossier not in str(Response.objects.values_list())  # only the keyed hash is kept
    again = post(client, url(wave), body(dossier=f" {dossier} "), client_name="another phone")
    assert again.status_code == 400
    assert again.json() == {"detail": ["Hồ sơ này đã được đánh giá."]}
    assert Response.objects.count() == 1
    without = post(client, url(wave), body())  # the dossier stays optional
    assert without.status_code == 201 and Response.objects.count() == 2
    bad = post(client, url(wave), body(dossier="HS\x00-1"))
    assert bad.status_code == 400 and Response.objects.count() == 2


def test_a_retry_overtaken_by_its_own_first_copy_gets_that_copy(client, wave, unit_a, monkeypatch):
    """The retry looked around before the first request stored; by its dossier check the row is there.
    It is this submission, not another response for the dossier: 200 with the stored copy."""
    data = body(dossier="000.00.26.H26-250101-0077")
    assert post(client, url(wave), data).status_code == 201
    looked = intake._look_around
    monkeypatch.setattr(intake, "_look_around", lambda p: looked(p) | {"stored": None})
    again = post(client, url(wave), data)
    assert again.status_code == 200 and again.json()["submission_id"] == data["submission_id"]
    assert Response.objects.count() == 1 and not CodeRefusal.objects.exists()


@pytest.mark.parametrize("dossier", ["\u200b", "HS-1\nHS-2", "x" * 61])
def test_a_dossier_that_is_no_receipt_number_is_refused(client, wave, unit_a, dossier):
    response = post(client, url(wave), body(dossier=dossier))
    assert response.status_code in (400, 422)
    if response.status_code == 400:
        assert response.json() == {"detail": ["Mã hồ sơ không hợp lệ: tối đa 60 ký tự in được."]}
    assert not Response.objects.exists()
