"""cycles 0004: every existing cycle becomes the city's combined index of its year, keyed by the year."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cycles", "0003_transition_job")]
AFTER = [("cycles", "0004_levels")]


@pytest.mark.django_db(transaction=True)
def test_existing_cycles_become_the_citys_index_keyed_by_their_year():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("cycles", "Cycle")
    for year, state in ((2024, "published"), (2025, "finalised"), (2026, "self_assessment")):
        old.objects.create(year=year, title=f"Chỉ số CCHC năm {year}", state=state)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("cycles", "Cycle")
    rows = set(new.objects.values_list("year", "key", "family", "organiser_id", "state"))
    assert rows == {
        (2024, "2024", "city", None, "published"),
        (2025, "2025", "city", None, "finalised"),
        (2026, "2026", "city", None, "self_assessment"),
    }
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
