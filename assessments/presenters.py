"""What the assessment screens show, computed once: items grouped by domain, progress, totals."""

from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Exists, OuterRef, Q

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


def domain_of(code: str) -> str:
    """A node's domain is the first part of its code: "1.2.3" belongs to domain "1"."""
    return code.split(".", 1)[0]


def leaf_counts(assessment: Assessment) -> list[LeafCounts]:
    """One row of plain values per leaf (with whether live evidence exists) instead of loading the
    items, their nodes and all their evidence: what the counters and the domain list read."""
    live = Evidence.objects.filter(item=OuterRef("pk"), removed_at__isnull=True)
    rows = assessment.items.annotate(has_live=Exists(live)).values_list(
        "node__code",
        "node__rule",
        "node__max_points",
        "node__evidence_rule",
        "self_points",
        "not_applicable",
        "has_live",
    )
    return [
        LeafCounts(
            node=SimpleNamespace(code=code, rule=rule, max_points=max_points),
            self_points=points,
            not_applicable=na,
            evidence_missing=not has_live
            and evidence_needed(evidence_rule, rule, points, not_applicable=na),
        )
        for code, rule, max_points, evidence_rule, points, na, has_live in rows
    ]


@dataclass
class DomainSummary:
    """A domain as the form's first screen lists it: its node and its own progress line."""

    node: object
    progress: Progress
    url: str = ""  # the fragment of its leaves (htmx)
    open_url: str = ""  # the form with this domain open (no JavaScript)

    @property
    def code(self) -> str:
        return self.node.code


def domain_summaries(assessment: Assessment, leaves: list[LeafCounts]) -> list[DomainSummary]:
    roots = assessment.framework.nodes.exclude(code__contains=".").order_by("order", "id")
    return [
        DomainSummary(
            node=root,
            progress=progress([leaf for leaf in leaves if domain_of(leaf.node.code) == root.code]),
        )
        for root in roots
    ]


def load_domain(assessment: Assessment, code: str) -> DomainView | None:
    """One domain's leaves, in the tree's order, with what the leaf blocks show; None if no such
    domain. The form loads one domain at a time (docs/ui.md, "Phiếu tự đánh giá nhẹ")."""
    nodes = assessment.framework.nodes.filter(Q(code=code) | Q(code__startswith=f"{code}."))
    roots = tree.build(nodes.order_by("order", "id"))
    if len(roots) != 1 or roots[0].node.code != code:
        return None
    items = (
        assessment.items.filter(node__code__startswith=f"{code}.")
        .select_related("node", "updated_by")
        .prefetch_related("evidence")
    )
    by_node = {i.node_id: i for i in items}
    return DomainView(
        node=roots[0].node,
        items=[by_node[leaf.node.pk] for leaf in roots[0].leaves() if leaf.node.pk in by_node],
    )


def counters_after_save(item: Item) -> dict:
    """What a save changes beyond its own leaf: the progress line, its domain's claimed points and
    its domain's progress, sent back with the save (htmx out-of-band) so the page agrees with the
    server without a reload. Every autosave runs this, so it reads plain values (leaf_counts)."""
    leaves = leaf_counts(item.assessment)
    domain_code = domain_of(item.node.code)
    in_domain = [leaf for leaf in leaves if domain_of(leaf.node.code) == domain_code]
    domain_max = item.assessment.framework.nodes.values_list("max_points", flat=True).get(
        code=domain_code
    )
    return {
        "progress": progress(leaves),
        "domain_code": domain_code,
        "domain_max": domain_max,
        "domain_claimed": sum((leaf.self_points or 0 for leaf in in_domain), Decimal("0")),
        "domain_progress": progress(in_domain),
    }


def current_evidence(item: Item):
    return [e for e in item.evidence.all() if e.removed_at is None]
