"""The PAR Index of every unit of a cycle: points per node, index, rank, band, change and rank interval.

Deterministic and idempotent: the same assessments and survey figures give the same rows, and running
it twice changes nothing (the Monte Carlo is seeded). Reads with a handful of queries whatever the
number of units, and no more than it needs: a province recomputes some 300 small cycles (indices at
every level), where each round trip to the database counts more than the arithmetic (docs/results.md,
"Many small cycles"). Writes every row of the cycle in one transaction.
"""

from __future__ import annotations

from collections import defaultdict, namedtuple
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db import connection, models, transaction

from assessments.models import Item, NaDecision
from cycles.models import Cycle, IndexFamily
from frameworks import tree
from frameworks.models import Node
from frameworks.scoring import EXTRA_RULES, READ_ONLY_RULES
from units.models import Unit

from . import ranking, uncertainty
from .models import ResultSettings, UnitResult

ZERO = Decimal("0")
# (cycle, {questionnaire code: its survey leaves' codes}) → {(unit id, leaf code): answers behind the
# leaf}; wired by the project (results/apps.py), called only for a cycle that has survey leaves.
SurveySamples = Callable[[Cycle, dict[str, set[str]]], dict[tuple[int, str], int]]
SURVEY_SAMPLES: list[SurveySamples] = []
# Item rows beyond which a cycle's points are streamed from a server-side cursor (a national cycle of
# thousands of units) rather than fetched in one round trip (a province's many small ones).
STREAM_ABOVE = 50_000

Progress = Callable[[int, str], None]


def _no_progress(percent: int, message: str) -> None:
    return None


@dataclass
class LeafInfo:
    code: str
    domain: int  # position of its domain in Shape.domains
    max_points: Decimal
    rule: str

    @property
    def part(self) -> str:
        if self.rule in EXTRA_RULES:
            return "extra"
        return "survey" if self.rule == "survey" else "appraisal"


@dataclass
class Shape:
    """A framework as the computation needs it: its leaves in order, and its domains."""

    leaves: list[LeafInfo] = field(default_factory=list)
    position: dict[int, int] = field(default_factory=dict)  # node id → position in leaves
    domains: list[tuple[str, str, bool]] = field(default_factory=list)  # (code, title, is_extra)
    # questionnaire code → codes of the survey leaves it feeds
    survey_sources: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self):
        self.read_only: list[bool] = []
        self.max_floats: list[float] = []

    def add(self, node_id: int, leaf: LeafInfo) -> None:
        self.position[node_id] = len(self.leaves)
        self.leaves.append(leaf)
        self.read_only.append(leaf.rule in READ_ONLY_RULES)
        self.max_floats.append(float(leaf.max_points))


# A node as the computation reads it: plain tuples, not model instances (thousands per province).
NodeRow = namedtuple("NodeRow", "pk framework_id code title max_points rule rule_params")


def _shapes(cycle: Cycle) -> dict[int, Shape]:
    nodes_by_framework: dict[int, list[NodeRow]] = defaultdict(list)
    query = Node.objects.filter(framework__cycle=cycle).order_by("order", "pk")
    for values in query.values_list(*NodeRow._fields):
        node = NodeRow(*values)
        nodes_by_framework[node.framework_id].append(node)
    shapes = {}
    for framework_id, nodes in nodes_by_framework.items():
        shape = Shape()
        for root in tree.build(nodes):
            shape.domains.append((root.node.code, root.node.title, root.is_extra))
            for leaf in root.leaves():
                node = leaf.node
                shape.add(
                    node.pk,
                    LeafInfo(node.code, len(shape.domains) - 1, node.max_points, node.rule),
                )
                if node.rule == "survey":
                    source = (node.rule_params or {}).get("source", "")
                    shape.survey_sources.setdefault(source, set()).add(node.code)
        shapes[framework_id] = shape
    return shapes


@dataclass
class Row:
    unit_id: int
    group: str
    shape: Shape | None = None
    points: list[Decimal] = field(default_factory=list)  # per leaf of the shape
    applicable: list[bool] = field(default_factory=list)
    domains: list[dict] = field(default_factory=list)
    parts: dict[str, Decimal] = field(default_factory=dict)
    part_max: dict[str, Decimal] = field(default_factory=dict)
    total: Decimal = ZERO
    maximum: Decimal = ZERO
    index: Decimal | None = None
    survey_leaves: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)

    def start(self, shape: Shape) -> None:
        self.shape = shape
        self.points = [ZERO] * len(shape.leaves)
        self.applicable = [True] * len(shape.leaves)

    def leaves_json(self) -> dict[str, list]:
        """{code: [points, max, applicable]}, numbers as JSON numbers (2 decimals, exact in a float)."""
        shape = self.shape
        if shape is None:
            return {}
        return {
            leaf.code: [float(p), m, a]
            for leaf, p, m, a in zip(
                shape.leaves, self.points, shape.max_floats, self.applicable, strict=True
            )
        }


def _rows(cycle: Cycle, shapes: dict[int, Shape]) -> dict[int, Row]:
    """Every unit's leaf points: final, else appraised, else self-assessed (survey and automatic
    leaves: final, else the value filled from their source); 0 when none; accepted N/A leaves apart."""
    # No ordering (.order_by()): the models' default ones join units and nodes and sort every row.
    groups = dict(cycle.participations.values_list("unit_id", "ranking_group").order_by())
    items = Item.objects.filter(assessment__cycle=cycle, assessment__unit_id__in=list(groups))
    fields = (
        "assessment__unit_id",
        "assessment__framework_id",
        "node_id",
        "final_points",
        "appraised_points",
        "self_points",
        "not_applicable",
        "na_decision",
    )
    rows = {unit_id: Row(unit_id, group) for unit_id, group in groups.items()}
    rejected = NaDecision.REJECTED
    values = items.values_list(*fields).order_by()
    expected = len(groups) * max((len(shape.leaves) for shape in shapes.values()), default=0)
    if expected > STREAM_ABOVE:
        values = values.iterator(chunk_size=10000)
    for unit_id, framework_id, node_id, final, appraised, own, na, decision in values:
        shape = shapes[framework_id]
        at = shape.position.get(node_id)
        if at is None:
            continue
        row = rows[unit_id]
        if row.shape is not shape:
            row.start(shape)
        if na and decision != rejected:
            row.applicable[at] = False
            continue
        if final is not None:
            row.points[at] = final
        elif appraised is not None and not shape.read_only[at]:
            row.points[at] = appraised
        elif own is not None:
            row.points[at] = own
    for row in rows.values():
        if row.shape is not None:
            _sum_up(cycle, row)
    return rows


def _sum_up(cycle: Cycle, row: Row) -> None:
    shape = row.shape
    domain_points = [ZERO] * len(shape.domains)
    domain_max = [ZERO] * len(shape.domains)
    parts = {"appraisal": ZERO, "survey": ZERO, "extra": ZERO}
    part_max = {"appraisal": ZERO, "survey": ZERO, "extra": ZERO}
    for leaf, points, applicable in zip(shape.leaves, row.points, row.applicable, strict=True):
        part = leaf.part
        domain_points[leaf.domain] += points
        parts[part] += points
        if applicable:
            domain_max[leaf.domain] += leaf.max_points
            part_max[part] += leaf.max_points
            if part == "survey":
                row.survey_leaves.append((leaf.code, leaf.max_points, points))
    for (code, title, is_extra), points, maximum in zip(
        shape.domains, domain_points, domain_max, strict=True
    ):
        row.domains.append(
            {
                "code": code,
                "title": title,
                "points": str(points),
                "max": str(maximum),
                "index": None if is_extra else _text(ranking.index_of(points, maximum)),
                "extra": is_extra,
            }
        )
    row.parts, row.part_max = parts, part_max
    row.maximum = part_max["appraisal"] + part_max["survey"]
    total = max(ZERO, parts["appraisal"] + parts["survey"] + parts["extra"])
    row.total = total if cycle.total_may_exceed_max else min(total, row.maximum)
    row.index = ranking.index_of(row.total, row.maximum)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@dataclass
class Previous:
    index: Decimal | None
    rank: int | None
    comparison: str
    compared_with: list[str]


def previous_results(cycle: Cycle, unit_ids: list[int]) -> dict[int, Previous]:
    """Last year's result of each unit in the same organiser's index of the same family, following
    mergers; "new" when there is nothing to compare with.

    Last year's result is the one an index of the same organiser gave the unit (the city's: any of its
    families, as a unit may move from the combined index to a family's, but never the provincial
    self-assessment, which compares only with itself); where two gave one, the same family's.
    A unit formed from several old units compares with the plain mean of their indexes (the catalogue
    holds no population or workload to weigh them by), and has no previous rank.
    """
    last = UnitResult.objects.filter(
        cycle__year=cycle.year - 1, cycle__organiser_id=cycle.organiser_id
    )
    if cycle.family == IndexFamily.PROVINCIAL:
        last = last.filter(cycle__family=IndexFamily.PROVINCIAL)
    else:
        last = last.exclude(cycle__family=IndexFamily.PROVINCIAL)
    before: dict[int, tuple] = {}  # unit id → (index, rank, code)
    for unit_id, index, rank, code, family in last.values_list(
        "unit_id", "index", "rank", "unit__code", "cycle__family"
    ).order_by():
        if unit_id not in before or family == cycle.family:
            before[unit_id] = (index, rank, code)
    lineage = defaultdict(list)
    if before:  # the first year of an index has nothing to follow a merger back to
        for successor, predecessor in Unit.predecessors.through.objects.filter(
            from_unit_id__in=unit_ids
        ).values_list("from_unit_id", "to_unit_id"):
            lineage[successor].append(predecessor)
    result = {}
    for unit_id in unit_ids:
        if unit_id in before and before[unit_id][0] is not None:
            index, rank, code = before[unit_id]
            result[unit_id] = Previous(index, rank, "same", [code])
            continue
        found = [before[p] for p in lineage.get(unit_id, []) if p in before]
        found = [r for r in found if r[0] is not None]
        if found:
            mean = sum((index for index, _, _ in found), ZERO) / len(found)
            result[unit_id] = Previous(
                mean.quantize(ranking.TWO_PLACES),
                None,
                "lineage",
                sorted(code for _, _, code in found),
            )
        else:
            result[unit_id] = Previous(None, None, "new", [])
    return result


def _survey_samples(cycle: Cycle, shapes: dict[int, Shape]) -> dict[tuple[int, str], int]:
    leaves_by_source: dict[str, set[str]] = defaultdict(set)
    for shape in shapes.values():
        for source, codes in shape.survey_sources.items():
            leaves_by_source[source] |= codes
    samples: dict[tuple[int, str], int] = {}
    if leaves_by_source:
        for source in SURVEY_SAMPLES:
            samples.update(source(cycle, dict(leaves_by_source)))
    return samples


def _intervals(rows: list[Row], samples, previous, settings: ResultSettings, order) -> dict:
    codes = sorted({code for row in rows for code, _, _ in row.survey_leaves})
    position = {code: i for i, code in enumerate(codes)}
    units, width = len(rows), max(1, len(codes))
    fixed = np.zeros(units)
    survey_max = np.zeros((units, width))
    survey_p = np.zeros((units, width))
    survey_n = np.zeros((units, width))
    maximum = np.zeros(units)
    prev = np.full(units, np.nan)
    for u, row in enumerate(rows):
        survey = ZERO
        for code, max_points, points in row.survey_leaves:
            j = position[code]
            survey_max[u, j] = float(max_points)
            survey_p[u, j] = float(points / max_points) if max_points else 0.0
            survey_n[u, j] = samples.get((row.unit_id, code), 0)
            survey += points
        fixed[u] = float(row.total - survey)
        maximum[u] = float(row.maximum)
        if previous[row.unit_id].index is not None:
            prev[u] = float(previous[row.unit_id].index)
    found = uncertainty.group_intervals(
        uncertainty.GroupInput(fixed, survey_max, survey_p, survey_n, maximum, prev),
        np.array(order, dtype=int),
        draws=settings.draws,
        seed=settings.seed,
    )
    return {
        row.unit_id: (
            int(found.rank_low[u]),
            int(found.rank_high[u]),
            None
            if np.isnan(found.p_ahead_of_next[u])
            else round(float(found.p_ahead_of_next[u]), 4),
            None if np.isnan(found.p_gain[u]) else round(float(found.p_gain[u]), 4),
            round(float(found.index_sd[u]), 4),
        )
        for u, row in enumerate(rows)
    }


def compute(cycle: Cycle, on_progress: Progress = _no_progress) -> list[UnitResult]:
    """The cycle's results as unsaved rows (see `recompute` to store them)."""
    settings = ResultSettings.objects.for_cycle(cycle)
    bands = ranking.parse_bands(settings.bands)
    on_progress(5, "Đọc bộ tiêu chí và điểm")
    shapes = _shapes(cycle)
    rows = _rows(cycle, shapes)
    on_progress(40, "Đọc số liệu khảo sát")
    samples = _survey_samples(cycle, shapes)
    previous = previous_results(cycle, list(rows))
    by_group: dict[str, list[Row]] = defaultdict(list)
    for row in rows.values():
        by_group[row.group].append(row)
    results = []
    for done, (group, members) in enumerate(sorted(by_group.items()), start=1):
        on_progress(50 + 40 * done // max(1, len(by_group)), f"Xếp hạng khối “{group}”")
        members.sort(key=lambda r: r.unit_id)
        ranks = ranking.competition_ranks([r.index for r in members])
        order = sorted(range(len(members)), key=lambda u: (ranks[u] or 10**9, members[u].unit_id))
        intervals = _intervals(members, samples, previous, settings, order)
        changes, rank_changes, gains = {}, {}, {}
        group_results = []
        for row, rank in zip(members, ranks, strict=True):
            before = previous[row.unit_id]
            low, high, ahead, gain, sd = intervals[row.unit_id]
            change = None if before.index is None or row.index is None else row.index - before.index
            rank_change = None if before.rank is None or rank is None else before.rank - rank
            if change is not None:
                changes[row.unit_id], rank_changes[row.unit_id] = change, rank_change
                if gain is not None:
                    gains[row.unit_id] = gain
            group_results.append(
                UnitResult(
                    cycle=cycle,
                    unit_id=row.unit_id,
                    ranking_group=group,
                    total=row.total,
                    maximum=row.maximum,
                    index=row.index,
                    appraisal_points=row.parts.get("appraisal", ZERO),
                    appraisal_maximum=row.part_max.get("appraisal", ZERO),
                    survey_points=row.parts.get("survey", ZERO),
                    survey_maximum=row.part_max.get("survey", ZERO),
                    extra_points=row.parts.get("extra", ZERO),
                    rank=rank,
                    group_size=len(members),
                    band=ranking.band_of(row.index, bands),
                    rank_low=low if row.index is not None else None,
                    rank_high=high if row.index is not None else None,
                    p_ahead_of_next=ahead,
                    index_sd=sd,
                    previous_index=before.index,
                    previous_rank=before.rank,
                    change=change,
                    rank_change=rank_change,
                    p_gain=gain,
                    comparison=before.comparison,
                    compared_with=before.compared_with,
                    survey_missing=any(
                        samples.get((row.unit_id, code), 0) == 0 and points == 0
                        for code, _, points in row.survey_leaves
                    ),
                    domains=row.domains,
                    leaves=row.leaves_json(),
                )
            )
        labels = {p.unit_id: p.label for p in ranking.progress_labels(changes, rank_changes, gains)}
        for result in group_results:
            result.progress = labels.get(result.unit_id, "")
        results.extend(group_results)
    return results


def _store(cycle: Cycle, results: list[UnitResult]) -> None:
    """Replace the cycle's rows: COPY on PostgreSQL (thousands of rows with their leaves), else
    bulk_create."""
    UnitResult.objects.filter(cycle=cycle).delete()
    if connection.vendor != "postgresql":
        UnitResult.objects.bulk_create(results, batch_size=500)
        return
    fields = [f for f in UnitResult._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(UnitResult._meta.db_table)
    # Only the JSON columns go through their field (to psycopg's Jsonb): the others are already numbers,
    # text or booleans of their column's type, and asking each field for each row was a quarter of the
    # CPU of recomputing a province's cycles.
    attnames = [f.attname for f in fields]
    json_fields = [(i, f) for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for result in results:
            row = [getattr(result, name) for name in attnames]
            for i, field in json_fields:
                row[i] = field.get_db_prep_save(row[i], connection)
            copy.write_row(row)


def recompute(cycle: Cycle, on_progress: Progress = _no_progress) -> int:
    """Compute and store the cycle's results, replacing the previous rows in one transaction."""
    results = compute(cycle, on_progress)
    on_progress(92, "Lưu kết quả")
    with transaction.atomic():
        _store(cycle, results)
    on_progress(100, "Đã tính xong")
    return len(results)
