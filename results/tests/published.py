"""A small cycle taken to the end for the tests of the public results (results/api.py and public/):
finalised with known points and computed, then published on demand.

Khối xã, phường: Hoàn Kiếm (00070), Cửa Nam (00073), Ba Đình (00076); Khối sở: Sở Tư pháp (S02) and
Sở Nội vụ (S01). Each leaf's final points are a share of its maximum, per unit.
"""

from decimal import Decimal

from django.test import TestCase

from conftest import SMALL_TOTAL, open_phases, small_framework_specs
from cycles.models import Cycle, CycleState, Participation
from cycles.services import transition
from frameworks.services import save_specs
from units.models import Unit, UnitKind

COMMUNES = "Khối xã, phường"
DEPARTMENTS = "Khối sở"
# unit code → share of each scored leaf's maximum (bonus and penalty leaves get 0).
SHARES = {"00070": "0.9", "00073": "0.75", "00076": "0.6", "S02": "0.8", "S01": "0.95"}


def extra_units():
    return [
        Unit.objects.create(code="00073", name="Cửa Nam", kind=UnitKind.COMMUNE, sub_kind="phuong"),
        Unit.objects.create(code="00076", name="Ba Đình", kind=UnitKind.COMMUNE, sub_kind="phuong"),
        Unit.objects.create(code="S01", name="Sở Nội vụ", kind=UnitKind.DEPARTMENT),
    ]


def make_cycle(secretariat, year: int, units) -> Cycle:
    cycle = Cycle.objects.create(year=year, title=f"Chỉ số CCHC năm {year}")
    for unit in units:
        commune = unit.kind == UnitKind.COMMUNE
        Participation.objects.create(
            cycle=cycle,
            unit=unit,
            framework_kind=unit.kind,
            ranking_group=COMMUNES if commune else DEPARTMENTS,
        )
    for kind in (UnitKind.COMMUNE, UnitKind.DEPARTMENT):
        save_specs(
            secretariat,
            cycle,
            kind,
            small_framework_specs(),
            source="test",
            target_total=SMALL_TOTAL,
        )
    return cycle


def finalise(secretariat, cycle: Cycle, shares: dict[str, str]) -> Cycle:
    """Through every state to finalised, with the final points set; the recomputation job runs."""
    from assessments.models import Item

    if cycle.state == CycleState.DRAFT:
        open_phases(cycle, secretariat)
        transition(secretariat, cycle, CycleState.SELF_ASSESSMENT)
    transition(secretariat, cycle, CycleState.APPRAISAL)
    transition(secretariat, cycle, CycleState.EXPLANATION)
    for item in Item.objects.filter(assessment__cycle=cycle).select_related(
        "node", "assessment__unit"
    ):
        share = Decimal(shares[item.assessment.unit.code])
        scored = item.node.rule not in ("bonus", "penalty")
        points = (item.node.max_points * share).quantize(Decimal("0.01")) if scored else Decimal(0)
        Item.objects.filter(pk=item.pk).update(final_points=points)
    # The finalisation queues the recomputation to run on commit: run it now.
    with TestCase.captureOnCommitCallbacks(execute=True):
        transition(secretariat, cycle, CycleState.FINALISED)
    cycle.refresh_from_db()
    return cycle


def published_cycle_of(secretariat, units, year: int = 2025, shares=None) -> Cycle:
    """A cycle of these units, finalised with the shares and published (version 1)."""
    from results.services import publish

    cycle = finalise(secretariat, make_cycle(secretariat, year, units), shares or SHARES)
    publish(secretariat, cycle)
    cycle.refresh_from_db()
    return cycle
