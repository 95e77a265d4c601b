"""Points of `automatic` leaves from data other apps hold (e.g. the share of dossiers handled on time in a
unit's periodic reports), so that units do not type the same number twice.

`assessments` may not import `reporting`; reporting registers its lookup in AUTOMATIC_SOURCES from its
AppConfig.ready(). A source takes (unit, year, source code) and returns a value in [0, 1] or None.
"""

from collections.abc import Callable
from decimal import Decimal

from django.db import transaction

from accounts.audit import record
from frameworks.scoring import score

from .models import Item

AUTOMATIC_SOURCES: list[Callable[[object, int, str], Decimal | None]] = []


def value_for(unit, year: int, source: str) -> Decimal | None:
    for lookup in AUTOMATIC_SOURCES:
        value = lookup(unit, year, source)
        if value is not None:
            return value
    return None


@transaction.atomic
def fill_automatic(actor, cycle) -> int:
    """Set inputs and self points of every automatic leaf whose source has a value; returns how many."""
    items = (
        Item.objects.filter(assessment__cycle=cycle, node__rule="automatic")
        .select_related("node", "assessment__unit")
        .select_for_update(of=("self",))
    )
    changed = []
    for item in items:
        source = item.node.rule_params.get("source")
        value = value_for(item.assessment.unit, cycle.year, source) if source else None
        if value is None:
            continue
        inputs = {"value": str(value), "source": source}
        points = score(item.node.rule, item.node.rule_params, item.node.max_points, inputs)
        if item.inputs != inputs or item.self_points != points:
            item.inputs, item.self_points = inputs, points
            changed.append(item)
    Item.objects.bulk_update(changed, ["inputs", "self_points"], batch_size=1000)
    if changed:
        record(actor, "assessment.fill_automatic", cycle, after={"items": len(changed)})
    return len(changed)
