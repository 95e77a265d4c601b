"""Reading a results snapshot (results/snapshot.py): profiles, heatmap, distributions, averages, awards.

Plain functions over the snapshot dict, so that the staff screens, the public site and the printed
reports say the same thing from the same numbers.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import mean, median


def by_code(snapshot: dict) -> dict[str, dict]:
    return {u["code"]: u for u in snapshot["units"]}


def group_units(snapshot: dict, group: str) -> list[dict]:
    return [u for u in snapshot["units"] if u["group"] == group]


def domain_titles(snapshot: dict) -> list[tuple[str, str]]:
    """Every domain code and title met in the snapshot, in framework order of first appearance."""
    seen: dict[str, str] = {}
    for unit in snapshot["units"]:
        for d in unit["domains"]:
            seen.setdefault(d["code"], d["title"])
    return sorted(seen.items(), key=lambda item: [int(p) for p in item[0].split(".")])


def _domain_index(unit: dict, code: str) -> float | None:
    return next((d["index"] for d in unit["domains"] if d["code"] == code), None)


def domain_comparison(snapshot: dict, unit: dict) -> list[dict]:
    """The unit's index per domain beside its group's mean and best (bonus/penalty parts in points)."""
    peers = group_units(snapshot, unit["group"])
    rows = []
    for d in unit["domains"]:
        values = [
            v
            for peer in peers
            for pd in peer["domains"]
            if pd["code"] == d["code"]
            and (v := (pd["points"] if d.get("extra") else pd["index"])) is not None
        ]
        own = d["points"] if d.get("extra") else d["index"]
        rows.append(
            {
                "code": d["code"],
                "title": d["title"],
                "extra": d.get("extra", False),
                "points": d["points"],
                "max": d["max"],
                "value": own,
                "group_mean": round(mean(values), 2) if values else None,
                "group_best": max(values) if values else None,
                "gap_to_mean": None if own is None or not values else round(own - mean(values), 2),
            }
        )
    return rows


def biggest_losses(snapshot: dict, unit: dict, limit: int = 10) -> list[dict]:
    """The leaves where the unit loses most points compared with its group's mean on that leaf."""
    peers = group_units(snapshot, unit["group"])
    group_points = defaultdict(list)
    for peer in peers:
        for code, (points, _max, applicable) in peer["leaves"].items():
            if applicable:
                group_points[code].append(points)
    losses = []
    for code, (points, maximum, applicable) in unit["leaves"].items():
        if not applicable or not group_points[code] or maximum <= 0:
            continue
        group_mean = mean(group_points[code])
        gap = group_mean - points
        if gap > 0.005:
            losses.append(
                {
                    "code": code,
                    "points": points,
                    "max": maximum,
                    "group_mean": round(group_mean, 2),
                    "group_best": max(group_points[code]),
                    "loss": round(gap, 2),
                    "lost_to_full": round(maximum - points, 2),
                }
            )
    losses.sort(key=lambda row: (-row["loss"], row["code"]))
    return losses[:limit]


def heatmap(snapshot: dict, group: str | None = None) -> dict:
    """Units × domains (index per domain, scored domains only), units in rank order."""
    domains = [
        (code, title)
        for code, title in domain_titles(snapshot)
        if not any(
            d.get("extra") for u in snapshot["units"] for d in u["domains"] if d["code"] == code
        )
    ]
    units = [u for u in snapshot["units"] if group is None or u["group"] == group]
    return {
        "domains": domains,
        "rows": [
            {
                "code": u["code"],
                "name": u["name"],
                "rank": u["rank"],
                "values": [_domain_index(u, code) for code, _ in domains],
            }
            for u in units
        ],
    }


def distribution(units: list[dict], width: float = 5.0) -> list[tuple[float, int]]:
    """Counts of indexes in bins of `width` points: [(bin start, count)], empty bins included."""
    values = [u["index"] for u in units if u["index"] is not None]
    if not values:
        return []
    start = width * int(min(values) // width)
    counts = []
    edge = start
    while edge <= max(values):
        counts.append((edge, sum(1 for v in values if edge <= v < edge + width)))
        edge += width
    return counts


def _share(points, maximum) -> float | None:
    return round(100 * points / maximum, 2) if maximum else None


def city_averages(snapshot: dict) -> dict:
    """Mean index per domain over every unit, and the appraisal part against the survey part (%)."""
    per_domain = defaultdict(list)
    for unit in snapshot["units"]:
        for d in unit["domains"]:
            if d["index"] is not None:
                per_domain[d["code"]].append(d["index"])
    units = [u for u in snapshot["units"] if u["index"] is not None]
    appraisal = [_share(u["appraisal_points"], u["appraisal_maximum"]) for u in units]
    survey = [_share(u["survey_points"], u["survey_maximum"]) for u in units]
    return {
        "domains": [
            {"code": code, "title": title, "mean_index": round(mean(per_domain[code]), 2)}
            for code, title in domain_titles(snapshot)
            if per_domain[code]
        ],
        "mean_index": round(mean(u["index"] for u in units), 2) if units else None,
        "median_index": round(median(u["index"] for u in units), 2) if units else None,
        "appraisal_percent": round(mean(v for v in appraisal if v is not None), 2)
        if any(v is not None for v in appraisal)
        else None,
        "survey_percent": round(mean(v for v in survey if v is not None), 2)
        if any(v is not None for v in survey)
        else None,
    }


def awards(snapshot: dict, top_n: int = 3, progress_n: int = 2) -> list[dict]:
    """The proposal list for the awards decision: per group the top N by rank (ties all in), and the
    units of outstanding progress (DOMAIN.md §8), else notable, largest gain first, up to `progress_n`.
    """
    proposals = []
    for group in snapshot["groups"]:
        units = group_units(snapshot, group["name"])
        for unit in units:
            if unit["rank"] is not None and unit["rank"] <= top_n:
                proposals.append({"reason": "top", **_proposal(unit)})
        movers = [u for u in units if u["progress"] in ("outstanding", "notable")]
        movers.sort(key=lambda u: (u["progress"] != "outstanding", -(u["change"] or 0), u["code"]))
        for unit in movers[:progress_n]:
            proposals.append({"reason": "progress", **_proposal(unit)})
    return proposals


def _proposal(unit: dict) -> dict:
    return {
        "code": unit["code"],
        "name": unit["name"],
        "group": unit["group"],
        "index": unit["index"],
        "rank": unit["rank"],
        "change": unit["change"],
        "rank_change": unit["rank_change"],
        "progress": unit["progress"],
    }


def largest_gains(snapshot: dict, limit: int = 5) -> list[dict]:
    """Units with the largest change in index (those with a previous year), largest first."""
    units = [u for u in snapshot["units"] if u["change"] is not None]
    units.sort(key=lambda u: (-u["change"], u["code"]))
    return units[:limit]


def rank_is_distinct(unit: dict, threshold: float = 0.95) -> bool | None:
    """Whether the unit is very likely ahead of the next-ranked unit (None for the last)."""
    p = unit.get("p_ahead_of_next")
    return None if p is None else p >= threshold


def history(snapshots: list[dict], code: str) -> list[dict]:
    """The unit's index and rank in each of the given snapshots (one per year), oldest first."""
    rows = []
    for snap in sorted(snapshots, key=lambda s: s["cycle"]["year"]):
        unit = by_code(snap).get(code)
        if unit is not None:
            rows.append(
                {"year": snap["cycle"]["year"], "index": unit["index"], "rank": unit["rank"]}
            )
    return rows
