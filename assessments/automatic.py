"""Points of leaves whose value comes from elsewhere, so that units do not type the same number twice:
`automatic` leaves from data (e.g. the share of dossiers handled on time in a unit's periodic reports) and
`survey` leaves from the survey figures.

`assessments` may not import `reporting` or `surveys`; the project wires their lookups into these lists
(parindex/apps.py). A source takes (unit, cycle, node) and returns a value in [0, 1] or None.
"""

from collections.abc import Callable
from decimal import Decimal

from django.db import transaction

from accounts.audit import record
from frameworks.scoring import score

from .models import Item

Source = Callable[[object, object, object], Decimal | None]
# Extension point: the rooms that hold these values (reporting for `automatic`, surveys for `survey`) sit
# beside or above this one and may not be imported here; parindex/apps.py appends their lookups in
# `ready()` (docs/architecture.md). The first lookup with a value wins.
SOURCES: dict[str, list[Source]] = {"automatic": [], "survey": []}
INPUT_KEY = {"automatic": "value", "survey": "index"}
# Where a source's value was read, in words for the unit ("báo cáo quý I năm 2025"), kept in the inputs
# as "from"; filled beside SOURCES by parindex/apps.py. A describer takes (unit, cycle, node).
DESCRIBERS: dict[str, list[Callable[[object, object, object], str | None]]] = {
    "automatic": [],
    "survey": [],
}
# Where an `automatic` leaf's value came from when not from a feed, kept in its inputs as "origin": the
# secretariat (services.set_data_value) entering a value no feed has, or overriding a fed one.
ENTERED, OVERRIDE = "entered", "override"
# A value a person set is never replaced by a feed: the override's reason, the entry's document stand.
SET_BY_HAND = (ENTERED, OVERRIDE)


def value_for(rule: str, unit, cycle, node) -> Decimal | None:
    for lookup in SOURCES[rule]:
        value = lookup(unit, cycle, node)
        if value is not None:
            return value
    return None


@transaction.atomic
def fill_from_sources(actor, cycle) -> int:
    """Set inputs and self points of every automatic and survey leaf whose source has a value, except
    the automatic leaves whose value the secretariat entered or overrode."""
    items = (
        Item.objects.filter(assessment__cycle=cycle, node__rule__in=list(SOURCES))
        .select_related("node", "assessment__unit")
        .select_for_update(of=("self",))
    )
    changed = []
    for item in items:
        node = item.node
        if (item.inputs or {}).get("origin") in SET_BY_HAND:
            continue
        value = value_for(node.rule, item.assessment.unit, cycle, node)
        if value is None:
            continue
        inputs = {INPUT_KEY[node.rule]: str(value), "source": node.rule_params.get("source", "")}
        described = next(
            (
                text
                for describe in DESCRIBERS[node.rule]
                if (text := describe(item.assessment.unit, cycle, node))
            ),
            None,
        )
        if described:
            inputs["from"] = described
        points = score(node.rule, node.rule_params, node.max_points, inputs)
        if item.inputs != inputs or item.self_points != points:
            item.inputs, item.self_points = inputs, points
            changed.append(item)
    Item.objects.bulk_update(changed, ["inputs", "self_points"], batch_size=1000)
    if changed:
        record(actor, "assessment.fill_from_sources", cycle, after={"items": len(changed)})
    return len(changed)
