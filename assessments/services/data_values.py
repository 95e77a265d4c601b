"""The value of an `automatic` leaf when it does not come from a feed: entered by the secretariat with
evidence when no feed has a value, or overriding a fed value with a reason. One function, audited."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import require
from cycles.models import CycleState
from frameworks.scoring import score

from ..automatic import ENTERED, OVERRIDE, value_for
from ..models import AssessmentState, Evidence, EvidenceStage, Item
from ..permissions import can_enter_data_value
from .common import AssessmentError, _lock, _save, snapshot

# The cycle is still open to corrections until its results are frozen.
CLOSED_CYCLE_STATES = (CycleState.FINALISED, CycleState.PUBLISHED)


def _share(percent) -> Decimal:
    """A percentage (95, "95,5", Decimal("95.5")) → a share in [0, 1] with 4 decimals."""
    try:
        value = Decimal(str(percent).strip().replace(" ", "").replace(",", "."))
    except (InvalidOperation, ValueError):
        raise AssessmentError(
            _("Giá trị “%(value)s” không phải là số.") % {"value": percent}
        ) from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise AssessmentError(_("Giá trị là tỷ lệ phần trăm, từ 0 đến 100."))
    return (value / 100).quantize(Decimal("0.0001"))


@transaction.atomic
def set_data_value(
    actor,
    item: Item,
    *,
    percent,
    reason: str = "",
    doc_number: str = "",
    doc_date: date | None = None,
    issuer: str = "",
) -> Item:
    """Set an `automatic` leaf's value (a percentage). Where a feed has a value this is an override
    and needs a reason; where none has, it is an entry and needs the document it comes from (number
    and issuer), kept as the leaf's evidence. A feed never replaces either (automatic.fill_from_sources)."""
    item = _lock(item)
    require(
        actor,
        can_enter_data_value,
        _("Chỉ Sở Nội vụ được nhập hoặc điều chỉnh số liệu của tiêu chí lấy từ dữ liệu."),
        item,
    )
    assessment = item.assessment
    if assessment.state == AssessmentState.FINALISED or (
        assessment.cycle.state in CLOSED_CYCLE_STATES
    ):
        raise AssessmentError(_("Kết quả đã chốt: không nhập hoặc điều chỉnh số liệu được nữa."))
    node = item.node
    share = _share(percent)
    fed = value_for(node.rule, assessment.unit, assessment.cycle, node)
    reason, doc_number, issuer = reason.strip(), doc_number.strip(), issuer.strip()
    inputs = {"value": str(share), "source": node.rule_params.get("source", "")}
    if fed is not None:
        if not reason:
            raise AssessmentError(
                _("Tiêu chí %(code)s đã có số liệu từ nguồn dữ liệu: hãy nêu lý do điều chỉnh.")
                % {"code": node.code}
            )
        inputs |= {"origin": OVERRIDE, "fed_value": str(fed), "reason": reason}
    else:
        if not doc_number or not issuer:
            raise AssessmentError(
                _("Hãy nêu văn bản là nguồn của số liệu: số, ký hiệu và cơ quan ban hành.")
            )
        if doc_date and doc_date > timezone.localdate():
            raise AssessmentError(_("Ngày ban hành không được sau hôm nay."))
        inputs |= {"origin": ENTERED, "document": f"{doc_number} ({issuer})"}
        if reason:
            inputs["reason"] = reason
        Evidence.objects.create(
            item=item,
            stage=EvidenceStage.SELF,
            doc_number=doc_number,
            doc_date=doc_date,
            issuer=issuer,
            uploaded_by=actor,
        )
    before = snapshot(item)
    item.inputs = inputs
    item.self_points = score(node.rule, node.rule_params, node.max_points, inputs)
    return _save(actor, item, "item.data_value", before, reason=reason)
