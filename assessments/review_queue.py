"""The reviewer's queue: the cycles they appraise in, which one is current, and per assigned unit how
many leaves are still to appraise, appraised, or sent back for an explanation (no request here)."""

from dataclasses import dataclass

from core.collation import by_name
from cycles.models import Cycle, CycleState
from frameworks.models import Node
from frameworks.scoring import READ_ONLY_RULES

from .models import Assessment, Item, ReviewerAssignment

PENDING, DONE, EXPLAIN = "pending", "done", "explain"


@dataclass
class QueueRow:
    assessment: Assessment
    scope: list[str] | None  # domain codes the reviewer appraises here; None: the whole assessment
    total: int = 0
    appraised: int = 0
    needs_explanation: int = 0

    @property
    def unit(self):
        return self.assessment.unit

    @property
    def pending(self) -> int:
        return self.total - self.appraised

    def matches(self, state: str) -> bool:
        if state == PENDING:
            return self.pending > 0
        if state == DONE:
            return self.total > 0 and self.pending == 0
        if state == EXPLAIN:
            return self.needs_explanation > 0
        return True


def reviewer_cycles(user) -> list[Cycle]:
    """The cycles in which the user has an assignment, newest first."""
    ids = ReviewerAssignment.objects.filter(reviewer=user).values("cycle_id")
    return list(Cycle.objects.filter(pk__in=ids).order_by("-year"))


def current_cycle(cycles: list[Cycle]) -> Cycle | None:
    """The newest cycle in appraisal, else the newest one: where a reviewer's work is now."""
    in_appraisal = [c for c in cycles if c.state == CycleState.APPRAISAL]
    return max(in_appraisal or cycles, key=lambda c: c.year, default=None)


def _scopes(user, cycle: Cycle) -> dict[int, list[str] | None]:
    scopes: dict[int, list[str] | None] = {}
    for unit_id, code in ReviewerAssignment.objects.filter(reviewer=user, cycle=cycle).values_list(
        "unit_id", "domain_code"
    ):
        if code == "" or scopes.get(unit_id, []) is None:
            scopes[unit_id] = None
        else:
            scopes.setdefault(unit_id, []).append(code)
    return scopes


def domain_choices(cycle: Cycle) -> list[tuple[str, str]]:
    """The top-level domains of the cycle's frameworks, one per code (frameworks share the codes)."""
    seen: dict[str, str] = {}
    for code, title in (
        Node.objects.filter(framework__cycle=cycle, parent__isnull=True)
        .order_by("order", "id")
        .values_list("code", "title")
    ):
        seen.setdefault(code, title)
    return sorted(seen.items(), key=lambda pair: (len(pair[0]), pair[0]))


def queue_rows(user, cycle: Cycle, *, state: str = "", domain: str = "", unit_code: str = ""):
    """One row per assigned unit with its counts, within the reviewer's scope (and `domain`)."""
    scopes = _scopes(user, cycle)
    assessments = (
        Assessment.objects.filter(cycle=cycle, unit_id__in=scopes)
        .select_related("cycle", "unit")
        .order_by("unit__kind", by_name("unit__name"))
    )
    if unit_code:
        assessments = assessments.filter(unit__code=unit_code)
    rows = {a.pk: QueueRow(assessment=a, scope=scopes[a.unit_id]) for a in assessments}
    leaves = (
        Item.objects.filter(assessment_id__in=rows)
        .exclude(node__rule__in=READ_ONLY_RULES)
        .values_list(
            "assessment_id", "node__code", "appraised_points", "na_decision", "needs_explanation"
        )
    )
    for assessment_id, code, points, na_decision, needs_explanation in leaves:
        row, leaf_domain = rows[assessment_id], code.split(".")[0]
        if row.scope is not None and leaf_domain not in row.scope:
            continue
        if domain and leaf_domain != domain:
            continue
        row.total += 1
        row.appraised += points is not None or bool(na_decision)
        row.needs_explanation += needs_explanation
    return [
        row
        for row in rows.values()
        if row.matches(state) and (not domain or row.scope is None or domain in row.scope)
    ]


def unit_choices(user, cycle: Cycle) -> list[tuple[str, str]]:
    assigned = ReviewerAssignment.objects.filter(reviewer=user, cycle=cycle).values("unit_id")
    units = (
        Assessment.objects.filter(cycle=cycle, unit_id__in=assigned)
        .select_related("unit")
        .order_by("unit__kind", by_name("unit__name"))
    )
    return [(a.unit.code, a.unit.display_name) for a in units]
