"""A cycle's move with a preview and an explicit confirmation, run as a background job whose progress
the secretariat sees. The move itself is `services.transition` (audited); this module says what it
will do, records the confirmation and queues the job (`tasks.run_transition`)."""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record
from core.permissions import require

from . import phases
from .models import Cycle, CycleState, TransitionJob, TransitionJobState
from .permissions import can_manage_cycle
from .services import NOT_SECRETARIAT, CycleError, readiness_problems

# What other apps say a move will do (assessments: drafts submitted as they are, units not started,
# units notified). Each takes the cycle and the target state and returns lines in the active
# language; registered in AppConfig.ready().
TRANSITION_PREVIEWS: list[Callable[[Cycle, str], list[str]]] = []


def preview(actor, cycle: Cycle, to_state: str) -> dict:
    """What moving the cycle to `to_state` will do ("lines"), or why it cannot ("problems")."""
    require(actor, can_manage_cycle, NOT_SECRETARIAT, cycle, to_state)
    if to_state not in cycle.next_states():
        raise CycleError(
            _("Kỳ đánh giá %(year)s không chuyển được sang trạng thái này từ “%(state)s”.")
            % {"year": cycle.year, "state": cycle.get_state_display()}
        )
    problems = readiness_problems(cycle) if cycle.is_draft else []
    try:
        moved = phases.align_for_transition(
            cycle, cycle.state, to_state, timezone.now(), write=False
        )
    except phases.PhaseConflict as exc:
        problems.append(str(exc))
        moved = []
    lines = phases.describe(moved)
    for say in TRANSITION_PREVIEWS:
        lines.extend(say(cycle, to_state))
    return {"to_state": CycleState(to_state), "lines": lines, "problems": problems}


@transaction.atomic
def request_transition(
    actor, cycle: Cycle, to_state: str, *, reason: str = "", confirmed: bool = False
) -> TransitionJob:
    """Queue the confirmed move; refused without the confirmation. One move at a time per cycle."""
    require(actor, can_manage_cycle, NOT_SECRETARIAT, cycle, to_state)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    active = cycle.transition_jobs.filter(
        state__in=[TransitionJobState.QUEUED, TransitionJobState.RUNNING]
    ).first()
    if active is not None:
        return active
    if not confirmed:
        raise CycleError(
            _(
                "Chuyển trạng thái kỳ đánh giá không hoàn tác được: hãy xem trước những gì sẽ xảy "
                "ra và bấm “Xác nhận chuyển”."
            )
        )
    seen = preview(actor, cycle, to_state)
    if seen["problems"]:
        raise CycleError(" ".join(seen["problems"]))
    job = TransitionJob.objects.create(
        cycle=cycle,
        to_state=to_state,
        reason=reason.strip()[:1000],
        preview=seen["lines"],
        requested_by=actor if actor.is_authenticated else None,
    )
    record(
        actor,
        "cycle.transition_confirmed",
        cycle,
        before={"state": cycle.state},
        after={"state": to_state, "preview": seen["lines"], "job": job.pk},
        reason=reason,
    )
    from .tasks import run_transition  # the task module imports the services, as this one does

    transaction.on_commit(lambda: run_transition.enqueue(job.pk))
    return job
