"""Results of years before the platform, imported from the published decision, so that the first years
on the platform can show change and history.

A table with the columns `ma_don_vi` (unit code), `khoi` (ranking group), `chi_so` (index, %) and
optionally `xep_hang` (rank; computed from the index when absent), and the points per domain and part
with their maxima (results/history_parts.py). All-or-nothing: every problem is reported with its row and
column and nothing is saved.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext

from accounts.audit import record
from core.permissions import require
from core.tabular import ImportFailed, ImportProblem, cell_text, parse_decimal, read_table
from cycles.models import Cycle, CycleState, IndexFamily
from cycles.permissions import can_organise
from cycles.services import CycleError, add_participants, create_cycle, transition
from units.models import Unit

from . import history_parts, ranking
from .models import Publication, UnitResult
from .services import ResultsError, publish

COLUMNS = ("ma_don_vi", "khoi", "chi_so")
HUNDRED = Decimal("100")
# The steps every cycle takes before it is published; an imported year takes them in one go.
HISTORY_STEPS = (
    CycleState.SELF_ASSESSMENT,
    CycleState.APPRAISAL,
    CycleState.EXPLANATION,
    CycleState.FINALISED,
)


def _rows(data: bytes, filename: str):
    table = read_table(data, filename)
    header = [h.strip().lower() for h in table.header]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportFailed(
            [
                ImportProblem(
                    1,
                    None,
                    gettext("Thiếu cột %(columns)s ở dòng tiêu đề.")
                    % {"columns": ", ".join(missing)},
                )
            ]
        )
    at = {name: header.index(name) for name in (*COLUMNS, "xep_hang") if name in header}
    domains, parts, problems = history_parts.columns(header)
    if problems:
        raise ImportFailed(problems)
    units = {u.code: u for u in Unit.objects.all()}
    rows, seen = [], set()
    for number, cells in table.rows:

        def text(name, cells=cells):
            index = at.get(name)
            return cell_text(cells[index]) if index is not None and index < len(cells) else ""

        code, group = text("ma_don_vi"), text("khoi")
        unit = units.get(code)
        if unit is None:
            problems.append(
                ImportProblem(
                    number,
                    table.column_label(at["ma_don_vi"]),
                    gettext("Không có đơn vị mã “%(code)s”.") % {"code": code},
                )
            )
        elif code in seen:
            problems.append(
                ImportProblem(
                    number, table.column_label(at["ma_don_vi"]), gettext("Đơn vị bị lặp.")
                )
            )
        seen.add(code)
        if not group:
            problems.append(
                ImportProblem(
                    number, table.column_label(at["khoi"]), gettext("Thiếu khối xếp hạng.")
                )
            )
        index = parse_decimal(text("chi_so"))
        if index is None or not 0 <= index <= HUNDRED:
            problems.append(
                ImportProblem(
                    number,
                    table.column_label(at["chi_so"]),
                    gettext("Chỉ số phải là số từ 0 đến 100."),
                )
            )
        rank = text("xep_hang")
        if rank and not rank.isdigit():
            problems.append(
                ImportProblem(
                    number, table.column_label(at["xep_hang"]), gettext("Xếp hạng phải là số.")
                )
            )
        detail = history_parts.read(table, header, cells, number, domains, parts, problems)
        rows.append((unit, group, index, int(rank) if rank.isdigit() else None, detail))
    if not rows:
        problems.append(ImportProblem(None, None, gettext("Tệp không có dòng kết quả nào.")))
    if problems:
        raise ImportFailed(problems)
    return rows


@transaction.atomic
def import_history(actor, year: int, data: bytes, filename: str = "") -> Publication:
    """The year's cycle, created, moved and published through the same services as any other (state
    checks and audit events included), holding the imported results."""
    require(
        actor,
        can_organise,
        gettext("Chỉ Thư ký (Sở Nội vụ) được nhập kết quả các năm trước."),
    )
    if Cycle.objects.filter(year=year, organiser=None, family=IndexFamily.CITY).exists():
        raise ImportFailed(
            [
                ImportProblem(
                    None,
                    None,
                    gettext("Năm %(year)s đã có kỳ đánh giá trên hệ thống.") % {"year": year},
                )
            ]
        )
    rows = _rows(data, filename)
    source = gettext("Nhập từ kết quả đã công bố (%(file)s).") % {
        "file": filename or gettext("tệp")
    }
    title = gettext("Chỉ số CCHC năm %(year)s (theo quyết định công bố)") % {"year": year}
    try:
        cycle = create_cycle(actor, year, title, imported=True)
        by_group: dict[str, list] = {}
        for row in rows:
            by_group.setdefault(row[1], []).append(row)
        for group, members in by_group.items():
            add_participants(actor, cycle, [row[0] for row in members], ranking_group=group)
        UnitResult.objects.bulk_create(_results(cycle, by_group))
        for state in HISTORY_STEPS:
            transition(actor, cycle, state, reason=source)
        publication = publish(actor, cycle, notice=source)
    except (CycleError, ResultsError) as exc:
        raise ImportFailed([ImportProblem(None, None, str(exc))]) from exc
    record(actor, "results.import_history", cycle, after={"units": len(rows), "file": filename})
    return publication


def _results(cycle: Cycle, by_group: dict[str, list]) -> list[UnitResult]:
    """The imported index of each unit, ranked in its group unless the file gives the rank."""
    results = []
    for group, members in by_group.items():
        computed = ranking.competition_ranks([row[2] for row in members])
        for (unit, _, index, rank, detail), own_rank in zip(members, computed, strict=True):
            index = index.quantize(ranking.TWO_PLACES)
            appraisal = detail.get("appraisal", (0, 0))
            survey = detail.get("survey", (0, 0))
            results.append(
                UnitResult(
                    cycle=cycle,
                    unit=unit,
                    ranking_group=group,
                    total=index,
                    maximum=HUNDRED,
                    index=index,
                    appraisal_points=appraisal[0],
                    appraisal_maximum=appraisal[1],
                    survey_points=survey[0],
                    survey_maximum=survey[1],
                    extra_points=0,
                    rank=rank or own_rank,
                    group_size=len(members),
                    band=ranking.band_of(index),
                    comparison="",
                    domains=detail["domains"],
                    leaves={},
                )
            )
    return results
