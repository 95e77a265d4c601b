"""A small year for the assistant's question set (results/assistant/questions.json), built through
the platform's own services where they exist: three years of the city's index (2024 and 2025
published, 2026 finalised) computed from known points, a public service index, the plan's tasks
with their leaders, the periodic reports of this year, two SIPAS waves with responses, the city's
published SIPAS points."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from conftest import SMALL_TOTAL, small_framework_specs
from cycles.models import Cycle, Participation
from frameworks.services import save_specs
from plans.models import Plan, Task, TaskStatus
from reporting.models import Period, ReportState, ReportTemplate, UnitReport
from results.models import ProvincialSeries, ProvincialValue
from results.services import publish
from results.tests.published import extra_units, finalise, make_cycle
from surveys import services as survey_services
from surveys.models import Response, Wave, WaveTarget
from surveys.tests.conftest import good_answers, tsv

SHARES = {
    2024: {"00070": "0.7", "00073": "0.85", "00076": "0.65", "S02": "0.9", "S01": "0.7"},
    2025: {"00070": "0.9", "00073": "0.75", "00076": "0.6", "S02": "0.8", "S01": "0.95"},
    2026: {"00070": "0.8", "00073": "0.6", "00076": "0.95", "S02": "0.75", "S01": "0.85"},
}
PUBLIC_SERVICE = {"S02": "0.5", "S01": "0.7"}
VICE_CHAIR = "Đ/c Hà Minh Hải, Phó Chủ tịch UBND Thành phố"
TASKS = [
    # number, leader, days from today to the due date, status
    ("1", VICE_CHAIR, -10, TaskStatus.IN_PROGRESS),
    ("2", "Đ/c Phó Chủ tịch UBND Thành phố Hà Minh Hải", -40, TaskStatus.NOT_STARTED),
    ("3", VICE_CHAIR, -20, TaskStatus.DONE),
    ("4", "Đ/c Trần Sỹ Thanh, Chủ tịch UBND Thành phố", -5, TaskStatus.IN_PROGRESS),
    ("5", "Đ/c Lê Hồng Sơn, Phó Chủ tịch thường trực UBND Thành phố", -3, TaskStatus.NOT_STARTED),
    ("6", "Đ/c Trương Việt Dũng, Phó Chủ tịch UBND Thành phố", -60, TaskStatus.IN_PROGRESS),
    ("7", "Đ/c Trương Việt Dũng, Phó Chủ tịch UBND Thành phố", 15, TaskStatus.NOT_STARTED),
]
# period kind → days from now to its deadline, and the units that sent it
PERIODS = {
    "q1": (-200, {"S01", "S02", "00070"}),
    "h1": (-120, {"S01", "00073", "00076"}),
    "m9": (-30, {"S01", "00070"}),
    "year": (20, {"00076"}),
}
# SIPAS answers per (year, unit): how many satisfied (level 4) and unsatisfied (level 2) responses
SIPAS = {
    2025: {"00070": (6, 4), "S02": (7, 3)},
    2026: {"00070": (9, 1), "S02": (5, 5), "00073": (2, 0)},
}
SIPAS_TARGETS = {"00070": 12, "S02": 8, "00073": 2}
CITY_SIPAS = {2024: "80.12", 2025: "82.5", 2026: "84.75"}


def build(secretariat, unit_a, unit_b) -> dict:
    units = [unit_a, unit_b, *extra_units()]
    by_code = {u.code: u for u in units}
    cycles = {}
    for year, shares in SHARES.items():
        cycle = finalise(secretariat, make_cycle(secretariat, year, units), shares)
        if year < 2026:
            publish(secretariat, cycle)
        cycles[year] = cycle
    _public_service(secretariat, [by_code["S02"], by_code["S01"]])
    _plan(by_code)
    _reports(by_code)
    _surveys(secretariat, cycles, by_code)
    for year, value in CITY_SIPAS.items():
        ProvincialValue.objects.create(
            series=ProvincialSeries.SIPAS,
            year=year,
            value=Decimal(value),
            source="Bộ Nội vụ",
            link="https://example.vn/sipas",
        )
    return {"units": by_code, "cycles": cycles}


def _public_service(secretariat, units):
    cycle = Cycle.objects.create(
        year=2025, title="Chỉ số đơn vị sự nghiệp", family="public_service"
    )
    for kind in {u.kind for u in units}:
        save_specs(
            secretariat, cycle, kind, small_framework_specs(), source="t", target_total=SMALL_TOTAL
        )
    for unit in units:
        Participation.objects.create(
            cycle=cycle, unit=unit, framework_kind=unit.kind, ranking_group="Khối sự nghiệp"
        )
    finalise(secretariat, cycle, PUBLIC_SERVICE)


def _plan(units):
    today = timezone.localdate()
    plan = Plan.objects.create(
        year=today.year,
        decision_number="1/QĐ-UBND",
        decision_date=date(today.year, 1, 2),
        title="KH",
    )
    for number, leader, days, status in TASKS:
        task = Task.objects.create(
            plan=plan,
            number=number,
            title=f"Nhiệm vụ số {number}",
            leader=leader,
            due=today + timedelta(days=days),
            status=status,
        )
        task.lead_units.add(units["S01"])


def _reports(units):
    template = ReportTemplate.objects.create(title="Báo cáo CCHC")
    now = timezone.now()
    for kind, (days, sent) in PERIODS.items():
        period = Period.objects.create(
            year=timezone.localdate().year,
            kind=kind,
            template=template,
            due_at=now + timedelta(days=days),
        )
        for code in sent:
            UnitReport.objects.create(period=period, unit=units[code], state=ReportState.SUBMITTED)


def _surveys(secretariat, cycles, units):
    version = survey_services.import_questionnaire(
        secretariat, "sipas", "SIPAS", tsv(), "sipas.tsv"
    )
    now = timezone.now()
    for year, counts in SIPAS.items():
        wave = Wave.objects.create(
            cycle=cycles[year],
            version=version,
            title=f"SIPAS {year}",
            opens_at=now - timedelta(days=400 - 300 * (year - 2025)),
            closes_at=now + timedelta(days=30),
        )
        for code, sample in SIPAS_TARGETS.items():
            WaveTarget.objects.create(wave=wave, unit=units[code], sample=sample)
        for code, (satisfied, unsatisfied) in counts.items():
            for level, n in (("4", satisfied), ("2", unsatisfied)):
                for _ in range(n):
                    Response.objects.create(
                        wave=wave,
                        unit=units[code],
                        submission_id=uuid.uuid4(),
                        channel="link",
                        answers=good_answers(level, svc_1=level),
                    )
