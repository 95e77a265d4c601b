"""The Django admin writes nothing around a service: each model with a service is refused there, and
the plan page (the only place targets are typed) saves through plans/services.py with its audit events.

The admin user is a superuser, who holds every model permission: only the admins' own rules stand
between them and a write, so re-enabling one makes these tests fail.
"""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import AuditEvent, Role, User
from assessments.models import Assessment, ReviewerAssignment
from conftest import enrolled
from cycles.models import CycleState, Participation, Phase, PhaseKind
from frameworks.models import Framework
from plans import services as plans
from plans.models import Plan, Target, UnitAlias
from units.models import Unit


@pytest.fixture
def admin_client(client, db):
    user = User.objects.create_superuser(
        "quantri", "quantri@example.vn", "a-Long-test-passw0rd", role=Role.SECRETARIAT
    )
    enrolled(user)  # superusers need two-factor login; force_login is a session after both steps
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def finalised_cycle(open_cycle, secretariat):
    """Cycle 2025 with its phases set, then approved: its deadlines may no longer change."""
    open_cycle.state = CycleState.FINALISED
    open_cycle.save(update_fields=["state"])
    return open_cycle


# Text fields of the models below, altered (a refused write must not even read them).
CHANGED = {"title": "Đã sửa trong trang quản trị", "name": "Đã sửa", "ranking_group": "Khối khác"}


def _cases(cycle):
    participation = Participation.objects.filter(cycle=cycle).first()
    return {
        "unit": Unit.objects.first(),
        "cycle": cycle,
        "participation": participation,
        "framework": Framework.objects.filter(cycle=cycle).first(),
        "reviewer assignment": ReviewerAssignment.objects.filter(cycle=cycle).first(),
        "assessment": Assessment.objects.filter(cycle=cycle).first(),
        "unit alias": UnitAlias.objects.create(name="UBND phường cũ", unit=participation.unit),
        "audit event": AuditEvent.objects.first(),
    }


def _url(obj, view: str = "change") -> str:
    meta = obj._meta
    base = f"/admin/{meta.app_label}/{meta.model_name}/"
    return base + ("add/" if view == "add" else f"{obj.pk}/{view}/")


MODELS = [
    "unit",
    "cycle",
    "participation",
    "framework",
    "reviewer assignment",
    "assessment",
    "unit alias",
    "audit event",
]


@pytest.mark.parametrize("name", MODELS)
def test_admin_shows_but_refuses_to_add_change_or_delete(admin_client, finalised_cycle, name):
    obj = _cases(finalised_cycle)[name]
    model = type(obj)
    before = model.objects.values().get(pk=obj.pk)
    events = AuditEvent.objects.count()

    assert admin_client.get(_url(obj)).status_code == 200  # still a reference view
    assert admin_client.post(_url(obj), CHANGED).status_code == 403
    assert admin_client.get(_url(obj, "add")).status_code == 403
    assert admin_client.post(_url(obj, "add"), CHANGED).status_code == 403
    assert admin_client.post(_url(obj, "delete"), {"post": "yes"}).status_code == 403

    assert model.objects.values().get(pk=obj.pk) == before
    assert AuditEvent.objects.count() == events


def test_a_finalised_cycles_deadlines_cannot_be_changed_in_the_admin(admin_client, finalised_cycle):
    phase = finalised_cycle.phases.get(kind=PhaseKind.SELF_ASSESSMENT)
    closes_at = phase.closes_at
    data = {
        "title": finalised_cycle.title,
        "phases-TOTAL_FORMS": "1",
        "phases-INITIAL_FORMS": "1",
        "phases-0-id": str(phase.pk),
        "phases-0-cycle": str(finalised_cycle.pk),
        "phases-0-kind": phase.kind,
        "phases-0-opens_at_0": "01/01/2025",
        "phases-0-opens_at_1": "08:00",
        "phases-0-closes_at_0": "31/12/2099",
        "phases-0-closes_at_1": "17:00",
    }
    assert admin_client.post(_url(finalised_cycle), data).status_code == 403
    assert Phase.objects.get(pk=phase.pk).closes_at == closes_at


def test_bulk_delete_is_not_offered(admin_client, officer_a):
    page = admin_client.get("/admin/accounts/user/").content.decode()
    assert 'value="delete_selected"' not in page
    admin_client.post(
        "/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [officer_a.pk], "post": "yes"},
    )
    assert User.objects.filter(pk=officer_a.pk).exists()


@pytest.fixture
def plan(secretariat):
    plan = plans.save_plan(
        secretariat,
        year=2025,
        decision_number="6830/QĐ-UBND",
        decision_date=date(2024, 12, 30),
        title="Kế hoạch CCHC năm 2025",
    )
    target = Target(plan=plan, area="Thể chế", text="100% văn bản đúng hạn", order=1)
    return plans.save_target(secretariat, target).plan


def _plan_form(plan, targets: list[dict], *, initial: int) -> dict:
    data = {
        "decision_number": "7000/QĐ-UBND",
        "decision_date": "15/01/2025",
        "title": "Kế hoạch CCHC năm 2025 (sửa đổi)",
        "targets-TOTAL_FORMS": str(len(targets)),
        "targets-INITIAL_FORMS": str(initial),
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
    }
    for i, target in enumerate(targets):
        data.update({f"targets-{i}-{key}": value for key, value in target.items()})
        data[f"targets-{i}-plan"] = str(plan.pk)
    return data


def test_plan_and_targets_are_saved_through_the_service_with_audit_events(admin_client, plan):
    old = plan.targets.get()
    data = _plan_form(
        plan,
        [
            {"id": str(old.pk), "area": old.area, "text": old.text, "order": "1", "DELETE": "on"},
            {
                "area": "Dịch vụ công",
                "text": "90% hồ sơ trực tuyến",
                "target_value": "90",
                "order": "2",
            },
        ],
        initial=1,
    )
    response = admin_client.post(_url(plan), data)
    assert response.status_code == 302, response.content.decode()[:2000]

    plan.refresh_from_db()
    assert plan.decision_number == "7000/QĐ-UBND" and plan.year == 2025
    new = plan.targets.get()
    assert new.text == "90% hồ sơ trực tuyến" and not Target.objects.filter(pk=old.pk).exists()
    by_admin = AuditEvent.objects.filter(actor=admin_client.user)
    assert by_admin.filter(action="plan.update", object_id=str(plan.pk)).exists()
    assert by_admin.get(action="target.delete").before["text"] == old.text
    created = by_admin.get(action="target.create", object_id=str(new.pk))
    assert Decimal(created.after["target_value"]) == 90


def test_a_new_plan_in_the_admin_is_created_through_the_service(admin_client, db):
    data = _plan_form(Plan(pk=""), [], initial=0)
    data["year"] = "2026"
    assert admin_client.post(_url(Plan(), "add"), data).status_code == 302
    plan = Plan.objects.get(year=2026)
    assert AuditEvent.objects.filter(action="plan.create", object_id=str(plan.pk)).exists()


def test_a_plan_cannot_be_deleted_in_the_admin(admin_client, plan):
    assert admin_client.post(_url(plan, "delete"), {"post": "yes"}).status_code == 403
    assert Plan.objects.filter(pk=plan.pk).exists() and plan.targets.exists()


def test_target_changes_are_refused_to_anyone_but_the_secretariat(plan, officer_a):
    from django.core.exceptions import PermissionDenied

    target = plan.targets.get()
    target.text = "Đã sửa"
    with pytest.raises(PermissionDenied):
        plans.save_target(officer_a, target)
    with pytest.raises(PermissionDenied):
        plans.delete_target(officer_a, target)
    assert Target.objects.get(pk=target.pk).text == "100% văn bản đúng hạn"
