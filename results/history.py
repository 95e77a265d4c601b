"""Results of years before the platform, imported from the published decision, so that the first years
on the platform can show change and history.

A table with the columns `ma_don_vi` (unit code), `khoi` (ranking group), `chi_so` (index, %) and
optionally `xep_hang` (rank; computed from the index when absent). All-or-nothing: every problem is
reported with its row and column and nothing is saved.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.audit import record
from core.tabular import ImportFailed, ImportProblem, cell_text, parse_decimal, read_table
from cycles.models import Cycle, CycleState
from units.models import Unit

from . import ranking
from . import snapshot as snapshots
from .models import Publication, UnitResult
from .permissions import can_manage_results

COLUMNS = ("ma_don_vi", "khoi", "chi_so")
HUNDRED = Decimal("100")


def _rows(data: bytes, filename: str):
    table = read_table(data, filename)
    header = [h.strip().lower() for h in table.header]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportFailed(
            [ImportProblem(1, None, f"Thiếu cột {', '.join(missing)} ở dòng tiêu đề.")]
        )
    at = {name: header.index(name) for name in (*COLUMNS, "xep_hang") if name in header}
    units = {u.code: u for u in Unit.objects.all()}
    problems, rows, seen = [], [], set()
    for number, cells in table.rows:

        def text(name, cells=cells):
            index = at.get(name)
            return cell_text(cells[index]) if index is not None and index < len(cells) else ""

        code, group = text("ma_don_vi"), text("khoi")
        unit = units.get(code)
        if unit is None:
            problems.append(
                ImportProblem(
                    number, table.column_label(at["ma_don_vi"]), f"Không có đơn vị mã “{code}”."
                )
            )
        elif code in seen:
            problems.append(
                ImportProblem(number, table.column_label(at["ma_don_vi"]), "Đơn vị bị lặp.")
            )
        seen.add(code)
        if not group:
            problems.append(
                ImportProblem(number, table.column_label(at["khoi"]), "Thiếu khối xếp hạng.")
            )
        index = parse_decimal(text("chi_so"))
        if index is None or not 0 <= index <= HUNDRED:
            problems.append(
                ImportProblem(
                    number, table.column_label(at["chi_so"]), "Chỉ số phải là số từ 0 đến 100."
                )
            )
        rank = text("xep_hang")
        if rank and not rank.isdigit():
            problems.append(
                ImportProblem(number, table.column_label(at["xep_hang"]), "Xếp hạng phải là số.")
            )
        rows.append((unit, group, index, int(rank) if rank.isdigit() else None))
    if not rows:
        problems.append(ImportProblem(None, None, "Tệp không có dòng kết quả nào."))
    if problems:
        raise ImportFailed(problems)
    return rows


@transaction.atomic
def import_history(actor, year: int, data: bytes, filename: str = "") -> Publication:
    if not can_manage_results(actor):
        raise PermissionDenied("Chỉ Thư ký (Sở Nội vụ) được nhập kết quả các năm trước.")
    if Cycle.objects.filter(year=year).exists():
        raise ImportFailed(
            [ImportProblem(None, None, f"Năm {year} đã có kỳ đánh giá trên hệ thống.")]
        )
    rows = _rows(data, filename)
    cycle = Cycle.objects.create(
        year=year,
        title=f"Chỉ số CCHC năm {year} (theo quyết định công bố)",
        state=CycleState.PUBLISHED,
    )
    by_group: dict[str, list] = {}
    for row in rows:
        by_group.setdefault(row[1], []).append(row)
    results = []
    for group, members in by_group.items():
        computed = ranking.competition_ranks([index for _, _, index, _ in members])
        for (unit, _, index, rank), own_rank in zip(members, computed, strict=True):
            index = index.quantize(ranking.TWO_PLACES)
            results.append(
                UnitResult(
                    cycle=cycle,
                    unit=unit,
                    ranking_group=group,
                    total=index,
                    maximum=HUNDRED,
                    index=index,
                    appraisal_points=0,
                    appraisal_maximum=0,
                    survey_points=0,
                    survey_maximum=0,
                    extra_points=0,
                    rank=rank or own_rank,
                    group_size=len(members),
                    band=ranking.band_of(index),
                    comparison="",
                    domains=[],
                    leaves={},
                )
            )
    UnitResult.objects.bulk_create(results)
    snap = snapshots.build(cycle)
    publication = Publication.objects.create(
        cycle=cycle,
        version=1,
        published_by=actor,
        notice=f"Nhập từ kết quả đã công bố ({filename or 'tệp'}).",
        snapshot=snap,
        digest=snapshots.digest(snap),
    )
    record(actor, "results.import_history", cycle, after={"units": len(results), "file": filename})
    return publication
