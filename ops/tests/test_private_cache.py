"""`Cache-Control: private, no-store` on what a signed-in user receives (ops.middleware.PrivateCacheMiddleware);
the public site keeps its own caching. Replays issue 15's finding: pages, evidence and exports had none."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.models import User
from ops.middleware import PrivateCacheMiddleware

PRIVATE = "private, no-store"


def test_a_signed_in_page_is_private_and_not_stored(client, officer_a):
    client.force_login(officer_a)
    response = client.get("/accounts/")
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_an_evidence_download_is_private_and_not_stored(client, officer_a, assessment_a):
    from assessments.services import add_evidence_file
    from assessments.tests.helpers import PDF, upload
    from conftest import item_of

    evidence = add_evidence_file(officer_a, item_of(assessment_a, "1.5"), upload(PDF, "qd.pdf"))
    client.force_login(officer_a)
    response = client.get(f"/assessments/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == PRIVATE


def test_an_xlsx_export_is_private_and_not_stored(client, secretariat, assessment_a):
    client.force_login(secretariat)
    response = client.get("/assessments/2025/00070/history.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Cache-Control"] == PRIVATE


def test_an_api_answer_to_a_token_is_private_and_not_stored(client, officer_a, assessment_a):
    from accounts.tokens import create_token

    _, key = create_token(officer_a, "t")
    response = client.get("/api/v1/assessments/2025/00070", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_public_site_keeps_its_own_caching(client, secretariat, signed_in):
    cache.clear()
    if signed_in:
        client.force_login(secretariat)
    response = client.get("/cong-khai/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, no-cache"
    cache.clear()


def test_an_anonymous_page_is_left_alone(client, db):
    response = client.get("/accounts/password/reset/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_stricter_policy_of_the_view_is_kept(db):
    def view(request):
        response = HttpResponse()
        response["Cache-Control"] = "max-age=0, no-cache, no-store, must-revalidate, private"
        return response

    request = RequestFactory().get("/")
    request.user = User.objects.create_user("x")
    response = PrivateCacheMiddleware(view)(request)
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
