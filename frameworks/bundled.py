"""The framework files shipped with the platform (frameworks/data/), one per family, and how to read one.

Each file is in the Excel layout (docs/framework-excel.md, as CSV) and is read with the import's own checks.
`kind` is the unit kind it is the default framework for; the provincial one has none: it is the city's own
self-assessment for the Ministry's provincial index (docs/frameworks.md, "Khung theo khối").
"""

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from core.tabular import read_table
from units.models import UnitKind

from .excel import NodeSpec, parse_specs

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class BundledFramework:
    filename: str
    kind: str | None
    # The scored total (bonus and penalty left out) the framework's `target_total` must be set to.
    target_total: Decimal
    survey_points: Decimal

    @property
    def path(self) -> Path:
        return DATA / self.filename


_FILES = (
    # name, file, the kind it is the default for, target total, survey points
    ("department", "framework-department.csv", UnitKind.DEPARTMENT, "100", "30"),
    ("commune", "framework-commune.csv", UnitKind.COMMUNE, "100", "30"),
    ("public_service", "framework-public-service.csv", UnitKind.PUBLIC_SERVICE_UNIT, "100", "30"),
    # 40 appraisal and 20 survey points, as the city's plan gives the central agencies.
    ("central_agency", "framework-central-agency.csv", UnitKind.CENTRAL_AGENCY, "60", "20"),
    ("office", "framework-office.csv", UnitKind.OFFICE, "100", "20"),
    ("division", "framework-division.csv", UnitKind.DIVISION, "100", "15"),
    # 68 appraisal points in 8 domains and 32 survey points, as the Ministry's provincial index.
    ("provincial", "framework-provincial.csv", None, "100", "32"),
)
BUNDLED = {
    name: BundledFramework(filename, kind, Decimal(total), Decimal(survey))
    for name, filename, kind, total, survey in _FILES
}


def load_specs(name: str) -> list[NodeSpec]:
    """The checked node specs of a bundled framework (ImportFailed if the file were broken)."""
    path = BUNDLED[name].path
    return parse_specs(read_table(path.read_bytes(), path.name))
