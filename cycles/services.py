"""State changes of a cycle: create, add units, set phases, move between states. Each audited."""

from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import record
from core.permissions import require
from units.models import SUB_UNIT_PARENT_KINDS, Unit, UnitKind

from . import phases
from .models import (
    ALLOWED_TRANSITIONS,
    LETTERHEAD_FIELDS,
    Cycle,
    CycleState,
    IndexFamily,
    OrganiserLetterhead,
    Participation,
    Phase,
    PhaseKind,
)
from .organisers import city_organiser
from .permissions import can_manage_cycle, can_organise

DEFAULT_RANKING_GROUPS = {
    UnitKind.DEPARTMENT: "Khối Sở, ban, ngành",
    UnitKind.COMMUNE: "Khối UBND xã, phường",
    UnitKind.PUBLIC_SERVICE_UNIT: "Khối đơn vị sự nghiệp công lập",
    UnitKind.CENTRAL_AGENCY: "Khối cơ quan ngành dọc Trung ương",
    UnitKind.DISTRICT: "Khối UBND quận, huyện, thị xã",
    UnitKind.OFFICE: "Khối phòng, ban chuyên môn",
    UnitKind.DIVISION: "Khối phòng, đơn vị thuộc sở",
}

# Checks other apps add (frameworks: every participating kind has a complete framework) before a
# cycle leaves draft. Each returns a list of problems (in the active language); registered in
# AppConfig.ready().
READINESS_CHECKS: list[Callable[[Cycle], list[str]]] = []
# What other apps copy from a previous cycle into a new one (frameworks: its frameworks).
CYCLE_COPIERS: list[Callable[[object, Cycle, Cycle], object]] = []
# What other apps do when a cycle changes state, inside the same transaction
# (assessments: create them on opening, submit late drafts at appraisal, freeze on finalisation).
TRANSITION_HOOKS: list[Callable[[object, Cycle, str, str], object]] = []


class CycleError(Exception):
    """A refused change, with a message for the user."""


# What anyone but the secretariat (or the council, finalising) is told when changing a cycle.
NOT_SECRETARIAT = gettext_lazy("Chỉ Thư ký (Sở Nội vụ) được thay đổi kỳ đánh giá.")


def _require_draft(cycle: Cycle) -> None:
    if not cycle.is_draft:
        raise CycleError(
            _(
                "Kỳ đánh giá %(year)s đang ở trạng thái “%(state)s”: "
                "chỉ sửa được khi còn là dự thảo."
            )
            % {"year": cycle.year, "state": cycle.get_state_display()}
        )


@transaction.atomic
def create_cycle(
    actor,
    year: int,
    title: str,
    *,
    copy_from: Cycle | None = None,
    imported: bool = False,
    organiser: Unit | None = None,
    family: str = IndexFamily.CITY,
) -> Cycle:
    """A draft cycle of `organiser`'s index of `family` (no organiser: the city's), optionally copied
    from an earlier one; `imported` for a year before the platform whose results come from its
    published decision."""
    organiser_id = organiser.pk if organiser else None
    require(actor, can_organise, NOT_SECRETARIAT, organiser_id)
    if not 2000 <= year <= 2100:
        raise CycleError(_("Năm %(year)s không hợp lệ.") % {"year": year})
    if family not in IndexFamily.values:
        raise CycleError(_("Loại chỉ số “%(family)s” không tồn tại.") % {"family": family})
    if organiser is not None and family != IndexFamily.INTERNAL:
        raise CycleError(
            _("Một sở hoặc một xã, phường chỉ tổ chức chỉ số của các phòng, đơn vị trực thuộc.")
        )
    if Cycle.objects.filter(year=year, organiser_id=organiser_id, family=family).exists():
        raise CycleError(
            _("Đã có kỳ đánh giá năm %(year)s của “%(family)s”.")
            % {"year": year, "family": IndexFamily(family).label}
        )
    if not title.strip():
        raise CycleError(_("Tên kỳ đánh giá không được để trống."))
    cycle = Cycle.objects.create(
        year=year, title=title.strip(), imported=imported, organiser=organiser, family=family
    )
    if copy_from is not None:
        Participation.objects.bulk_create(
            [
                Participation(
                    cycle=cycle,
                    unit_id=p.unit_id,
                    framework_kind=p.framework_kind,
                    framework_variant=p.framework_variant,
                    ranking_group=p.ranking_group,
                )
                for p in copy_from.participations.select_related("unit")
                if p.unit.active_to is None or p.unit.active_to.year >= year
            ]
        )
        for phase in copy_from.phases.all():
            Phase.objects.create(
                cycle=cycle,
                kind=phase.kind,
                opens_at=_shift_year(phase.opens_at, year - copy_from.year),
                closes_at=_shift_year(phase.closes_at, year - copy_from.year),
            )
        for copier in CYCLE_COPIERS:
            copier(actor, copy_from, cycle)
    record(
        actor,
        "cycle.create",
        cycle,
        after={
            "year": year,
            "key": cycle.key,
            "family": family,
            "organiser": organiser.code if organiser else None,
            "title": cycle.title,
            "copy_from": copy_from.year if copy_from else None,
            "imported": imported,
        },
    )
    return cycle


def _shift_year(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def _require_city_only(units) -> None:
    """The city's self-assessment for the Ministry has one participant: the city, represented by the
    unit that runs its indices (settings.CITY_ORGANISER_CODE, Sở Nội vụ; docs/assessments.md)."""
    city = city_organiser()
    if any(city is None or unit.pk != city.pk for unit in units):
        raise CycleError(
            _(
                "Kỳ tự đánh giá Chỉ số CCHC cấp tỉnh chỉ có một đơn vị tham gia: Thành phố, do "
                "%(city)s đại diện."
            )
            % {"city": city.display_name if city else _("Sở Nội vụ")}
        )


@transaction.atomic
def add_participants(
    actor, cycle: Cycle, units, *, ranking_group: str = "", framework_variant: str = ""
) -> int:
    """Add units to a draft cycle; each is scored by its own kind's framework, or by the named
    variant of it."""
    require(actor, can_manage_cycle, NOT_SECRETARIAT, cycle)
    _require_draft(cycle)
    units = list(units)
    if cycle.organiser_id is not None:
        # A department's or commune's index ranks its own offices or divisions, nobody else's.
        outside = sorted(u.code for u in units if u.parent_id != cycle.organiser_id)
        if outside:
            raise CycleError(
                _(
                    "Chỉ thêm được các phòng, đơn vị trực thuộc %(organiser)s; không thuộc: %(codes)s."
                )
                % {"organiser": cycle.organiser, "codes": ", ".join(outside)}
            )
    if cycle.family == IndexFamily.PROVINCIAL:
        _require_city_only(units)
    present = set(cycle.participations.values_list("unit_id", flat=True))
    new = [
        Participation(
            cycle=cycle,
            unit=unit,
            framework_kind=unit.kind,
            framework_variant=framework_variant.strip(),
            ranking_group=ranking_group or DEFAULT_RANKING_GROUPS[UnitKind(unit.kind)],
        )
        for unit in units
        if unit.pk not in present
    ]
    Participation.objects.bulk_create(new)
    if new:
        record(actor, "cycle.add_participants", cycle, after={"units": [p.unit.code for p in new]})
    return len(new)


@transaction.atomic
def choose_framework_variant(actor, cycle: Cycle, unit: Unit, variant: str) -> Participation:
    """Score one participant by a named variant of its kind's framework (empty: the default). The
    variant must exist before the cycle opens (the readiness check says so)."""
    require(actor, can_manage_cycle, NOT_SECRETARIAT, cycle)
    _require_draft(cycle)
    participation = cycle.participations.filter(unit=unit).first()
    if participation is None:
        raise CycleError(
            _("%(unit)s không tham gia kỳ đánh giá này.") % {"unit": unit.display_name}
        )
    before = participation.framework_variant
    participation.framework_variant = variant.strip()
    participation.save(update_fields=["framework_variant"])
    record(
        actor,
        "cycle.choose_framework",
        cycle,
        before={"unit": unit.code, "variant": before},
        after={"unit": unit.code, "variant": participation.framework_variant},
    )
    return participation


@transaction.atomic
def remove_participant(actor, cycle: Cycle, unit: Unit) -> None:
    require(actor, can_manage_cycle, NOT_SECRETARIAT, cycle)
    _require_draft(cycle)
    deleted, _per_model = cycle.participations.filter(unit=unit).delete()
    if deleted:
        record(actor, "cycle.remove_participant", cycle, before={"unit": unit.code})


@transaction.atomic
def set_phase(actor, cycle: Cycle, kind: str, opens_at: datetime, closes_at: datetime) -> Phase:
    require(actor, can_manage_cycle, NOT_SECRETARIAT, cycle)
    if kind not in PhaseKind.values:
        raise CycleError(_("Giai đoạn “%(kind)s” không hợp lệ.") % {"kind": kind})
    if closes_at <= opens_at:
        raise CycleError(_("Thời điểm đóng phải sau thời điểm mở."))
    if cycle.state in (CycleState.FINALISED, CycleState.PUBLISHED):
        raise CycleError(_("Kỳ đánh giá đã phê duyệt: không đổi được thời hạn."))
    if problem := phases.dates_problem(cycle, kind, opens_at, closes_at, timezone.now()):
        raise CycleError(problem)
    phase = cycle.phases.filter(kind=kind).first()
    before = (
        {"opens_at": phase.opens_at.isoformat(), "closes_at": phase.closes_at.isoformat()}
        if phase
        else None
    )
    phase, _created = Phase.objects.update_or_create(
        cycle=cycle, kind=kind, defaults={"opens_at": opens_at, "closes_at": closes_at}
    )
    record(
        actor,
        "cycle.set_phase",
        cycle,
        before=before,
        after={"kind": kind, "opens_at": opens_at.isoformat(), "closes_at": closes_at.isoformat()},
    )
    return phase


def readiness_problems(cycle: Cycle) -> list[str]:
    problems = []
    if not cycle.participations.exists():
        problems.append(_("Kỳ đánh giá chưa có đơn vị tham gia."))
    if cycle.imported:
        return problems  # the other checks prepare scoring on the platform, which it never does
    for check in READINESS_CHECKS:
        problems.extend(check(cycle))
    return problems


@transaction.atomic
def transition(actor, cycle: Cycle, to_state: str, *, reason: str = "") -> Cycle:
    """Move a cycle to its next state; anything else is refused with the reason."""
    require(actor, can_manage_cycle, NOT_SECRETARIAT, cycle, to_state)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    current = CycleState(cycle.state)
    if to_state not in CycleState.values:
        raise CycleError(_("Trạng thái “%(state)s” không tồn tại.") % {"state": to_state})
    target = CycleState(to_state)
    if target not in ALLOWED_TRANSITIONS[current]:
        allowed = ", ".join(f"“{s.label}”" for s in ALLOWED_TRANSITIONS[current]) or _("không có")
        raise CycleError(
            _(
                "Không thể chuyển kỳ đánh giá %(year)s từ “%(current)s” sang “%(target)s”. "
                "Bước tiếp theo được phép: %(allowed)s."
            )
            % {
                "year": cycle.year,
                "current": current.label,
                "target": target.label,
                "allowed": allowed,
            }
        )
    if current == CycleState.DRAFT:
        problems = readiness_problems(cycle)
        if problems:
            raise CycleError(
                _("Chưa thể mở kỳ đánh giá: %(problems)s") % {"problems": " ".join(problems)}
            )
    try:  # the phase dates follow the state (cycles/phases.py): they never contradict it
        moved = phases.align_for_transition(cycle, current, target, timezone.now())
    except phases.PhaseConflict as exc:
        raise CycleError(str(exc)) from None
    dates_before, dates_after = phases.audit_sides(moved)
    cycle.state = target
    cycle.save(update_fields=["state"])
    for hook in TRANSITION_HOOKS:
        hook(actor, cycle, current.value, target.value)
    record(
        actor,
        "cycle.transition",
        cycle,
        before={"state": current.value, **dates_before},
        after={"state": target.value, **dates_after},
        reason=reason,
    )
    return cycle


def units_to_add(cycle: Cycle, kind: str, codes: list[str]):
    """The units a secretariat asks to add: listed codes of that kind, or every unit of the kind
    active in the cycle's year; a department's or commune's own sub-units only, for its index.
    Unknown codes are reported, not ignored."""
    from datetime import date

    units = Unit.objects.filter(kind=kind)
    if cycle.organiser_id is not None:
        units = units.filter(parent_id=cycle.organiser_id)
    if codes:
        found = units.filter(code__in=codes)
        unknown = sorted(set(codes) - set(found.values_list("code", flat=True)))
        if unknown:
            raise CycleError(
                _("Không có đơn vị loại “%(kind)s” với mã: %(codes)s.")
                % {"kind": UnitKind(kind).label, "codes": ", ".join(unknown)}
            )
        return found
    return units.active_on(date(cycle.year, 12, 31))


@transaction.atomic
def save_letterhead(actor, organiser: Unit, values: dict) -> OrganiserLetterhead:
    """How the organiser's own documents are headed and signed; its secretariat sets it."""
    require(actor, can_organise, NOT_SECRETARIAT, organiser.pk)
    if not (values.get("issuer") or "").strip() or not (values.get("signer_title") or "").strip():
        raise CycleError(_("Cần ghi cơ quan ban hành và chức vụ người ký."))
    row = OrganiserLetterhead.objects.filter(organiser=organiser).first()
    before = {f: getattr(row, f) for f in LETTERHEAD_FIELDS} if row else None
    row = row or OrganiserLetterhead(organiser=organiser)
    for field in LETTERHEAD_FIELDS:
        setattr(row, field, (values.get(field) or "").strip())
    row.save()
    record(
        actor,
        "cycle.letterhead",
        organiser,
        before=before,
        after={f: getattr(row, f) for f in LETTERHEAD_FIELDS},
    )
    return row


def participant_kinds(cycle: Cycle) -> list[str]:
    """The unit kinds a cycle may add: any for the city's; for a department's or commune's index, the
    kinds of sub-unit that may sit under it (a commune's offices, a department's divisions)."""
    if cycle.organiser_id is None:
        return list(UnitKind.values)
    organiser_kind = cycle.organiser.kind
    return [kind for kind, parents in SUB_UNIT_PARENT_KINDS.items() if organiser_kind in parents]
