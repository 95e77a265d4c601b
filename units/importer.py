"""Import of the unit catalogue from CSV or XLSX: all rows valid or nothing saved."""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import record
from core.tabular import ImportFailed, ImportProblem, Table, cell_text, parse_date, read_table

from .models import SUB_KIND_PARENT, SUB_UNIT_PARENT_KINDS, SubKind, Unit, UnitKind

REQUIRED_COLUMNS = ("code", "name", "kind")
OPTIONAL_COLUMNS = (
    "short_name",
    "parent_code",
    "active_from",
    "active_to",
    "predecessors",
    "source",
)
DATA = Path(__file__).parent / "data"
# The built-in catalogue, in load order: a file's parents and predecessors are in it or in one before it
# (units/data/README.md).
HANOI_CATALOGUE = (
    DATA / "hanoi-former-departments.csv",
    DATA / "hanoi-units.csv",
    DATA / "hanoi-agencies.csv",
    DATA / "hanoi-sub-units.csv",
)


@dataclass
class UnitRow:
    row: int
    code: str
    name: str
    kind: str
    sub_kind: str
    short_name: str
    parent_code: str
    active_from: object
    active_to: object
    predecessors: list[str] = field(default_factory=list)
    source: str = ""


@dataclass
class ImportSummary:
    created: int
    updated: int

    @property
    def total(self) -> int:
        return self.created + self.updated


def _kind_of(text: str) -> tuple[str, str] | None:
    text = text.strip().lower()
    if text in UnitKind.values:
        return text, ""
    if text in SubKind.values:
        return SUB_KIND_PARENT[SubKind(text)], text
    return None


def parse_units(table: Table) -> list[UnitRow]:
    problems: list[ImportProblem] = []
    header = [h.strip().lower() for h in table.header]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ImportFailed(
            [
                ImportProblem(
                    1,
                    None,
                    _("thiếu cột bắt buộc: %(columns)s (cần ít nhất code, name, kind).")
                    % {"columns": ", ".join(missing)},
                )
            ]
        )
    position = {
        name: header.index(name)
        for name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
        if name in header
    }

    def value(cells, name):
        index = position.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    kinds = ", ".join([*UnitKind.values, *SubKind.values])
    parsed: list[UnitRow] = []
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        code = cell_text(value(cells, "code"))
        name = cell_text(value(cells, "name"))
        kind_text = cell_text(value(cells, "kind"))
        col = lambda n: table.column_label(position[n])  # noqa: E731
        if not code:
            problems.append(ImportProblem(number, col("code"), _("mã đơn vị không được để trống.")))
        elif code in seen:
            problems.append(
                ImportProblem(
                    number,
                    col("code"),
                    _("mã “%(code)s” trùng với dòng %(row)s.") % {"code": code, "row": seen[code]},
                )
            )
        else:
            seen[code] = number
        if not name:
            problems.append(
                ImportProblem(number, col("name"), _("tên đơn vị không được để trống."))
            )
        kind = _kind_of(kind_text)
        if kind is None:
            problems.append(
                ImportProblem(
                    number,
                    col("kind"),
                    _("loại “%(kind)s” không hợp lệ; dùng một trong: %(kinds)s.")
                    % {"kind": kind_text, "kinds": kinds},
                )
            )
        dates = {}
        for column in ("active_from", "active_to"):
            try:
                dates[column] = parse_date(value(cells, column))
            except ValueError as exc:
                problems.append(
                    ImportProblem(
                        number,
                        col(column),
                        _("ngày “%(value)s” không hợp lệ; dùng dd/mm/yyyy.") % {"value": exc},
                    )
                )
                dates[column] = None
        if (
            dates["active_from"]
            and dates["active_to"]
            and dates["active_to"] < dates["active_from"]
        ):
            problems.append(
                ImportProblem(number, col("active_to"), _("ngày kết thúc trước ngày bắt đầu."))
            )
        predecessors = [
            p.strip() for p in cell_text(value(cells, "predecessors")).split(";") if p.strip()
        ]
        parsed.append(
            UnitRow(
                row=number,
                code=code,
                name=name,
                kind=kind[0] if kind else "",
                sub_kind=kind[1] if kind else "",
                short_name=cell_text(value(cells, "short_name")),
                parent_code=cell_text(value(cells, "parent_code")),
                active_from=dates["active_from"],
                active_to=dates["active_to"],
                predecessors=predecessors,
                source=cell_text(value(cells, "source")),
            )
        )
    if not parsed and not problems:
        problems.append(ImportProblem(None, None, _("Tệp không có dòng dữ liệu nào.")))
    # Code → kind of every unit a row may point to, from the file first, else from the catalogue.
    kind_of = dict(
        Unit.objects.filter(
            code__in={r.parent_code for r in parsed} | {p for r in parsed for p in r.predecessors}
        ).values_list("code", "kind")
    )
    kind_of.update({r.code: r.kind for r in parsed if r.code})
    known = set(kind_of)
    for r in parsed:
        problems.extend(_sub_unit_problems(r, kind_of, table, position))
        if r.parent_code and r.parent_code not in known:
            problems.append(
                ImportProblem(
                    r.row,
                    table.column_label(position["parent_code"]),
                    _("đơn vị cấp trên “%(code)s” không có trong tệp hay trong danh mục.")
                    % {"code": r.parent_code},
                )
            )
        if r.parent_code and r.parent_code == r.code:
            problems.append(
                ImportProblem(
                    r.row,
                    table.column_label(position["parent_code"]),
                    _("đơn vị không thể là cấp trên của chính nó."),
                )
            )
        for p in r.predecessors:
            if p not in known:
                problems.append(
                    ImportProblem(
                        r.row,
                        table.column_label(position["predecessors"]),
                        _("đơn vị tiền thân “%(code)s” không có trong tệp hay trong danh mục.")
                        % {"code": p},
                    )
                )
    if problems:
        raise ImportFailed(problems)
    return parsed


def _sub_unit_problems(r: UnitRow, kind_of: dict, table: Table, position: dict):
    """An office or a division needs a parent of the kind it belongs to (SUB_UNIT_PARENT_KINDS)."""
    allowed = SUB_UNIT_PARENT_KINDS.get(r.kind)
    if not allowed:
        return []
    kinds = ", ".join(str(UnitKind(k).label) for k in allowed)
    if not r.parent_code:
        column = table.column_label(position["parent_code"]) if "parent_code" in position else None
        return [
            ImportProblem(
                r.row,
                column,
                _("“%(kind)s” phải có đơn vị cấp trên (cột parent_code) là: %(kinds)s.")
                % {"kind": UnitKind(r.kind).label, "kinds": kinds},
            )
        ]
    parent_kind = kind_of.get(r.parent_code)
    if not parent_kind or parent_kind in allowed:
        return []  # an unknown parent (or one of no valid kind) is reported on its own
    return [
        ImportProblem(
            r.row,
            table.column_label(position["parent_code"]),
            _("đơn vị cấp trên “%(code)s” là “%(parent)s”; “%(kind)s” phải thuộc: %(kinds)s.")
            % {
                "code": r.parent_code,
                "parent": UnitKind(parent_kind).label,
                "kind": UnitKind(r.kind).label,
                "kinds": kinds,
            },
        )
    ]


FIELDS = ("name", "short_name", "kind", "sub_kind", "active_from", "active_to", "source")


@transaction.atomic
def save_units(rows: list[UnitRow], actor=None, source: str = "") -> ImportSummary:
    """Create or update units by code, then link parents and predecessors, in one transaction.

    Only what differs from the catalogue is written, so re-importing a file costs little.
    """
    existing = {u.code: u for u in Unit.objects.filter(code__in=[r.code for r in rows])}
    to_create, changed = [], []
    for r in rows:
        unit = existing.get(r.code) or Unit(code=r.code)
        values = {name: getattr(r, name) for name in FIELDS}
        if unit.pk is None:
            to_create.append(Unit(code=r.code, **values))
        elif any(getattr(unit, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(unit, name, value)
            changed.append(unit)
    Unit.objects.bulk_create(to_create, batch_size=1000)
    Unit.objects.bulk_update(changed, FIELDS, batch_size=500)

    codes = (
        {r.code for r in rows}
        | {r.parent_code for r in rows}
        | {p for r in rows for p in r.predecessors}
    )
    by_code = dict(Unit.objects.filter(code__in=codes).values_list("code", "pk"))
    ids = [by_code[r.code] for r in rows]
    current_parent = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "parent_id"))
    reparented = []
    for r in rows:
        parent_id = by_code.get(r.parent_code) if r.parent_code else None
        if current_parent[by_code[r.code]] != parent_id:
            reparented.append(Unit(pk=by_code[r.code], parent_id=parent_id))
    Unit.objects.bulk_update(reparented, ["parent"], batch_size=500)

    links = Unit.predecessors.through
    current_links: dict[int, set[int]] = {}
    for from_id, to_id in links.objects.filter(from_unit_id__in=ids).values_list(
        "from_unit_id", "to_unit_id"
    ):
        current_links.setdefault(from_id, set()).add(to_id)
    wanted = {by_code[r.code]: {by_code[p] for p in r.predecessors} for r in rows}
    relinked = [uid for uid, targets in wanted.items() if current_links.get(uid, set()) != targets]
    links.objects.filter(from_unit_id__in=relinked).delete()
    links.objects.bulk_create(
        [links(from_unit_id=uid, to_unit_id=target) for uid in relinked for target in wanted[uid]],
        batch_size=1000,
    )
    summary = ImportSummary(created=len(to_create), updated=len(rows) - len(to_create))
    record(
        actor,
        "units.import",
        Unit.objects.get(pk=ids[0]),
        after={
            "created": summary.created,
            "updated": summary.updated,
            "changed": len(changed) + len(reparented) + len(relinked),
            "source": source,
        },
    )
    return summary


def import_units(data: bytes, filename: str = "", actor=None) -> ImportSummary:
    rows = parse_units(read_table(data, filename))
    return save_units(rows, actor=actor, source=filename)


@transaction.atomic
def import_hanoi_catalogue(actor=None) -> ImportSummary:
    """Every file of the built-in catalogue, in order, in one transaction: all of them or nothing."""
    created = updated = 0
    for path in HANOI_CATALOGUE:
        summary = import_units(path.read_bytes(), path.name, actor=actor)
        created, updated = created + summary.created, updated + summary.updated
    return ImportSummary(created=created, updated=updated)
