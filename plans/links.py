"""Where a target's actual value comes from. `plans` may not import `reporting`, so reporting registers
its lookup here in its AppConfig.ready() (the same pattern as cycles.services.READINESS_CHECKS)."""

from collections.abc import Callable
from decimal import Decimal

# Each takes (year, indicator code) and returns the city-wide figure or None. Extension point: reporting
# holds the figures and may not be imported here; parindex/apps.py appends its lookup in `ready()`
# (docs/architecture.md).
ACTUAL_SOURCES: list[Callable[[int, str], Decimal | None]] = []


def actual_value(target) -> Decimal | None:
    if not target.indicator_code:
        return None
    for source in ACTUAL_SOURCES:
        value = source(target.plan.year, target.indicator_code)
        if value is not None:
            return value
    return None
