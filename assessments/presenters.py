"""What the assessment screens show, computed once: items grouped by domain, progress, totals."""

from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Exists, OuterRef

from frameworks import tree
from frameworks.evidence import evidence_needed
from frameworks.scoring import EXTRA_RULES, READ_ONLY_RULES

from .models import Assessment, Evidence, Item


@dataclass
class DomainView:
    node: object
    items: list = field(default_factory=list)

    @property
    def claimed(self) -> Decimal:
        return sum((i.self_points or 0 for i in self.items), Decimal("0"))

    @property
    def appraised(self) -> Decimal:
        return sum((i.appraised_points or 0 for i in self.items), Decimal("0"))


@dataclass
class Progress:
    answered: int
    total: int
    claimed: Decimal
    maximum: Decimal
    evidence_missing: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100


def load_items(assessment: Assessment):
    return list(
        assessment.items.select_related("node", "updated_by")
        .prefetch_related("evidence")
        .order_by("node__order", "node__id")
    )


def group_by_domain(assessment: Assessment, items: list[Item]) -> list[DomainView]:
    roots = tree.build(assessment.framework.nodes.all())
    by_node = {i.node_id: i for i in items}
    domains = []
    for root in roots:
        view = DomainView(node=root.node)
        for leaf in root.leaves():
            if leaf.node.pk in by_node:
                view.items.append(by_node[leaf.node.pk])
        domains.append(view)
    return domains


def progress(items: list[Item]) -> Progress:
    fillable = [i for i in items if i.node.rule not in READ_ONLY_RULES]
    scored = [i for i in items if i.node.rule not in EXTRA_RULES]
    return Progress(
        answered=sum(1 for i in fillable if i.is_answered),
        total=len(fillable),
        claimed=sum((i.self_points or 0 for i in items), Decimal("0")),
        maximum=sum((i.node.max_points for i in scored if not i.not_applicable), Decimal("0")),
        evidence_missing=sum(1 for i in items if i.evidence_missing),
    )


@dataclass(frozen=True)
class LeafCounts:
    """The few fields of an item that the counters read, fetched as plain values (see below)."""

    node: SimpleNamespace  # code, rule, max_points
    self_points: Decimal | None
    not_applicable: bool
    evidence_missing: bool

    @property
    def is_answered(self) -> bool:
        return self.not_applicable or self.self_points is not None


def counters_after_save(item: Item) -> dict:
    """What a save changes beyond its own leaf: the progress line and its domain's claimed points,
    sent back with the save (htmx out-of-band) so the page agrees with the server without a reload.

    Every autosave runs this, so it reads one row of plain values per leaf (with whether live evidence
    exists) instead of loading the items, their nodes and all their evidence as the form does."""
    live = Evidence.objects.filter(item=OuterRef("pk"), removed_at__isnull=True)
    rows = item.assessment.items.annotate(has_live=Exists(live)).values_list(
        "node__code",
        "node__rule",
        "node__max_points",
        "node__evidence_rule",
        "self_points",
        "not_applicable",
        "has_live",
    )
    leaves = [
        LeafCounts(
            node=SimpleNamespace(code=code, rule=rule, max_points=max_points),
            self_points=points,
            not_applicable=na,
            evidence_missing=not has_live
            and evidence_needed(evidence_rule, rule, points, not_applicable=na),
        )
        for code, rule, max_points, evidence_rule, points, na, has_live in rows
    ]
    domain_code = item.node.code.split(".", 1)[0]
    in_domain = [leaf for leaf in leaves if leaf.node.code.split(".", 1)[0] == domain_code]
    domain_max = item.assessment.framework.nodes.values_list("max_points", flat=True).get(
        code=domain_code
    )
    return {
        "progress": progress(leaves),
        "domain_code": domain_code,
        "domain_max": domain_max,
        "domain_claimed": sum((leaf.self_points or 0 for leaf in in_domain), Decimal("0")),
    }


def current_evidence(item: Item):
    return [e for e in item.evidence.all() if e.removed_at is None]
