"""How the names written in a plan's lead and coordinating cells map to the unit catalogue.

A cell names single bodies ("Sở Tư pháp"), whole groups ("Sở, Ban, Ngành" = every department), bodies
merged since the text was written (Sở Kế hoạch và Đầu tư → Sở Tài chính, 1 March 2025), or bodies outside
the catalogue (Công an Thành phố). Groups and merged names are built in; the rest goes through the
aliases the secretariat confirms (UnitAlias).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from units.models import Unit, UnitKind

# The two-level local government starts on 1 July 2025: "UBND quận, huyện" then means communes.
TWO_LEVEL_REFORM = date(2025, 7, 1)


def normalise(name: str) -> str:
    text = unicodedata.normalize("NFC", name).lower()
    text = re.sub(r"[\s\-–—.;:,]+", " ", text)
    return text.strip()


LOCAL = "local"
GROUPS = {
    normalise(name): kind
    for name, kind in [
        ("Sở, Ban, Ngành", UnitKind.DEPARTMENT),
        ("Các Sở, Ban, Ngành", UnitKind.DEPARTMENT),
        ("Các Sở, cơ quan tương đương Sở", UnitKind.DEPARTMENT),
        ("Các Sở, cơ quan tương đương Sở triển khai theo ngành, lĩnh vực", UnitKind.DEPARTMENT),
        ("UBND các quận, huyện, thị xã", LOCAL),
        ("UBND quận, huyện, thị xã", LOCAL),
        ("UBND các xã, phường", UnitKind.COMMUNE),
        ("Các đơn vị sự nghiệp công lập thuộc UBND Thành phố", UnitKind.PUBLIC_SERVICE_UNIT),
        ("Các cơ quan ngành dọc đóng trên địa bàn Thành phố", UnitKind.CENTRAL_AGENCY),
    ]
}
# Departments merged on 1 March 2025: the older name points to the department that took it over.
MERGED_DEPARTMENTS = {
    normalise(old): new
    for old, new in [
        ("Sở Kế hoạch và Đầu tư", "Sở Tài chính"),
        ("Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và Môi trường"),
        ("Sở Nông nghiệp và Phát triển nông thôn", "Sở Nông nghiệp và Môi trường"),
        ("Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ"),
        ("Sở Lao động - Thương binh và Xã hội", "Sở Nội vụ"),
        ("Sở Giao thông vận tải", "Sở Xây dựng"),
        ("Sở Ngoại vụ", "Văn phòng UBND thành phố"),
    ]
}


@dataclass
class Resolution:
    units: list = field(default_factory=list)
    outside: list[str] = field(default_factory=list)  # confirmed as outside the catalogue
    unknown: list[str] = field(default_factory=list)  # nobody has said what these are yet


def split_cell(text: str) -> list[str]:
    return [part.strip(" -–•") for part in re.split(r";|\n", text or "") if part.strip(" -–•")]


class Resolver:
    """Resolves names against the catalogue of a year, loaded once per import."""

    def __init__(self, year: int):
        from .models import UnitAlias

        start, end = date(year, 1, 1), date(year, 12, 31)
        # A department that merged into another during the year (1/3/2025) is named by the plan but
        # carried on by its successor (MERGED_DEPARTMENTS): the year's departments are those at its end.
        self.units = list(
            Unit.objects.exclude(active_to__lt=start)
            .exclude(active_from__gt=end)
            .exclude(kind=UnitKind.DEPARTMENT, active_to__lt=end)
        )
        self.by_name = {}
        for unit in self.units:
            for name in {unit.name, unit.display_name, unit.short_name} - {""}:
                self.by_name.setdefault(normalise(name), unit)
        self.aliases = {normalise(a.name): a.unit for a in UnitAlias.objects.select_related("unit")}

    def group(self, kind: str, due: date | None) -> list:
        if kind == LOCAL:
            kind = UnitKind.COMMUNE if due is None or due >= TWO_LEVEL_REFORM else UnitKind.DISTRICT
        return [u for u in self.units if u.kind == kind]

    def resolve(self, cell: str, due: date | None = None) -> Resolution:
        result = Resolution()
        for name in split_cell(cell):
            key = normalise(name)
            if key in GROUPS:
                result.units.extend(self.group(GROUPS[key], due))
            elif key in self.by_name:
                result.units.append(self.by_name[key])
            elif key in MERGED_DEPARTMENTS and normalise(MERGED_DEPARTMENTS[key]) in self.by_name:
                result.units.append(self.by_name[normalise(MERGED_DEPARTMENTS[key])])
            elif key in self.aliases:
                if self.aliases[key] is None:
                    result.outside.append(name)
                else:
                    result.units.append(self.aliases[key])
            else:
                result.unknown.append(name)
        result.units = list(dict.fromkeys(result.units))
        return result
