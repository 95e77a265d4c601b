"""The database queue and `parindex worker`: a job asked for in a request runs in the worker."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from results import services
from results.compute import recompute
from results.models import JobKind, JobState, UnitResult

from .conftest import FULL, make_units, set_points

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_a_queued_recomputation_runs_in_the_worker(secretariat, cycle_factory):
    units = make_units(2)
    cycle = cycle_factory(units)
    for unit in units:
        set_points(cycle, unit, FULL)
    recompute(cycle)
    UnitResult.objects.all().delete()
    with override_settings(TASKS=DATABASE_QUEUE):
        job = services.request_job(secretariat, cycle, JobKind.RECOMPUTE)
        job.refresh_from_db()
        assert job.state == JobState.QUEUED  # nothing ran in the request
        call_command("worker", batch=True, verbosity=0)
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.progress == 100
    assert UnitResult.objects.filter(cycle=cycle).count() == 2
