"""A cycle's results as one plain dict: what a publication freezes, and what reports and pages read.

Everything the public may see is in here and nothing else: the public site and the open-data files are
made from a Publication's snapshot, never from the live tables.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from decimal import Decimal

from core.collation import by_name
from cycles.models import Cycle
from frameworks.models import Node
from surveys.sipas_index import frozen_counts

from . import ranking
from .models import ResultSettings, UnitResult

FORMAT = 1


def _num(value) -> float | None:
    return None if value is None else float(value)


def _unit(result: UnitResult) -> dict:
    unit = result.unit
    return {
        "code": unit.code,
        "name": unit.display_name,
        "kind": unit.kind,
        "group": result.ranking_group,
        "index": _num(result.index),
        "rank": result.rank,
        "group_size": result.group_size,
        "band": result.band,
        "total": _num(result.total),
        "maximum": _num(result.maximum),
        "appraisal_points": _num(result.appraisal_points),
        "appraisal_maximum": _num(result.appraisal_maximum),
        "survey_points": _num(result.survey_points),
        "survey_maximum": _num(result.survey_maximum),
        "extra_points": _num(result.extra_points),
        "rank_low": result.rank_low,
        "rank_high": result.rank_high,
        "p_ahead_of_next": result.p_ahead_of_next,
        "previous_index": _num(result.previous_index),
        "previous_rank": result.previous_rank,
        "change": _num(result.change),
        "rank_change": result.rank_change,
        "p_gain": result.p_gain,
        "comparison": result.comparison,
        "compared_with": result.compared_with,
        "progress": result.progress,
        "survey_missing": result.survey_missing,
        "domains": [
            {
                "code": d["code"],
                "title": d["title"],
                "points": float(Decimal(d["points"])),
                "max": float(Decimal(d["max"])),
                "index": None if d["index"] is None else float(Decimal(d["index"])),
                "extra": d.get("extra", False),
            }
            for d in result.domains
        ],
        "leaves": {
            code: [float(Decimal(p)), float(Decimal(m)), bool(a)]
            for code, (p, m, a) in sorted(result.leaves.items())
        },
    }


def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 2) if values else None


def _groups(units: list[dict]) -> list[dict]:
    members = defaultdict(list)
    for unit in units:
        members[unit["group"]].append(unit)
    groups = []
    for name in sorted(members):
        rows = members[name]
        changes = [u["change"] for u in rows if u["change"] is not None]
        groups.append(
            {
                "name": name,
                "size": len(rows),
                "mean_index": _mean(u["index"] for u in rows),
                "mean_previous_index": _mean(u["previous_index"] for u in rows),
                "mean_change": _mean(changes),
                "mean_appraisal_points": _mean(u["appraisal_points"] for u in rows),
                "mean_survey_points": _mean(u["survey_points"] for u in rows),
                "best_index": max(
                    (u["index"] for u in rows if u["index"] is not None), default=None
                ),
                "units": [u["code"] for u in rows],
            }
        )
    return groups


def _leaf_titles(cycle: Cycle) -> dict[str, str]:
    """Titles of the framework nodes by code, where every framework of the cycle agrees on it."""
    titles: dict[str, set[str]] = defaultdict(set)
    for code, title in Node.objects.filter(framework__cycle=cycle).values_list("code", "title"):
        titles[code].add(title)
    return {code: found.pop() for code, found in sorted(titles.items()) if len(found) == 1}


def build(cycle: Cycle) -> dict:
    """The snapshot of the cycle's current results, units ordered by group, rank and name."""
    results = (
        UnitResult.objects.filter(cycle=cycle)
        .select_related("unit")
        .order_by("ranking_group", "rank", by_name("unit__name"), "unit__code")
    )
    units = [_unit(r) for r in results]
    settings = ResultSettings.objects.for_cycle(cycle)
    return {
        "format": FORMAT,
        "cycle": {
            "year": cycle.year,
            "title": cycle.title,
            "key": cycle.key,
            "family": cycle.family,
            # Whose letterhead its documents carry (None: the city's, from settings).
            "organiser": cycle.organiser.code if cycle.organiser_id else None,
        },
        "bands": [
            {"code": code, "min": float(minimum)}
            for code, minimum in ranking.parse_bands(settings.bands)
        ],
        "awards": {"top_n": settings.awards_top_n, "progress_n": settings.awards_progress_n},
        "leaf_titles": _leaf_titles(cycle),
        "groups": _groups(units),
        "units": units,
    }


def for_publication(cycle: Cycle) -> dict:
    """The snapshot a publication freezes (and a report is made from): the results, and the counts
    behind the cycle's SIPAS figures (None: no SIPAS wave), which the public site, the API and the open
    data compute SIPAS from once the cycle is published (results/sipas_public.py). Counting reads every
    response of the cycle's SIPAS waves, so the results pages, which need none of it, use `build`."""
    return build(cycle) | {"sipas_counts": frozen_counts(cycle)}


def digest(snapshot: dict) -> str:
    """A checksum of a snapshot's content, independent of key order."""
    text = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
