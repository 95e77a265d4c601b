"""Giving the leaves of the city's self-assessment for the Ministry to the departments that lead them
(docs/assessments.md, "Tự đánh giá Chỉ số CCHC cấp tỉnh"): by a form or a table of code → unit code."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import record
from core.permissions import require
from core.tabular import ImportFailed, ImportProblem, cell_text, read_table
from units.models import Unit, UnitKind

from ..models import Assessment, AssessmentState, LeafContributor
from ..permissions import can_assign_leaves
from .common import AssessmentError

# Who may be given a leaf: the city's own bodies, as the Ministry's criteria name them (a department,
# the city's public service centre, the city police), not a commune or a sub-unit.
CONTRIBUTOR_KINDS = (UnitKind.DEPARTMENT, UnitKind.PUBLIC_SERVICE_UNIT, UnitKind.CENTRAL_AGENCY)
NOT_YOURS = gettext_lazy(
    "Chỉ Thư ký của kỳ tự đánh giá cấp tỉnh được giao tiêu chí cho các đơn vị."
)


def _leaves_under(nodes: list, code: str) -> list:
    """The leaves a code names: itself if it is a leaf, else every leaf below it."""
    return [n for n in nodes if n.rule and (n.code == code or n.code.startswith(f"{code}."))]


def _resolve(assessment: Assessment, rows: list[tuple[int | None, str, str]]) -> dict:
    """{leaf node: unit or None} from (row, criterion code, unit code) in order, a later row winning
    (a domain, then one of its leaves given to another unit). Every problem at once (ImportFailed)."""
    nodes = list(assessment.framework.nodes.order_by("order", "id"))
    codes = {u for _row, _code, u in rows if u}
    units = {u.code: u for u in Unit.objects.filter(code__in=codes, kind__in=CONTRIBUTOR_KINDS)}
    plan, problems = {}, []
    for row, code, unit_code in rows:
        leaves = _leaves_under(nodes, code)
        if not leaves:
            problems.append(
                ImportProblem(
                    row,
                    "A",
                    _("không có tiêu chí mã “%(code)s” trong bộ tiêu chí.") % {"code": code},
                )
            )
            continue
        if unit_code and unit_code not in units:
            problems.append(
                ImportProblem(
                    row,
                    "B",
                    _(
                        "không có sở, ngành hoặc cơ quan cấp thành phố mã “%(code)s” "
                        "(xã, phường và phòng, ban trực thuộc không được giao tiêu chí)."
                    )
                    % {"code": unit_code},
                )
            )
            continue
        for leaf in leaves:
            plan[leaf] = units.get(unit_code)
    if problems:
        raise ImportFailed(problems)
    return plan


@transaction.atomic
def assign_leaves(actor, assessment: Assessment, rows: list[tuple[int | None, str, str]]) -> int:
    """Give leaves (a leaf code, or a domain or criterion code for all its leaves) to units; an empty
    unit code takes the leaves back. All or nothing; one audit event naming each change. Returns how
    many leaves changed hands."""
    require(actor, can_assign_leaves, NOT_YOURS, assessment)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.state == AssessmentState.FINALISED:
        raise AssessmentError(_("Bản tự đánh giá đã phê duyệt: không giao lại tiêu chí được."))
    plan = _resolve(assessment, rows)
    current = {c.node_id: c for c in assessment.leaf_contributors.select_related("unit")}
    before, after = {}, {}
    for node, unit in plan.items():
        held = current.get(node.pk)
        old, new = (held.unit.code if held else None), (unit.code if unit else None)
        if old == new:
            continue
        before[node.code], after[node.code] = old, new
        if unit is None:
            held.delete()
        elif held:
            held.unit = unit
            held.save(update_fields=["unit"])
        else:
            LeafContributor.objects.create(assessment=assessment, node=node, unit=unit)
    if after:
        record(actor, "assessment.assign_leaves", assessment, before=before, after=after)
    return len(after)


def import_leaf_assignments(actor, assessment: Assessment, data: bytes, filename: str = "") -> int:
    """A table (.xlsx or CSV) whose first row is a header and whose columns are A: the criterion code,
    B: the unit code (empty: take the leaves back)."""
    require(actor, can_assign_leaves, NOT_YOURS, assessment)
    table = read_table(data, filename)
    rows = [
        (
            number,
            cell_text(cells[0]) if cells else "",
            cell_text(cells[1]) if len(cells) > 1 else "",
        )
        for number, cells in table.rows
    ]
    if not rows:
        raise ImportFailed([ImportProblem(None, None, _("Tệp không có dòng giao tiêu chí nào."))])
    return assign_leaves(actor, assessment, rows)
