import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import AuditEvent
from cycles.models import CycleState
from results import services
from results.api import published
from results.compute import recompute
from results.models import Job, JobKind, JobState, Publication, UnitResult
from results.tasks import run_job

from .conftest import FULL, make_units, set_points

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(cycle_factory):
    units = make_units(3)
    cycle = cycle_factory(units)
    for unit in units:
        set_points(cycle, unit, FULL)
    recompute(cycle)
    return cycle, units


def test_only_the_secretariat_publishes_or_requests_jobs(computed, council, officer_a):
    cycle, _ = computed
    for user in (council, officer_a):
        with pytest.raises(PermissionDenied):
            services.publish(user, cycle)
        with pytest.raises(PermissionDenied):
            services.request_job(user, cycle, JobKind.RECOMPUTE)
    assert not Publication.objects.exists()


def test_publishing_moves_the_cycle_and_freezes_version_one(computed, secretariat):
    cycle, units = computed
    publication = services.publish(secretariat, cycle)
    cycle.refresh_from_db()
    assert cycle.state == CycleState.PUBLISHED
    assert publication.version == 1 and publication.notice == ""
    codes = [u["code"] for u in publication.snapshot["units"]]
    assert sorted(codes) == sorted(u.code for u in units)
    assert AuditEvent.objects.filter(action="results.publish").count() == 1


def test_a_correction_is_a_new_version_with_a_notice_and_keeps_the_old(computed, secretariat):
    cycle, units = computed
    first = services.publish(secretariat, cycle)
    with pytest.raises(services.ResultsError, match="thông báo"):
        services.publish(secretariat, cycle, notice="  ")
    with pytest.raises(services.ResultsError, match="không thay đổi"):
        services.publish(secretariat, cycle, notice="Sửa lỗi")
    set_points(cycle, units[0], dict(FULL, **{"1.5": "0"}))
    recompute(cycle)
    second = services.publish(secretariat, cycle, notice="Sửa điểm tiêu chí 1.5 của một phường")
    assert second.version == 2 and second.digest != first.digest
    first.refresh_from_db()
    assert first.snapshot["units"][0]["index"] == 100.0  # the old version is untouched
    assert published(cycle.year) == (second, second)  # what the public and the API read


def test_a_cycle_is_not_published_before_the_council_approves(secretariat, open_cycle):
    with pytest.raises(services.ResultsError, match="chưa được Hội đồng phê duyệt"):
        services.publish(secretariat, open_cycle)


def test_publishing_without_results_is_refused_and_changes_nothing(secretariat, cycle_factory):
    units = make_units(1)
    cycle = cycle_factory(units)
    with pytest.raises(services.CycleError, match="chưa có kết quả"):
        services.publish(secretariat, cycle)
    cycle.refresh_from_db()
    assert cycle.state == CycleState.FINALISED and not Publication.objects.exists()


def test_recompute_job_runs_and_reports_progress(computed, secretariat):
    cycle, _ = computed
    UnitResult.objects.filter(cycle=cycle).delete()
    job = Job.objects.create(cycle=cycle, kind=JobKind.RECOMPUTE, requested_by=secretariat)
    assert run_job.call(job.pk) == JobState.DONE
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.progress == 100 and "3 đơn vị" in job.message
    assert UnitResult.objects.filter(cycle=cycle).count() == 3


def test_request_job_enqueues_once_per_kind(
    computed, secretariat, django_capture_on_commit_callbacks
):
    cycle, _ = computed
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = services.request_job(secretariat, cycle, JobKind.RECOMPUTE)
        again = services.request_job(secretariat, cycle, JobKind.RECOMPUTE)
    assert first == again and len(callbacks) == 1


def test_request_job_runs_in_the_background_task(
    computed, secretariat, django_capture_on_commit_callbacks
):
    cycle, _ = computed
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_job(secretariat, cycle, JobKind.RECOMPUTE)
    job.refresh_from_db()
    assert job.state == JobState.DONE


def test_documents_need_results_and_unknown_kinds_are_refused(secretariat, cycle_factory):
    cycle = cycle_factory(make_units(1))
    with pytest.raises(services.ResultsError, match="Chưa có kết quả"):
        services.request_job(secretariat, cycle, JobKind.REPORT)
    with pytest.raises(services.ResultsError, match="Không có loại"):
        services.request_job(secretariat, cycle, "exe")


def test_a_failing_job_is_marked_failed_with_a_message(computed, secretariat, monkeypatch):
    cycle, _ = computed
    job = Job.objects.create(cycle=cycle, kind=JobKind.RECOMPUTE)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("results.tasks.recompute", broken)
    assert run_job.call(job.pk) == JobState.FAILED
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "lỗi" in job.message


def test_finalising_a_cycle_queues_a_recomputation(
    secretariat, draft_cycle, django_capture_on_commit_callbacks
):
    from conftest import open_phases
    from cycles.services import transition

    open_phases(draft_cycle, secretariat)
    for state in ("self_assessment", "appraisal", "explanation"):
        transition(secretariat, draft_cycle, state)
    with django_capture_on_commit_callbacks(execute=True):
        transition(secretariat, draft_cycle, "finalised")
    assert Job.objects.get(cycle=draft_cycle).state == JobState.DONE
    assert UnitResult.objects.filter(cycle=draft_cycle).count() == 2


def test_the_snapshot_carries_bands_award_rule_and_leaf_titles(computed, secretariat):
    cycle, _ = computed
    snap = services.publish(secretariat, cycle).snapshot
    assert snap["bands"][0] == {"code": "A", "min": 90.0}
    assert snap["awards"] == {"top_n": 3, "progress_n": 2}
    assert snap["leaf_titles"]["1.5"] == "Sáng kiến CCHC"
