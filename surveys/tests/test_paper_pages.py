"""The paper screens: a clerk keys by reference or by unit and number, a supervisor resolves side by
side, the printed forms, the enumerator's JSON endpoint, and who may use each."""

import json
import uuid

import pytest

from surveys.models import Channel, PaperForm, Response
from surveys.permissions import CLERK_GROUP, ENUMERATOR_GROUP, SUPERVISOR_GROUP
from surveys.services import paper
from surveys.tests.conftest import good_answers
from surveys.tests.test_paper import KEYED, member


def post_entry(client, wave, keyed=KEYED, **fields):
    data = {"submission_id": str(uuid.uuid4())} | fields
    data |= {f"q-{name}": value for name, value in keyed.items()}
    return client.post(f"/surveys/{wave.pk}/phieu-giay/nhap/", data)


@pytest.fixture
def clerks(db):
    return member("nhap.1", CLERK_GROUP), member("nhap.2", CLERK_GROUP)


def test_a_clerk_keys_by_reference_and_another_by_unit_and_number(client, wave, unit_a, clerks):
    client.force_login(clerks[0])
    page = client.get(f"/surveys/{wave.pk}/phieu-giay/nhap/")
    assert page.status_code == 200 and b"paper.js" in page.content
    sent = post_entry(client, wave, ref=paper.reference(wave.pk, unit_a.code, 9))
    assert sent.status_code == 200 and "lần nhập thứ nhất" in sent.content.decode()
    assert PaperForm.objects.get().status == PaperForm.Status.WAITING
    client.force_login(clerks[1])
    sent = post_entry(client, wave, unit=unit_a.code, number="9")
    assert sent.status_code == 200 and "khớp" in sent.content.decode()
    assert PaperForm.objects.get().status == PaperForm.Status.AGREED
    assert Response.objects.get().channel == Channel.PAPER


def test_refused_keying_says_why_and_keeps_what_was_typed(client, wave, unit_a, clerks):
    client.force_login(clerks[0])
    refused = post_entry(client, wave, KEYED | {"svc_4": "7"}, unit=unit_a.code, number="3")
    text = refused.content.decode()
    assert refused.status_code == 400
    assert "Mức độ hài lòng 4" in text and 'value="7"' in text
    other_wave = post_entry(client, wave, ref=f"PX-{wave.pk + 1}-{unit_a.code}-3")
    assert other_wave.status_code == 400 and "đợt khảo sát khác" in other_wave.content.decode()
    assert post_entry(client, wave, ref="PX-rubbish").status_code == 400
    assert post_entry(client, wave, unit=unit_a.code, number="").status_code == 400
    assert not PaperForm.objects.exists()


def test_saved_through_htmx_only_the_form_comes_back(client, wave, unit_a, clerks):
    client.force_login(clerks[0])
    ref = paper.reference(wave.pk, unit_a.code, 5)
    sent = client.post(
        f"/surveys/{wave.pk}/phieu-giay/nhap/",
        {"submission_id": str(uuid.uuid4()), "ref": ref} | {f"q-{k}": v for k, v in KEYED.items()},
        headers={"HX-Request": "true"},
    )
    text = sent.content.decode()
    # The blank form for the next one, the page's status line swapped out of band, no page around.
    assert sent.status_code == 200 and "<html" not in text and "data-paper-entry" in text
    assert 'id="paper-saved" hx-swap-oob="innerHTML"' in text and "phiếu số 5" in text
    assert 'value="2"' not in text
    refused = client.post(
        f"/surveys/{wave.pk}/phieu-giay/nhap/",
        {"submission_id": str(uuid.uuid4()), "unit": unit_a.code, "number": ""},
        headers={"HX-Request": "true"},
    )
    assert refused.status_code == 400 and 'id="problems"' in refused.content.decode()
    assert "<html" not in refused.content.decode()


def test_a_unit_outside_the_wave_is_refused_by_name(client, wave, clerks, db):
    from units.models import Unit, UnitKind

    outside = Unit.objects.create(code="NGOAI", name="Phường Ngoài", kind=UnitKind.COMMUNE)
    client.force_login(clerks[0])
    refused = post_entry(client, wave, ref=paper.reference(wave.pk, outside.code, 1))
    assert refused.status_code == 400
    assert "không thuộc đợt khảo sát" in refused.content.decode()
    assert not PaperForm.objects.exists()


def test_supervisor_resolves_side_by_side(client, wave, unit_a, clerks):
    paper.key_entry(clerks[0], wave, unit_a, 4, KEYED, uuid.uuid4())
    form = paper.key_entry(clerks[1], wave, unit_a, 4, KEYED | {"sex": "1"}, uuid.uuid4()).form
    client.force_login(member("giamsat", SUPERVISOR_GROUP))
    listing = client.get(f"/surveys/{wave.pk}/phieu-giay/").content.decode()
    assert f"/surveys/phieu-giay/{form.pk}/" in listing
    assert '<strong data-status="mismatch">1</strong>' in listing
    page = client.get(f"/surveys/phieu-giay/{form.pk}/").content.decode()
    assert page.count("data-differs") == 1 and "2. Nữ" in page and "1. Nam" in page
    assert client.post(f"/surveys/phieu-giay/{form.pk}/", {}).status_code == 400
    done = client.post(f"/surveys/phieu-giay/{form.pk}/", {"c-sex": "1", "reason": "xem phiếu"})
    assert done.status_code == 302
    assert Response.objects.get().answers["sex"] == "f"


def test_clerks_cannot_resolve_and_supervisors_cannot_key(client, wave, clerks):
    client.force_login(clerks[0])
    assert client.get(f"/surveys/{wave.pk}/phieu-giay/").status_code == 403
    assert client.get("/surveys/phieu-giay/").status_code == 200
    client.force_login(member("giamsat", SUPERVISOR_GROUP))
    assert client.get(f"/surveys/{wave.pk}/phieu-giay/nhap/").status_code == 403


def test_printed_forms_are_a_pdf(client, wave, unit_a, secretariat):
    client.force_login(secretariat)
    pdf = client.get(f"/surveys/{wave.pk}/phieu-giay/in/?don-vi={unit_a.code}&tu=5&so=2")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    bad = client.get(f"/surveys/{wave.pk}/phieu-giay/in/?don-vi={unit_a.code}&so=9999")
    assert bad.status_code == 400


def test_the_printed_form_carries_its_reference(wave, unit_a):
    from surveys import paper_pdf

    html = paper_pdf._form("", wave, unit_a, 7, paper.questions_of(wave.version))
    assert paper.reference(wave.pk, unit_a.code, 7) in html
    assert "Phiếu số 0007" in html and "data:image/png;base64," in html
    assert "1. Nam" in html and "2. Nữ" in html


def test_enumerator_sends_a_queued_form_twice_and_it_is_stored_once(client, wave, unit_a):
    client.force_login(member("dtv", ENUMERATOR_GROUP))
    page = client.get(f"/surveys/{wave.pk}/thuc-dia/{unit_a.code}/")
    assert page.status_code == 200 and b"field.js" in page.content
    body = {"unit": unit_a.code, "submission_id": str(uuid.uuid4()), "answers": good_answers()}
    url = f"/surveys/{wave.pk}/thuc-dia/gui/"
    first = client.post(url, json.dumps(body), content_type="application/json")
    again = client.post(url, json.dumps(body), content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Response.objects.get().channel == Channel.ENUMERATOR
    bad = body | {"submission_id": str(uuid.uuid4()), "answers": {"sex": "x"}}
    refused = client.post(url, json.dumps(bad), content_type="application/json")
    assert refused.status_code == 400 and refused.json()["problems"]
    assert client.post(url, "not json", content_type="application/json").status_code == 400


def test_the_field_worker_is_a_script_scoped_to_its_wave(client, wave):
    worker = client.get(f"/surveys/{wave.pk}/thuc-dia/sw.js")
    text = worker.content.decode()
    assert worker.status_code == 200 and worker["Content-Type"].startswith("text/javascript")
    assert worker["Cache-Control"] == "no-cache"
    # Its own cache per wave, old versions dropped, only GETs kept, never a redirected page.
    assert f'"parindex-field-{wave.pk}-v1"' in text and 'request.method !== "GET"' in text
    assert "!response.redirected" in text and "chưa được lưu trên máy" in text


def test_the_fieldwork_page_lists_open_waves_first_in_queries_that_do_not_grow(
    client, secretariat, wave, unit_a, django_assert_max_num_queries
):
    from datetime import timedelta

    from django.utils import timezone

    from surveys.models import Wave

    closed = Wave.objects.create(
        cycle=wave.cycle,
        version=wave.version,
        title="Đợt đã đóng",
        opens_at=timezone.now() - timedelta(days=60),
        closes_at=timezone.now() + timedelta(days=400),
    )
    Wave.objects.filter(pk=closed.pk).update(closes_at=timezone.now() - timedelta(days=30))
    client.force_login(secretariat)
    with django_assert_max_num_queries(8):
        page = client.get("/surveys/phieu-giay/").content.decode()
    assert page.index(f"paper-wave-{wave.pk}") < page.index(f"paper-wave-{closed.pk}")
    assert wave.cycle.title in page
    # A closed wave's entry screen says so before anything is typed.
    client.force_login(member("nhap.dong", CLERK_GROUP))
    assert (
        'data-testid="wave-closed"'
        in client.get(f"/surveys/{closed.pk}/phieu-giay/nhap/").content.decode()
    )
    assert (
        'data-testid="wave-closed"'
        not in client.get(f"/surveys/{wave.pk}/phieu-giay/nhap/").content.decode()
    )
