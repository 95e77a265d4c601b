"""Modules stay readable (docs/architecture.md): none outside migrations, tests and bench/ is over 500 lines.
When one grows, split it by meaning into a package that re-exports its names."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 500


def test_no_module_is_over_500_lines():
    rooms = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
        "root_packages"
    ]
    too_long = {}
    for room in rooms:
        for module in (ROOT / room).rglob("*.py"):
            parts = module.relative_to(ROOT).parts
            if "migrations" in parts or "tests" in parts:
                continue
            lines = len(module.read_text().splitlines())
            if lines > LIMIT:
                too_long[str(module.relative_to(ROOT))] = lines
    assert too_long == {}
