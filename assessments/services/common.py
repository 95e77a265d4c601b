"""What every assessment change shares: the refusal errors, the phase window, row locks, the item's
version check, points within a rule's bounds, and saving an item with its audit event."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from accounts.audit import record
from core import formats
from cycles.models import Cycle
from cycles.phases import window
from frameworks.scoring import points_bounds, to_points

from ..models import Item


class AssessmentError(Exception):
    """A refused change, with a message for the user."""


class Conflict(AssessmentError):
    """Someone else changed the item since the user loaded it; `item` holds the newer values."""

    def __init__(self, item: Item):
        self.item = item
        who = (
            item.updated_by.get_full_name() or item.updated_by.username
            if item.updated_by
            else _("người khác")
        )
        super().__init__(
            _(
                "Tiêu chí %(code)s vừa được %(who)s thay đổi lúc %(when)s. Giá trị mới nhất được "
                "hiển thị; hãy kiểm tra rồi lưu lại nếu cần."
            )
            % {
                "code": item.node.code,
                "who": who,
                "when": formats.moment(item.updated_at),
            }
        )


def require_window(cycle: Cycle, state: str, phase_kind: str) -> None:
    """The phase must be open: the cycle in its state and, if the phase has dates, now inside them.
    One truth for every phase check: cycles.phases.window (`state` is the phase's own state, kept for
    the readers of the call)."""
    current = window(cycle, phase_kind)
    if not current.is_open:
        raise AssessmentError(current.refusal)


def _lock(item: Item) -> Item:
    return (
        Item.objects.select_for_update(of=("self",))
        .select_related("assessment__cycle", "assessment__unit", "node", "updated_by")
        .get(pk=item.pk)
    )


def _require_version(item: Item, version) -> None:
    """Checked after permission, so that a refused user learns nothing from a conflict."""
    try:
        stale = version not in (None, "") and int(version) != item.version
    except (TypeError, ValueError):
        raise AssessmentError(
            _("Phiên bản của biểu mẫu không hợp lệ; hãy tải lại trang.")
        ) from None
    if stale:
        raise Conflict(item)


def _points(value, item: Item) -> Decimal:
    try:
        points = to_points(formats.parse_decimal(str(value)))
    except (InvalidOperation, TypeError, ValueError):
        raise AssessmentError(_("Điểm “%(value)s” không phải là số.") % {"value": value}) from None
    low, high = points_bounds(item.node.rule, item.node.max_points)
    if not low <= points <= high:
        raise AssessmentError(
            _("Điểm của tiêu chí %(code)s phải từ %(low)s đến %(high)s.")
            % {
                "code": item.node.code,
                "low": formats.points(low),
                "high": formats.points(high),
            }
        )
    return points


def snapshot(item: Item) -> dict:
    return {
        "inputs": item.inputs,
        "self_points": str(item.self_points) if item.self_points is not None else None,
        "not_applicable": item.not_applicable,
        "na_reason": item.na_reason,
        "note": item.note,
        "appraised_points": str(item.appraised_points)
        if item.appraised_points is not None
        else None,
        "appraisal_comment": item.appraisal_comment,
        "na_decision": item.na_decision,
        "needs_explanation": item.needs_explanation,
        "explanation": item.explanation,
        "final_points": str(item.final_points) if item.final_points is not None else None,
        "final_comment": item.final_comment,
    }


def _changed(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _save(actor, item: Item, action: str, before: dict, reason: str = "") -> Item:
    item.version += 1
    item.updated_by = actor
    item.save()
    old, new = _changed(before, snapshot(item))
    record(actor, action, item, before=old, after=new, reason=reason)
    return item
