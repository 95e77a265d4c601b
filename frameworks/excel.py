"""The framework as one Excel sheet, one row per node (docs/framework-excel.md), both ways."""

import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from core.spreadsheets import append, save
from core.tabular import ImportFailed, ImportProblem, Table, cell_text, parse_decimal

from . import tree
from .evidence import EvidenceRule

HEADER = ("code", "title", "max_points", "rule", "rule_params", "evidence_rule", "guidance")
# Files written before evidence rules had a yes/no column in their place; they still import, a "yes"
# becoming "when points are claimed" as in the migration (docs/framework-excel.md).
LEGACY_HEADER = HEADER[:5] + ("evidence_required",) + HEADER[6:]
TRUE_WORDS = {"1", "true", "yes", "x", "có", "co"}
FALSE_WORDS = {"", "0", "false", "no", "không", "khong"}
# The new column takes the rule's code or its short Vietnamese name. An empty cell is "when claimed" on a
# leaf (every self-score needs evidence, DOMAIN.md) and "never" on a parent, which is not scored.
EVIDENCE_WORDS = {
    "always": EvidenceRule.ALWAYS,
    "luôn": EvidenceRule.ALWAYS,
    "luon": EvidenceRule.ALWAYS,
    "when_claimed": EvidenceRule.WHEN_CLAIMED,
    "khi có điểm": EvidenceRule.WHEN_CLAIMED,
    "khi co diem": EvidenceRule.WHEN_CLAIMED,
    "never": EvidenceRule.NEVER,
    "không": EvidenceRule.NEVER,
    "khong": EvidenceRule.NEVER,
}


@dataclass
class NodeSpec:
    code: str
    title: str
    max_points: Decimal
    rule: str = ""
    rule_params: dict = field(default_factory=dict)
    evidence_rule: str = EvidenceRule.NEVER
    guidance: str = ""
    row: int | None = None


def export_workbook(nodes) -> bytes:
    """Nodes in tree order → .xlsx bytes with the exact header the import expects; titles and
    guidance are text, never a formula (core.spreadsheets)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "framework"
    append(sheet, HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    roots = tree.build(nodes)
    for tree_node in tree.walk(roots):
        node = tree_node.node
        append(
            sheet,
            [
                node.code,
                node.title,
                float(node.max_points),
                node.rule if tree_node.is_leaf else "",
                json.dumps(node.rule_params, ensure_ascii=False) if tree_node.is_leaf else "",
                node.evidence_rule,
                node.guidance,
            ],
        )
        if tree_node.node.code.count(".") == 0:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFG", (10, 70, 12, 12, 40, 14, 50), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    return save(workbook)


def parse_specs(table: Table) -> list[NodeSpec]:
    """Rows → node specs, checked cell by cell and as a tree; raises ImportFailed with every problem."""
    header = [h.strip() for h in table.header]
    legacy = tuple(header) == LEGACY_HEADER
    if tuple(header) != HEADER and not legacy:
        raise ImportFailed(
            [
                ImportProblem(
                    1,
                    None,
                    _("dòng tiêu đề phải đúng là: %(expected)s (tệp có: %(found)s).")
                    % {"expected": " | ".join(HEADER), "found": " | ".join(header) or _("trống")},
                )
            ]
        )
    if not table.rows:
        raise ImportFailed(
            [ImportProblem(None, None, _("Tệp không có dòng tiêu chí nào dưới dòng tiêu đề."))]
        )
    names = LEGACY_HEADER if legacy else HEADER
    column = {name: table.column_label(i) for i, name in enumerate(names)}
    problems: list[ImportProblem] = []
    specs: list[NodeSpec] = []
    bad_json_rows: set[int] = set()
    for number, cells in table.rows:
        cells = list(cells) + [None] * (len(HEADER) - len(cells))
        raw = dict(zip(names, cells, strict=False))
        spec = NodeSpec(
            code=cell_text(raw["code"]),
            title=cell_text(raw["title"]),
            max_points=Decimal("0"),
            row=number,
        )

        def problem(name, message, number=number):
            problems.append(ImportProblem(number, column[name], message))

        if not spec.code:
            problem("code", _("mã không được để trống."))
        if not spec.title:
            problem("title", _("nội dung tiêu chí không được để trống."))
        points = parse_decimal(raw["max_points"])
        if points is None:
            problem(
                "max_points",
                _("điểm tối đa “%(value)s” không phải là số.")
                % {"value": cell_text(raw["max_points"])},
            )
        elif points < 0:
            problem("max_points", _("điểm tối đa %(points)s không được âm.") % {"points": points})
        elif points != points.quantize(Decimal("0.01")):
            problem(
                "max_points",
                _("điểm tối đa %(points)s có quá 2 chữ số thập phân.") % {"points": points},
            )
        else:
            spec.max_points = points.quantize(Decimal("0.01"))
        spec.rule = cell_text(raw["rule"]).lower()
        params_text = cell_text(raw["rule_params"])
        if params_text:
            try:
                spec.rule_params = json.loads(params_text)
            except json.JSONDecodeError as exc:
                problem(
                    "rule_params",
                    _("JSON không hợp lệ (%(error)s, ký tự %(position)s).")
                    % {"error": exc.msg, "position": exc.pos + 1},
                )
                bad_json_rows.add(number)
        if legacy:
            evidence = cell_text(raw["evidence_required"]).lower()
            if evidence in TRUE_WORDS:
                spec.evidence_rule = EvidenceRule.WHEN_CLAIMED
            elif evidence not in FALSE_WORDS:
                problem(
                    "evidence_required",
                    _("“%(value)s” không hợp lệ; dùng 1 (có) hoặc 0 (không).")
                    % {"value": evidence},
                )
        else:
            evidence = " ".join(cell_text(raw["evidence_rule"]).lower().split())
            if not evidence:
                spec.evidence_rule = EvidenceRule.WHEN_CLAIMED if spec.rule else EvidenceRule.NEVER
            elif evidence in EVIDENCE_WORDS:
                spec.evidence_rule = EVIDENCE_WORDS[evidence]
            else:
                problem(
                    "evidence_rule",
                    _(
                        "“%(value)s” không hợp lệ; dùng always (luôn), "
                        "when_claimed (khi có điểm) hoặc never (không)."
                    )
                    % {"value": evidence},
                )
        spec.guidance = cell_text(raw["guidance"])
        specs.append(spec)
    points_unreadable = any(p.column == column["max_points"] for p in problems)
    for spec, name, message in tree.structure_problems(specs):
        # Sums cannot be judged while some points are unreadable: report those first.
        if name == "max_points" and points_unreadable:
            continue
        if name == "rule_params" and spec.row in bad_json_rows:
            continue
        problems.append(ImportProblem(spec.row, column[name], message))
    if problems:
        problems.sort(key=lambda p: p.row or 0)
        raise ImportFailed(problems)
    return specs
