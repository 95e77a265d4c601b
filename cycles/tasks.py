"""Background task: run a confirmed cycle move (`TransitionJob`) and keep its progress visible.

Every change of a job's state is a compare-and-set, as results jobs do (results/tasks.py): two workers
or a retry cannot both run one move. The move is one transaction (services.transition): its progress
shows the steps around it, not inside it."""

import logging

from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from .models import TransitionJob, TransitionJobState
from .services import CycleError, transition

log = logging.getLogger(__name__)


def _move(job_id: int, expected: str, **changes) -> bool:
    return TransitionJob.objects.filter(pk=job_id, state=expected).update(**changes) == 1


@task()
def run_transition(job_id: int) -> str:
    started = _move(
        job_id,
        TransitionJobState.QUEUED,
        state=TransitionJobState.RUNNING,
        progress=10,
        message=gettext("Đang chuyển trạng thái, nộp các bản tự đánh giá và gửi thông báo…"),
    )
    if not started:
        return TransitionJob.objects.filter(pk=job_id).values_list("state", flat=True).get()
    job = TransitionJob.objects.select_related("cycle", "requested_by").get(pk=job_id)
    try:
        cycle = transition(job.requested_by, job.cycle, job.to_state, reason=job.reason)
    except CycleError as exc:
        end, message = TransitionJobState.FAILED, str(exc)
    except Exception:
        log.exception("cycle transition job %s failed", job_id)
        end = TransitionJobState.FAILED
        message = gettext("Có lỗi khi chuyển; không có gì thay đổi. Hãy thử lại hoặc báo quản trị.")
    else:
        end = TransitionJobState.DONE
        message = gettext("Kỳ đánh giá %(year)s đã chuyển sang “%(state)s”.") % {
            "year": cycle.year,
            "state": cycle.get_state_display(),
        }
    _move(
        job_id,
        TransitionJobState.RUNNING,
        state=end,
        progress=100,
        message=message[:1000],
        finished_at=timezone.now(),
    )
    return end
