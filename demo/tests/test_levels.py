"""The demo's city self-assessment for the Ministry (demo/levels.py), loaded without the rest of the demo."""

import pytest

from accounts.models import AuditEvent, User
from assessments.models import Evidence
from cycles.models import Cycle, CycleState, IndexFamily
from demo.levels import DOMAIN_LEADS, FILLED_BY_JUSTICE, YEAR, load_levels
from demo.load import ensure_accounts
from units.importer import import_hanoi_catalogue


@pytest.mark.django_db
def test_the_provincial_self_assessment_is_open_with_leaves_given_and_some_filled():
    import_hanoi_catalogue()
    ensure_accounts()
    secretariat = User.objects.get(username="thuky")
    cycle = load_levels(secretariat)
    assert load_levels(secretariat) == cycle  # safe to load twice
    assert Cycle.objects.filter(family=IndexFamily.PROVINCIAL).count() == 1

    assert (cycle.year, cycle.state, cycle.organiser) == (YEAR, CycleState.SELF_ASSESSMENT, None)
    assessment = cycle.assessments.get()
    assert assessment.unit.code == "S01" and assessment.framework.nodes.count() == 179
    plan = assessment.framework.nodes.get(code="1.1.1")  # the bundled file's year is 2025
    assert "năm 2026" in plan.title and plan.rule_params["tiers"][0][0] == "2025-12-31"

    given = dict(assessment.leaf_contributors.values_list("node__code", "unit__code"))
    assert {code.split(".")[0] for code in given} == set(DOMAIN_LEADS)
    assert all(DOMAIN_LEADS[code.split(".")[0]] == unit for code, unit in given.items())

    officer = User.objects.get(username="canbo.tuphap")
    filled = assessment.items.filter(updated_by=officer)
    assert filled.count() == FILLED_BY_JUSTICE
    assert all(item.node.code.startswith("2.") for item in filled)
    assert AuditEvent.objects.filter(action="item.self_assess", actor=officer).count() == 5
    assert Evidence.objects.filter(item__assessment=assessment, uploaded_by=officer).exists()
