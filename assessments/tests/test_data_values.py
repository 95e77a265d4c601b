"""Data-fed (`automatic`) leaves: the secretariat enters a value no feed has (with its document) or
overrides a fed one (with a reason); both audited, kept by later feeds, and shown to the unit."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import AuditEvent
from assessments import services
from assessments.automatic import fill_from_sources
from assessments.models import Evidence
from conftest import item_of
from cycles.models import CycleState
from cycles.services import transition

from .helpers import report_rate

DOCUMENT = {"doc_number": "125/BC-VP", "doc_date": date(2025, 11, 20), "issuer": "Văn phòng UBND"}


def test_secretariat_enters_a_missing_value_with_its_document(secretariat, assessment_a):
    item = item_of(assessment_a, "2.2")  # automatic, proportional, no feed
    item = services.set_data_value(secretariat, item, percent="92,5", **DOCUMENT)
    assert item.self_points == Decimal("0.93")  # 0.925 of 1 point, rounded half up
    assert item.inputs["value"] == "0.9250"
    assert item.inputs["origin"] == "entered"
    evidence = Evidence.objects.get(item=item)
    assert (evidence.doc_number, evidence.issuer) == ("125/BC-VP", "Văn phòng UBND")
    event = AuditEvent.objects.get(action="item.data_value", object_id=str(item.pk))
    assert event.actor == secretariat
    assert event.before["self_points"] is None
    assert event.after["self_points"] == "0.93"


def test_an_entry_without_its_document_is_refused(secretariat, assessment_a):
    item = item_of(assessment_a, "2.2")
    with pytest.raises(services.AssessmentError, match="văn bản"):
        services.set_data_value(secretariat, item, percent="90")
    item.refresh_from_db()
    assert item.self_points is None
    assert not AuditEvent.objects.filter(action="item.data_value").exists()


@pytest.mark.parametrize("percent", ["101", "-1", "abc"])
def test_a_value_outside_0_to_100_percent_is_refused(secretariat, assessment_a, percent):
    with pytest.raises(services.AssessmentError):
        services.set_data_value(
            secretariat, item_of(assessment_a, "2.2"), percent=percent, **DOCUMENT
        )


def test_a_fed_value_is_overridden_only_with_a_reason_and_the_feed_keeps_the_override(
    secretariat, officer_a, unit_a, open_cycle, assessment_a
):
    report_rate(secretariat, officer_a, unit_a, "90", "100")
    item = item_of(assessment_a, "2.2")
    with pytest.raises(services.AssessmentError, match="lý do"):
        services.set_data_value(secretariat, item, percent="98", **DOCUMENT)
    item = services.set_data_value(
        secretariat, item, percent="98", reason="Báo cáo tính thiếu 8 hồ sơ liên thông"
    )
    assert item.inputs["origin"] == "override"
    assert item.inputs["fed_value"] == "0.9000"
    assert item.self_points == Decimal("0.98")
    event = AuditEvent.objects.get(action="item.data_value")
    assert event.reason == "Báo cáo tính thiếu 8 hồ sơ liên thông"
    fill_from_sources(secretariat, open_cycle)  # what opening the appraisal does
    item.refresh_from_db()
    assert item.self_points == Decimal("0.98")


def test_the_feed_still_fills_a_leaf_nobody_set(
    secretariat, officer_a, unit_a, open_cycle, assessment_a
):
    report_rate(secretariat, officer_a, unit_a, "90", "100")
    fill_from_sources(secretariat, open_cycle)
    assert item_of(assessment_a, "2.2").self_points == Decimal("0.90")


@pytest.mark.parametrize(
    "persona", ["officer_a", "head_a", "officer_b", "reviewer", "council", "leader"]
)
def test_only_the_secretariat_enters_data_values(personas, assessment_a, persona):
    with pytest.raises(PermissionDenied):
        services.set_data_value(
            personas[persona], item_of(assessment_a, "2.2"), percent="90", **DOCUMENT
        )


def test_only_automatic_leaves_take_a_data_value(secretariat, assessment_a):
    with pytest.raises(PermissionDenied):
        services.set_data_value(secretariat, item_of(assessment_a, "1.5"), percent="90", **DOCUMENT)


def test_no_entry_once_the_cycle_is_finalised(secretariat, council, open_cycle, assessment_a):
    transition(secretariat, open_cycle, CycleState.APPRAISAL)
    transition(secretariat, open_cycle, CycleState.EXPLANATION)
    transition(council, open_cycle, CycleState.FINALISED)
    with pytest.raises(services.AssessmentError, match="đã chốt"):
        services.set_data_value(secretariat, item_of(assessment_a, "2.2"), percent="90", **DOCUMENT)


def _data_url(assessment):
    return reverse("assessments:data_values", args=[assessment.cycle.year, assessment.unit.code])


def test_the_data_page_is_the_secretariats(client, personas, assessment_a):
    for name in ("officer_a", "head_a", "reviewer", "council", "leader"):
        client.force_login(personas[name])
        assert client.get(_data_url(assessment_a)).status_code in (403, 404), name
    client.force_login(personas["secretariat"])
    response = client.get(_data_url(assessment_a))
    assert response.status_code == 200
    assert "Hồ sơ giải quyết đúng hạn" in response.content.decode()


def test_the_unit_sees_the_entered_value_with_its_source(
    client, secretariat, officer_a, assessment_a
):
    item = item_of(assessment_a, "2.2")
    client.force_login(secretariat)
    response = client.post(
        reverse("assessments:set_data_value", args=[item.pk]),
        {
            f"item-{item.pk}-percent": "95",
            f"item-{item.pk}-doc_number": "125/BC-VP",
            f"item-{item.pk}-issuer": "Văn phòng UBND",
        },
    )
    assert response.status_code == 302
    client.force_login(officer_a)
    page = client.get(
        reverse(
            "assessments:form_domain", args=[assessment_a.cycle.key, assessment_a.unit.code, "2"]
        )
    ).content.decode()
    assert "Nhập bởi Sở Nội vụ theo văn bản 125/BC-VP (Văn phòng UBND)" in page
    assert "95,00 %" in page


def test_the_unit_sees_an_override_with_its_reason(
    client, secretariat, officer_a, unit_a, assessment_a
):
    report_rate(secretariat, officer_a, unit_a, "90", "100")
    services.set_data_value(
        secretariat, item_of(assessment_a, "2.2"), percent="98", reason="Số liệu báo cáo bị sai"
    )
    client.force_login(officer_a)
    page = client.get(
        reverse(
            "assessments:form_domain", args=[assessment_a.cycle.key, assessment_a.unit.code, "2"]
        )
    ).content.decode()
    assert "Điều chỉnh: Số liệu báo cáo bị sai" in page


def test_an_officer_cannot_post_a_data_value(client, officer_a, assessment_a):
    item = item_of(assessment_a, "2.2")
    client.force_login(officer_a)
    response = client.post(
        reverse("assessments:set_data_value", args=[item.pk]), {f"item-{item.pk}-percent": "95"}
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.self_points is None


def test_the_data_page_shows_the_fed_value_and_offers_an_override(
    client, secretariat, officer_a, unit_a, assessment_a
):
    report_rate(secretariat, officer_a, unit_a, "90", "100")
    client.force_login(secretariat)
    page = client.get(_data_url(assessment_a)).content.decode()
    assert "90,00 % (nhập giá trị khác là điều chỉnh, cần lý do)" in page
    assert ">Điều chỉnh</button>" in page


@pytest.mark.parametrize(
    ("kind", "words"), [("year", "báo cáo năm 2025"), ("q1", "báo cáo quý I năm 2025")]
)
def test_the_unit_sees_which_report_a_fed_value_comes_from(
    client, secretariat, officer_a, unit_a, open_cycle, assessment_a, kind, words
):
    report_rate(secretariat, officer_a, unit_a, "90", "100", kind=kind)
    fill_from_sources(secretariat, open_cycle)
    client.force_login(officer_a)
    page = client.get(
        reverse(
            "assessments:form_domain", args=[assessment_a.cycle.key, assessment_a.unit.code, "2"]
        )
    ).content.decode()
    assert f"Từ {words} của đơn vị" in page
