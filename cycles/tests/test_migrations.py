"""cycles 0002: a year imported before the `imported` flag existed (published, no framework) is marked."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cycles", "0001_initial"), ("frameworks", "0001_initial")]
AFTER = [("cycles", "0002_cycle_imported")]


@pytest.mark.django_db(transaction=True)
def test_earlier_imported_years_are_marked_imported():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Cycle, Framework = old.get_model("cycles", "Cycle"), old.get_model("frameworks", "Framework")
    Cycle.objects.create(year=2023, title="2023", state="published")
    scored = Cycle.objects.create(year=2024, title="2024", state="published")
    Cycle.objects.create(year=2026, title="2026", state="draft")
    Framework.objects.create(cycle=scored, kind="commune", title="Bộ tiêu chí")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("cycles", "Cycle")
    assert dict(new.objects.values_list("year", "imported")) == {
        2023: True,
        2024: False,
        2026: False,
    }
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
