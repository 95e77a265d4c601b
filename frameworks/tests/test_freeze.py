"""A framework whose scored total is not its target (100) cannot be frozen: the cycle stays a draft."""

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import open_phases
from core.tabular import read_table
from cycles.models import Cycle, CycleState, Participation
from cycles.services import CycleError, transition
from frameworks.excel import parse_specs
from frameworks.services import save_specs, update_node
from units.models import UnitKind

DEMO = Path(__file__).resolve().parent.parent / "data" / "framework-department.csv"


@pytest.fixture
def department_2026(secretariat, unit_b):
    cycle = Cycle.objects.create(year=2026, title="Chỉ số CCHC năm 2026")
    Participation.objects.create(
        cycle=cycle, unit=unit_b, framework_kind=UnitKind.DEPARTMENT, ranking_group="Khối sở"
    )
    specs = parse_specs(read_table(DEMO.read_bytes(), DEMO.name))
    framework = save_specs(secretariat, cycle, UnitKind.DEPARTMENT, specs, source="test")
    open_phases(cycle, secretariat)
    return framework


def test_a_total_of_104_50_refuses_to_leave_draft(secretariat, department_2026):
    leaf = department_2026.nodes.get(code="1.1.1")
    assert leaf.max_points == Decimal("0.50")
    update_node(secretariat, leaf, max_points=Decimal("5.00"))
    with pytest.raises(CycleError) as refused:
        transition(secretariat, department_2026.cycle, CycleState.SELF_ASSESSMENT)
    assert "104,50" in str(refused.value) and "100,00" in str(refused.value)
    department_2026.cycle.refresh_from_db()
    assert department_2026.cycle.state == CycleState.DRAFT


def test_the_same_framework_back_at_100_opens(secretariat, department_2026):
    leaf = department_2026.nodes.get(code="1.1.1")
    update_node(secretariat, leaf, max_points=Decimal("5.00"))
    update_node(secretariat, leaf, max_points=Decimal("0.50"))
    transition(secretariat, department_2026.cycle, CycleState.SELF_ASSESSMENT)
    department_2026.cycle.refresh_from_db()
    assert department_2026.cycle.state == CycleState.SELF_ASSESSMENT
