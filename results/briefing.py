"""The Chairman's weekly briefing (docs/results.md, "Bản tin cho Chủ tịch"): what changed in the last
seven days, what is overdue, and which units are at risk, each point with its figure.

Plain functions over the database: `gather` reads the figures as the overview and the boards count
them (results/overview.py, results/overview_city.py), `make_briefing` keeps them as a dated Briefing,
so that the one click on the overview and the weekly task (results/tasks.py) make the same thing and
a past week's file (results/briefing_word.py) reads as it did that week.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.audit import SECURITY_PREFIXES
from accounts.audit_words import ACTION_LABELS
from accounts.models import AuditEvent
from assessments.models import Assessment
from cycles.models import Cycle, CycleState
from reporting.models import ReportState, UnitReport
from units.models import Unit

from . import overview_city
from .models import Briefing, BriefingSource, Publication
from .overview import indices_of

WINDOW = timedelta(days=7)
# Kept short: the briefing is one or two pages.
TOP_ACTIONS = 5
TOP_LEADERS = 6
RISK_UNITS = 5


def _label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def _state(value: str | None) -> str:
    try:
        return str(CycleState(value).label)
    except ValueError:
        return value or ""


def changes(since, until) -> dict:
    """What changed in the window: the audit trail's changes (logins and other security events left
    out), self-assessments submitted, periodic reports sent, publications and changes of a cycle's
    stage."""
    events = AuditEvent.objects.filter(at__gte=since, at__lt=until)
    for prefix in SECURITY_PREFIXES:
        events = events.exclude(action__startswith=prefix)
    actions = Counter(events.values_list("action", flat=True))
    moves = list(
        events.filter(action="cycle.transition", object_type="cycles.cycle")
        .order_by("at", "id")
        .values_list("object_id", "before", "after", "at")
    )
    cycles = Cycle.objects.in_bulk([int(pk) for pk, *_ in moves if pk.isdigit()])
    # One line per cycle: where it was before its first move of the week, where it is after its last.
    transitions: dict[int, dict] = {}
    for pk, before, after, at in moves:
        cycle = cycles.get(int(pk)) if pk.isdigit() else None
        if cycle is None:
            continue
        line = transitions.setdefault(
            cycle.pk,
            {
                "title": cycle.title,
                "key": cycle.key,
                "before": _state((before or {}).get("state")),
            },
        )
        line |= {"after": _state((after or {}).get("state")), "at": at.isoformat()}
    publications = [
        {"title": p.cycle.title, "key": p.cycle.key, "version": p.version}
        for p in Publication.objects.filter(published_at__gte=since, published_at__lt=until)
        .select_related("cycle")
        .order_by("published_at")
    ]
    return {
        "events": sum(actions.values()),
        "actions": [
            [_label(a), n] for a, n in sorted(actions.items(), key=lambda i: (-i[1], i[0]))
        ][:TOP_ACTIONS],
        "submitted": Assessment.objects.filter(
            submitted_at__gte=since, submitted_at__lt=until
        ).count(),
        "reports_sent": UnitReport.objects.filter(
            state=ReportState.SUBMITTED, submitted_at__gte=since, submitted_at__lt=until
        ).count(),
        "publications": publications,
        "transitions": list(transitions.values()),
    }


def overdue(now) -> dict:
    """The plan's overdue tasks by leader in charge and the current period's reports not sent, as
    the overview counts them."""
    today = timezone.localdate(now)
    plan = overview_city.current_plan(today)
    tasks = overview_city.overdue(plan, today)
    reports = overview_city.reports(now)
    period = reports.period
    return {
        "plan_year": plan.year if plan else None,
        "tasks": tasks.total,
        "by_leader": [[leader or "", n] for leader, n in tasks.by_leader[:TOP_LEADERS]],
        "other_leaders": sum(n for _, n in tasks.by_leader[TOP_LEADERS:]),
        "period": None
        if period is None
        else {
            "title": period.title_in_sentence,
            "year": period.year,
            "kind": period.kind,
            "due": period.due_at.isoformat(),
            "expected": reports.expected,
            "missing": reports.missing,
        },
    }


def at_risk() -> list[dict]:
    """Per index being made this year, its units whose forecast falls a band or below last year
    (results/forecast.py), the lowest forecasts first."""
    entries, _ = indices_of(Cycle.objects.all())
    codes = {f.code for entry in entries for f in entry.at_risk[:RISK_UNITS]}
    # As documents write a unit's name ("Phường Tương Mai"), not as the catalogue stores it.
    names = {u.code: u.display_name for u in Unit.objects.filter(code__in=codes)}
    found = []
    for entry in entries:
        risky = entry.at_risk
        if not risky:
            continue
        found.append(
            {
                "title": entry.cycle.title,
                "key": entry.cycle.key,
                "units": len(entry.forecasts),
                "count": len(risky),
                "shown": [
                    {
                        "name": names.get(f.code, f.name),
                        "code": f.code,
                        "last": f.last,
                        "point": f.result.point,
                        "low": f.result.low,
                        "high": f.result.high,
                        "risk": f.risk,
                    }
                    for f in risky[:RISK_UNITS]
                ],
            }
        )
    return found


def gather(now=None) -> dict:
    """Every figure of the briefing as of `now`, JSON-ready."""
    now = now or timezone.now()
    since = now - WINDOW
    return {
        "since": since.isoformat(),
        "until": now.isoformat(),
        "changes": changes(since, now),
        "overdue": overdue(now),
        "risk": at_risk(),
    }


@transaction.atomic
def make_briefing(by=None, *, source: str = BriefingSource.CLICK, now=None) -> Briefing:
    """Gather the figures and keep them as a dated briefing (by a person's click, or the weekly task
    with no one)."""
    now = now or timezone.now()
    return Briefing.objects.create(
        made_at=now,
        since=now - WINDOW,
        source=source,
        made_by=by if by is not None and by.is_authenticated else None,
        content=gather(now),
    )
