"""A finalised cycle whose leaf points a test sets directly, for the results computation."""

from decimal import Decimal

import pytest

from assessments.models import Item
from conftest import SMALL_TOTAL, open_phases, small_framework_specs
from cycles.models import Cycle, Participation
from cycles.services import transition
from frameworks.services import save_specs
from results.models import Job
from units.models import Unit, UnitKind

GROUP = "Khối xã, phường"


def make_units(count: int, prefix: str = "9") -> list[Unit]:
    return [
        Unit.objects.create(
            code=f"{prefix}{i:04d}", name=f"Phường Thử {prefix}{i}", kind=UnitKind.COMMUNE
        )
        for i in range(count)
    ]


def finalised_cycle(secretariat, units, year: int = 2025, group: str = GROUP) -> Cycle:
    cycle = moved_cycle(
        secretariat,
        units,
        ("self_assessment", "appraisal", "explanation", "finalised"),
        year,
        group,
    )
    # Finalising queued a recomputation for the worker; tests call recompute() themselves.
    Job.objects.filter(cycle=cycle).delete()
    cycle.refresh_from_db()
    return cycle


def moved_cycle(actor, units, states, year: int = 2025, group: str = GROUP, **fields) -> Cycle:
    """A cycle of commune units on the small framework, moved through `states` by `actor`."""
    cycle = Cycle.objects.create(year=year, title=f"Chỉ số CCHC năm {year}", **fields)
    for unit in units:
        Participation.objects.create(
            cycle=cycle, unit=unit, framework_kind=UnitKind.COMMUNE, ranking_group=group
        )
    save_specs(
        actor,
        cycle,
        UnitKind.COMMUNE,
        small_framework_specs(),
        source="test",
        target_total=SMALL_TOTAL,
    )
    open_phases(cycle, actor)
    for state in states:
        transition(actor, cycle, state)
    return cycle


def set_points(cycle: Cycle, unit: Unit, points: dict[str, str], na: tuple[str, ...] = ()) -> None:
    """Final points per leaf code (survey and automatic leaves: their filled value)."""
    items = Item.objects.filter(assessment__cycle=cycle, assessment__unit=unit).select_related(
        "node"
    )
    for item in items:
        value = points.get(item.node.code)
        value = None if value is None else Decimal(value)
        if item.node.rule in ("survey", "automatic"):
            item.self_points, item.final_points = value, None
        else:
            item.final_points = value
        item.not_applicable = item.node.code in na
        item.save(update_fields=["self_points", "final_points", "not_applicable"])


# Leaves of small_framework_specs: domain 1 (6 points), domain 2 (4 points), bonus 3.1, penalty 3.2.
FULL = {
    "1.1.1": "1",
    "1.1.2": "1",
    "1.2": "1",
    "1.3": "1",
    "1.4": "1",
    "1.5": "1",
    "2.1": "1",
    "2.2": "1",
    "2.3": "2",
}


@pytest.fixture
def cycle_factory(secretariat):
    def make(units, **kwargs):
        return finalised_cycle(secretariat, units, **kwargs)

    return make
