"""A results job runs once: every state move is a compare-and-set, so a second worker or a retry
neither re-runs a job nor overwrites how it ended."""

import pytest

from results import tasks
from results.models import Job, JobKind, JobState
from results.reports import BUILDERS

from .conftest import make_units

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(cycle_factory, secretariat):
    cycle = cycle_factory(make_units(2))
    return Job.objects.create(cycle=cycle, kind=JobKind.RECOMPUTE, requested_by=secretariat)


def _must_not_run(*args, **kwargs):
    raise AssertionError("the job ran twice")


@pytest.mark.parametrize("state", [JobState.RUNNING, JobState.DONE, JobState.FAILED])
def test_a_job_taken_or_finished_is_not_run_again(job, monkeypatch, state):
    Job.objects.filter(pk=job.pk).update(state=state, progress=40, message="khác")
    monkeypatch.setattr(tasks, "recompute", _must_not_run)
    assert tasks.run_job.call(job.pk) == state
    job.refresh_from_db()
    assert (job.state, job.progress, job.message) == (state, 40, "khác")


def test_a_job_moved_while_it_runs_keeps_the_other_end(job, monkeypatch):
    def finished_elsewhere(cycle, report):
        report(50, "nửa chừng")
        Job.objects.filter(pk=job.pk).update(state=JobState.DONE, progress=100, message="xong")
        report(90, "muộn")  # the stale worker's progress no longer lands
        return 2

    monkeypatch.setattr(tasks, "recompute", finished_elsewhere)
    assert tasks.run_job.call(job.pk) == JobState.DONE
    job.refresh_from_db()
    assert (job.progress, job.message) == (100, "xong")


def test_a_failure_does_not_overwrite_a_job_finished_elsewhere(job, monkeypatch):
    def fails_late(cycle, report):
        Job.objects.filter(pk=job.pk).update(state=JobState.DONE, message="xong")
        raise RuntimeError("boom")

    monkeypatch.setattr(tasks, "recompute", fails_late)
    assert tasks.run_job.call(job.pk) == JobState.DONE
    job.refresh_from_db()
    assert job.message == "xong" and job.finished_at is None


def test_a_document_finished_elsewhere_keeps_its_file(job, monkeypatch, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    Job.objects.filter(pk=job.pk).update(kind=JobKind.SHORT)

    def built_twice(snapshot, report):
        Job.objects.filter(pk=job.pk).update(
            state=JobState.DONE, file="results/2025/first.docx", message="xong"
        )
        return "second.docx", b"late copy"

    monkeypatch.setitem(BUILDERS, JobKind.SHORT, built_twice)
    assert tasks.run_job.call(job.pk) == JobState.DONE
    job.refresh_from_db()
    assert job.file.name == "results/2025/first.docx" and job.message == "xong"
    assert not list(tmp_path.rglob("*second.docx"))  # the late copy is not left behind


def test_a_queued_job_runs_and_ends_done(job):
    assert tasks.run_job.call(job.pk) == JobState.DONE
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.progress == 100
    assert job.message == "Đã tính kết quả của 2 đơn vị."
