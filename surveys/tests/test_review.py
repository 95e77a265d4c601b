"""The secretariat's review of a flagged response through its page: exclude and restore, each with a
reason, audited, and counted (or not) in the unit's figures; nobody else may do it."""

import pytest
from django.test import Client

from accounts.models import AuditEvent
from surveys.aggregates import unit_figures
from surveys.models import Response

from .test_intake import submit


@pytest.fixture
def flagged(wave, unit_a, settings):
    settings.SURVEY_BURST_PER_10_MINUTES = 1
    submit(wave, unit_a)
    response, _ = submit(wave, unit_a)
    assert response.flags == ["burst"]
    return response


def kept(wave, unit):
    return unit_figures(wave, unit)["overall"].n


def test_exclude_then_restore_with_reasons(client, secretariat, wave, unit_a, flagged):
    client.force_login(secretariat)
    url = f"/surveys/responses/{flagged.pk}/review/"
    assert kept(wave, unit_a) == 2
    done = client.post(url, {"action": "exclude", "reason": "Cùng một máy gửi liên tiếp"})
    assert done.status_code == 302 and done["Location"] == f"/surveys/{wave.pk}/flagged/"
    flagged.refresh_from_db()
    assert flagged.excluded and flagged.exclusion_reason == "Cùng một máy gửi liên tiếp"
    assert kept(wave, unit_a) == 1
    page = client.get(f"/surveys/{wave.pk}/flagged/").content.decode()
    assert "Khôi phục" in page and "Cùng một máy gửi liên tiếp" in page
    assert "<td>Nhiều phiếu dồn dập</td>" in page  # the flag in words, not its code
    client.post(url, {"action": "restore", "reason": "Người dân xác nhận qua điện thoại"})
    flagged.refresh_from_db()
    assert not flagged.excluded and kept(wave, unit_a) == 2
    events = AuditEvent.objects.for_object(flagged).order_by("pk")
    assert [(e.action, e.actor_id) for e in events] == [
        ("response.exclude", secretariat.pk),
        ("response.restore", secretariat.pk),
    ]
    assert events[0].before == {"excluded": False, "reason": ""}
    assert events[1].after == {"excluded": False, "reason": "Người dân xác nhận qua điện thoại"}


def test_a_review_without_a_reason_changes_nothing_and_says_why(client, secretariat, wave, flagged):
    client.force_login(secretariat)
    done = client.post(
        f"/surveys/responses/{flagged.pk}/review/",
        {"action": "exclude", "reason": "  "},
        follow=True,
    )
    assert "Hãy nêu lý do." in done.content.decode()
    flagged.refresh_from_db()
    assert not flagged.excluded and not AuditEvent.objects.for_object(flagged).exists()


@pytest.mark.parametrize("who", ["officer_a", "head_a", "reviewer", "council", "leader"])
def test_only_the_secretariat_reviews(request, who, wave, flagged):
    browser = Client()
    browser.force_login(request.getfixturevalue(who))
    url = f"/surveys/responses/{flagged.pk}/review/"
    assert browser.post(url, {"action": "exclude", "reason": "x"}).status_code == 403
    anonymous = Client().post(url, {"action": "exclude", "reason": "x"})
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert not Response.objects.filter(excluded=True).exists()
