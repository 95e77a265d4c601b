"""The five-year review (2021–2025, seeds/003): trends per unit through lineage, per ranking group and per
domain, read from the city's published snapshots, with the provincial series beside them.

`load()` reads the database (the latest publication of each of the city's cycles, the units' lineage, the
provincial values); `trends()` is plain arithmetic on what it read, tested on its own. Decisions are in
docs/results.md ("Đánh giá 5 năm").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from core.collation import sort_key
from cycles.models import Cycle, CycleState, IndexFamily
from units.models import Unit

from .models import ProvincialSeries, ProvincialValue, Publication

REVIEW_YEARS = tuple(range(2021, 2026))

# The city's indices whose results the review reads: every family but the provincial self-assessment
# (the city's own standing, shown through the provincial series) and the internal ones (an organiser's
# offices). A unit scored by two in one year is read from the first family of this order.
FAMILIES = (
    IndexFamily.CITY,
    IndexFamily.DEPARTMENTS,
    IndexFamily.COMMUNES,
    IndexFamily.PUBLIC_SERVICE,
    IndexFamily.CENTRAL_AGENCIES,
)


@dataclass
class Year:
    """One year's published results: {code: snapshot unit} and the cycles they come from."""

    year: int
    units: dict[str, dict] = field(default_factory=dict)
    cycles: list[dict] = field(default_factory=list)  # [{"key", "title", "version"}]


def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 2) if values else None


def traced(code: str, year: Year, lineage: dict[str, list[str]], _seen=()) -> tuple:
    """(index, codes) of a unit in a year: its own result, else the plain mean of its predecessors'
    (each traced the same way, so a merger of merged units goes back to the first ones), else (None, [])."""
    own = year.units.get(code)
    if own is not None and own.get("index") is not None:
        return own["index"], [code]
    found, codes = [], []
    for predecessor in lineage.get(code, ()):
        if predecessor in _seen or predecessor == code:
            continue  # a cycle in the catalogue's lineage is never followed twice
        value, sources = traced(predecessor, year, lineage, (*_seen, code))
        if value is not None:
            found.append(value)
            codes.extend(sources)
    return (_mean(found), sorted(set(codes))) if found else (None, [])


def _change(values: list) -> float | None:
    present = [v for v in values if v is not None]
    return round(present[-1] - present[0], 2) if len(present) >= 2 else None


def _unit_rows(years, lineage, names) -> list[dict]:
    """The units of the latest year with results, through lineage; then every other unit that had a
    result in the period and that none of them continues (a district dissolved on 1/7/2025)."""
    latest = next((y for y in reversed(years) if y.units), None)
    current = (
        sorted(latest.units.values(), key=lambda u: (u["group"], sort_key(u["name"])))
        if latest
        else []
    )
    rows, covered = [], set()
    for unit in current:
        cells = []
        for year in years:
            value, sources = traced(unit["code"], year, lineage)
            own = sources == [unit["code"]]
            cells.append({"index": value, "own": own, "from": [] if own else sources})
            covered.update(sources)
        rows.append(_row(unit["code"], names.get(unit["code"], unit["name"]), unit["group"], cells))
    former = {}
    for year in years:
        for code, unit in year.units.items():
            if code not in covered:
                former[code] = unit
    for code, unit in sorted(former.items(), key=lambda item: sort_key(item[1]["name"])):
        cells = [
            {"index": (y.units.get(code) or {}).get("index"), "own": code in y.units, "from": []}
            for y in years
        ]
        rows.append(_row(code, names.get(code, unit["name"]), unit["group"], cells, former=True))
    return rows


def _row(code, name, group, cells, former=False) -> dict:
    values = [c["index"] for c in cells]
    return {
        "code": code,
        "name": name,
        "group": group,
        "cells": cells,
        "values": values,
        "change": _change(values),
        "former": former,
        "through_lineage": any(c["from"] for c in cells),
    }


def _group_rows(years, units: list[dict]) -> list[dict]:
    """Each group of the latest year: the mean of its units' traced indices per year (so the 2024 mean
    of the departments is that of the departments as they are now); then the groups that no longer
    exist, with the mean of their own units' published indices."""
    rows, current = [], []
    for unit in units:
        if not unit["former"] and unit["group"] not in current:
            current.append(unit["group"])
    for group in current:
        members = [u for u in units if u["group"] == group and not u["former"]]
        values = [_mean(u["values"][i] for u in members) for i in range(len(years))]
        counts = [sum(u["values"][i] is not None for u in members) for i in range(len(years))]
        rows.append(
            {
                "name": group,
                "values": values,
                "counts": counts,
                "change": _change(values),
                "former": False,
            }
        )
    former: dict[str, list] = defaultdict(lambda: [[] for _ in years])
    for i, year in enumerate(years):
        for unit in year.units.values():
            if unit["group"] not in current and unit.get("index") is not None:
                former[unit["group"]][i].append(unit["index"])
    for group in sorted(former, key=sort_key):
        values = [_mean(found) for found in former[group]]
        counts = [len(found) for found in former[group]]
        rows.append(
            {
                "name": group,
                "values": values,
                "counts": counts,
                "change": _change(values),
                "former": True,
            }
        )
    return rows


def _domain_rows(years) -> list[dict]:
    """The city-wide index of each domain per year: points over maximum summed over the units that have
    the domain (so a unit's weight is its domain's maximum), the latest title; a year whose import kept
    the index only has none."""
    sums: dict[str, list] = defaultdict(lambda: [[0.0, 0.0] for _ in years])
    titles: dict[str, str] = {}
    for i, year in enumerate(years):
        for unit in year.units.values():
            for domain in unit.get("domains", ()):
                if domain.get("extra") or not domain.get("max"):
                    continue
                sums[domain["code"]][i][0] += domain["points"]
                sums[domain["code"]][i][1] += domain["max"]
                titles[domain["code"]] = domain["title"]
    rows = []
    for code in sorted(sums, key=_code_order):
        values = [round(p / m * 100, 2) if m else None for p, m in sums[code]]
        rows.append(
            {"code": code, "title": titles[code], "values": values, "change": _change(values)}
        )
    return rows


def _code_order(code: str) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in code.split(".")) + (code,)


def trends(years: list[Year], lineage: dict[str, list[str]], provincial: dict, names=None) -> dict:
    """Everything the review page and its annexes show; `provincial` is {series: {year: value}}."""
    names = names or {}
    units = _unit_rows(years, lineage, names)
    city = [_mean(u.get("index") for u in y.units.values()) for y in years]
    return {
        "years": [y.year for y in years],
        "cycles": [y.cycles for y in years],
        "missing": [y.year for y in years if not y.units],
        "city": {"values": city, "counts": [len(y.units) for y in years], "change": _change(city)},
        "units": units,
        "groups": _group_rows(years, units),
        "domains": _domain_rows(years),
        "provincial": [
            {
                "series": series,
                "label": str(label),
                "values": [provincial.get(series, {}).get(y.year) for y in years],
            }
            for series, label in ProvincialSeries.choices
        ],
    }


def load(years=REVIEW_YEARS) -> dict:
    """The review from the database: each year's latest publication of every city index (FAMILIES)."""
    found = {year: Year(year) for year in years}
    cycles = Cycle.objects.filter(
        organiser=None, year__in=list(years), family__in=FAMILIES, state=CycleState.PUBLISHED
    )
    order = {family: i for i, family in enumerate(FAMILIES)}
    for cycle in sorted(cycles, key=lambda c: (c.year, order[c.family])):
        publication = (
            Publication.objects.filter(cycle=cycle)
            .order_by("-version")
            .only("snapshot", "version")
            .first()
        )
        if publication is None:
            continue
        year = found[cycle.year]
        year.cycles.append({"key": cycle.key, "title": cycle.title, "version": publication.version})
        for unit in publication.snapshot["units"]:
            year.units.setdefault(unit["code"], unit)
    lineage: dict[str, list[str]] = defaultdict(list)
    for successor, predecessor in Unit.predecessors.through.objects.values_list(
        "from_unit__code", "to_unit__code"
    ):
        lineage[successor].append(predecessor)
    provincial: dict[str, dict] = defaultdict(dict)
    for row in ProvincialValue.objects.filter(year__in=list(years)):
        provincial[row.series][row.year] = float(row.value)
    return trends([found[y] for y in years], dict(lineage), dict(provincial))
