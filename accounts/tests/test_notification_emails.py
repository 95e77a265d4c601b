"""Notification e-mails go through the task queue: the request only queues them, the worker sends them."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from accounts.notify import notify

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_what_the_request_queued(officer_a):
    with override_settings(TASKS=DATABASE_QUEUE):
        assert notify([officer_a], "Hạn tự đánh giá còn 3 ngày", "/assessments/") == 1
        assert mail.outbox == []  # nothing sent while the request runs
        call_command("worker", batch=True, verbosity=0)
    assert [m.to for m in mail.outbox] == [[officer_a.email]]
    assert "Hạn tự đánh giá còn 3 ngày" in mail.outbox[0].subject
