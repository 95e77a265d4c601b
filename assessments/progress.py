"""Self-assessment and appraisal progress per ranking group, for the board's charts (no request, no
writes): each assessment row carries the board's counts (`answered`, `appraised`) and its state."""

from django.utils.translation import gettext as _

from .models import AssessmentState

SENT = (AssessmentState.SUBMITTED, AssessmentState.FINALISED)


def self_assessment_series() -> list[str]:
    return [_("Đã nộp"), _("Đang tự đánh giá")]


def appraisal_series() -> list[str]:
    return [_("Đã thẩm định xong"), _("Đang thẩm định")]


def by_group(rows, group_of: dict[int, str]) -> tuple[list[dict], list[dict]]:
    """Two lists of chart rows, one per ranking group in name order: self-assessment (submitted; begun
    but not submitted; the rest not started) and appraisal (every answered leaf appraised; some;
    none). A unit outside the cycle's groups counts under "Khác"."""
    selfs: dict[str, list[int]] = {}
    appraisals: dict[str, list[int]] = {}
    for row in rows:
        group = group_of.get(row.unit_id) or _("Khác")
        own = selfs.setdefault(group, [0, 0, 0])
        review = appraisals.setdefault(group, [0, 0, 0])
        own[2] += 1
        review[2] += 1
        if row.state in SENT:
            own[0] += 1
        elif row.answered:
            own[1] += 1
        if row.appraised and row.appraised >= row.answered:
            review[0] += 1
        elif row.appraised:
            review[1] += 1
    return _rows(selfs), _rows(appraisals)


def _rows(counts: dict[str, list[int]]) -> list[dict]:
    return [
        {"label": group, "counts": values[:2], "total": values[2]}
        for group, values in sorted(counts.items())
    ]
