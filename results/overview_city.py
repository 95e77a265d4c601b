"""The city-wide parts of the overview (docs/results.md, "Overview"): SIPAS against the plan's
target, the plan's overdue tasks by leader in charge and by lead unit, and the periodic reports not
yet sent. Shown to the city's staff only: an organiser's staff run no plan, report or survey."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

from plans.models import Plan, Target, Task
from reporting.consolidation import expected_units
from reporting.models import Period, ReportState, UnitReport
from surveys.aggregates import wave_figures
from surveys.models import Response, Wave

# The plan's SIPAS target when the plan names none (Hà Nội's 2025 plan: "tối thiểu 85%").
SIPAS_TARGET = Decimal("85")
SIPAS_QUESTIONNAIRE = "sipas"
CACHE_SECONDS = 24 * 3600


@dataclass
class Sipas:
    wave: Wave | None
    value: float | None  # the mean of the units' SIPAS index, in percent
    units: int
    below: int  # units under the target
    target: Decimal
    target_from_plan: bool


@dataclass
class Overdue:
    plan: Plan | None
    total: int
    by_leader: list[tuple[str, int]]
    by_unit: list[tuple[int, str, int]]  # unit id, name, tasks


@dataclass
class Reports:
    period: Period | None
    expected: int
    sent: int

    @property
    def missing(self) -> int:
        return self.expected - self.sent


def current_plan(today=None) -> Plan | None:
    today = today or timezone.localdate()
    return Plan.objects.filter(year__lte=today.year).order_by("-year").first()


def sipas(plan: Plan | None) -> Sipas:
    target = (
        Target.objects.filter(plan=plan, metric__icontains="SIPAS", target_value__isnull=False)
        .values_list("target_value", flat=True)
        .first()
        if plan
        else None
    )
    wave = (
        Wave.objects.filter(cycle__organiser=None, version__questionnaire__code=SIPAS_QUESTIONNAIRE)
        .order_by("-opens_at")
        .first()
    )
    values = _unit_sipas(wave) if wave is not None else []
    goal = target if target is not None else SIPAS_TARGET
    return Sipas(
        wave=wave,
        value=round(sum(values) / len(values), 2) if values else None,
        units=len(values),
        below=sum(1 for v in values if v < goal),
        target=goal,
        target_from_plan=target is not None,
    )


def _unit_sipas(wave: Wave) -> list[float]:
    """Each unit's SIPAS index (percent) in the wave. Counting a wave's answers takes about a second
    at the city's size, so the figures are kept in the cache under the wave's kept responses (their
    number and newest id): a new or excluded response makes a new key."""
    seen = Response.objects.filter(wave=wave, excluded=False).aggregate(
        n=Count("id"), last=Max("id")
    )
    key = f"overview-sipas-{wave.pk}-{seen['n']}-{seen['last']}"
    values = cache.get(key)
    if values is None:
        values = [
            f["overall"].percent
            for f in wave_figures(wave).values()
            if f["overall"] is not None and f["overall"].share is not None
        ]
        cache.set(key, values, CACHE_SECONDS)
    return values


def overdue(plan: Plan | None, today=None) -> Overdue:
    if plan is None:
        return Overdue(None, 0, [], [])
    tasks = Task.objects.filter(plan=plan).overdue(today)
    by_leader = list(tasks.values_list("leader").annotate(n=Count("id")).order_by("-n", "leader"))
    by_unit = list(
        Task.lead_units.through.objects.filter(task__in=tasks)
        .values_list("unit_id", "unit__name")
        .annotate(n=Count("task_id"))
        .order_by("-n", "unit__name")
    )
    return Overdue(plan, tasks.count(), by_leader, by_unit)


def reports(now=None) -> Reports:
    """The open period (the next due), else the last one; its expected units and those that sent.
    A one-off request is not a period of the regime: its own board says who has not sent."""
    now = now or timezone.now()
    periods = Period.objects.periodic()
    period = (
        periods.filter(due_at__gt=now).order_by("due_at").first()
        or periods.order_by("-due_at").first()
    )
    if period is None:
        return Reports(None, 0, 0)
    expected = expected_units(period)
    sent = UnitReport.objects.filter(
        period=period, state=ReportState.SUBMITTED, unit__in=expected
    ).count()
    return Reports(period, expected.count(), sent)
