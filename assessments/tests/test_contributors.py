"""The city's self-assessment for the Ministry: the secretariat gives leaves to departments, a department
fills only its leaves, the secretariat consolidates and submits."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEvent, Role
from conftest import item_of
from core.tabular import ImportFailed
from cycles.services import CycleError, add_participants, create_cycle

from .. import services
from ..models import AssessmentState, LeafContributor
from .helpers import PDF, upload
from .provincial import city_officer, give_leaves, make_provincial


@pytest.fixture
def provincial(secretariat, unit_b):
    return make_provincial(secretariat)


@pytest.fixture
def city_assessment(provincial):
    return provincial.assessments.get()


def given_to(assessment) -> dict[str, str]:
    return dict(assessment.leaf_contributors.values_list("node__code", "unit__code"))


def test_the_city_is_the_one_participant_of_its_provincial_self_assessment(
    secretariat, provincial, unit_a
):
    assert [p.unit.code for p in provincial.participations.all()] == ["S01"]
    other = create_cycle(secretariat, 2027, "Tự đánh giá 2027", family="provincial")
    with pytest.raises(CycleError, match="chỉ có một đơn vị tham gia"):
        add_participants(secretariat, other, [unit_a])


def test_a_domain_then_one_of_its_leaves_with_one_audit_event(secretariat, city_assessment):
    changed = services.assign_leaves(
        secretariat, city_assessment, [(None, "1", "S02"), (None, "1.5", "")]
    )
    leaves_of_1 = {"1.1.1", "1.1.2", "1.2", "1.3", "1.4"}
    assert changed == len(leaves_of_1)
    assert given_to(city_assessment) == dict.fromkeys(leaves_of_1, "S02")
    event = AuditEvent.objects.get(action="assessment.assign_leaves")
    assert event.after == dict.fromkeys(leaves_of_1, "S02")
    assert event.before == dict.fromkeys(leaves_of_1)


def test_giving_a_leaf_back_is_audited_with_who_held_it(secretariat, city_assessment):
    give_leaves(secretariat, city_assessment.cycle)
    services.assign_leaves(secretariat, city_assessment, [(None, "1.5", "")])
    assert "1.5" not in given_to(city_assessment)
    event = AuditEvent.objects.filter(action="assessment.assign_leaves").latest("pk")
    assert (event.before, event.after) == ({"1.5": "S02"}, {"1.5": None})


def test_a_bad_table_is_refused_whole_naming_rows_and_columns(secretariat, city_assessment, unit_a):
    table = b"ma_tieu_chi,ma_don_vi\n1.5,S02\n9.9,S02\n2.1,00070\n"
    with pytest.raises(ImportFailed) as refused:
        services.import_leaf_assignments(secretariat, city_assessment, table, "giao.csv")
    problems = [str(p) for p in refused.value.problems]
    assert len(problems) == 2
    assert problems[0].startswith("Dòng 3, cột A") and "9.9" in problems[0]
    assert problems[1].startswith("Dòng 4, cột B") and "00070" in problems[1]
    assert LeafContributor.objects.count() == 0


@pytest.mark.parametrize("who", ["officer_b", "council", "head_a"])
def test_only_the_secretariat_gives_leaves(request, city_assessment, who):
    with pytest.raises(PermissionDenied):
        services.assign_leaves(
            request.getfixturevalue(who), city_assessment, [(None, "1.5", "S02")]
        )


def test_leaves_of_the_city_index_are_not_given(secretariat, assessment_a, unit_b):
    with pytest.raises(PermissionDenied):
        services.assign_leaves(secretariat, assessment_a, [(None, "1.5", "S02")])


def _save(client, item, points="0.5"):
    return client.post(reverse("assessments:save_self", args=[item.pk]), {"points": points})


@pytest.mark.parametrize(
    ("who", "leaf", "status"),
    [
        ("officer_b", "1.5", 302),  # the department the leaf was given to
        ("officer_b", "1.4", 404),  # a leaf it was not given: it does not even see it
        ("officer_a", "1.5", 404),  # a commune, given nothing
        ("city_officer", "1.4", 302),  # the city's own unit fills every leaf
        ("secretariat", "1.5", 302),  # the secretariat consolidates
        ("council", "1.5", 403),
    ],
)
def test_who_may_fill_which_leaf(client, request, secretariat, provincial, who, leaf, status):
    give_leaves(secretariat, provincial)
    user = city_officer() if who == "city_officer" else request.getfixturevalue(who)
    item = item_of(provincial.assessments.get(), leaf)
    client.force_login(user)
    assert _save(client, item).status_code == status
    item.refresh_from_db()
    assert (item.self_points is not None) == (status == 302)


def test_the_department_adds_evidence_to_its_leaf_only(secretariat, provincial, officer_b):
    give_leaves(secretariat, provincial)
    assessment = provincial.assessments.get()
    evidence = services.add_evidence_file(
        officer_b, item_of(assessment, "1.5"), upload(PDF, "a.pdf")
    )
    assert evidence.item.node.code == "1.5"
    with pytest.raises(PermissionDenied):
        services.add_evidence_file(officer_b, item_of(assessment, "1.4"), upload(PDF, "b.pdf"))


def test_the_department_sees_its_leaves_with_its_progress_and_nothing_else(
    client, secretariat, provincial, officer_b
):
    give_leaves(secretariat, provincial)
    assessment = provincial.assessments.get()
    services.save_self(officer_b, item_of(assessment, "1.5"), inputs={"points": "0.75"})
    client.force_login(officer_b)
    home = client.get("/").content.decode()
    url = reverse("assessments:contributions", args=[provincial.key])
    assert url in home
    page = client.get(url).content.decode()
    assert "Sáng kiến CCHC" in page and "Có sáng kiến được công nhận" in page  # 1.5 and 2.1
    assert "Tuyên truyền CCHC" not in page  # 1.4, not given
    assert "Đã chấm 1/2 tiêu chí" in page  # 1.5 and 2.1 (2.2 and 2.3 come from data and surveys)
    form = reverse("assessments:form", args=[provincial.key, "S01"])
    assert client.get(form).status_code == 404


def test_a_save_by_the_department_returns_its_own_counters(
    client, secretariat, provincial, officer_b
):
    give_leaves(secretariat, provincial)
    item = item_of(provincial.assessments.get(), "1.5")
    client.force_login(officer_b)
    response = client.post(
        reverse("assessments:save_self", args=[item.pk]),
        {"points": "0.5", "version": item.version},
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert "Đã chấm 1/2 tiêu chí" in text  # its own two leaves to fill, not the assessment's


def test_the_secretariat_submits_and_the_unit_head_may_not(secretariat, provincial, officer_b):
    assessment = provincial.assessments.get()
    head = city_officer(Role.UNIT_HEAD)
    with pytest.raises(PermissionDenied):
        services.submit(head, assessment)
    with pytest.raises(services.AssessmentError, match="chưa chấm"):
        services.submit(secretariat, assessment)  # allowed, refused only for what is missing


def test_the_secretariat_gives_leaves_by_file_on_its_page(client, secretariat, provincial, unit_b):
    client.force_login(secretariat)
    url = reverse("assessments:assign_leaves", args=[provincial.key, "S01"])
    data = SimpleUploadedFile("giao.csv", b"ma_tieu_chi,ma_don_vi\n2,S02\n")
    assert client.post(url, {"file": data}).status_code == 302
    assessment = provincial.assessments.get()
    assert given_to(assessment) == {"2.1": "S02", "2.2": "S02", "2.3": "S02"}
    page = client.get(url).content.decode()
    assert 'data-testid="contributor-S02"' in page and "0/1" in page
    bad = SimpleUploadedFile("giao.csv", b"ma_tieu_chi,ma_don_vi\n7,S02\n")
    refused = client.post(url, {"file": bad}).content.decode()
    assert "Dòng 2, cột A" in refused
    assert AssessmentState(assessment.state) == AssessmentState.DRAFT
