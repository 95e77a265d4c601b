"""Import of a unit catalogue (4,000 units, with parents and predecessors) from XLSX.

Baseline, measured in the same run: the same rows saved one ORM call per unit (the obvious loop).
Last line: {"units": …, "seconds": …, "baseline_seconds": …, "ratio": …, "units_per_s": …}
"""

import io

from _harness import arguments, fresh_database, report, timed


def catalogue(count: int, prefix: str = "") -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(
        [
            "code",
            "name",
            "kind",
            "short_name",
            "parent_code",
            "active_from",
            "active_to",
            "predecessors",
        ]
    )
    districts = max(1, count // 40)
    for d in range(districts):
        sheet.append([f"{prefix}D{d:04d}", f"Huyện {d}", "huyen", "", "", "", "30/06/2025", ""])
    for n in range(count - districts):
        kind = "phuong" if n % 3 == 0 else "xa"
        sheet.append(
            [
                f"{prefix}X{n:05d}",
                f"Xã {n}",
                kind,
                "",
                f"{prefix}D{n % districts:04d}",
                "01/07/2025",
                "",
                f"{prefix}D{n % districts:04d};{prefix}D{(n + 1) % districts:04d}",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def naive_save(rows):
    """One query (or three) per unit: what a first version would do."""
    from units.models import Unit

    for r in rows:
        unit, _ = Unit.objects.update_or_create(
            code=r.code, defaults={"name": r.name, "kind": r.kind, "sub_kind": r.sub_kind}
        )
    for r in rows:
        unit = Unit.objects.get(code=r.code)
        if r.parent_code:
            unit.parent = Unit.objects.get(code=r.parent_code)
            unit.save(update_fields=["parent"])
        unit.predecessors.set(Unit.objects.filter(code__in=r.predecessors))


def main():
    args = arguments(__doc__)
    count = 400 if args.quick else 4000
    data = catalogue(count)
    with fresh_database():
        from core.tabular import read_table
        from units.importer import import_units, parse_units
        from units.models import Unit

        seconds, summary = timed(import_units, data, "bench.xlsx")
        assert summary.created == count and Unit.objects.count() == count
        again, summary = timed(import_units, data, "bench.xlsx")
        assert summary.updated == count
        # The baseline saves a second catalogue of the same shape under other codes.
        rows = parse_units(read_table(catalogue(count, prefix="B"), "bench.xlsx"))
        baseline, _ = timed(naive_save, rows)
        assert Unit.objects.count() == 2 * count
    report(
        {
            "units": count,
            "seconds": round(seconds, 3),
            "reimport_seconds": round(again, 3),
            "baseline_seconds": round(baseline, 3),
            "ratio": round(seconds / baseline, 3),
            "units_per_s": round(count / seconds, 1),
        }
    )


if __name__ == "__main__":
    main()
