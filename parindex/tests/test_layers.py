"""The rooms import one way (DESIGN.md): the import-linter contracts in pyproject.toml hold on the tree,
and they break when a room imports upward."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def rooms() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["importlinter"]["root_packages"]


def lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def tree_with(tmp_path: Path, room: str, module: str, source: str) -> Path:
    """A copy of the project's rooms (links, except `room`, copied) with one module added to `room`."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    for name in rooms():
        if name == room:
            shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("tests"))
        else:
            (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / room / module).write_text(source)
    return tmp_path


def test_the_tree_keeps_the_contracts():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_import_breaks_the_layers(tmp_path):
    result = lint(tree_with(tmp_path, "core", "probe.py", "import accounts.models  # noqa\n"))
    assert result.returncode != 0
    assert "core.probe -> accounts.models" in result.stdout


def test_an_app_importing_ops_breaks_the_layers(tmp_path):
    result = lint(tree_with(tmp_path, "surveys", "probe.py", "from ops import metrics  # noqa\n"))
    assert result.returncode != 0
    assert "surveys.probe -> ops.metrics" in result.stdout


def test_the_plan_may_not_read_the_results(tmp_path):
    result = lint(tree_with(tmp_path, "plans", "probe.py", "import results.models  # noqa\n"))
    assert result.returncode != 0
    assert "plans.probe -> results.models" in result.stdout
