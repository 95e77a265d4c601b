"""What the leaf-assignment screens read: which unit fills which leaf of the city's self-assessment, and
how far each has got (the changes themselves: services/contributors.py)."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from cycles.models import Cycle
from frameworks import tree
from frameworks.scoring import EXTRA_RULES

from .models import Assessment, Item, LeafContributor
from .presenters import DomainView, Progress, domain_of, progress


def contributed_items(unit_id: int, cycle) -> list[Item]:
    """The items of `cycle` whose leaf was given to the unit, in the framework's order."""
    given = LeafContributor.objects.filter(
        assessment_id=OuterRef("assessment_id"), node_id=OuterRef("node_id"), unit_id=unit_id
    )
    return list(
        Item.objects.filter(Exists(given), assessment__cycle=cycle)
        .select_related("node", "updated_by", "assessment__cycle", "assessment__unit")
        .prefetch_related("evidence")
        .order_by("assessment_id", "node__order", "node__id")
    )


def cycles_with_leaves_of(unit_id: int):
    """The cycles in which the unit was given leaves of someone else's assessment (its home page)."""
    return (
        Cycle.objects.filter(assessments__leaf_contributors__unit_id=unit_id)
        .exclude(assessments__unit_id=unit_id)
        .distinct()
    )


def by_domain(items: list[Item]) -> list[DomainView]:
    """Contributed items grouped under their domain (the root of their framework)."""
    if not items:
        return []
    roots = tree.build(items[0].assessment.framework.nodes.all())
    by_node = {i.node_id: i for i in items}
    domains = []
    for root in roots:
        view = DomainView(node=root.node)
        view.items = [by_node[leaf.node.pk] for leaf in root.leaves() if leaf.node.pk in by_node]
        if view.items:
            # Only the unit's part of the domain: its own maximum and progress.
            view.maximum = sum(
                i.node.max_points for i in view.items if i.node.rule not in EXTRA_RULES
            )
            view.progress = progress(view.items)
            domains.append(view)
    return domains


def contributor_counters(unit_id: int, item: Item) -> dict:
    """What a save changes on the unit's own page (views/contributors.py), as counters_after_save does
    for the whole form: the unit's progress and its part of the leaf's domain, nothing of the others."""
    items = contributed_items(unit_id, item.assessment.cycle)
    domain = next((d for d in by_domain(items) if d.node.code == domain_of(item.node.code)), None)
    if domain is None:
        return {}
    return {
        "progress": progress(items),
        "domain_code": domain.node.code,
        "domain_max": domain.maximum,
        "domain_claimed": domain.claimed,
        "domain_progress": domain.progress,
    }


@dataclass
class LeafRow:
    item: Item
    unit: object | None  # the contributing unit, None: the assessment's own unit


@dataclass
class ContributorProgress:
    unit: object
    progress: Progress


def assignment_table(assessment: Assessment) -> tuple[list[tuple[object, list[LeafRow]]], list]:
    """Every leaf with the unit that fills it, by domain; and each contributing unit's progress."""
    held = {c.node_id: c.unit for c in assessment.leaf_contributors.select_related("unit")}
    items = list(
        assessment.items.select_related("node")
        .prefetch_related("evidence")
        .order_by("node__order", "node__id")
    )
    by_node = {i.node_id: i for i in items}
    domains = []
    for root in tree.build(assessment.framework.nodes.all()):
        rows = [
            LeafRow(by_node[leaf.node.pk], held.get(leaf.node.pk))
            for leaf in root.leaves()
            if leaf.node.pk in by_node
        ]
        domains.append((root.node, rows))
    units = {u.pk: u for u in held.values()}
    per_unit = [
        ContributorProgress(
            unit,
            progress(
                [i for i in items if held.get(i.node_id) is not None and held[i.node_id].pk == pk]
            ),
        )
        for pk, unit in sorted(units.items(), key=lambda pair: pair[1].code)
    ]
    return domains, per_unit
