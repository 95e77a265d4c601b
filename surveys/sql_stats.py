"""Survey counts computed in the database: one query per wave (or per unit) instead of streaming every
response's answers into Python.

For each unit and each 5-point question the query returns what `surveys.stats` needs: n (valid answers
1..5), successes (answers 4 or 5) and the sum of the answers, plus the number of kept responses. Only kept
responses count (excluded = False). `figures` then turns these counts into items, elements, parts and the
overall index with exactly the rules of `stats.aggregate` (the reference, which the tests compare against
on random answers), and `weight_index` gives the officials' survey mean weight (answer 1 → 0 … 5 → 1),
since Σ likert_weight = (sum − n) / 4.

A valid answer is what `stats.valid_likert` accepts, with one restriction: a JSON integer 1..5, a
whole-number JSON number (4.0), or a string of ASCII digits with optional leading zeros and surrounding
whitespace ("4", " 04 "); booleans, other numbers and other strings are not answers. (Python's
`str.isdigit` also admits digits of other scripts; no intake path stores those.)

PostgreSQL (answers is jsonb): one scan grouped by unit with one `sum` per question. The answer text
`answers->>'q'` is looked up once per question and row; the common forms '1'..'5' are matched first, the
rest go to a slower exact check. Each question's three counts are packed into one integer per answer,
1 + success·2²⁴ + value·2⁴⁸, so that a single `sum` (numeric, no overflow) carries all three and the
aggregation can run partially in parallel workers; the counts are unpacked in Python (n and successes
stay below 2²⁴ = 16,777,216 responses per unit, which is checked). SQLite (the quick start, the plain test
run): `json_type`/`json_extract` with three aggregates per question. Nothing is cached in process memory.

`where_answer` narrows the responses to those whose answer to one single-choice question (a JSON string)
is one of the given values, e.g. the respondent groups of a framework leaf (DOMAIN.md §5.1); the question
name and the values are parameters (PostgreSQL: jsonb equality, SQLite: json_type = 'text' and
json_extract … IN).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import connections, router, transaction

from .models import Response
from .stats import SATISFIED, Share, _split_dimension, element_index, mean_index

LEVELS = (4, 5, 3, 2, 1)  # answer levels, the most frequent first (a CASE stops at the first match)
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""The characters Python's str.strip() removes (str.isspace): a digit string may carry them around it."""
BITS = 24
MASK = (1 << BITS) - 1
SETTINGS = {"work_mem": "64MB", "jit": "off"}
"""PostgreSQL settings for the aggregation statement only (restored after it): the hash table of
4,000+ units (about 3 KB each per process) stays in memory instead of spilling to disk, and no JIT
compilation, which costs seconds per worker for the 30 CASE expressions and saves less."""
_SETTINGS = "SELECT " + ", ".join(
    f"current_setting('{name}'), set_config('{name}', %s, true)" for name in SETTINGS
)


@dataclass(frozen=True)
class ItemCounts:
    """One 5-point question for one unit: valid answers, answers 4–5, sum of the valid answers."""

    n: int = 0
    successes: int = 0
    total: int = 0

    def share(self) -> Share:
        return Share.from_counts(self.successes, self.n, self.total / self.n if self.n else None)

    @property
    def weight_sum(self) -> float:
        """Σ likert_weight(answer) over the valid answers: Σ (v − 1) / 4 = (sum − n) / 4."""
        return (self.total - self.n) / 4


@dataclass(frozen=True)
class UnitCounts:
    """A unit's kept responses and the counts of each question asked for."""

    responses: int
    items: dict[str, ItemCounts]


def _codes(satisfied: Iterable[int]) -> dict[int, int]:
    satisfied = frozenset(satisfied)
    return {v: 1 + ((1 << BITS) if v in satisfied else 0) + (v << (2 * BITS)) for v in LEVELS}


def _case(subject: str, results: Mapping[int, int], as_text: bool, otherwise: str = "") -> str:
    """CASE subject WHEN level THEN result … [ELSE otherwise] END; levels quoted when compared as text."""
    whens = " ".join(
        f"WHEN {repr(str(v)) if as_text else v} THEN {results[v]}" for v in LEVELS if v in results
    )
    return f"CASE {subject} {whens}{f' ELSE {otherwise}' if otherwise else ''} END"


def _postgresql_answer(column: str, name: str, results: Mapping[int, int]) -> tuple[str, list]:
    """SQL for one question's answer mapped through `results` (level → integer; NULL when the answer
    is not valid), and its parameters."""
    text, value = f"({column} ->> %s::text)", f"({column} -> %s::text)"
    slow = (
        f"CASE jsonb_typeof({value}) "
        f"WHEN 'number' THEN {_case(f'({value})::numeric', results, as_text=False)} "
        f"WHEN 'string' THEN {_case(f'ltrim(btrim({text}, %s), %s)', results, as_text=True)} END"
    )
    return _case(text, results, as_text=True, otherwise=slow), [name] * 4 + [WHITESPACE, "0"]


def _sqlite_answer(column: str, name: str, results: Mapping[int, int]) -> tuple[str, list]:
    value = f"json_extract({column}, %s)"
    number = _case(value, results, as_text=False)
    sql = (
        f"CASE json_type({column}, %s) WHEN 'integer' THEN {number} WHEN 'real' THEN {number} "
        f"WHEN 'text' THEN {_case(f'ltrim(trim({value}, %s), %s)', results, as_text=True)} END"
    )
    return sql, [f'$."{name}"'] * 4 + [WHITESPACE, "0"]


def _where_answer(vendor: str, column: str, name: str, values: Sequence[str]) -> tuple[str, list]:
    """SQL keeping the responses whose answer to `name` is a JSON string equal to one of `values`
    (a number or a list never matches, as in Python), and its parameters."""
    if vendor == "postgresql":
        marks = ", ".join(["%s::jsonb"] * len(values))
        return f"({column} -> %s::text) IN ({marks})", [name, *map(json.dumps, values)]
    marks = ", ".join(["%s"] * len(values))
    path = f'$."{name}"'
    sql = f"json_type({column}, %s) = 'text' AND json_extract({column}, %s) IN ({marks})"
    return sql, [path, path, *values]


def _query(
    vendor: str,
    names: Sequence[str],
    satisfied,
    by_unit: bool,
    where_answer: tuple[str, Sequence[str]] | None = None,
) -> tuple[str, list]:
    table = Response._meta.db_table
    column = Response._meta.get_field("answers").column
    unit = Response._meta.get_field("unit").column
    wave = Response._meta.get_field("wave").column
    excluded = Response._meta.get_field("excluded").column
    selects, params = [], []
    if vendor == "postgresql":
        codes = _codes(satisfied)
        for name in names:
            sql, sql_params = _postgresql_answer(column, name, codes)
            selects.append(f"sum({sql})")
            params += sql_params
    else:
        identity = {v: v for v in LEVELS}
        success = {v: 1 for v in LEVELS if v in frozenset(satisfied)}
        for name in names:
            value, value_params = _sqlite_answer(column, name, identity)
            hit, hit_params = _sqlite_answer(column, name, success)
            selects += [f"count({value})", f"count({hit})", f"sum({value})"]
            params += value_params + hit_params + value_params
    where = f"{wave} = %s AND NOT {excluded}" + (f" AND {unit} = %s" if by_unit else "")
    if where_answer is not None:
        # Written before the wave so that its parameters precede the wave's and the unit's.
        filter_sql, filter_params = _where_answer(vendor, column, *where_answer)
        where = f"{filter_sql} AND {where}"
        params += filter_params
    # Only the model's own table and column names and integer literals are written into the text;
    # question names, answer values, the wave and the unit are parameters.
    sql = (
        f"SELECT {unit}, count(*){''.join(', ' + s for s in selects)} FROM {table} "  # noqa: S608
        f"WHERE {where} GROUP BY {unit}"
    )
    return sql, params


def _unpack(vendor: str, row: Sequence, names: Sequence[str]) -> UnitCounts:
    responses = row[1]
    items = {}
    if vendor == "postgresql":
        if responses > MASK:
            raise OverflowError(
                f"{responses} responses for one unit: counts are packed in {BITS} bits"
            )
        for name, packed in zip(names, row[2:], strict=True):
            packed = int(packed or 0)
            items[name] = ItemCounts(packed & MASK, (packed >> BITS) & MASK, packed >> (2 * BITS))
    else:
        for i, name in enumerate(names):
            n, successes, total = row[2 + 3 * i : 5 + 3 * i]
            items[name] = ItemCounts(n, successes, total or 0)
    return UnitCounts(responses, items)


def counts(
    wave_id: int,
    names: Sequence[str],
    unit_id: int | None = None,
    satisfied=SATISFIED,
    where_answer: tuple[str, Sequence[str]] | None = None,
) -> dict[int, UnitCounts]:
    """{unit id: UnitCounts} of the kept responses of a wave (of one unit when `unit_id` is given), for
    the 5-point questions `names`; a unit without kept responses is absent. One query.

    `where_answer=(question, values)` counts only the responses whose answer to that single-choice
    question is one of the string `values`, e.g. ("respondent_group", ["council_deputy"]); no values,
    no responses."""
    names = list(dict.fromkeys(names))
    if where_answer is not None:
        question, values = where_answer
        values = list(dict.fromkeys(values))
        if not isinstance(question, str) or not all(isinstance(v, str) for v in values):
            raise TypeError("where_answer is (question name, [string values])")
        if not values:
            return {}
        where_answer = (question, values)
    alias = router.db_for_read(Response)
    connection = connections[alias]
    vendor = connection.vendor
    sql, params = _query(
        vendor, names, satisfied, by_unit=unit_id is not None, where_answer=where_answer
    )
    params = [*params, wave_id] + ([unit_id] if unit_id is not None else [])
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(_SETTINGS, [*SETTINGS.values()])
            restore = cursor.fetchone()[0::2]  # the values before
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        if vendor == "postgresql":
            cursor.execute(_SETTINGS, list(restore))
    return {row[0]: _unpack(vendor, row, names) for row in rows}


def empty(names: Iterable[str]) -> UnitCounts:
    return UnitCounts(0, {name: ItemCounts() for name in names})


def layout(dimension_of: Mapping[str, str]) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """[(group, [("group/element", [question names])])] in the order of `dimension_of`."""
    groups: dict[str, dict[str, list[str]]] = {}
    for name, dimension in dimension_of.items():
        group, element = _split_dimension(dimension)
        groups.setdefault(group, {}).setdefault(f"{group}/{element}", []).append(name)
    return [(group, list(elements.items())) for group, elements in groups.items()]


def figures(unit: UnitCounts, dimension_of: Mapping[str, str], plan=None) -> dict:
    """Items, elements, parts and overall from the counts, as `stats.aggregate` computes them from
    the answers: {"items": {name: Share}, "elements": {"group/element": Share},
    "parts": {group: Share}, "overall": Share | None}. `plan` is `layout(dimension_of)`, made
    once when many units are computed."""
    nothing = ItemCounts()
    items = {name: unit.items.get(name, nothing).share() for name in dimension_of}
    elements: dict[str, Share] = {}
    parts: dict[str, Share] = {}
    for group, group_elements in plan if plan is not None else layout(dimension_of):
        for key, names in group_elements:
            elements[key] = element_index([items[name] for name in names])
        parts[group] = mean_index([elements[key] for key, _ in group_elements])
    overall = None
    if parts and all(part.share is not None for part in parts.values()):
        overall = mean_index(list(parts.values()))
    return {"items": items, "elements": elements, "parts": parts, "overall": overall}


def weight_index(unit: UnitCounts, names: Iterable[str]) -> float | None:
    """The mean likert_weight of the valid answers to `names` (None when there are none)."""
    chosen = [unit.items.get(name, ItemCounts()) for name in names]
    n = sum(c.n for c in chosen)
    return math.fsum(c.weight_sum for c in chosen) / n if n else None
