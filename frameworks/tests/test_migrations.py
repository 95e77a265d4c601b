"""frameworks 0002: the yes/no evidence flag becomes a rule; "required" means "when points are claimed"."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("frameworks", "0001_initial"), ("cycles", "0002_cycle_imported")]
AFTER = [("frameworks", "0002_node_evidence_rule")]


@pytest.mark.django_db(transaction=True)
def test_required_evidence_becomes_when_claimed_and_back():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Cycle, Framework = old.get_model("cycles", "Cycle"), old.get_model("frameworks", "Framework")
    Node = old.get_model("frameworks", "Node")
    framework = Framework.objects.create(
        cycle=Cycle.objects.create(year=2025, title="2025"), kind="commune", title="Bộ tiêu chí"
    )
    for code, required in (("1", False), ("1.1", True), ("1.2", False)):
        Node.objects.create(framework=framework, code=code, title=code, evidence_required=required)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("frameworks", "Node")
    assert dict(new.objects.values_list("code", "evidence_rule")) == {
        "1": "never",
        "1.1": "when_claimed",
        "1.2": "never",
    }
    new.objects.filter(code="1.2").update(evidence_rule="always")

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    back = executor.loader.project_state(BEFORE).apps.get_model("frameworks", "Node")
    assert dict(back.objects.values_list("code", "evidence_required")) == {
        "1": False,
        "1.1": True,
        "1.2": True,
    }
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
