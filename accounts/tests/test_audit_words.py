"""The audit trail in words: every action the code records has a label, and the pages that show the
trail show words ("Chuyển giai đoạn: Dự thảo → Tự đánh giá"), not codes ("cycle.transition")."""

import ast
import re
from pathlib import Path

from accounts.audit_words import ACTION_LABELS
from assessments import services
from conftest import item_of
from cycles.services import transition
from results.models import JobKind

ROOT = Path(__file__).resolve().parents[2]
ACTION = re.compile(r"[a-z_]+\.[a-z_]+")
RECORDERS = {"record", "record_security", "_save"}


def recorded_actions() -> set[str]:
    """The action names passed to the audit functions anywhere outside tests (literal strings)."""
    found = set()
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if (
            parts[0] in (".venv", "e2e", "bench", "var")
            or "tests" in parts
            or "migrations" in parts
        ):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            values = [k.value for k in node.keywords if k.arg == "action"]
            if name in RECORDERS:
                values += node.args[1:3]
            for value in values:
                literal = isinstance(value, ast.Constant) and isinstance(value.value, str)
                if literal and ACTION.fullmatch(value.value):
                    found.add(value.value)
    return found


def test_every_recorded_action_has_words():
    actions = recorded_actions()
    assert {"cycle.transition", "review.assign", "item.self_assess", "auth.login"} <= actions
    actions |= {f"results.{kind}" for kind in JobKind.values} | {"results.publish"}
    assert sorted(actions - set(ACTION_LABELS)) == []


def test_cycle_page_tells_its_moves_in_words(client, secretariat, draft_cycle):
    transition(secretariat, draft_cycle, "self_assessment")
    client.force_login(secretariat)
    page = client.get(f"/cycles/{draft_cycle.year}/").content.decode()
    log = page.split("Nhật ký</h2>")[1]
    assert "Chuyển giai đoạn: Dự thảo → Tự đánh giá" in log
    assert "cycle.transition" not in log and "self_assessment" not in log


def test_leaf_history_names_fields_in_words(client, officer_a, assessment_a):
    item = item_of(assessment_a, "1.5")
    services.save_self(officer_a, item, inputs={"points": "0.75"})
    client.force_login(officer_a)
    page = client.get(f"/assessments/items/{item.pk}/history/").content.decode()
    assert "Tự chấm điểm" in page and "Điểm tự chấm: 0.75" in page
    assert "item.self_assess" not in page and "self_points" not in page


def test_security_log_shows_actions_in_words(client, secretariat):
    client.force_login(secretariat)
    client.post("/accounts/logout/")
    client.force_login(secretariat)
    page = client.get("/accounts/security-log/").content.decode()
    assert 'data-action="auth.logout">Đăng xuất</td>' in page and ">auth.logout<" not in page
