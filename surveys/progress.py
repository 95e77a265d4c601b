"""Responses against targets per kind of unit, for the wave's monitoring chart (no request, no writes)."""

from django.utils.translation import gettext as _


def series() -> list[str]:
    return [_("Phiếu hợp lệ")]


def by_kind(rows: list[dict]) -> list[dict]:
    """Chart rows from the monitoring rows (`target`, `kept`): one per kind of unit, the responses kept
    against the sum of the targets, and how many units have reached theirs."""
    kinds: dict[str, dict] = {}
    for row in rows:
        target = row["target"]
        label = str(target.unit.get_kind_display())
        entry = kinds.setdefault(label, {"label": label, "counts": [0], "total": 0, "reached": 0})
        entry["counts"][0] += row["kept"]
        entry["total"] += target.sample
        entry["reached"] += row["kept"] >= target.sample
    return [kinds[label] for label in sorted(kinds)]
