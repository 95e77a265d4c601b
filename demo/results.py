"""Demo results: a 2024 history (synthetic figures, imported as a city would import its published
decision) for the 30 former districts and the departments, then the 2025 cycle computed and published.

The 2024 figures are made up for the demo: they are not Hà Nội's official 2024 results.
"""

import csv
import io
import random

from cycles.models import Cycle, CycleState
from cycles.services import DEFAULT_RANKING_GROUPS
from results.history import import_history
from results.models import Job, JobKind, JobState
from results.services import publish
from results.tasks import run_job
from units.models import Unit, UnitKind


def _history_table(rng: random.Random) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["ma_don_vi", "khoi", "chi_so"])
    # The units as they were in 2024: the departments merged on 01/03/2025 under their former names (their
    # successors compare with them through lineage), not the departments those mergers formed.
    units = Unit.objects.filter(kind__in=[UnitKind.DISTRICT, UnitKind.DEPARTMENT]).exclude(
        predecessors__kind=UnitKind.DEPARTMENT
    )
    for unit in units.distinct().order_by("code"):
        # Close to the demo's 2025 averages, so that changes go both ways.
        mean = 74.8 if unit.kind == UnitKind.DEPARTMENT else 73.2
        index = min(97.5, max(55.0, rng.gauss(mean, 3.8)))
        writer.writerow([unit.code, DEFAULT_RANKING_GROUPS[UnitKind(unit.kind)], f"{index:.2f}"])
    return out.getvalue().encode()


def load_history(secretariat) -> None:
    if not Cycle.objects.filter(key="2024").exists():
        import_history(secretariat, 2024, _history_table(random.Random(2024)), "demo-2024.csv")


def compute_and_publish(secretariat, cycle: Cycle) -> None:
    """Run the recomputation that finalisation queued (here, not in a worker) and publish."""
    job = Job.objects.filter(
        cycle=cycle, kind=JobKind.RECOMPUTE, state=JobState.QUEUED
    ).first() or Job.objects.create(cycle=cycle, kind=JobKind.RECOMPUTE, requested_by=secretariat)
    run_job.call(job.pk)
    cycle.refresh_from_db()  # the services moved a copy of it (transition re-reads the cycle)
    if cycle.state == CycleState.FINALISED:
        publish(secretariat, cycle)
