"""Stratified random sampling of dossiers for a survey wave (issue 18, item 6): the list the one-stop
system exports (dossier code, unit, date received, contact), read all or nothing, and a sample drawn per
unit (the stratum) of size n = N / (1 + N·e²).

The draw is reproducible: each stratum's dossier codes are sorted (so the file's order does not matter)
and drawn with a generator seeded by the seed and the unit's code (`random.Random` seeded with a text
hashes it with SHA-512, the same on every platform and Python version)."""

import random
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from core.tabular import ImportFailed, ImportProblem, Table, cell_text, parse_date
from units.models import Unit

from .hashing import normalise_code
from .microdata import UNIT_HEADERS, find_column, unit_lookup
from .stats import sample_size

CODE_HEADERS = {"mã hồ sơ", "số hồ sơ", "dossier", "dossier_code"}
DATE_HEADERS = {"ngày", "ngày tiếp nhận", "ngày nộp", "date", "received_on"}
CONTACT_HEADERS = {"liên hệ", "địa chỉ", "điện thoại", "email", "contact"}
CONTACT_LIMIT = 200


@dataclass(frozen=True)
class FrameRow:
    row: int
    code: str
    unit: Unit
    received_on: date | None
    contact: str


def read_frame(table: Table, units: dict[str, Unit]) -> list[FrameRow]:
    columns = {
        "code": find_column(table, CODE_HEADERS),
        "unit": find_column(table, UNIT_HEADERS),
        "date": find_column(table, DATE_HEADERS),
        "contact": find_column(table, CONTACT_HEADERS),
    }
    names = {"code": "mã hồ sơ", "unit": "mã đơn vị"}
    missing = [
        ImportProblem(1, None, _("thiếu cột “%(column)s”") % {"column": name})
        for key, name in names.items()
        if columns[key] is None
    ]
    if missing:
        raise ImportFailed(missing)

    def label(key):
        return table.column_label(columns[key])

    def cell(cells, key):
        return cells[columns[key]] if columns[key] is not None else None

    unit_of, problems, rows, seen = unit_lookup(units), [], [], {}
    for number, values in table.rows:
        cells = list(values) + [None] * (len(table.header) - len(values))
        code = normalise_code(cell_text(cell(cells, "code")))
        unit_code = cell_text(cell(cells, "unit"))
        unit = unit_of(unit_code)
        if not code:
            problems.append(ImportProblem(number, label("code"), _("thiếu mã hồ sơ")))
        elif len(code) > 60:
            problems.append(ImportProblem(number, label("code"), _("mã hồ sơ dài quá 60 ký tự")))
        elif code in seen:
            problems.append(
                ImportProblem(
                    number,
                    label("code"),
                    _("hồ sơ “%(code)s” đã có ở dòng %(row)s") % {"code": code, "row": seen[code]},
                )
            )
        else:
            seen[code] = number
        if unit is None:
            reason = (
                _("thiếu mã đơn vị")
                if not unit_code
                else _("đơn vị mã “%(code)s” không tham gia kỳ đánh giá của đợt khảo sát này")
                % {"code": unit_code}
            )
            problems.append(ImportProblem(number, label("unit"), reason))
        received_on = None
        try:
            received_on = parse_date(cell(cells, "date"))
        except ValueError:
            problems.append(
                ImportProblem(
                    number,
                    label("date"),
                    _("“%(value)s” không phải là ngày (dd/mm/yyyy)")
                    % {"value": cell_text(cell(cells, "date"))},
                )
            )
        contact = " ".join(cell_text(cell(cells, "contact")).split())
        if len(contact) > CONTACT_LIMIT:
            problems.append(
                ImportProblem(
                    number,
                    label("contact"),
                    _("thông tin liên hệ dài quá %(limit)s ký tự") % {"limit": CONTACT_LIMIT},
                )
            )
        if unit is not None and code:
            rows.append(FrameRow(number, code, unit, received_on, contact))
    if not table.rows:
        problems.append(ImportProblem(None, None, _("Bảng không có dòng số liệu nào.")))
    if problems:
        raise ImportFailed(problems)
    return rows


def draw(strata: dict[str, list[str]], seed: str, margin: float) -> dict[str, list[str]]:
    """{stratum: the drawn codes, sorted}: n = sample_size(N, margin) codes of each stratum, without
    replacement, the same for the same codes (in any order) and the same seed."""
    drawn = {}
    for stratum, codes in strata.items():
        population = sorted(set(codes))
        size = sample_size(len(population), margin)
        rng = random.Random(f"parindex-sample:{seed}:{stratum}")
        drawn[stratum] = sorted(rng.sample(population, size))
    return drawn
