"""The explanation round: the unit answers disputed leaves, the reviewer sets their final points."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import require
from cycles.models import CycleState, PhaseKind

from ..models import Item, NaDecision
from ..permissions import can_appraise, is_member_of
from .appraisal import _require_appraised_here
from .common import (
    AssessmentError,
    _lock,
    _points,
    _require_version,
    _save,
    require_window,
    snapshot,
)


@transaction.atomic
def explain(actor, item: Item, *, text: str, version: int | None = None) -> Item:
    item = _lock(item)
    require(actor, is_member_of, _("Chỉ cán bộ của đơn vị được giải trình."), item.assessment)
    _require_version(item, version)
    require_window(item.assessment.cycle, CycleState.EXPLANATION, PhaseKind.EXPLANATION)
    if not item.disputed:
        raise AssessmentError(
            _("Tiêu chí %(code)s không cần giải trình.") % {"code": item.node.code}
        )
    if not text.strip():
        raise AssessmentError(_("Hãy nhập nội dung giải trình."))
    before = snapshot(item)
    item.explanation = text.strip()
    item.explained_at = timezone.now()
    return _save(actor, item, "item.explain", before)


@transaction.atomic
def set_final(actor, item: Item, *, points, comment: str = "", version: int | None = None) -> Item:
    item = _lock(item)
    require(actor, can_appraise, _("Bạn không được phân công thẩm định tiêu chí này."), item)
    _require_appraised_here(item)
    _require_version(item, version)
    if item.assessment.cycle.state != CycleState.EXPLANATION:
        raise AssessmentError(_("Điểm cuối cùng được chấm trong vòng giải trình."))
    before = snapshot(item)
    if item.not_applicable and item.na_decision == NaDecision.ACCEPTED and points in (None, ""):
        item.final_points = None
    else:
        item.final_points = _points(points, item)
    item.final_comment = comment.strip()
    return _save(actor, item, "item.finalise", before)
