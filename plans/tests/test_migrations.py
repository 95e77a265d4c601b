"""plans 0002: a task imported before, led by several units, gets a row per lead unit carrying its status;
a done task keeps the day it was last updated as its day done."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("plans", "0001_initial"), ("units", "0003_vietnamese_collation")]
AFTER = [("plans", "0002_lead_statuses")]


@pytest.mark.django_db(transaction=True)
def test_group_led_tasks_get_a_row_per_lead_unit():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Plan, Task, Unit = (old.get_model(m) for m in ("plans.Plan", "plans.Task", "units.Unit"))
    a = Unit.objects.create(code="00070", name="Hoàn Kiếm", kind="commune", source="")
    b = Unit.objects.create(code="S02", name="Sở Tư pháp", kind="department", source="")
    plan = Plan.objects.create(
        year=2025, decision_number="6830", decision_date=date(2024, 12, 31), title="KH"
    )
    group = Task.objects.create(
        plan=plan, number="1", title="Chung", status="done", progress_note="x"
    )
    group.lead_units.set([a, b])
    single = Task.objects.create(plan=plan, number="2", title="Riêng", status="in_progress")
    single.lead_units.set([a])

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    rows = new.get_model("plans", "LeadStatus").objects.order_by("unit__code")
    assert [(r.task_id, r.unit.code, r.status, r.progress_note) for r in rows] == [
        (group.pk, "00070", "done", "x"),
        (group.pk, "S02", "done", "x"),
    ]
    assert rows[0].done_on is not None
    NewTask = new.get_model("plans", "Task")
    assert NewTask.objects.get(pk=group.pk).done_on == rows[0].done_on
    assert NewTask.objects.get(pk=single.pk).done_on is None

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
