"""Background tasks: run a results Job (recomputation or a document) and keep its progress visible.

Every change of a job's state is a compare-and-set (`_move`): an UPDATE filtered on the state the code
expects, so that two workers, or a retry of the task, cannot both run a job or overwrite its end.
"""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from .compute import recompute
from .models import Job, JobKind, JobState
from .reports import BUILDERS
from .reports.sipas import for_cycle as sipas_for_cycle
from .snapshot import for_publication

log = logging.getLogger(__name__)


def _move(job_id: int, expected: str, **changes) -> bool:
    """Apply the changes only if the job is still in the expected state; False if someone moved it."""
    return Job.objects.filter(pk=job_id, state=expected).update(**changes) == 1


def _current_state(job_id: int) -> str:
    return Job.objects.filter(pk=job_id).values_list("state", flat=True).get()


def _progress(job: Job):
    def report(percent: int, message: str) -> None:
        _move(job.pk, JobState.RUNNING, progress=percent, message=message[:300])

    return report


@task()
def run_job(job_id: int) -> str:
    if not _move(job_id, JobState.QUEUED, state=JobState.RUNNING, progress=1):
        return _current_state(job_id)  # taken by another worker, or already finished
    job = Job.objects.select_related("cycle").get(pk=job_id)
    report = _progress(job)
    try:
        if job.kind == JobKind.RECOMPUTE:
            count = recompute(job.cycle, report)
            message = gettext("Đã tính kết quả của %(count)s đơn vị.") % {"count": count}
        else:
            snapshot = for_publication(job.cycle)
            # Not stored (reports/sipas.py); from the counts the snapshot has just read.
            snapshot["sipas"] = sipas_for_cycle(job.cycle, snapshot.get("sipas_counts"))
            filename, content = BUILDERS[job.kind](snapshot, report)
            job.file.save(filename, ContentFile(content), save=False)
            message = gettext("Đã tạo %(file)s.") % {"file": filename}
    except Exception:
        log.exception("results job %s failed", job.pk)
        failed = _move(
            job.pk,
            JobState.RUNNING,
            state=JobState.FAILED,
            finished_at=timezone.now(),
            message=gettext("Có lỗi khi thực hiện; Thư ký hãy thử lại hoặc báo quản trị hệ thống."),
        )
        return JobState.FAILED if failed else _current_state(job.pk)
    done = _move(
        job.pk,
        JobState.RUNNING,
        state=JobState.DONE,
        progress=100,
        message=message,
        finished_at=timezone.now(),
        file=job.file.name or "",
    )
    if done:
        return JobState.DONE
    log.warning("results job %s was moved while it ran; its end is not recorded", job.pk)
    if job.file:
        job.file.delete(save=False)  # the job's row never points at it
    return _current_state(job.pk)


@task()
def weekly_briefing() -> int:
    """The Chairman's weekly briefing (results/briefing.py), enqueued by `parindex weekly-briefing`
    from the deployment's timer; returns the briefing's id."""
    from .briefing import make_briefing
    from .models import BriefingSource

    return make_briefing(source=BriefingSource.WEEKLY).pk
