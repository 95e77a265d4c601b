"""SIPAS of a year per unit, per family and for the city (docs/surveys.md, "Chỉ số SIPAS"): the
counts read from the database (`sql_stats.counts`, plus one pass over the assessment answers), the
weighting and the figures in `surveys.sipas_weights`.

A SIPAS wave is one whose questionnaire has satisfaction items of the `service` or `policy` parts.
Several waves of the year (one per cycle) add up per unit. The callers choose the cycles: the public API
and pages only published ones (results.sipas_public)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from core.collation import sort_key
from cycles.models import Cycle
from cycles.organisers import family_of_kind
from frameworks.survey_binding import SIPAS_DIMENSIONS
from units.models import Unit

from . import sipas_weights as sw
from .aggregates import dimensions
from .models import Response, Wave
from .sql_stats import ItemCounts, counts, layout

PARTS = ("service", "policy")
SERVICE_ELEMENTS = (
    "service/access",
    "service/procedures",
    "service/civil_servants",
    "service/results",
    "service/feedback",
)
EXPECTATION_PREFIX = "expect_"
EXPECTED = (3, 4)  # "Mong đợi", "Rất mong đợi" on the 4-point scale
SUITABLE = (3, 4)  # "Phù hợp", "Rất phù hợp"
# Single-choice assessment questions: the indicator is the share of the answer named here.
ASSESSMENTS = {
    "harassment": "none",
    "unofficial_payment": "none",
    "consult_willing": "yes",
}
CHANNELS = "info_channels"
SUITABILITY = (
    "info_channels_suitability",
    "submit_in_person",
    "submit_online_full",
    "submit_online_partial",
)
INDICATOR_LABELS = {
    "indicator/harassment": SIPAS_DIMENSIONS["indicator/harassment"],
    "indicator/unofficial_payment": SIPAS_DIMENSIONS["indicator/unofficial_payment"],
    "indicator/consult_willing": gettext_lazy("Tỷ lệ sẵn sàng góp ý chính sách"),
    "suitability/info_channels_suitability": gettext_lazy(
        "Kênh cung cấp thông tin phù hợp, rất phù hợp"
    ),
    "suitability/submit_in_person": gettext_lazy("Nộp hồ sơ trực tiếp phù hợp, rất phù hợp"),
    "suitability/submit_online_full": gettext_lazy(
        "Dịch vụ công trực tuyến toàn trình phù hợp, rất phù hợp"
    ),
    "suitability/submit_online_partial": gettext_lazy(
        "Dịch vụ công trực tuyến một phần phù hợp, rất phù hợp"
    ),
}
CHANNEL_PREFIX = "channel/"


def is_sipas(wave: Wave) -> bool:
    return any(d.partition("/")[0] in PARTS for d in dimensions(wave).values())


def sipas_waves(cycles: Iterable[Cycle]) -> list[Wave]:
    waves = Wave.objects.filter(cycle__in=list(cycles)).select_related("version", "cycle")
    return [w for w in waves.order_by("cycle__key", "opens_at", "pk") if is_sipas(w)]


@dataclass
class Plan:
    """What a year's waves ask: satisfaction items with their dimension, expectation and
    suitability questions, indicators, and labels of everything."""

    dimension_of: dict[str, str]
    expectations: list[str]
    indicators: list[str]
    labels: dict[str, str]


def _plan(waves: list[Wave]) -> Plan:
    dimension_of: dict[str, str] = {}
    expectations: list[str] = []
    indicators: list[str] = []
    labels: dict[str, str] = {k: str(v) for k, v in SIPAS_DIMENSIONS.items()}
    for wave in waves:
        for name, dimension in dimensions(wave).items():
            if dimension.partition("/")[0] in PARTS:
                dimension_of.setdefault(name, dimension)
        for q in wave.version.parsed():
            labels.setdefault(q.name, q.label)
            if q.type == "scale4" and q.name.startswith(EXPECTATION_PREFIX):
                if q.name not in expectations:
                    expectations.append(q.name)
            elif q.type == "scale4" and q.name in SUITABILITY:
                key = f"suitability/{q.name}"
                if key not in indicators:
                    indicators.append(key)
            elif q.type == "single" and q.name in ASSESSMENTS:
                key = f"indicator/{q.name}"
                if key not in indicators:
                    indicators.append(key)
            elif q.type == "multiple" and q.name == CHANNELS:
                for value, label in q.choices:
                    key = f"{CHANNEL_PREFIX}{value}"
                    labels.setdefault(key, label)
                    if key not in indicators:
                        indicators.append(key)
    labels.update({k: str(v) for k, v in INDICATOR_LABELS.items()})
    order = {name: i for i, name in enumerate(SUITABILITY)}
    indicators.sort(key=lambda k: (k.startswith(CHANNEL_PREFIX), order.get(k, 0)))
    return Plan(dimension_of, expectations, indicators, labels)


def _answer_indicators(wave: Wave, plan: Plan) -> dict[int, dict[str, ItemCounts]]:
    """{unit id: {indicator key: counts}} of the single-choice and channel questions, in one pass over
    those answers only (a JSON key each)."""
    singles = [k.removeprefix("indicator/") for k in plan.indicators if k.startswith("indicator/")]
    channels = any(k.startswith(CHANNEL_PREFIX) for k in plan.indicators)
    names = singles + ([CHANNELS] if channels else [])
    if not names:
        return {}
    tallies: dict[int, dict[str, list[int]]] = {}
    rows = (
        Response.objects.filter(wave=wave, excluded=False)
        .values_list("unit_id", *[f"answers__{name}" for name in names])
        .iterator(chunk_size=5000)
    )
    for unit_id, *values in rows:
        tally = tallies.setdefault(unit_id, {})
        for name, value in zip(names, values, strict=True):
            if name == CHANNELS:
                if isinstance(value, list) and value:
                    for key in plan.indicators:
                        if key.startswith(CHANNEL_PREFIX):
                            t = tally.setdefault(key, [0, 0])
                            t[0] += 1
                            t[1] += key.removeprefix(CHANNEL_PREFIX) in value
            elif isinstance(value, str) and value:
                t = tally.setdefault(f"indicator/{name}", [0, 0])
                t[0] += 1
                t[1] += value == ASSESSMENTS[name]
    return {
        unit_id: {key: ItemCounts(n, hits, hits) for key, (n, hits) in tally.items()}
        for unit_id, tally in tallies.items()
    }


def _merge(into: dict[str, ItemCounts], more: dict[str, ItemCounts]) -> None:
    for key, value in more.items():
        into[key] = sw.merge(into[key], value) if key in into else value


def _absorb(into: sw.UnitInput, more: sw.UnitInput) -> None:
    """A unit's counts from one more wave added: responses and answers summed, the population the
    larger (several waves of a year count the same dossiers)."""
    into.responses += more.responses
    _merge(into.items, more.items)
    _merge(into.expectations, more.expectations)
    _merge(into.indicators, more.indicators)
    if more.population:
        into.population = max(into.population or 0, more.population)


def unit_inputs(waves: list[Wave], plan: Plan) -> dict[int, sw.UnitInput]:
    """{unit id: UnitInput} summed over the waves; the population is the largest dossier count a wave
    gives the unit (several waves of a year count the same dossiers)."""
    inputs: dict[int, sw.UnitInput] = {}
    families: dict[int, str] = {}
    suitability = [k.removeprefix("suitability/") for k in plan.indicators if "suitability/" in k]
    for wave in waves:
        names = [n for n, d in dimensions(wave).items() if n in plan.dimension_of]
        satisfaction = counts(wave.pk, names)
        scale4_names = plan.expectations + suitability
        scale4 = counts(wave.pk, scale4_names, satisfied=EXPECTED) if scale4_names else {}
        answered = _answer_indicators(wave, plan)
        population = dict(wave.targets.values_list("unit_id", "dossiers"))
        kinds = dict(
            Unit.objects.filter(pk__in=set(satisfaction) | set(population)).values_list(
                "pk", "kind"
            )
        )
        for unit_id in set(satisfaction) | set(population):
            families.setdefault(unit_id, family_of_kind(kinds[unit_id], wave.cycle.family))
            more = sw.UnitInput(unit_id, families[unit_id], 0, population.get(unit_id))
            found = satisfaction.get(unit_id)
            if found is not None:
                more.responses, more.items = found.responses, dict(found.items)
            if unit_id in scale4:
                extra = scale4[unit_id].items
                more.expectations = {n: extra[n] for n in plan.expectations if n in extra}
                more.indicators = {f"suitability/{n}": extra[n] for n in suitability if n in extra}
            _merge(more.indicators, answered.get(unit_id, {}))
            _absorb(inputs.setdefault(unit_id, sw.UnitInput(unit_id, families[unit_id], 0)), more)
    return inputs


def frozen_counts(cycle: Cycle) -> dict | None:
    """The counts SIPAS of `cycle`'s own waves is computed from, as plain data: what a publication keeps
    (results/snapshot.py), so the published figures never move when a response is excluded later.
    None when the cycle has no SIPAS wave."""
    waves = sipas_waves([cycle])
    if not waves:
        return None

    def plain(found: dict[str, ItemCounts]) -> dict:
        return {key: [c.n, c.successes, c.total] for key, c in sorted(found.items())}

    units = sorted(unit_inputs(waves, _plan(waves)).values(), key=lambda u: u.unit_id)
    return {
        "units": [
            {
                "unit": u.unit_id,
                "family": u.family,
                "responses": u.responses,
                "population": u.population,
                "items": plain(u.items),
                "expectations": plain(u.expectations),
                "indicators": plain(u.indicators),
            }
            for u in units
        ]
    }


def _thawed(data: dict) -> list[sw.UnitInput]:
    def counts_of(found: dict) -> dict[str, ItemCounts]:
        return {key: ItemCounts(*values) for key, values in found.items()}

    return [
        sw.UnitInput(
            u["unit"],
            u["family"],
            u["responses"],
            u["population"],
            counts_of(u["items"]),
            counts_of(u["expectations"]),
            counts_of(u["indicators"]),
        )
        for u in data["units"]
    ]


@dataclass
class SipasYear:
    year: int
    cycles: list[Cycle]
    plan: Plan
    weights: dict[int, sw.Weight]
    city: dict
    families: dict[str, dict]
    units: list[dict]  # {"unit", "family", "weight", "figures"}, in the collation order

    @property
    def empty(self) -> bool:
        return not self.units


def year_index(
    year: int, cycles: Iterable[Cycle], frozen: Mapping[int, dict] | None = None
) -> SipasYear:
    """SIPAS of `year` from the SIPAS waves of `cycles` (each of that year). `frozen`: {cycle id: its
    `frozen_counts`} for the cycles whose counts a publication kept; the others are counted live. The
    questions and their labels come from the waves' questionnaire versions, which never change."""
    cycles = [c for c in cycles if c.year == year]
    frozen = frozen or {}
    waves = sipas_waves(cycles)
    plan = _plan(waves)
    inputs = unit_inputs([w for w in waves if w.cycle_id not in frozen], plan)
    for data in frozen.values():
        for more in _thawed(data):
            unit = inputs.setdefault(more.unit_id, sw.UnitInput(more.unit_id, more.family, 0))
            _absorb(unit, more)
    weight_of = sw.weights(list(inputs.values()))
    shape = layout(plan.dimension_of)
    args = (plan.dimension_of, plan.expectations, plan.indicators, shape)
    city = sw.figures(list(inputs.values()), weight_of, *args)
    families = {}
    for family in sorted({u.family for u in inputs.values()}):
        members = [u for u in inputs.values() if u.family == family]
        families[family] = sw.figures(members, weight_of, *args)
    units = sorted(Unit.objects.filter(pk__in=list(inputs)), key=lambda u: sort_key(u.name))
    rows = [
        {
            "unit": unit,
            "family": inputs[unit.pk].family,
            "weight": weight_of.get(unit.pk),
            "figures": sw.unit_figures(inputs[unit.pk], *args),
        }
        for unit in units
    ]
    return SipasYear(year, cycles, plan, weight_of, city, families, rows)
