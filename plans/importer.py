"""Import of a plan's key-task appendix from Excel: every row valid and every unit known, or nothing saved.

Layout (docs/plans.md): number | area | task | product | leader | lead_unit | coordinating_units | deadline.
A row with an empty number is a milestone of the task above it (its own product and deadline).
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from core.tabular import ImportFailed, ImportProblem, Table, cell_text

from .deadlines import UNPARSED, Deadline, parse_deadline
from .unit_names import Resolution, Resolver, normalise

HEADER = (
    "number",
    "area",
    "task",
    "product",
    "leader",
    "lead_unit",
    "coordinating_units",
    "deadline",
)


class UnknownUnits(ImportFailed):
    """Some names match no unit: the secretariat says what each is, then imports again."""

    def __init__(self, problems, names: list[str]):
        super().__init__(problems)
        self.names = names


@dataclass
class TaskRow:
    row: int
    number: str
    area: str
    title: str
    product: str
    leader: str
    lead_text: str
    coordinating_text: str
    deadline: Deadline
    lead: Resolution = field(default_factory=Resolution)
    coordinating: Resolution = field(default_factory=Resolution)
    parent_number: str = ""


def parse_tasks(table: Table, plan_date: date, year: int) -> list[TaskRow]:
    header = [h.strip().lower() for h in table.header]
    if tuple(header) != HEADER:
        raise ImportFailed(
            [
                ImportProblem(
                    1,
                    None,
                    _("dòng tiêu đề phải đúng là: %(expected)s (tệp có: %(found)s).")
                    % {"expected": " | ".join(HEADER), "found": " | ".join(header)},
                )
            ]
        )
    if not table.rows:
        raise ImportFailed(
            [ImportProblem(None, None, _("Tệp không có nhiệm vụ nào dưới dòng tiêu đề."))]
        )
    column = {name: table.column_label(i) for i, name in enumerate(HEADER)}
    problems: list[ImportProblem] = []
    rows: list[TaskRow] = []
    seen: dict[str, int] = {}
    parent: TaskRow | None = None
    milestones = 0
    resolver = Resolver(year)
    unknown: dict[str, str] = {}
    for number, cells in table.rows:
        cells = list(cells) + [None] * (len(HEADER) - len(cells))
        raw = {name: cell_text(value) for name, value in zip(HEADER, cells, strict=False)}
        task_number = raw["number"].rstrip(".")
        if task_number:
            if not task_number.isdigit():
                problems.append(
                    ImportProblem(
                        number,
                        column["number"],
                        _("số thứ tự “%(number)s” phải là một số.") % {"number": task_number},
                    )
                )
                continue
            if task_number in seen:
                problems.append(
                    ImportProblem(
                        number,
                        column["number"],
                        _("số thứ tự %(number)s trùng với dòng %(row)s.")
                        % {"number": task_number, "row": seen[task_number]},
                    )
                )
                continue
            seen[task_number] = number
            if not raw["task"]:
                problems.append(
                    ImportProblem(
                        number, column["task"], _("nội dung nhiệm vụ không được để trống.")
                    )
                )
            milestones = 0
            title, parent_number = raw["task"], ""
        else:
            if parent is None:
                problems.append(
                    ImportProblem(
                        number,
                        column["number"],
                        _("dòng không có số thứ tự phải nằm dưới một nhiệm vụ."),
                    )
                )
                continue
            milestones += 1
            task_number = f"{parent.number}.{milestones}"
            title = (
                raw["task"] or raw["product"] or f"Mốc {milestones} của nhiệm vụ {parent.number}"
            )
            parent_number = parent.number
        deadline = parse_deadline(raw["deadline"], plan_date)
        lead_text = raw["lead_unit"] or (parent.lead_text if parent_number else "")
        row = TaskRow(
            row=number,
            number=task_number,
            area=raw["area"] or (parent.area if parent else ""),
            title=title,
            product=raw["product"],
            leader=raw["leader"] or (parent.leader if parent_number else ""),
            lead_text=lead_text,
            coordinating_text=raw["coordinating_units"],
            deadline=deadline,
            parent_number=parent_number,
        )
        for attribute, name in (("lead", "lead_unit"), ("coordinating", "coordinating_units")):
            text = row.lead_text if attribute == "lead" else row.coordinating_text
            resolution = resolver.resolve(text, deadline.due)
            setattr(row, attribute, resolution)
            if resolution.unknown:
                for name_text in resolution.unknown:
                    unknown.setdefault(normalise(name_text), name_text)
                names = ", ".join(f"“{n}”" for n in resolution.unknown)
                problems.append(
                    ImportProblem(
                        number,
                        column[name],
                        _("không khớp đơn vị nào trong danh mục: %(names)s.") % {"names": names},
                    )
                )
        if (
            not parent_number
            and not row.lead.units
            and not row.lead.outside
            and not row.lead.unknown
        ):
            problems.append(
                ImportProblem(number, column["lead_unit"], _("cần ít nhất một cơ quan chủ trì."))
            )
        rows.append(row)
        if not parent_number:
            parent = row
    if problems:
        if unknown:
            raise UnknownUnits(problems, list(unknown.values()))
        raise ImportFailed(problems)
    return rows


def unparsed(rows: list[TaskRow]) -> list[TaskRow]:
    return [r for r in rows if r.deadline.kind == UNPARSED]
