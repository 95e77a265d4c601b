"""State changes of results: ask for a recomputation or a document, publish. One function per change."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext, gettext_lazy

from accounts.audit import record
from core.permissions import require
from cycles.models import Cycle, CycleState
from cycles.services import CycleError, transition

from . import snapshot as snapshots
from .models import Job, JobKind, JobState, Publication, UnitResult
from .permissions import can_manage_results

MANAGERS_ONLY = gettext_lazy("Chỉ Thư ký (Sở Nội vụ) được tính, công bố và xuất kết quả.")


class ResultsError(Exception):
    """A refused request, with a message for the user."""


def _enqueue(job: Job) -> Job:
    from .tasks import run_job  # the task module imports this one

    transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job


@transaction.atomic
def request_job(actor, cycle: Cycle, kind: str) -> Job:
    """Queue a recomputation or a document; one of each kind at a time per cycle."""
    require(actor, can_manage_results, MANAGERS_ONLY, cycle)
    if kind not in JobKind.values:
        raise ResultsError(gettext("Không có loại công việc “%(kind)s”.") % {"kind": kind})
    if cycle.state in (CycleState.DRAFT, CycleState.SELF_ASSESSMENT):
        raise ResultsError(
            gettext("Kỳ đánh giá %(year)s chưa qua tự đánh giá: chưa có điểm để tính kết quả.")
            % {"year": cycle.year}
        )
    if kind == JobKind.RECOMPUTE and cycle.imported:
        raise ResultsError(
            gettext(
                "Kết quả năm %(year)s được nhập từ quyết định đã công bố: không tính lại trên hệ thống."
            )
            % {"year": cycle.year}
        )
    if kind != JobKind.RECOMPUTE and not UnitResult.objects.filter(cycle=cycle).exists():
        raise ResultsError(gettext("Chưa có kết quả: hãy tính kết quả trước khi xuất báo cáo."))
    active = (
        Job.objects.select_for_update()
        .filter(cycle=cycle, kind=kind, state__in=[JobState.QUEUED, JobState.RUNNING])
        .first()
    )
    if active is not None:
        return active
    job = Job.objects.create(cycle=cycle, kind=kind, requested_by=actor)
    record(actor, f"results.{kind}", cycle, after={"job": job.pk})
    return _enqueue(job)


def recompute_after_finalisation(actor, cycle: Cycle, before: str, after: str) -> None:
    """TRANSITION_HOOKS: the results follow the final points as soon as the council approves them;
    publishing freezes the current results as version 1. An imported year keeps its imported results."""
    if after == CycleState.FINALISED and not cycle.imported:
        job = Job.objects.create(cycle=cycle, kind=JobKind.RECOMPUTE, requested_by=actor)
        _enqueue(job)
    elif after == CycleState.PUBLISHED and not cycle.publications.exists():
        _create_publication(actor, cycle, notice="")


def _create_publication(actor, cycle: Cycle, notice: str) -> Publication:
    count = UnitResult.objects.filter(cycle=cycle).count()
    if count == 0:
        raise CycleError(
            gettext("Kỳ đánh giá %(year)s chưa có kết quả đã tính: chưa thể công bố.")
            % {"year": cycle.year}
        )
    if Job.objects.filter(
        cycle=cycle, kind=JobKind.RECOMPUTE, state__in=[JobState.QUEUED, JobState.RUNNING]
    ).exists():
        raise CycleError(gettext("Kết quả đang được tính lại: hãy công bố khi việc tính đã xong."))
    snap = snapshots.for_publication(cycle)
    digest = snapshots.digest(snap)
    latest = cycle.publications.order_by("-version").first()
    if latest is not None and latest.digest == digest:
        raise CycleError(
            gettext(
                "Kết quả không thay đổi so với bản công bố lần %(version)s: "
                "không có gì để đính chính."
            )
            % {"version": latest.version}
        )
    version = (cycle.publications.aggregate(v=Max("version"))["v"] or 0) + 1
    publication = Publication.objects.create(
        cycle=cycle,
        version=version,
        published_by=actor,
        notice=notice,
        snapshot=snap,
        digest=digest,
    )
    record(
        actor,
        "results.publish",
        cycle,
        after={"version": version, "units": count, "digest": digest},
        reason=notice,
    )
    return publication


@transaction.atomic
def publish(actor, cycle: Cycle, *, notice: str = "") -> Publication:
    """Publish a finalised cycle (version 1, its notice optional), or a correction of a published one
    (a new version with its notice; earlier versions stay readable)."""
    require(actor, can_manage_results, MANAGERS_ONLY, cycle)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    notice = notice.strip()
    if cycle.state == CycleState.FINALISED:
        publication = _create_publication(actor, cycle, notice)
        # The hook above finds version 1 made; the publication carries the cycle as it now stands.
        publication.cycle = transition(actor, cycle, CycleState.PUBLISHED)
        return publication
    if cycle.state != CycleState.PUBLISHED:
        raise ResultsError(
            gettext("Kỳ đánh giá %(year)s chưa được Hội đồng phê duyệt: chưa thể công bố kết quả.")
            % {"year": cycle.year}
        )
    if not notice:
        raise ResultsError(
            gettext("Bản đính chính cần thông báo nêu rõ điều gì đã thay đổi và vì sao.")
        )
    try:
        return _create_publication(actor, cycle, notice)
    except CycleError as exc:
        raise ResultsError(str(exc)) from exc
