"""Where a target's actual value comes from: city-wide, and for each unit it is assigned to. `plans` may
not import `reporting`, so parindex/apps.py registers reporting's lookups here in `ready()`."""

from collections.abc import Callable
from decimal import Decimal

# Each takes (year, indicator code) and returns the city-wide figure or None. Extension point: reporting
# holds the figures and may not be imported here; parindex/apps.py appends its lookup in `ready()`
# (docs/architecture.md).
ACTUAL_SOURCES: list[Callable[[int, str], Decimal | None]] = []
# Each takes (unit, year, indicator code) and returns that unit's own figure in its latest sent report
# of the year, or None: the actual value of a target assigned to the unit. Filled the same way.
UNIT_ACTUAL_SOURCES: list[Callable[[object, int, str], Decimal | None]] = []


def actual_value(target) -> Decimal | None:
    if not target.indicator_code:
        return None
    for source in ACTUAL_SOURCES:
        value = source(target.plan.year, target.indicator_code)
        if value is not None:
            return value
    return None


def unit_actual_value(assignment) -> Decimal | None:
    target = assignment.target
    if not target.indicator_code:
        return None
    for source in UNIT_ACTUAL_SOURCES:
        value = source(assignment.unit, target.plan.year, target.indicator_code)
        if value is not None:
            return value
    return None
