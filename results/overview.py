"""The leaders' and secretariat's overview of the indices: per index its stage and progress, the
forecast of each unit's index with the units at risk (docs/results.md, "Overview").

Read in a fixed number of queries whatever the number of units: every figure is counted per cycle in
one aggregation, never per unit. The city-wide parts (SIPAS, the plan, the periodic reports) are in
results/overview_city.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from assessments.models import Assessment, AssessmentState, Item
from cycles.models import Cycle, CycleState, IndexFamily, Participation
from cycles.phases import STATE_PHASE
from surveys.models import Response, Wave, WaveTarget

from . import forecast
from .compute import previous_results
from .models import UnitResult
from .permissions import result_cycles_visible_to

FAMILY_ORDER = {family: position for position, family in enumerate(IndexFamily.values)}
# States in which the year's index is still being made: a forecast is worth showing.
IN_PROGRESS = (
    CycleState.DRAFT,
    CycleState.SELF_ASSESSMENT,
    CycleState.APPRAISAL,
    CycleState.EXPLANATION,
)


@dataclass
class WaveProgress:
    wave: Wave
    responses: int
    target: int

    @property
    def percent(self) -> float | None:
        return 100.0 * self.responses / self.target if self.target else None


@dataclass
class UnitForecast:
    code: str
    name: str
    group: str
    last: float | None
    result: forecast.Forecast
    risk: str
    last_key: str | None  # the cycle whose result page shows last year's index (same unit only)


@dataclass
class IndexProgress:
    cycle: Cycle
    phase: object | None = None  # the Phase of its state, with its dates
    assessments: dict = field(default_factory=dict)  # state → count
    leaves: int = 0
    appraised: int = 0
    waves: list[WaveProgress] = field(default_factory=list)
    forecasts: list[UnitForecast] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.assessments.values())

    @property
    def submitted(self) -> int:
        return self.total - self.assessments.get(AssessmentState.DRAFT, 0)

    @property
    def appraised_percent(self) -> float | None:
        return 100.0 * self.appraised / self.leaves if self.leaves else None

    @property
    def at_risk(self) -> list[UnitForecast]:
        return sorted((f for f in self.forecasts if f.risk), key=lambda f: f.result.point)


def _latest_per_index(cycles: list[Cycle]) -> list[Cycle]:
    """Each index's current year (its latest past the draft; a draft only when it has no other), the
    city's first, then by organiser and family."""
    latest: dict[tuple, Cycle] = {}
    for cycle in cycles:
        key = (cycle.organiser_id, cycle.family)
        rank = (cycle.state != CycleState.DRAFT, cycle.year)
        if key not in latest or rank > (latest[key].state != CycleState.DRAFT, latest[key].year):
            latest[key] = cycle
    return sorted(
        latest.values(),
        key=lambda c: (
            c.organiser_id is not None,
            c.organiser.display_name if c.organiser_id else "",
            FAMILY_ORDER.get(c.family, 99),
        ),
    )


def _phase_of(cycle: Cycle):
    kind = STATE_PHASE.get(CycleState(cycle.state))
    return next((p for p in cycle.phases.all() if p.kind == kind), None) if kind else None


def _item_figures(cycle_ids: list[int]) -> dict[tuple[int, int], dict]:
    """Per (cycle, unit): leaves, answered leaves, appraised leaves, self-assessed points and the
    maximum of the answered applicable leaves: one query for every cycle."""
    answered = Q(self_points__isnull=False, not_applicable=False)
    rows = (
        Item.objects.filter(assessment__cycle_id__in=cycle_ids)
        .values("assessment__cycle_id", "assessment__unit_id")
        .annotate(
            leaves=Count("id"),
            answered=Count("id", filter=answered | Q(not_applicable=True)),
            appraised=Count("id", filter=Q(appraised_points__isnull=False)),
            points=Sum("self_points", filter=answered),
            maximum=Sum("node__max_points", filter=answered),
        )
        .order_by()
    )
    return {(r["assessment__cycle_id"], r["assessment__unit_id"]): r for r in rows}


def _partial(figures: dict | None) -> tuple[float | None, float]:
    """The self-assessed share (0–100) of what is answered, and the answered share of the leaves."""
    if not figures or not figures["leaves"]:
        return None, 0.0
    answered = figures["answered"] / figures["leaves"]
    if not figures["maximum"]:
        return None, answered
    return min(100.0, 100.0 * float(figures["points"] or 0) / float(figures["maximum"])), answered


def _survey_coverage(waves: list[Wave]):
    """Targets and kept responses per (wave, unit): two queries."""
    targets = defaultdict(int)
    for wave_id, unit_id, sample in WaveTarget.objects.filter(wave__in=waves).values_list(
        "wave_id", "unit_id", "sample"
    ):
        targets[(wave_id, unit_id)] += sample
    responses = defaultdict(int)
    for wave_id, unit_id, n in (
        Response.objects.filter(wave__in=waves, excluded=False)
        .values_list("wave_id", "unit_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        responses[(wave_id, unit_id)] = n
    return targets, responses


def backtest_cycle(cycles: list[Cycle]) -> Cycle | None:
    """The city's latest approved (finalised or published) combined index assessed on the platform:
    the back-test forecasts it from the year before (its units' stored previous index)."""
    approved = [
        c
        for c in cycles
        if c.organiser_id is None
        and c.family == IndexFamily.CITY
        and c.is_approved
        and not c.imported
    ]
    return max(approved, key=lambda c: c.year, default=None)


def backtest(cycle: Cycle | None, items: dict) -> forecast.BacktestError | None:
    """Forecast `cycle`'s published indices from the year before (their stored previous index,
    through lineage) and its units' self-assessments, and measure the error."""
    if cycle is None:
        return None
    rows, actual = [], []
    for result in UnitResult.objects.filter(cycle=cycle, index__isnull=False).values(
        "unit_id", "ranking_group", "previous_index", "index"
    ):
        partial, _ = _partial(items.get((cycle.pk, result["unit_id"])))
        previous = result["previous_index"]
        rows.append(
            forecast.Inputs(
                group=result["ranking_group"],
                last=None if previous is None else float(previous),
                partial=partial,
                completeness=1.0,
            )
        )
        actual.append(float(result["index"]))
    return forecast.backtest(rows, actual)


def _forecasts(
    cycle: Cycle, items: dict, coverage: dict[int, float], spread: float
) -> list[UnitForecast]:
    participants = list(
        Participation.objects.filter(cycle=cycle).values_list(
            "unit_id", "unit__code", "unit__name", "ranking_group"
        )
    )
    previous = previous_results(cycle, [p[0] for p in participants])
    rows = []
    for unit_id, _, _, group in participants:
        partial, answered = _partial(items.get((cycle.pk, unit_id)))
        known = [answered] + ([coverage[unit_id]] if unit_id in coverage else [])
        last = previous[unit_id].index
        rows.append(
            forecast.Inputs(
                group=group,
                last=None if last is None else float(last),
                partial=partial,
                completeness=sum(known) / len(known),
            )
        )
    last_key = (
        Cycle.objects.filter(
            year=cycle.year - 1, organiser_id=cycle.organiser_id, family=cycle.family
        )
        .values_list("key", flat=True)
        .first()
    )
    return [
        UnitForecast(
            code=code,
            name=name,
            group=group,
            last=row.last,
            result=result,
            risk=forecast.risk(result, row.last),
            last_key=last_key if previous[unit_id].comparison == "same" else None,
        )
        for (unit_id, code, name, group), row, result in zip(
            participants, rows, forecast.forecast_all(rows, spread), strict=True
        )
    ]


def indices(user) -> tuple[list[IndexProgress], forecast.BacktestError | None]:
    """Every index the user may see (its latest year) with its progress and forecasts, and the
    back-test error the forecasts' intervals are made from."""
    return indices_of(result_cycles_visible_to(user, Cycle.objects.all()))


def indices_of(cycles) -> tuple[list[IndexProgress], forecast.BacktestError | None]:
    """`indices` over a queryset of cycles already scoped (the Chairman's briefing: every cycle)."""
    visible = list(cycles.select_related("organiser").prefetch_related("phases"))
    shown = _latest_per_index(visible)
    tested = backtest_cycle(visible)
    ids = [c.pk for c in shown] + ([tested.pk] if tested else [])
    items = _item_figures(ids)
    error = backtest(tested, items)
    spread = error.rmse if error else forecast.DEFAULT_SPREAD

    progress = {c.pk: IndexProgress(cycle=c, phase=_phase_of(c)) for c in shown}
    for (cycle_id, _), figures in items.items():
        if cycle_id in progress:
            progress[cycle_id].leaves += figures["leaves"]
            progress[cycle_id].appraised += figures["appraised"]
    for cycle_id, state, n in (
        Assessment.objects.filter(cycle_id__in=progress)
        .values_list("cycle_id", "state")
        .annotate(n=Count("id"))
        .order_by()
    ):
        progress[cycle_id].assessments[state] = n

    waves = list(
        Wave.objects.filter(cycle_id__in=progress).select_related("version__questionnaire")
    )
    targets, responses = _survey_coverage(waves)
    unit_coverage: dict[int, dict[int, list[int]]] = defaultdict(
        lambda: defaultdict(lambda: [0, 0])
    )
    for wave in waves:
        progress[wave.cycle_id].waves.append(
            WaveProgress(
                wave,
                sum(n for (w, _), n in responses.items() if w == wave.pk),
                sum(n for (w, _), n in targets.items() if w == wave.pk),
            )
        )
    for (wave_id, unit_id), n in targets.items():
        cycle_id = next(w.cycle_id for w in waves if w.pk == wave_id)
        unit_coverage[cycle_id][unit_id][1] += n
        unit_coverage[cycle_id][unit_id][0] += responses.get((wave_id, unit_id), 0)

    for entry in progress.values():
        if entry.cycle.state in IN_PROGRESS:
            coverage = {
                unit_id: min(1.0, got / wanted)
                for unit_id, (got, wanted) in unit_coverage[entry.cycle.pk].items()
                if wanted
            }
            entry.forecasts = _forecasts(entry.cycle, items, coverage, spread)
    return [progress[c.pk] for c in shown], error
