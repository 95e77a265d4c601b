"""Import of a 150-leaf framework from XLSX (parse, check every rule and sum, replace the tree).

Baseline, measured in the same run: the same nodes saved one ORM call per node.
Last line: {"leaves": …, "seconds": …, "baseline_seconds": …, "ratio": …}
"""

import io
import json

from _harness import arguments, fresh_database, report, timed


def framework_rows(leaves: int):
    """8 domains of criteria with 3 leaves each, rules cycling through every kind; 100 points."""
    from decimal import Decimal

    rules = [
        ("manual", {"step": 0.25}),
        ("yes_no", {}),
        ("ratio", {"mode": "proportional", "min": 0.8}),
        ("checklist", {"items": ["a", "b", "c", "d"], "per_item": 0.25}),
        ("deadline", {"tiers": [["2025-01-31", 1], ["2025-02-28", 0.5]]}),
        ("deduction", {"per_item": 0.25}),
        ("survey", {"source": "sipas", "dimension": "overall"}),
        ("automatic", {"tiers": [[1.0, 1], [0.9, 0.5], [0, 0]]}),
    ]
    criteria = leaves // 3
    per_domain = [criteria // 8 + (1 if d < criteria % 8 else 0) for d in range(8)]
    rows, n = [], 0
    leaf_points = Decimal(1)
    for d, count in enumerate(per_domain, start=1):
        rows.append([str(d), f"Lĩnh vực {d}", float(count * 3 * leaf_points), "", "", "never", ""])
        for c in range(1, count + 1):
            rows.append(
                [f"{d}.{c}", f"Tiêu chí {d}.{c}", float(3 * leaf_points), "", "", "never", ""]
            )
            for s in range(1, 4):
                rule, params = rules[n % len(rules)]
                n += 1
                rows.append(
                    [
                        f"{d}.{c}.{s}",
                        f"Tiêu chí thành phần {d}.{c}.{s}",
                        float(leaf_points),
                        rule,
                        json.dumps(params),
                        "when_claimed",  # the evidence rule (frameworks/evidence.py)
                        "Hướng dẫn chấm và tài liệu kiểm chứng",
                    ]
                )
    return rows, n


def workbook(rows) -> bytes:
    from openpyxl import Workbook

    from frameworks.excel import HEADER

    book = Workbook()
    book.active.append(list(HEADER))
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def naive_save(framework, specs):
    from frameworks.models import Node
    from frameworks.tree import parent_code

    framework.nodes.all().delete()
    for position, spec in enumerate(specs):
        parent = parent_code(spec.code)
        Node.objects.create(
            framework=framework,
            code=spec.code,
            title=spec.title,
            max_points=spec.max_points,
            order=position,
            rule=spec.rule,
            rule_params=spec.rule_params,
            guidance=spec.guidance,
            parent=Node.objects.get(framework=framework, code=parent) if parent else None,
        )


def main():
    args = arguments(__doc__)
    rows, leaves = framework_rows(30 if args.quick else 150)
    data = workbook(rows)
    with fresh_database():
        from accounts.models import Role, User
        from core.tabular import read_table
        from cycles.models import Cycle
        from frameworks.excel import parse_specs
        from frameworks.services import import_framework

        actor = User.objects.create(username="bench", role=Role.SECRETARIAT)
        cycle = Cycle.objects.create(year=2025, title="bench")
        seconds, framework = timed(import_framework, actor, cycle, "department", data, "bench.xlsx")
        assert framework.nodes.filter(rule="").count() == len(rows) - leaves
        repeat, _ = timed(import_framework, actor, cycle, "department", data, "bench.xlsx")
        specs = parse_specs(read_table(data, "bench.xlsx"))
        baseline, _ = timed(naive_save, framework, specs)
    report(
        {
            "leaves": leaves,
            "nodes": len(rows),
            "seconds": round(seconds, 3),
            "reimport_seconds": round(repeat, 3),
            "baseline_seconds": round(baseline, 3),
            "ratio": round(seconds / baseline, 3),
        }
    )


if __name__ == "__main__":
    main()
