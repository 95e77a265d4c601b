"""Background tasks: run a results Job (recomputation or a document) and keep its progress visible."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

from .compute import recompute
from .models import Job, JobKind, JobState
from .reports import BUILDERS
from .snapshot import build

log = logging.getLogger(__name__)


def _progress(job: Job):
    def report(percent: int, message: str) -> None:
        Job.objects.filter(pk=job.pk).update(progress=percent, message=message[:300])

    return report


@task()
def run_job(job_id: int) -> str:
    job = Job.objects.select_related("cycle").get(pk=job_id)
    if job.state != JobState.QUEUED:
        return job.state
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, progress=1)
    report = _progress(job)
    try:
        if job.kind == JobKind.RECOMPUTE:
            count = recompute(job.cycle, report)
            message = f"Đã tính kết quả của {count} đơn vị."
        else:
            filename, content = BUILDERS[job.kind](build(job.cycle), report)
            job.file.save(filename, ContentFile(content), save=False)
            Job.objects.filter(pk=job.pk).update(file=job.file.name)
            message = f"Đã tạo {filename}."
    except Exception:
        log.exception("results job %s failed", job.pk)
        Job.objects.filter(pk=job.pk).update(
            state=JobState.FAILED,
            finished_at=timezone.now(),
            message="Có lỗi khi thực hiện; Thư ký hãy thử lại hoặc báo quản trị hệ thống.",
        )
        return JobState.FAILED
    Job.objects.filter(pk=job.pk).update(
        state=JobState.DONE, progress=100, message=message, finished_at=timezone.now()
    )
    return JobState.DONE
