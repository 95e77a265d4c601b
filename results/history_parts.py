"""The optional columns of a past year's results file (results/history.py): points per domain and per
part (appraisal, survey), each with its maximum, so that the year's snapshot has domains like any other.

All or nothing, like the file: a domain column without its maximum is a header error; a row with a
missing, non-numeric or negative figure, or points above the maximum, is a row-and-column error.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext

from core.tabular import ImportProblem, cell_text, parse_decimal

# `linh_vuc_2` (points of domain 2) with `linh_vuc_2_toi_da` (its maximum); the parts likewise.
DOMAIN = re.compile(r"^linh_vuc_(\d+)$")
MAXIMUM = "_toi_da"
PARTS = {"tham_dinh": "appraisal", "dieu_tra": "survey"}
HUNDRED = Decimal("100")
TWO_PLACES = Decimal("0.01")


def columns(header: list[str]) -> tuple[list[str], list[str], list[ImportProblem]]:
    """The domain codes and parts the header names, in file order, and the header's problems."""
    domains = [m.group(1) for h in header if (m := DOMAIN.match(h))]
    parts = [h for h in header if h in PARTS]
    problems = [
        ImportProblem(
            1,
            None,
            gettext("Cột “%(column)s” cần cột điểm tối đa “%(maximum)s”.")
            % {"column": name, "maximum": name + MAXIMUM},
        )
        for name in [*(f"linh_vuc_{c}" for c in domains), *parts]
        if name + MAXIMUM not in header
    ]
    return domains, parts, problems


def _pair(text, table, at, number, name, problems) -> tuple[Decimal, Decimal] | None:
    points, maximum = parse_decimal(text(name)), parse_decimal(text(name + MAXIMUM))
    found = len(problems)
    for column, value in ((name, points), (name + MAXIMUM, maximum)):
        if value is None or value < 0:
            problems.append(
                ImportProblem(
                    number,
                    table.column_label(at[column]),
                    gettext("Cần một số không âm."),
                )
            )
    if len(problems) == found and points > maximum:
        problems.append(
            ImportProblem(
                number,
                table.column_label(at[name]),
                gettext("Điểm (%(points)s) lớn hơn điểm tối đa (%(maximum)s).")
                % {"points": points, "maximum": maximum},
            )
        )
    return None if len(problems) > found else (points, maximum)


def read(table, header, cells, number, domains, parts, problems) -> dict:
    """One row's domains (as a snapshot keeps them) and parts: {"domains": [...], "appraisal": (p, m)…}."""
    at = {name: i for i, name in enumerate(header)}

    def text(name):
        index = at[name]
        return cell_text(cells[index]) if index < len(cells) else ""

    found: dict = {"domains": []}
    for code in domains:
        pair = _pair(text, table, at, number, f"linh_vuc_{code}", problems)
        if pair is not None:
            points, maximum = (v.quantize(TWO_PLACES) for v in pair)
            index = (points * HUNDRED / maximum).quantize(TWO_PLACES) if maximum else None
            found["domains"].append(
                {
                    "code": code,
                    "title": gettext("Lĩnh vực %(code)s") % {"code": code},
                    "points": str(points),
                    "max": str(maximum),
                    "index": None if index is None else str(index),
                }
            )
    for name in parts:
        pair = _pair(text, table, at, number, name, problems)
        if pair is not None:
            found[PARTS[name]] = tuple(v.quantize(TWO_PLACES) for v in pair)
    return found
