"""The demo plan: tasks led by several units carry each unit's own progress, and the units' shares of
tasks done on time sit where Hà Nội's do (most units above the leaf's 80 % floor)."""

from datetime import date
from decimal import Decimal

import pytest

from demo.plans import load_plan
from plans import implementation
from plans.models import LeadStatus, TargetAssignment, Task, TaskStatus
from units.importer import import_hanoi_catalogue
from units.models import Unit, UnitKind


@pytest.fixture
def demo_plan(secretariat):
    import_hanoi_catalogue()
    return load_plan(secretariat, date(2026, 12, 7))


def test_group_led_tasks_have_each_units_status_and_follow_them(demo_plan):
    grouped = Task.objects.filter(plan=demo_plan, lead_statuses__isnull=False).distinct()
    assert grouped.count() >= 10
    for task in grouped:
        statuses = set(task.lead_statuses.values_list("status", flat=True))
        assert (task.status == TaskStatus.DONE) == (statuses == {TaskStatus.DONE})
    assert LeadStatus.objects.filter(status=TaskStatus.DONE, done_on__isnull=True).count() == 0
    assert TargetAssignment.objects.filter(target__plan=demo_plan).count() >= 15


def test_units_shares_of_tasks_done_on_time_are_realistic(demo_plan):
    units = Unit.objects.filter(
        kind__in=[UnitKind.DEPARTMENT, UnitKind.COMMUNE], active_to__isnull=True
    )
    shares = [s for u in units if (s := implementation.share(u, 2025)) is not None]
    assert len(shares) > 100
    above = sum(1 for s in shares if s >= Decimal("0.8"))
    assert above / len(shares) > 0.8
    assert Decimal("0.85") < sum(shares) / len(shares) < Decimal("0.98")
