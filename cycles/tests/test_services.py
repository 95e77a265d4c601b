"""Cycle states, phases and creation: only allowed moves, by the secretariat, each audited."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import AuditEvent
from cycles.models import Cycle, CycleState, PhaseKind
from cycles.services import CycleError, create_cycle, set_phase, transition
from frameworks.models import Framework
from units.models import UnitKind

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
ORDER = [
    CycleState.SELF_ASSESSMENT,
    CycleState.APPRAISAL,
    CycleState.EXPLANATION,
    CycleState.FINALISED,
    CycleState.PUBLISHED,
]


def test_the_whole_path_is_allowed_and_each_step_audited(
    secretariat, draft_cycle, django_capture_on_commit_callbacks
):
    for state in ORDER:
        # Finalising queues the results' recomputation for after the commit; publishing needs it.
        with django_capture_on_commit_callbacks(execute=True):
            transition(secretariat, draft_cycle, state, reason=f"bước {state}")
    draft_cycle.refresh_from_db()
    assert draft_cycle.state == CycleState.PUBLISHED
    events = AuditEvent.objects.for_object(draft_cycle).filter(action="cycle.transition")
    assert events.count() == 5
    last = events.first()
    assert (last.before, last.after, last.actor) == (
        {"state": "finalised"},
        {"state": "published"},
        secretariat,
    )


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (CycleState.DRAFT, CycleState.APPRAISAL),
        (CycleState.DRAFT, CycleState.PUBLISHED),
        (CycleState.APPRAISAL, CycleState.SELF_ASSESSMENT),
        (CycleState.PUBLISHED, CycleState.DRAFT),
        (CycleState.FINALISED, CycleState.FINALISED),
    ],
)
def test_illegal_transitions_are_refused_with_a_clear_message(
    secretariat, draft_cycle, start, target
):
    Cycle.objects.filter(pk=draft_cycle.pk).update(state=start)
    with pytest.raises(CycleError, match="Không thể chuyển kỳ đánh giá 2025 từ"):
        transition(secretariat, draft_cycle, target)
    draft_cycle.refresh_from_db()
    assert draft_cycle.state == start
    assert not AuditEvent.objects.filter(action="cycle.transition").exists()


def test_unknown_state_is_refused(secretariat, draft_cycle):
    with pytest.raises(CycleError, match="không tồn tại"):
        transition(secretariat, draft_cycle, "closed")


@pytest.mark.parametrize("persona", ["officer_a", "head_a", "reviewer", "council", "leader"])
def test_only_the_secretariat_moves_a_cycle(personas, draft_cycle, persona):
    with pytest.raises(PermissionDenied):
        transition(personas[persona], draft_cycle, CycleState.SELF_ASSESSMENT)
    draft_cycle.refresh_from_db()
    assert draft_cycle.state == CycleState.DRAFT


def test_a_cycle_without_a_framework_for_a_participating_kind_cannot_open(secretariat, draft_cycle):
    Framework.objects.filter(cycle=draft_cycle, kind=UnitKind.COMMUNE).delete()
    with pytest.raises(CycleError, match="Chưa có bộ tiêu chí cho UBND xã, phường"):
        transition(secretariat, draft_cycle, CycleState.SELF_ASSESSMENT)


def test_a_cycle_without_units_cannot_open(secretariat):
    cycle = create_cycle(secretariat, 2030, "Trống")
    with pytest.raises(CycleError, match="chưa có đơn vị tham gia"):
        transition(secretariat, cycle, CycleState.SELF_ASSESSMENT)


def test_phases_are_set_in_hanoi_time_and_validated(secretariat, draft_cycle):
    opens = datetime(2025, 12, 1, 8, 0, tzinfo=HANOI)
    phase = set_phase(
        secretariat, draft_cycle, PhaseKind.SELF_ASSESSMENT, opens, opens + timedelta(days=40)
    )
    assert phase.is_open(opens + timedelta(days=1))
    assert not phase.is_open(opens + timedelta(days=40))
    with pytest.raises(CycleError, match="phải sau"):
        set_phase(secretariat, draft_cycle, PhaseKind.APPRAISAL, opens, opens)
    with pytest.raises(CycleError, match="không hợp lệ"):
        set_phase(secretariat, draft_cycle, "holiday", opens, opens + timedelta(days=1))
    assert AuditEvent.objects.filter(action="cycle.set_phase").count() == 1


def test_duplicate_year_and_blank_title_are_refused(secretariat, draft_cycle):
    with pytest.raises(CycleError, match="Đã có kỳ đánh giá năm 2025"):
        create_cycle(secretariat, 2025, "Lại")
    with pytest.raises(CycleError, match="không được để trống"):
        create_cycle(secretariat, 2027, "  ")


def test_create_cycle_command_copies_units_phases_and_frameworks(secretariat, draft_cycle):
    set_phase(
        secretariat,
        draft_cycle,
        PhaseKind.SELF_ASSESSMENT,
        datetime(2025, 12, 1, 8, tzinfo=HANOI),
        datetime(2026, 1, 10, 17, tzinfo=HANOI),
    )
    out = io.StringIO()
    call_command(
        "create_cycle", "2026", "--title", "Chỉ số CCHC năm 2026", "--copy-from", "2025", stdout=out
    )
    cycle = Cycle.objects.get(year=2026)
    assert cycle.state == CycleState.DRAFT
    assert cycle.participations.count() == 2
    assert cycle.frameworks.count() == 2
    copied = cycle.frameworks.get(kind=UnitKind.COMMUNE)
    original = draft_cycle.frameworks.get(kind=UnitKind.COMMUNE)
    assert list(copied.nodes.values_list("code", "max_points", "rule")) == list(
        original.nodes.values_list("code", "max_points", "rule")
    )
    assert cycle.phases.get().opens_at.year == 2026
    assert "Đã tạo kỳ đánh giá 2026" in out.getvalue()


def test_create_cycle_command_explains_missing_source(secretariat):
    with pytest.raises(CommandError, match="Không có kỳ đánh giá năm 2019"):
        call_command("create_cycle", "2020", "--title", "X", "--copy-from", "2019")
