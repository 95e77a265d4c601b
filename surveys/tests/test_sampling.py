"""Stratified random sampling of dossiers (issue 18, item 6): reproducible with a seed, n = N/(1+Ne²) per
unit, no dossier twice; the list read all or nothing; codes issued for the sample; rates per stratum."""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from accounts.models import AuditEvent
from core.tabular import ImportFailed
from surveys import services
from surveys.models import Invitation, SampledDossier, WaveTarget
from surveys.sampling import draw
from surveys.stats import sample_size

from .conftest import good_answers
from .test_wave_pages import xlsx

codes = st.lists(st.text("ABCXYZ0123456789-", min_size=1, max_size=8), max_size=400, unique=True)
strata = st.dictionaries(st.sampled_from(["00070", "S02", "S03", "X"]), codes, max_size=4)
margins = st.sampled_from([0.05, 0.1, 0.2, 0.3])


@settings(max_examples=60, deadline=None)
@given(strata, st.text(max_size=12), margins, st.randoms())
def test_the_same_seed_draws_the_same_sample_whatever_the_order(frame, seed, margin, rng):
    first = draw(frame, seed, margin)
    shuffled = {}
    for stratum in rng.sample(list(frame), len(frame)):
        shuffled[stratum] = rng.sample(frame[stratum], len(frame[stratum]))
    assert draw(shuffled, seed, margin) == first


@settings(max_examples=60, deadline=None)
@given(strata, st.text(max_size=12), margins)
def test_each_stratum_has_its_size_and_no_dossier_twice(frame, seed, margin):
    drawn = draw(frame, seed, margin)
    assert set(drawn) == set(frame)
    for stratum, chosen in drawn.items():
        assert len(chosen) == sample_size(len(frame[stratum]), margin)
        assert len(set(chosen)) == len(chosen)
        assert set(chosen) <= set(frame[stratum])


def test_another_seed_draws_another_sample():
    frame = {"00070": [f"HS-{i:04}" for i in range(2000)]}
    assert draw(frame, "a", 0.05) != draw(frame, "b", 0.05)
    assert len(draw(frame, "a", 0.05)["00070"]) == 334  # 2000 / (1 + 2000 · 0.0025)


HEADER = ["Mã hồ sơ", "Mã đơn vị", "Ngày tiếp nhận", "Liên hệ"]


def frame_rows(a=120, b=30):
    rows = [[f"000.00.70.H26-250301-{i:04}", "00070", "03/03/2025", f"09{i:08}"] for i in range(a)]
    rows += [[f"S02-{i:04}", "S02", "04/03/2025", f"dan{i}@example.vn"] for i in range(b)]
    return rows


def test_a_sample_is_drawn_stored_minimally_and_sets_the_targets(secretariat, wave, unit_a, unit_b):
    drawn = services.draw_sample(
        secretariat, wave, xlsx([HEADER, *frame_rows()]), "hs.xlsx", seed="BB-12", margin=0.05
    )
    assert drawn.strata == {
        "00070": {"population": 120, "sample": 93},
        "S02": {"population": 30, "sample": 28},
    }
    assert SampledDossier.objects.count() == 93 + 28  # only the drawn dossiers are kept
    target = WaveTarget.objects.get(wave=wave, unit=unit_a)
    assert (target.dossiers, target.sample) == (120, 93)
    again = services.draw_sample(
        secretariat,
        wave,
        xlsx([HEADER, *reversed(frame_rows())]),
        "hs.xlsx",
        seed="BB-12",
        margin=0.05,
    )
    assert again.strata == drawn.strata
    assert set(again.dossiers.values_list("dossier_code", flat=True)) == set(
        SampledDossier.objects.values_list("dossier_code", flat=True)
    )
    assert AuditEvent.objects.filter(action="wave.sample").count() == 2


def test_a_bad_list_is_refused_whole(secretariat, wave):
    rows = frame_rows(3, 0) + [
        ["000.00.70.H26-250301-0001", "00070", "03/03/2025", ""],  # twice
        ["HS-9", "99999", "03/03/2025", ""],
        ["HS-10", "00070", "32/03/2025", ""],
        ["", "00070", "", ""],
    ]
    with pytest.raises(ImportFailed) as failed:
        services.draw_sample(secretariat, wave, xlsx([HEADER, *rows]), "hs.xlsx", seed="1")
    messages = [str(p) for p in failed.value.problems]
    assert "Dòng 5, cột A (Mã hồ sơ): hồ sơ “000.00.70.H26-250301-0001” đã có ở dòng 3" in messages
    assert any(m.startswith("Dòng 6, cột B (Mã đơn vị): đơn vị mã “99999”") for m in messages)
    assert any(m.startswith("Dòng 7, cột C (Ngày tiếp nhận): ") for m in messages)
    assert "Dòng 8, cột A (Mã hồ sơ): thiếu mã hồ sơ" in messages
    assert not SampledDossier.objects.exists()


def test_codes_are_issued_once_and_rates_follow_the_responses(secretariat, wave, unit_a, unit_b):
    services.draw_sample(secretariat, wave, xlsx([HEADER, *frame_rows(10, 5)]), "a.xlsx", seed="s")
    issued = services.issue_sample_invitations(secretariat, wave)
    assert len(issued) == 15 and Invitation.objects.count() == 15
    with pytest.raises(services.SurveyError):
        services.issue_sample_invitations(secretariat, wave)
    with pytest.raises(services.SurveyError):  # no new draw once codes are out
        services.draw_sample(secretariat, wave, xlsx([HEADER, *frame_rows(10, 5)]), "a", seed="t")
    dossier, code = next((d, c) for d, c in issued if d.unit == unit_a)
    services.submit_response(
        wave=wave,
        unit=unit_a,
        answers=good_answers(),
        submission_id=uuid.uuid4(),
        channel="code",
        code=code,
    )
    rates = {r["unit"].code: r for r in services.stratum_rates(wave)}
    assert (rates["00070"]["sample"], rates["00070"]["invited"], rates["00070"]["responded"]) == (
        10,
        10,
        1,
    )
    assert rates["00070"]["rate"] == 0.1 and rates["S02"]["responded"] == 0
    assert services.erase_sample_contacts(secretariat, wave) == 15
    assert not SampledDossier.objects.exclude(contact="").exists()


def test_the_page_draws_issues_and_exports_a_mailing_list(client, secretariat, wave, officer_a):
    client.force_login(secretariat)
    url = f"/surveys/{wave.pk}/sample/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"action": "issue"})  # nothing drawn yet
    assert refused.status_code == 400 and "chưa có mẫu" in refused.content.decode()
    bad = client.post(
        url, {"file": SimpleUploadedFile("a.csv", b"x,y\n1,2"), "margin": "5", "seed": "1"}
    )
    assert bad.status_code == 400 and "thiếu cột" in bad.content.decode()
    upload = SimpleUploadedFile("hs.xlsx", xlsx([HEADER, *frame_rows(4, 2)]))
    response = client.post(url, {"file": upload, "margin": "5", "seed": "BB-1"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "0900000001" in page and "BB-1" in page
    response = client.post(url, {"action": "issue"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:6] == ("Mã hồ sơ", "Mã đơn vị", "Đơn vị", "Ngày tiếp nhận", "Liên hệ", "Mã mời")
    assert len(rows) == 7 and all(r[5] and "kenh=code&ma=" in r[6] for r in rows[1:])
    assert not any(cell.data_type == "f" for line in sheet.iter_rows() for cell in line)
    client.force_login(officer_a)
    assert client.get(url).status_code == 403
