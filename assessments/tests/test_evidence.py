"""Evidence uploads checked by content; files served only through the permission-checked view."""

import pytest

from accounts.models import AuditEvent
from assessments import services
from assessments.models import Evidence
from assessments.uploads import UploadRefused, clean_name
from conftest import item_of

from .helpers import JPG, PDF, PNG, docx_bytes, upload, xlsx_bytes


@pytest.fixture
def item(assessment_a):
    return item_of(assessment_a, "1.5")


@pytest.mark.parametrize(
    ("data", "name", "stored_as", "content_type"),
    [
        (PDF, "quyet-dinh.pdf", "quyet-dinh.pdf", "application/pdf"),
        (PNG, "anh chup.PNG", "anh chup.png", "image/png"),
        (JPG, "anh.jpeg", "anh.jpg", "image/jpeg"),
        (
            docx_bytes(),
            "bao-cao.docx",
            "bao-cao.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            xlsx_bytes(),
            "so-lieu.xlsx",
            "so-lieu.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (PDF, "báo cáo không đuôi", "báo cáo không đuôi.pdf", "application/pdf"),
    ],
)
def test_real_files_are_stored_with_their_true_type(
    officer_a, item, data, name, stored_as, content_type
):
    evidence = services.add_evidence_file(officer_a, item, upload(data, name))
    assert (evidence.original_name, evidence.content_type, evidence.size) == (
        stored_as,
        content_type,
        len(data),
    )
    assert evidence.file.name.startswith("evidence/2025/00070/") and name not in evidence.file.name
    assert AuditEvent.objects.filter(action="evidence.add", object_id=str(item.pk)).exists()


@pytest.mark.parametrize(
    ("data", "name", "fragment"),
    [
        (
            b"MZ\x90\x00\x03" + b"\x00" * 60,
            "bao-cao.pdf",
            "không phải là PDF, DOCX",
        ),  # a renamed executable
        (b"<html><script>alert(1)</script></html>", "quyet-dinh.pdf", "không phải là PDF, DOCX"),
        (b"", "rong.pdf", "rỗng"),
        (b"PK\x03\x04not really a zip", "bang.xlsx", "không phải là PDF, DOCX"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(
    officer_a, item, data, name, fragment, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(UploadRefused, match=fragment):
        services.add_evidence_file(officer_a, item, upload(data, name))
    assert not Evidence.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_oversize_files_are_refused(officer_a, item, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    with pytest.raises(UploadRefused, match="quá lớn"):
        services.add_evidence_file(officer_a, item, upload(PDF + b"0" * 200, "lon.pdf"))


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\evil.pdf", "evil.pdf"),
        ("a\x00b<>.pdf", "ab.pdf"),
        ("", "tep"),
        ("...", "tep"),
    ],
)
def test_names_are_cleaned_of_paths_and_control_characters(raw, clean):
    assert clean_name(raw) == clean


def test_path_traversal_name_is_stored_under_a_random_name(officer_a, item):
    evidence = services.add_evidence_file(officer_a, item, upload(PDF, "../../../../tmp/x.pdf"))
    assert evidence.original_name == "x.pdf"
    assert ".." not in evidence.file.name


def test_references_to_official_documents(officer_a, item):
    from datetime import date, timedelta

    evidence = services.add_evidence_reference(
        officer_a,
        item,
        doc_number="12/QĐ-UBND",
        doc_date=date(2025, 3, 1),
        issuer="UBND phường Hoàn Kiếm",
        link="https://vanban.hanoi.gov.vn/12",
    )
    assert str(evidence) == "12/QĐ-UBND"
    with pytest.raises(services.AssessmentError, match="số, ký hiệu"):
        services.add_evidence_reference(officer_a, item, doc_number=" ")
    with pytest.raises(services.AssessmentError, match="tương lai"):
        services.add_evidence_reference(
            officer_a, item, doc_number="1", doc_date=date.today() + timedelta(days=3)
        )


def test_removal_is_recorded_not_executed(officer_a, item):
    evidence = services.add_evidence_file(officer_a, item, upload(PDF, "a.pdf"))
    services.remove_evidence(officer_a, evidence)
    evidence.refresh_from_db()
    assert evidence.removed_at is not None and evidence.file
    assert AuditEvent.objects.filter(action="evidence.remove").get().before["name"] == "a.pdf"


def test_another_unit_cannot_attach_or_remove(officer_b, officer_a, item):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.add_evidence_file(officer_b, item, upload(PDF, "x.pdf"))
    evidence = services.add_evidence_file(officer_a, item, upload(PDF, "a.pdf"))
    with pytest.raises(PermissionDenied):
        services.remove_evidence(officer_b, evidence)


def test_pdf_opens_inline_and_others_download(client, officer_a, item):
    pdf = services.add_evidence_file(officer_a, item, upload(PDF, "a.pdf"))
    png = services.add_evidence_file(officer_a, item, upload(PNG, "b.png"))
    client.force_login(officer_a)
    response = client.get(f"/assessments/evidence/{pdf.pk}/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == PDF
    response = client.get(f"/assessments/evidence/{png.pk}/")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_other_unit_and_unassigned_reviewer_get_404_for_the_file(
    client, officer_a, officer_b, item, db
):
    from accounts.models import Role, User
    from conftest import enrolled

    evidence = services.add_evidence_file(officer_a, item, upload(PDF, "a.pdf"))
    client.force_login(officer_b)
    assert client.get(f"/assessments/evidence/{evidence.pk}/").status_code == 404
    # A reviewer must have two-factor login set up before any page (docs/security.md).
    client.force_login(enrolled(User.objects.create_user("reviewer2", role=Role.REVIEWER)))
    assert client.get(f"/assessments/evidence/{evidence.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/assessments/evidence/{evidence.pk}/").status_code == 302


def test_media_files_are_not_served_by_a_public_url(client, officer_a, item):
    evidence = services.add_evidence_file(officer_a, item, upload(PDF, "a.pdf"))
    assert client.get(f"/media/{evidence.file.name}").status_code == 404
    assert client.get(f"/static/{evidence.file.name}").status_code == 404
