"""One function per kind of question: each takes the asker, applies the asker's permissions through
the apps' own predicates, and returns its figures with the page each comes from. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from core.collation import sort_key
from cycles.models import Cycle, CycleState, IndexFamily, Participation
from plans import leaders
from plans.models import Task
from plans.permissions import can_view_plans
from reporting.consolidation import expected_units
from reporting.models import Period, ReportState, UnitReport
from reporting.permissions import can_view_consolidated
from surveys.aggregates import unit_figures
from surveys.models import Response, Wave
from surveys.permissions import can_view_results
from units.models import Unit, UnitKind

from .. import overview_city
from ..api import group_slugs
from ..models import ProvincialSeries, ProvincialValue, Publication, UnitResult
from ..permissions import can_read_results, can_read_unit_result, may_open_results
from . import intents

REFUSED = "refused"
EMPTY = "empty"
OK = "ok"


@dataclass
class Figure:
    label: str
    value: object  # a Decimal, a number, a date or a text: answer.py formats it
    url: str
    kind: str = "points"  # points | percent | day | count | text


@dataclass
class Result:
    intent: str
    status: str = OK
    figures: list[Figure] = field(default_factory=list)
    facts: dict = field(default_factory=dict)


def _result_url(cycle: Cycle, code: str) -> str:
    if cycle.state == CycleState.PUBLISHED:
        return reverse("public:unit", args=[cycle.key, code])
    return reverse("results:unit", args=[cycle.key, code])


def _city_cycles(year: int | None, family: str | None = None):
    """The city's approved cycles of the family (its combined index when none), newest first."""
    cycles = Cycle.objects.filter(
        organiser=None,
        family=family or IndexFamily.CITY,
        state__in=(CycleState.FINALISED, CycleState.PUBLISHED),
    ).order_by("-year")
    return cycles.filter(year=year) if year else cycles


@dataclass
class Row:
    code: str
    name: str
    kind: str
    group: str
    index: Decimal
    rank: int | None
    size: int


# A publication's rows, by (publication, digest): a publication never changes (a correction is a new
# one), and its snapshot (every unit's leaves) is slow to read for each question.
_PUBLISHED: dict[tuple[int, str], list[Row]] = {}


def _published_rows(cycle: Cycle) -> list[Row]:
    latest = cycle.publications.order_by("-version").values_list("pk", "digest").first()
    if latest is None:
        return []
    if latest not in _PUBLISHED:
        snapshot = cycle.publications.get(pk=latest[0]).snapshot
        if len(_PUBLISHED) > 64:
            _PUBLISHED.clear()
        _PUBLISHED[latest] = [
            Row(
                u["code"],
                u["name"],
                u["kind"],
                u["group"],
                Decimal(str(u["index"])),
                u["rank"],
                u["group_size"],
            )
            for u in snapshot["units"]
            if u["index"] is not None
        ]
    return _PUBLISHED[latest]


def _rows(cycle: Cycle, codes=None) -> list[Row]:
    """The units' indices: what the public sees once the cycle is published (its latest
    publication's snapshot, which a later recomputation does not change), the computed results
    before."""
    if cycle.state == CycleState.PUBLISHED:
        return [r for r in _published_rows(cycle) if codes is None or r.code in codes]
    results = UnitResult.objects.filter(cycle=cycle, index__isnull=False).select_related("unit")
    if codes is not None:
        results = results.filter(unit__code__in=codes)
    return [
        Row(
            r.unit.code,
            r.unit.display_name,
            r.unit.kind,
            r.ranking_group,
            r.index,
            r.rank,
            r.group_size,
        )
        for r in results
    ]


def _ranking_url(user, cycle: Cycle, group: str, fallback: str) -> str:
    """Where a rank is read in its ranking: the group's public ranking once published, the cycle's
    results page (every group's ranking) for its readers before; else `fallback`."""
    if cycle.state == CycleState.PUBLISHED:
        snapshot = (
            Publication.objects.filter(cycle=cycle)
            .order_by("-version")
            .values_list("snapshot", flat=True)
            .first()
        )
        slug = group_slugs(snapshot).get(group) if snapshot else None
        if slug:
            return reverse("public:group", args=[cycle.key, slug])
    if can_read_results(user, cycle):
        return reverse("results:cycle", args=[cycle.key])
    return fallback


def _readable(user, cycle: Cycle) -> bool:
    """Every unit's result of the cycle: anyone once published, its readers before."""
    return cycle.state == CycleState.PUBLISHED or can_read_results(user, cycle)


def extreme_index(
    user, year: int | None, kind: str | None, lowest: bool, family: str | None = None
) -> Result:
    """The unit with the lowest (or highest) index of a year, among the communes or departments of
    the city's combined index, or in another of the city's indices (`family`)."""
    result = Result(intents.EXTREME, facts={"year": year, "kind": kind, "lowest": lowest})
    cycles = list(_city_cycles(year, family))
    seen = [c for c in cycles if _readable(user, c)]
    if not seen:
        result.status = REFUSED if cycles else EMPTY
        return result
    cycle = seen[0]
    rows = [r for r in _rows(cycle) if kind is None or r.kind == kind]
    result.facts |= {"year": cycle.year, "published": cycle.state == CycleState.PUBLISHED}
    if not rows:
        result.status = EMPTY
        return result
    edge = (min if lowest else max)(r.index for r in rows)
    for row in sorted((r for r in rows if r.index == edge), key=lambda r: sort_key(r.name)):
        result.figures.append(Figure(row.name, row.index, _result_url(cycle, row.code)))
    return result


def unit_index(user, unit: Unit, year: int | None) -> Result:
    """A unit's index in a year (the latest it took part in and the asker may see when none is
    named)."""
    result = Result(intents.UNIT_INDEX, facts={"unit": unit.display_name, "year": year})
    cycles = list(_city_cycles(year).filter(participations__unit=unit))
    if not cycles:
        result.status = EMPTY
        return result
    shown = [c for c in cycles if _readable(user, c) or can_read_unit_result(user, c, unit)]
    if not shown:
        result.status = REFUSED
        return result
    cycle = shown[0]
    rows = _rows(cycle, codes={unit.code})
    if not rows:
        result.status = EMPTY
        return result
    row = rows[0]
    result.facts |= {
        "year": cycle.year,
        "published": cycle.state == CycleState.PUBLISHED,
        "rank": row.rank,
        "group": row.group,
        "size": row.size,
    }
    url = _result_url(cycle, unit.code)
    result.figures.append(Figure(unit.display_name, row.index, url))
    if row.rank:
        label = gettext("Xếp hạng trong %(group)s") % {"group": row.group}
        ranking = _ranking_url(user, cycle, row.group, url)
        result.figures.append(Figure(label, row.rank, ranking, kind="count"))
    return result


def missing_reports(user, year: int | None, period_kind: str | None, kind: str | None) -> Result:
    """The units that have not sent the period's report (this year's, the open one when no period
    is named): for those who read the consolidated report."""
    result = Result(intents.MISSING_REPORTS)
    if not can_view_consolidated(user):
        result.status = REFUSED
        return result
    periods = Period.objects.periodic().filter(year=year or timezone.localdate().year)
    if period_kind:
        periods = periods.filter(kind=period_kind)
    period = periods.order_by("due_at").filter(due_at__gt=timezone.now()).first() or (
        periods.order_by("-due_at").first()
    )
    if period is None:
        result.status = EMPTY
        result.facts = {"year": year, "period": period_kind}
        return result
    sent = UnitReport.objects.filter(period=period, state=ReportState.SUBMITTED).values("unit_id")
    missing = expected_units(period).exclude(pk__in=sent)
    if kind:
        missing = missing.filter(kind=kind)
    result.facts = {"period": period.title_in_sentence, "due": period.due_at}
    for unit in missing.order_by("name"):
        url = reverse("reporting:report", args=[period.year, period.kind, unit.code])
        result.figures.append(Figure(unit.display_name, "", url, kind="text"))
    result.facts["board"] = reverse("reporting:board", args=[period.year, period.kind])
    return result


def overdue_tasks(user, question: intents.Question) -> Result:
    """The current plan's overdue tasks of the leader(s) the question names (all when none)."""
    result = Result(intents.OVERDUE_TASKS)
    if not can_view_plans(user):
        result.status = REFUSED
        return result
    plan = overview_city.current_plan()
    tasks = Task.objects.filter(plan=plan).overdue() if plan else Task.objects.none()
    spellings = set(tasks.values_list("leader", flat=True))
    chosen = intents.match_leaders(question.normal, question.title, spellings)
    if question.title or chosen:
        tasks = tasks.filter(leader__in=chosen)
    # One name per leader, however many spellings the plan gives them.
    result.facts = {"leaders": [label for _, label in leaders.options(chosen)], "plan": plan}
    for task in tasks.order_by("due", "number"):
        label = f"{task.number}. {task.title}"
        result.figures.append(
            Figure(label, task.due, reverse("plans:task", args=[task.pk]), kind="day")
        )
    return result


def _sipas_wave(year: int) -> Wave | None:
    return (
        Wave.objects.filter(
            cycle__organiser=None,
            cycle__year=year,
            version__questionnaire__code=overview_city.SIPAS_QUESTIONNAIRE,
        )
        .order_by("-opens_at")
        .first()
    )


def sipas_compare(user, unit: Unit | None, year: int | None) -> Result:
    """A unit's SIPAS index (its share of satisfied answers) this year and the year before, from the
    survey's figures for those who read them; else the city's published SIPAS points."""
    year = year or timezone.localdate().year
    result = Result(intents.SIPAS, facts={"unit": unit.display_name if unit else None})
    if unit is not None and can_view_results(user):
        for y in (year - 1, year):
            wave = _sipas_wave(y)
            overall = unit_figures(wave, unit)["overall"] if wave else None
            if overall is not None and overall.share is not None:
                url = reverse("surveys:unit", args=[wave.pk, unit.code])
                result.figures.append(Figure(str(y), overall.percent, url, kind="percent"))
        if result.figures:
            return result
    result.facts["unit"] = None
    values = ProvincialValue.objects.filter(
        series=ProvincialSeries.SIPAS, year__in=(year - 1, year)
    ).order_by("year")
    for value in values:
        url = reverse("results:provincial") if may_open_results(user) else value.link
        result.figures.append(Figure(str(value.year), value.value, url, kind="percent"))
    if not result.figures:
        result.status = EMPTY
    return result


def _survey_wave(year: int | None) -> Wave | None:
    """The city's survey wave of the year (the latest one when none is named), SIPAS first."""
    waves = Wave.objects.filter(cycle__organiser=None)
    if year:
        waves = waves.filter(cycle__year=year)
    sipas = waves.filter(version__questionnaire__code=overview_city.SIPAS_QUESTIONNAIRE)
    return sipas.order_by("-opens_at").first() or waves.order_by("-opens_at").first()


def survey_progress(user, unit: Unit | None, year: int | None) -> Result:
    """How many valid responses the city's survey wave has collected against the number to collect,
    for every unit with a target or for one unit: for those who read survey figures."""
    result = Result(intents.SURVEY_PROGRESS, facts={"unit": unit.display_name if unit else None})
    if not can_view_results(user):
        result.status = REFUSED
        return result
    wave = _survey_wave(year)
    targets = list(wave.targets.all()) if wave else []
    if unit is not None:
        targets = [t for t in targets if t.unit_id == unit.pk]
    if not targets:
        result.status = EMPTY
        return result
    kept = dict(
        Response.objects.filter(wave=wave, excluded=False, unit__in=[t.unit_id for t in targets])
        .values_list("unit")
        .annotate(n=Count("id"))
    )
    collected = sum(kept.values())
    needed = sum(t.sample for t in targets)
    reached = sum(1 for t in targets if kept.get(t.unit_id, 0) >= t.sample)
    url = reverse("surveys:monitor", args=[wave.pk])
    if unit is not None:
        url = reverse("surveys:unit", args=[wave.pk, unit.code])
    result.facts |= {"wave": wave.title, "units": len(targets), "reached": reached}
    result.figures += [
        Figure(gettext("Phiếu hợp lệ"), collected, url, kind="count"),
        Figure(gettext("Số phiếu cần thu"), needed, url, kind="count"),
        Figure(gettext("Tỷ lệ"), 100 * collected / needed if needed else 100, url, kind="percent"),
    ]
    if unit is None:
        result.figures.append(Figure(gettext("Đơn vị đủ số phiếu"), reached, url, kind="count"))
    return result


def unit_aliases() -> dict[int, set[str]]:
    """Every unit a question may name, with its aliases (offices and divisions too)."""
    return {
        pk: _aliases(name, short, sub_kind, code)
        for pk, name, short, sub_kind, code in Unit.objects.exclude(
            kind=UnitKind.DISTRICT
        ).values_list("pk", "name", "short_name", "sub_kind", "code")
    }


def pick_unit(unit_ids: list[int], year: int | None) -> tuple[Unit | None, list[Unit]]:
    """The unit a question names, and the namesakes to choose from when it cannot tell: the only
    candidate; else the one taking part in a cycle of the year asked (this year when none is), else
    the one active that year; else none, and every namesake (the asker adds the code or the year)."""
    units = list(Unit.objects.filter(pk__in=unit_ids).order_by("code"))
    if len(units) <= 1:
        return (units[0] if units else None), []
    year = year or timezone.localdate().year
    taking_part = set(
        Participation.objects.filter(unit__in=units, cycle__year=year).values_list(
            "unit_id", flat=True
        )
    )
    start, end = date(year, 1, 1), date(year, 12, 31)
    for chosen in (
        [u for u in units if u.pk in taking_part],
        [
            u
            for u in units
            if (u.active_from is None or u.active_from <= end)
            and (u.active_to is None or u.active_to >= start)
        ],
    ):
        if len(chosen) == 1:
            return chosen[0], []
    return None, units


@lru_cache(maxsize=16384)
def _aliases(name: str, short: str, sub_kind: str, code: str) -> frozenset[str]:
    """A unit's aliases from its names alone (kept: normalising every unit's names for every
    question was most of a question's time on the city's catalogue)."""
    display = Unit(name=name, sub_kind=sub_kind).display_name
    return frozenset(intents.unit_aliases(name, short, display, code))
