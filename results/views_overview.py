"""The overview page for leaders and the secretariat: every index's stage and progress, forecasts and
units at risk, and for the city's staff SIPAS, the plan's overdue tasks and the periodic reports."""

import hashlib

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import charts, overview_city
from .models import Briefing
from .overview import indices
from .permissions import can_make_briefing, may_open_overview, sees_city_overview

# Units at risk listed (and drawn) per index; the rest are counted.
RISK_SHOWN = 15


def _chart(draw, rows, title: str) -> str:
    """The chart as an <img> source, kept in the cache under its content: drawing takes a few tenths
    of a second, and the same figures draw the same bytes (results/charts.py)."""
    digest = hashlib.sha256(repr((draw.__name__, rows, title)).encode()).hexdigest()[:32]
    key = f"overview-chart-{digest}"
    uri = cache.get(key)
    if uri is None:
        uri = charts.data_uri(draw(rows, title=title))
        cache.set(key, uri, overview_city.CACHE_SECONDS)
    return uri


def _risk_chart(entry) -> str | None:
    rows = [
        {
            "name": f.name,
            "point": f.result.point,
            "low": f.result.low,
            "high": f.result.high,
            "last": f.last,
        }
        for f in entry.at_risk[:RISK_SHOWN]
    ]
    if not rows:
        return None
    return _chart(charts.forecast_intervals, rows, _("Đơn vị có nguy cơ: dự báo và năm trước"))


@login_required
def overview(request):
    if not may_open_overview(request.user):
        raise PermissionDenied
    entries, error = indices(request.user)
    context = {
        "entries": [
            {
                "progress": entry,
                "at_risk": entry.at_risk[:RISK_SHOWN],
                "chart": _risk_chart(entry),
            }
            for entry in entries
        ],
        "backtest": error,
        "risk_shown": RISK_SHOWN,
    }
    if can_make_briefing(request.user):
        context["briefing"] = {"last": Briefing.objects.first()}
    if sees_city_overview(request.user):
        plan = overview_city.current_plan()
        context |= {
            "city": True,
            "sipas": overview_city.sipas(plan),
            "overdue": overview_city.overdue(plan),
            "reports": overview_city.reports(),
        }
    return render(request, "results/overview.html", context)
