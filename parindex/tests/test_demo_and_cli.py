"""The demo year and the `parindex` command: loads twice safely; dashed command names work."""

import io
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.test import Client

from accounts.models import AuditEvent, Role, User
from assessments.models import AssessmentState, Evidence, Item
from cycles.models import Cycle, CycleState, IndexFamily
from demo.families import INTERNAL_2026
from demo.load import DEMO_ACCOUNTS, load_demo
from demo.paper import FIELD_ACCOUNTS
from demo.roster import DEMO_OFFICIALS, SAMPLE_SEED
from frameworks import tree
from frameworks.scoring import RULES
from parindex.cli import main
from plans.links import actual_value
from plans.models import Plan
from reporting.consolidation import consolidate
from reporting.models import Period
from surveys.models import CodeRefusal, OfficialRating, SampleDraw, Wave
from surveys.models import Response as SurveyResponse
from surveys.roster_codes import find_official
from surveys.services import stratum_rates
from surveys.services.roster import progress as roster_progress
from units.models import UnitKind

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.whole_demo
@pytest.mark.django_db
def test_demo_year_is_complete_and_safe_to_load_twice():
    load_demo()
    counts = (Cycle.objects.count(), User.objects.count(), AuditEvent.objects.count())
    load_demo()
    assert (Cycle.objects.count(), User.objects.count()) == counts[:2]

    cycle = Cycle.objects.get(key="2025")
    assert cycle.state == CycleState.PUBLISHED  # computed and published: the public site shows it
    publication = cycle.publications.get()  # loading twice publishes nothing new
    assert len(publication.snapshot["units"]) == 141
    wards = [u for u in publication.snapshot["units"] if u["kind"] == UnitKind.COMMUNE]
    assert all(u["comparison"] == "lineage" for u in wards)  # through the 2024 districts
    assert Cycle.objects.get(key="2024").publications.count() == 1
    assert cycle.participations.filter(unit__kind=UnitKind.DEPARTMENT).count() == 15
    assert cycle.participations.filter(unit__kind=UnitKind.COMMUNE).count() == 126
    assert cycle.phases.count() == 4
    assert set(cycle.assessments.values_list("state", flat=True)) == {AssessmentState.FINALISED}
    assert Item.objects.filter(assessment__cycle=cycle, final_points__isnull=False).count() > 10000
    assert Item.objects.filter(assessment__cycle=cycle, explanation__gt="").exists()
    assert Evidence.objects.filter(item__assessment__cycle=cycle).count() > 5000

    current = Cycle.objects.get(key="2026")  # the city index (beside it: the provincial one)
    assert current.state == CycleState.SELF_ASSESSMENT
    assert current.phase("self_assessment").is_open()
    states = set(current.assessments.values_list("state", flat=True))
    assert states == {AssessmentState.DRAFT, AssessmentState.SUBMITTED}
    showcase = current.assessments.get(unit__code="00070")
    assert (
        AuditEvent.objects.filter(
            action="item.self_assess",
            object_id__in=[str(pk) for pk in showcase.items.values_list("pk", flat=True)],
        ).count()
        > 20
    )
    assert Evidence.objects.filter(item__assessment=showcase).exclude(file="").exists()
    # Deadline tiers moved to the cycle's year when the framework was copied.
    deadline = current.frameworks.get(kind="commune").nodes.filter(rule="deadline").first()
    assert deadline.rule_params["tiers"][0][0].startswith("2026-")
    assert Cycle.objects.get(key="2027").state == CycleState.DRAFT

    survey_leaves = Item.objects.filter(assessment__cycle=cycle, node__rule="survey")
    assert not survey_leaves.filter(self_points__isnull=True).exists()  # filled from the 2025 waves
    assert Wave.objects.filter(cycle=current).count() == 2 and any(
        w.is_open() for w in Wave.objects.filter(cycle=current)
    )
    # Every unit taking part has responses in the SIPAS wave and the officials' wave of each year.
    for wave in Wave.objects.filter(cycle__in=[cycle, current]).select_related("version"):
        taking_part = set(wave.targets.values_list("unit_id", flat=True))
        answered = set(wave.responses.values_list("unit_id", flat=True).distinct())
        assert taking_part and answered == taking_part, wave
    codes = set(
        Wave.objects.filter(cycle=cycle).values_list("version__questionnaire__code", flat=True)
    )
    assert codes == {"sipas", "officials"}
    assert SurveyResponse.objects.exclude(flags=[]).exists()
    flags = SurveyResponse.objects.exclude(flags=[]).values_list("flags", flat=True)
    assert any("refused_codes" in f for f in flags)
    # Refused codes in every SIPAS wave, and a unit where one phone tried many (guessing).
    guessed = (
        CodeRefusal.objects.filter(wave__cycle__in=[cycle, current])
        .values("wave", "device_hash")
        .annotate(n=Count("id"))
    )
    assert guessed.filter(n__gte=18).values("wave").distinct().count() == 2

    # The 2026 officials' wave by roster (docs/surveys.md): codes issued, some answered through the
    # intake, so that the rates per group and per rated unit show something; the link is refused.
    officials = Wave.objects.get(cycle=current, version__questionnaire__code="officials")
    assert officials.by_roster and 100 <= officials.officials.count() <= 300
    assert not officials.officials.filter(code_hash="").exists()
    rates = roster_progress(officials)
    assert set(rates["groups"]) == {
        "council_deputy",
        "department_director",
        "commune_chair",
        "division_head",
        "unit_staff",
    }
    assert all(0 < g["answered"] < g["expected"] for g in rates["groups"].values())
    assert sum(1 for u in rates["units"].values() if u["answered"]) > 20
    for person in DEMO_OFFICIALS:  # the codes README prints still work after a second load
        official = find_official(person.code)
        assert official.name == person.name and official.wave == officials
        assert OfficialRating.objects.filter(official=official).count() == person.answered
    link = Client().get(f"/khao-sat/{officials.pk}/00070/")
    assert link.status_code == 403
    # The 2026 SIPAS wave's dossier sample: drawn with the seed, codes issued, a few answered.
    sipas_2026 = Wave.objects.get(cycle=current, version__questionnaire__code="sipas")
    assert SampleDraw.objects.get(wave=sipas_2026).seed == SAMPLE_SEED
    strata = stratum_rates(sipas_2026)
    assert {r["unit"].code for r in strata} >= {"S02", "00070"} and len(strata) == 6
    assert all(r["invited"] == r["sample"] < r["population"] for r in strata)
    assert sum(r["responded"] for r in strata) == 24

    plan = Plan.objects.get(year=2025)
    assert plan.tasks.filter(parent__isnull=True).count() == 50 and plan.targets.count() == 29
    assert plan.tasks.filter(status="done").exists() and plan.tasks.overdue().exists()
    assert actual_value(plan.targets.get(indicator_code="dossiers_on_time")) is not None
    assert Period.objects.filter(year=2025).count() == 4
    open_periods = [p for p in Period.objects.all() if p.is_open()]
    assert len(open_periods) == 1
    assert consolidate(Period.objects.get(year=2025, kind="year")).submitted > 100
    for framework in cycle.frameworks.all():
        nodes = list(framework.nodes.all())
        roots = tree.build(nodes)
        leaves = [leaf.node for root in roots for leaf in root.leaves()]
        assert tree.structure_problems(nodes) == []
        assert tree.total_points(roots) == 100
        assert 80 <= len(leaves) <= 120
        assert {leaf.rule for leaf in leaves} == set(RULES)
        assert len(roots) == 9 and roots[-1].is_extra
    assert {u.role for u in User.objects.all()} == set(Role.values)
    assert len(DEMO_ACCOUNTS) + 2 * len(INTERNAL_2026) + len(FIELD_ACCOUNTS) == User.objects.count()
    # Paper forms keyed twice in the 2026 SIPAS wave, one waiting for the supervisor.
    assert SurveyResponse.objects.filter(channel="paper").count() == 9
    assert SurveyResponse.objects.filter(channel="enumerator").count() == 3

    # Indices at every level (docs/levels.md): the four city families published for 2025, and two
    # internal indices under way, each run by its own secretariat.
    indices = Client().get("/api/v1/indices").json()
    assert {"departments", "communes", "public_service", "central_agencies"} <= {
        i["family"] for i in indices if i["year"] == 2025
    }
    internal = Cycle.objects.filter(year=2026, family=IndexFamily.INTERNAL)
    assert {c.organiser.code for c in internal} == {"S02", "00070"}
    for index in internal:
        assert index.state == CycleState.SELF_ASSESSMENT and index.assessments.count() >= 4
        assert User.objects.get(role=Role.SECRETARIAT, unit=index.organiser)
    police = Cycle.objects.get(key="2025-nganh-doc").assessments.get(unit__code="TW01")
    assert police.framework.variant and police.cycle.state == CycleState.PUBLISHED

    # SIPAS of the published 2025 as an index (issue 18): city, families, units, the plan's target.
    sipas = Client().get("/api/v1/sipas/2025").json()
    assert 0 < sipas["index"]["value"] < 100 and len(sipas["elements"]) == 5
    assert len(sipas["units"]) >= 141 and all(u["n"] > 0 for u in sipas["units"])
    assert {"departments", "communes"} <= {f["family"] for f in sipas["families"]}
    assert len(sipas["expectations"]) == 10 and sipas["target"]["value"] == 85.0
    assert Client().get("/api/v1/sipas/2026").status_code == 404  # not published


def test_export_and_import_framework_commands_round_trip(tmp_path, secretariat, draft_cycle):
    from demo.load import load_framework_specs
    from frameworks.services import save_specs

    save_specs(
        secretariat, draft_cycle, "department", load_framework_specs("department"), source="test"
    )
    out = tmp_path / "f.xlsx"
    call_command("export_framework", "--cycle", "2025", "--kind", "department", "-o", str(out))
    framework = draft_cycle.frameworks.get(kind="department")
    before = list(
        framework.nodes.order_by("code").values_list(
            "code", "title", "max_points", "rule", "rule_params", "evidence_rule"
        )
    )
    stdout = io.StringIO()
    call_command(
        "import_framework", str(out), "--cycle", "2025", "--kind", "department", stdout=stdout
    )
    assert "Đã nhập" in stdout.getvalue()
    after = list(
        framework.nodes.order_by("code").values_list(
            "code", "title", "max_points", "rule", "rule_params", "evidence_rule"
        )
    )
    assert after == before


@pytest.mark.parametrize("kind", ["department", "commune"])
def test_demo_frameworks_set_evidence_rules_sensibly(kind):
    """Bonus, penalty and deduction leaves need evidence only for a claim; the PAR plan always."""
    from demo.load import load_framework_specs

    leaves = {s.code: s for s in load_framework_specs(kind) if s.rule}
    rules = {code: spec.evidence_rule for code, spec in leaves.items()}
    assert {rules[c] for c in ("1.1.1", "1.1.2", "1.1.3")} == {"always"}
    for spec in leaves.values():
        if spec.rule in ("bonus", "penalty", "deduction"):
            assert spec.evidence_rule in ("when_claimed", "never"), spec.code
        if spec.rule in ("survey", "automatic"):
            assert spec.evidence_rule == "never", spec.code
    assert rules["9.3"] == "when_claimed" and rules["9.6"] == "when_claimed"
    counts = Counter(rules.values())
    assert counts["when_claimed"] > counts["never"] > counts["always"]


def test_cli_maps_dashed_names_to_commands(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["parindex", "import-units", "--help"])
    assert exited.value.code == 0
    assert "Nhập danh mục đơn vị" in capsys.readouterr().out


def test_parindex_console_script_lists_the_project_commands():
    result = subprocess.run(
        [sys.executable, "-m", "parindex.cli", "help"],
        cwd=ROOT,
        env=os.environ | {"DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    for command in ("import_units", "import_framework", "export_framework", "create_cycle", "demo"):
        assert command in result.stdout


@pytest.mark.django_db(transaction=True)
def test_the_demo_drops_the_load_s_queued_emails_and_keeps_other_work(settings):
    from django_tasks_db.models import DBTaskResult

    from accounts.notify import notify
    from accounts.tasks import send_notification_emails
    from demo.management.commands.demo import Command
    from results.tasks import run_job

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    user = User.objects.create_user("nhan.thongbao", email="a@example.vn", password="x")
    notify([user], "Thông báo thử")
    run_job.enqueue(0)
    assert DBTaskResult.objects.filter(task_path=send_notification_emails.module_path).exists()
    Command().drop_load_emails()
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [run_job.module_path]
    assert user.notifications.count() == 1  # the notification stays in the app
