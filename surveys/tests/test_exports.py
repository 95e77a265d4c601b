"""Anonymised exports: responses as CSV and XLSX (with a codebook), figures per unit as XLSX."""

import csv
import io
import re
import uuid
import zipfile
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from surveys import exports, services
from surveys.aggregates import unit_figures
from surveys.models import Invitation, Response

from .conftest import good_answers

NAMES = (
    ["sex", "harassed", "harassed_detail", "visits", "channels"]
    + [f"svc_{i}" for i in range(1, 9)]
    + ["pol_1"]
)
HEADER = [
    "row",
    "unit_code",
    "unit",
    "channel",
    "submitted_on",
    "duration_s",
    "flags",
    "excluded",
    *NAMES,
]


def submit(wave, unit, answers, **extra):
    response, created = services.submit_response(
        wave=wave, unit=unit, submission_id=uuid.uuid4(), answers=answers, **extra
    )
    assert created
    return response


@pytest.fixture
def responses(secretariat, wave, unit_a, unit_b):
    """Four responses through every channel that leaves a trace, one of them excluded."""
    code = services.generate_invitations(secretariat, wave, unit_a, 1)[0]
    by_code = submit(
        wave,
        unit_a,
        good_answers(channels=["web", "tv"], visits="3"),
        channel="code",
        code=code,
        ip="10.0.0.1",
        device="firefox-1",
    )
    quick = submit(
        wave,
        unit_a,
        good_answers("4", svc_1="4"),
        channel="link",
        ip="10.0.0.2",
        device="chrome-2",
        started_at=timezone.now() - timedelta(seconds=5),
    )
    formula = submit(
        wave,
        unit_a,
        good_answers("2", harassed="some", harassed_detail='=HYPERLINK("http://x.vn")\x01'),
        channel="link",
        ip="10.0.0.3",
    )
    by_dossier = submit(
        wave, unit_b, good_answers("5"), channel="dossier", dossier="HS-2025-0001", ip="10.0.0.4"
    )
    services.set_excluded(secretariat, quick, True, "trả lời quá nhanh, một mức")
    return [by_code, quick, formula, by_dossier]


def secrets(responses) -> list[str]:
    """Everything that could identify a response or a respondent, as it could appear in a file."""
    found = []
    for response in Response.objects.filter(pk__in=[r.pk for r in responses]):
        found += [str(response.submission_id), response.submission_id.hex]
        found += [h for h in (response.ip_hash, response.device_hash, response.dossier_hash) if h]
    found += list(Invitation.objects.values_list("code_hash", flat=True))
    assert len(found) >= 2 * 4 + 4 + 1 + 1
    return found


def xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(archive.read(name).decode("utf-8") for name in archive.namelist())


def by_row(rows):
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_responses_csv(wave, responses):
    content = exports.responses_csv(wave)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    records = by_row(rows)
    assert [r["row"] for r in records] == ["1", "2", "3", "4"]
    # Ordered by unit (communes before departments), then by submission.
    assert [r["unit_code"] for r in records] == ["00070", "00070", "00070", "S02"]
    assert records[0]["unit"] == "Phường Hoàn Kiếm"
    assert [r["channel"] for r in records] == ["code", "link", "link", "dossier"]
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert {r["submitted_on"] for r in records} == {today}
    first = records[0]
    assert (first["sex"], first["channels"], first["visits"], first["svc_1"]) == (
        "f",
        "web;tv",
        "3",
        "5",
    )
    assert first["harassed_detail"] == "" and first["duration_s"] == ""
    quick = records[1]
    assert quick["flags"] == "speeding;straight_lining" and int(quick["duration_s"]) <= 6
    assert [r["excluded"] for r in records] == ["0", "1", "0", "0"]
    # Free text a spreadsheet would run as a formula is neutralised.
    assert records[2]["harassed_detail"] == '\'=HYPERLINK("http://x.vn")\x01'
    text = content.decode("utf-8-sig")
    for secret in secrets(responses):
        assert secret not in text
    assert not re.search(r"\d{2}:\d{2}", text)  # no time of day


def test_responses_xlsx_with_codebook(wave, responses):
    content = exports.responses_xlsx(wave)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["responses", "codebook"]
    sheet = book["responses"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    records = by_row(rows)
    assert [r["row"] for r in records] == [1, 2, 3, 4]
    first = records[0]
    assert (first["sex"], first["channels"], first["visits"], first["pol_1"]) == (
        "f",
        "web;tv",
        3,
        4,
    )
    today = timezone.localdate()
    assert first["submitted_on"] == datetime(today.year, today.month, today.day)
    assert sheet.cell(row=2, column=5).number_format == "dd/mm/yyyy"
    assert [r["excluded"] for r in records] == [0, 1, 0, 0]
    assert records[1]["flags"] == "speeding;straight_lining"
    assert records[3]["unit"] == "Sở Tư pháp" and records[3]["channel"] == "dossier"
    # Text stays text: no formula, and control characters a workbook cannot hold are dropped.
    assert records[2]["harassed_detail"] == '=HYPERLINK("http://x.vn")'
    assert sheet.cell(row=4, column=HEADER.index("harassed_detail") + 1).data_type == "s"

    codebook = [list(r) for r in book["codebook"].iter_rows(values_only=True)]
    assert codebook[0] == ["name", "type", "label", "choices", "dimension", "required", "relevant"]
    entries = {row[0]: row for row in codebook[1:]}
    assert [row[0] for row in codebook[1:]] == NAMES
    assert entries["sex"] == ["sex", "single", "Giới tính", "m=Nam|f=Nữ", None, 1, None]
    assert entries["harassed_detail"][5:] == [1, "${harassed} = 'some'"]
    assert entries["visits"][1:4] == ["number", "Số lần phải đi lại", "min=1|max=20"]
    assert entries["channels"][3] == "web=Trang web|tv=Truyền hình|friend=Người quen"
    assert entries["svc_5"][3].startswith("1=Rất không hài lòng|2=") and entries["svc_5"][
        3
    ].endswith("5=Rất hài lòng")
    assert (
        entries["svc_5"][4] == "service/results" and entries["pol_1"][4] == "policy/participation"
    )

    text = xlsx_text(content)
    for secret in secrets(responses):
        assert secret not in text


def test_responses_are_streamed(wave, unit_a, django_assert_max_num_queries):
    for i in range(30):
        submit(wave, unit_a, good_answers(str(1 + i % 5)), channel="link", ip=f"10.2.0.{i}")
    with django_assert_max_num_queries(6):
        rows = list(load_workbook(io.BytesIO(exports.responses_xlsx(wave)))["responses"].values)
    assert len(rows) == 31 and rows[-1][0] == 30
    with django_assert_max_num_queries(6):
        assert exports.responses_csv(wave).count(b"\r\n") == 31


def test_aggregates_xlsx_matches_unit_figures(wave, unit_a, unit_b, responses):
    for level in ("5", "4", "3", "2"):
        submit(wave, unit_a, good_answers(level), channel="link", ip=f"10.3.0.{level}")
    book = load_workbook(io.BytesIO(exports.aggregates_xlsx(wave)))
    rows = [list(r) for r in book["aggregates"].iter_rows(values_only=True)]
    assert rows[0] == [
        "unit_code",
        "unit",
        "level",
        "dimension",
        "n",
        "share_pct",
        "wilson_low_pct",
        "wilson_high_pct",
        "reliable",
        "mean",
    ]
    keys = [
        ("overall", None),
        ("part", "service"),
        ("part", "policy"),
        ("element", "service/access"),
        ("element", "service/results"),
        ("element", "policy/participation"),
    ] + [("question", name) for name in unit_figures(wave, unit_a)["items"]]
    assert len(keys) > 6
    assert [(r[0], r[2], r[3]) for r in rows[1:]] == [
        (unit.code, level, key) for unit in (unit_a, unit_b) for level, key in keys
    ]
    for unit in (unit_a, unit_b):
        figures = unit_figures(wave, unit)
        for code, name, level, key, n, share, low, high, reliable, mean in rows[1:]:
            if code != unit.code:
                continue
            assert name == unit.display_name
            expected = {
                "overall": figures["overall"],
                "part": figures["parts"].get(key),
                "element": figures["elements"].get(key),
                "question": figures["items"].get(key),
            }[level]
            if expected is None:
                assert (n, share, low, high, reliable, mean) == (None, None, None, None, 0, None)
                continue
            assert n == expected.n and reliable == int(expected.reliable)
            assert mean == pytest.approx(expected.mean)
            assert low == pytest.approx(100 * expected.low)
            assert high == pytest.approx(100 * expected.high)
            if expected.share is None:
                assert share is None
            else:
                assert share == pytest.approx(expected.percent)
    # Unit A: 6 kept responses (the excluded one is left out of the figures); unit B: one.
    overall_a = rows[1]
    assert overall_a[4] == 6 and overall_a[5] == pytest.approx(
        unit_figures(wave, unit_a)["overall"].percent
    )
    assert rows[1 + len(keys)][4] == 1 and rows[1 + len(keys)][8] == 0


def test_export_views(client, leader, officer_a, wave, responses):
    client.force_login(leader)
    monitor = client.get(f"/surveys/{wave.pk}/").content.decode()
    assert f"/surveys/{wave.pk}/export/responses/?format=xlsx" in monitor
    assert f"/surveys/{wave.pk}/export/aggregates/" in monitor

    csv_response = client.get(f"/surveys/{wave.pk}/export/responses/")
    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    assert (
        csv_response["Content-Disposition"]
        == f'attachment; filename="phieu-khao-sat-{wave.pk}.csv"'
    )
    assert csv_response.content == exports.responses_csv(wave)

    xlsx = client.get(f"/surveys/{wave.pk}/export/responses/?format=xlsx")
    assert xlsx["Content-Disposition"] == f'attachment; filename="phieu-khao-sat-{wave.pk}.xlsx"'
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames == ["responses", "codebook"]
    assert client.get(f"/surveys/{wave.pk}/export/responses/?format=pdf").status_code == 400

    figures = client.get(f"/surveys/{wave.pk}/export/aggregates/")
    assert figures.status_code == 200
    assert (
        figures["Content-Disposition"] == f'attachment; filename="chi-so-khao-sat-{wave.pk}.xlsx"'
    )
    assert load_workbook(io.BytesIO(figures.content)).sheetnames == ["aggregates"]

    assert client.get("/surveys/999/export/responses/").status_code == 404
    client.force_login(officer_a)
    assert client.get(f"/surveys/{wave.pk}/export/responses/").status_code == 403
    assert client.get(f"/surveys/{wave.pk}/export/aggregates/").status_code == 403
