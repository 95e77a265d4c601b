"""Report submission per kind of unit, for the period board's chart (no request, no writes)."""

from django.utils.translation import gettext as _

from .models import ReportState


def series() -> list[str]:
    return [_("Đã gửi"), _("Đang soạn")]


def by_kind(rows) -> list[dict]:
    """Chart rows from the board's (unit, report or None) pairs: per kind of unit, the reports sent, the
    drafts, and (the rest of the total) the units that have not begun."""
    kinds: dict[str, dict] = {}
    for unit, report in rows:
        label = str(unit.get_kind_display())
        entry = kinds.setdefault(label, {"label": label, "counts": [0, 0], "total": 0})
        entry["total"] += 1
        if report is not None:
            entry["counts"][0 if report.state == ReportState.SUBMITTED else 1] += 1
    return [kinds[label] for label in sorted(kinds)]
