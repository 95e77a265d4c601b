"""Editing a framework: sums kept, rules checked, frozen after draft, secretariat only, audited."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import AuditEvent
from cycles.models import CycleState
from cycles.services import transition
from frameworks import tree
from frameworks.models import Framework
from frameworks.services import FrameworkError, add_node, delete_node, update_node
from units.models import UnitKind


@pytest.fixture
def framework(draft_cycle):
    return Framework.objects.get(cycle=draft_cycle, kind=UnitKind.COMMUNE)


def total(framework):
    return tree.total_points(tree.build(framework.nodes.all()))


def test_changing_a_leaf_max_updates_every_ancestor(secretariat, framework):
    leaf = framework.nodes.get(code="1.1.1")
    update_node(secretariat, leaf, max_points=Decimal("1.50"), rule="yes_no", rule_params={})
    assert framework.nodes.get(code="1.1").max_points == Decimal("2.50")
    assert framework.nodes.get(code="1").max_points == Decimal("6.50")
    assert total(framework) == Decimal("10.50")
    event = AuditEvent.objects.get(action="framework.update_node")
    assert event.before["max_points"] == "1.00" and event.after["max_points"] == "1.50"
    assert event.actor == secretariat


def test_a_parent_max_cannot_be_set_directly(secretariat, framework):
    parent = framework.nodes.get(code="1")
    update_node(secretariat, parent, max_points=Decimal("99"), title="Chỉ đạo, điều hành CCHC")
    parent.refresh_from_db()
    assert parent.max_points == Decimal("6.00")
    assert parent.title == "Chỉ đạo, điều hành CCHC"


def test_bad_rule_parameters_are_refused(secretariat, framework):
    leaf = framework.nodes.get(code="1.5")
    with pytest.raises(FrameworkError, match="không chia hết"):
        update_node(secretariat, leaf, rule="manual", rule_params={"step": 0.3})
    leaf.refresh_from_db()
    assert leaf.rule_params == {"step": 0.25}


def test_adding_and_deleting_keep_the_sums(secretariat, framework):
    parent = framework.nodes.get(code="2")
    node = add_node(
        secretariat,
        framework,
        parent,
        title="Chỉ số chuyển đổi số",
        max_points=Decimal("1.25"),
        rule="automatic",
        rule_params={"mode": "proportional"},
    )
    assert node.code == "2.4"
    assert framework.nodes.get(code="2").max_points == Decimal("5.25")
    delete_node(secretariat, node)
    assert framework.nodes.get(code="2").max_points == Decimal("4.00")
    assert total(framework) == Decimal("10.00")


def test_adding_under_a_leaf_turns_it_into_a_criterion(secretariat, framework):
    leaf = framework.nodes.get(code="1.5")
    add_node(
        secretariat,
        framework,
        leaf,
        title="Sáng kiến cấp Thành phố",
        max_points=Decimal("0.5"),
        rule="yes_no",
        rule_params={},
    )
    leaf.refresh_from_db()
    assert (leaf.rule, leaf.max_points) == ("", Decimal("0.50"))
    assert tree.structure_problems(list(framework.nodes.all())) == []


def test_the_only_child_cannot_be_deleted(secretariat, framework):
    only = add_node(
        secretariat,
        framework,
        framework.nodes.get(code="1.5"),
        title="Con",
        max_points=Decimal("1"),
        rule="yes_no",
        rule_params={},
    )
    with pytest.raises(FrameworkError, match="mục con duy nhất"):
        delete_node(secretariat, only)


def test_framework_is_frozen_once_the_cycle_opens(secretariat, draft_cycle, framework):
    transition(secretariat, draft_cycle, CycleState.SELF_ASSESSMENT)
    leaf = framework.nodes.get(code="1.5")
    with pytest.raises(FrameworkError, match="đã được khoá"):
        update_node(secretariat, leaf, title="Đổi")
    with pytest.raises(FrameworkError, match="đã được khoá"):
        delete_node(secretariat, leaf)
    with pytest.raises(FrameworkError, match="đã được khoá"):
        add_node(
            secretariat,
            framework,
            None,
            title="Mới",
            max_points=Decimal(1),
            rule="yes_no",
            rule_params={},
        )
    leaf.refresh_from_db()
    assert leaf.title == "Sáng kiến CCHC"


@pytest.mark.parametrize(
    "persona", ["officer_a", "head_a", "officer_b", "reviewer", "council", "leader"]
)
def test_only_the_secretariat_edits(personas, framework, persona):
    leaf = framework.nodes.get(code="1.5")
    with pytest.raises(PermissionDenied):
        update_node(personas[persona], leaf, title="Đổi")
    with pytest.raises(PermissionDenied):
        delete_node(personas[persona], leaf)
