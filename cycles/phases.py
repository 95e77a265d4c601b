"""One truth for a cycle's phases: which phase each state is in, whether a phase is open now, and how
a state change moves the phase dates so that the state and the dates never contradict each other.

Every "is this phase open" check (the assessment services, the deadline reminders, the banners on the
assessment pages) reads `window()`; a transition aligns the dates through `align_for_transition()`.
The rule is written in docs/assessments.md ("Giai đoạn và thời hạn: một nguồn sự thật").
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from core import formats

from .models import Cycle, CycleState, Phase, PhaseKind

# The phase a cycle is in while it is in each state; draft and published have none.
STATE_PHASE = {
    CycleState.SELF_ASSESSMENT: PhaseKind.SELF_ASSESSMENT,
    CycleState.APPRAISAL: PhaseKind.APPRAISAL,
    CycleState.EXPLANATION: PhaseKind.EXPLANATION,
    CycleState.FINALISED: PhaseKind.FINALISATION,
}

OPEN, NOT_YET, CLOSED, NO_DATES, OTHER_STATE = (
    "open",
    "not_yet",
    "closed",
    "no_dates",
    "other_state",
)


def local(moment: datetime) -> str:
    return formats.moment(moment)


@dataclass(frozen=True)
class Window:
    """Whether a phase of a cycle is open at a moment, and why not."""

    kind: str
    status: str
    phase: Phase | None = None
    state_label: str = ""
    year: int = 0

    @property
    def is_open(self) -> bool:
        return self.status in (OPEN, NO_DATES)

    @property
    def refusal(self) -> str:
        """Why a change of this phase is refused now (empty when it is open)."""
        label = PhaseKind(self.kind).label
        if self.status == OTHER_STATE:
            return _(
                "Kỳ đánh giá %(year)s đang ở giai đoạn “%(state)s”: "
                "thao tác này không còn (hoặc chưa) được phép."
            ) % {"year": self.year, "state": self.state_label}
        if self.status == NOT_YET:
            return _("Giai đoạn “%(phase)s” mở lúc %(when)s.") % {
                "phase": label,
                "when": local(self.phase.opens_at),
            }
        if self.status == CLOSED:
            return _(
                "Giai đoạn “%(phase)s” đã đóng lúc %(when)s; không nhận thay đổi sau thời hạn."
            ) % {"phase": label, "when": local(self.phase.closes_at)}
        return ""


def window(cycle: Cycle, kind: str, at: datetime | None = None) -> Window:
    """The phase `kind` of the cycle at `at` (now): open only while the cycle is in the phase's state
    and, when the phase has dates, `at` lies inside them. A phase without dates follows the state."""
    at = at or timezone.now()
    states = [s for s, k in STATE_PHASE.items() if k == kind]
    if cycle.state not in states:
        return Window(kind, OTHER_STATE, state_label=cycle.get_state_display(), year=cycle.year)
    phase = cycle.phase(kind)
    if phase is None:
        return Window(kind, NO_DATES)
    if at < phase.opens_at:
        return Window(kind, NOT_YET, phase)
    if at >= phase.closes_at:
        return Window(kind, CLOSED, phase)
    return Window(kind, OPEN, phase)


def current_window(cycle: Cycle, at: datetime | None = None) -> Window | None:
    """The window of the phase the cycle is in (None in draft and once published)."""
    kind = STATE_PHASE.get(CycleState(cycle.state))
    return window(cycle, kind, at) if kind else None


def align_for_transition(
    cycle: Cycle, before: str, after: str, now: datetime, *, write: bool = True
) -> list[dict]:
    """Move the phase dates so that they agree with the cycle's new state, or refuse.

    Entering a state opens its phase now when its opening lies ahead, and is refused when its phase
    has already closed (the secretariat extends the deadline first: a closed phase is never reopened
    silently). Leaving a state closes its phase now when its closing lies ahead. Returns the changes,
    each {"kind", "field", "before", "after"}, for the transition's audit event; raises
    PhaseConflict (with the date) on a refusal. The caller holds the cycle's row lock; with
    `write=False` nothing is saved (the transition's preview)."""
    changes = []
    entering = STATE_PHASE.get(CycleState(after))
    phase = cycle.phases.filter(kind=entering).first() if entering else None
    if phase is not None:
        if phase.closes_at <= now:
            raise PhaseConflict(
                _(
                    "Giai đoạn “%(phase)s” đã đóng lúc %(when)s: hãy gia hạn giai đoạn này "
                    "(“Đặt thời hạn một giai đoạn”) trước khi chuyển."
                )
                % {"phase": phase.get_kind_display(), "when": local(phase.closes_at)}
            )
        if phase.opens_at > now:
            changes.append(_move(phase, "opens_at", now, write))
    leaving = STATE_PHASE.get(CycleState(before))
    phase = cycle.phases.filter(kind=leaving).first() if leaving else None
    if phase is not None and phase.closes_at > now:
        if (
            phase.opens_at >= now
        ):  # never opened: it keeps an instant so that it closes after opening
            changes.append(_move(phase, "opens_at", now - timedelta(seconds=1), write))
        changes.append(_move(phase, "closes_at", now, write))
    return changes


def dates_problem(cycle: Cycle, kind: str, opens_at: datetime, closes_at: datetime, now) -> str:
    """Why new dates for a phase would contradict the cycle's state ("" when they agree): the phase
    the cycle is in must have opened, and a phase the cycle has left must have closed."""
    order = list(CycleState.values)
    current = order.index(cycle.state)
    for state, phase_kind in STATE_PHASE.items():
        if phase_kind != kind:
            continue
        if order.index(state) == current and opens_at > now:
            return _(
                "Kỳ đánh giá đang ở giai đoạn “%(phase)s”: giai đoạn này phải mở từ trước hoặc ngay "
                "bây giờ, không thể mở lúc %(when)s."
            ) % {"phase": PhaseKind(kind).label, "when": local(opens_at)}
        if order.index(state) < current and closes_at > now:
            return _(
                "Giai đoạn “%(phase)s” đã kết thúc (kỳ đánh giá đang ở “%(state)s”): "
                "thời điểm đóng không thể sau hiện tại."
            ) % {"phase": PhaseKind(kind).label, "state": cycle.get_state_display()}
    return ""


def _move(phase: Phase, field: str, moment: datetime, write: bool) -> dict:
    old = getattr(phase, field)
    if write:
        setattr(phase, field, moment)
        phase.save(update_fields=[field])
    return {
        "kind": phase.kind,
        "field": field,
        "before": old.isoformat(),
        "after": moment.isoformat(),
    }


def describe(changes: list[dict]) -> list[str]:
    """The moved dates as the transition's preview says them."""
    lines = []
    closing = {c["kind"] for c in changes if c["field"] == "closes_at"}
    for change in changes:
        if change["field"] == "opens_at" and change["kind"] in closing:
            continue  # a phase that never opened, closed at once: its closing says it
        label = PhaseKind(change["kind"]).label
        old = local(datetime.fromisoformat(change["before"]))
        if change["field"] == "closes_at":
            lines.append(
                _("Giai đoạn “%(phase)s” đóng ngay khi chuyển (hạn đã đặt: %(when)s).")
                % {"phase": label, "when": old}
            )
        else:
            lines.append(
                _("Giai đoạn “%(phase)s” mở ngay khi chuyển (thay vì %(when)s).")
                % {"phase": label, "when": old}
            )
    return lines


def audit_sides(changes: list[dict]) -> tuple[dict, dict]:
    """The moved dates as the before and after of the transition's audit event."""
    if not changes:
        return {}, {}
    return (
        {"phases": [{"kind": c["kind"], c["field"]: c["before"]} for c in changes]},
        {"phases": [{"kind": c["kind"], c["field"]: c["after"]} for c in changes]},
    )


class PhaseConflict(Exception):
    """A transition the phase dates refuse; the message says which date."""
