"""Paper forms keyed twice: agreement counts once, differences wait for a supervisor, the resolution is
audited, and none of the anonymous limits applies to clerks."""

import uuid

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import AuditEvent, Role, User
from surveys.errors import SurveyError
from surveys.models import Channel, PaperForm, Response
from surveys.permissions import CLERK_GROUP, ENUMERATOR_GROUP, SUPERVISOR_GROUP
from surveys.services import paper

# What a clerk types for tests/conftest.good_answers(): sex f (2), harassed none (1), visits 2,
# channels web (1), every scale item 4 except svc_1 5.
KEYED = {"sex": "2", "harassed": "1", "visits": "2", "channels": "1", "pol_1": "4"} | {
    f"svc_{i}": "4" for i in range(1, 9)
}
KEYED["svc_1"] = "5"


def member(username, *groups):
    user = User.objects.create_user(username=username, password="x", role=Role.UNIT_OFFICER)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


@pytest.fixture
def clerks(db):
    return member("nhap.1", CLERK_GROUP), member("nhap.2", CLERK_GROUP)


def key(clerk, wave, unit, number, keyed=KEYED):
    return paper.key_entry(clerk, wave, unit, number, keyed, uuid.uuid4())


def test_reference_round_trip():
    ref = paper.reference(12, "UBND-PX-01", 7)
    assert ref == "PX-12-UBND-PX-01-7"
    assert paper.parse_reference(" px-12-UBND-PX-01-7 ") == paper.Reference(12, "UBND-PX-01", 7)
    assert paper.parse_reference("ＰＸ-１２-00070-３") == paper.Reference(12, "00070", 3)
    assert paper.parse_reference("PX-12-7") is None
    assert paper.parse_reference("hello") is None


@given(
    wave=st.integers(1, 10**9),
    unit=st.text("ABCXYZ0123456789-", min_size=1, max_size=12),
    number=st.integers(1, 10**8),
)
@settings(max_examples=200)
def test_any_reference_parses_back(wave, unit, number):
    assert paper.parse_reference(paper.reference(wave, unit, number)) == paper.Reference(
        wave, unit, number
    )


def test_keyed_digits_become_the_answers(wave):
    from surveys import questionnaire as q
    from surveys.tests.conftest import good_answers

    answers, problems = paper.decode_keyed(wave.version.parsed(), KEYED)
    assert problems == []
    expected, _ = q.validate_answers(wave.version.parsed(), good_answers())
    assert answers == expected
    several, problems = paper.decode_keyed(wave.version.parsed(), KEYED | {"channels": "13"})
    assert several["channels"] == ["web", "friend"]
    _, problems = paper.decode_keyed(wave.version.parsed(), KEYED | {"sex": "3", "svc_2": "x"})
    assert [p.name for p in problems] == ["sex", "svc_2"]
    assert "từ 1 đến 2" in problems[0]


def test_two_agreeing_entries_count_once(wave, unit_a, clerks):
    first = key(clerks[0], wave, unit_a, 1)
    assert first.form.status == PaperForm.Status.WAITING
    assert not Response.objects.exists()  # one keying alone never counts
    second = key(clerks[1], wave, unit_a, 1)
    form = second.form
    assert form.status == PaperForm.Status.AGREED
    response = Response.objects.get()
    assert form.response == response
    assert response.channel == Channel.PAPER
    assert response.flags == []  # no speeding, no burst: the clerk is known
    assert response.ip_hash == response.device_hash == ""


def test_the_same_clerk_cannot_key_twice_and_a_third_is_refused(wave, unit_a, clerks):
    key(clerks[0], wave, unit_a, 2)
    with pytest.raises(SurveyError, match="cán bộ khác"):
        key(clerks[0], wave, unit_a, 2)
    key(clerks[1], wave, unit_a, 2)
    with pytest.raises(SurveyError, match="đủ hai lần"):
        key(member("nhap.3", CLERK_GROUP), wave, unit_a, 2)


def test_a_resent_entry_is_the_first_copy(wave, unit_a, clerks):
    submission = uuid.uuid4()
    first = paper.key_entry(clerks[0], wave, unit_a, 3, KEYED, submission)
    again = paper.key_entry(clerks[0], wave, unit_a, 3, KEYED, submission)
    assert again.entry.pk == first.entry.pk and not again.created


def test_bad_keying_stores_nothing(wave, unit_a, clerks):
    with pytest.raises(SurveyError) as refused:
        key(clerks[0], wave, unit_a, 4, KEYED | {"svc_3": "9"})
    assert "Mức độ hài lòng 3" in refused.value.problems[0]
    assert not PaperForm.objects.exists()


def test_only_clerks_key(wave, unit_a, officer_a):
    with pytest.raises(PermissionDenied):
        key(officer_a, wave, unit_a, 5)


def test_mismatch_is_resolved_once_and_audited(wave, unit_a, clerks, secretariat):
    key(clerks[0], wave, unit_a, 6)
    form = key(clerks[1], wave, unit_a, 6, KEYED | {"svc_2": "3"}).form
    assert form.status == PaperForm.Status.MISMATCH
    assert not Response.objects.exists()
    questions = wave.version.parsed()
    first, second = form.entries.all()
    assert [x.name for x in paper.differences(questions, first.answers, second.answers)] == [
        "svc_2"
    ]
    with pytest.raises(SurveyError):
        paper.resolve(secretariat, form, {})
    with pytest.raises(SurveyError, match="tự xử lý"):
        clerks[0].groups.add(Group.objects.get_or_create(name=SUPERVISOR_GROUP)[0])
        paper.resolve(User.objects.get(pk=clerks[0].pk), form, {"svc_2": "1"})
    form.refresh_from_db()
    supervisor = member("giamsat", SUPERVISOR_GROUP)
    paper.resolve(supervisor, form, {"svc_2": "2"}, "Phiếu ghi 3")
    form.refresh_from_db()
    assert form.status == PaperForm.Status.RESOLVED and form.resolved_by == supervisor
    assert form.response.answers["svc_2"] == 3
    event = AuditEvent.objects.get(action="paper.resolve")
    assert event.before["entry_1"] == {"svc_2": 4} and event.after == {"svc_2": 3}
    with pytest.raises(SurveyError, match="không có chênh lệch"):
        paper.resolve(secretariat, form, {"svc_2": "1"})
    assert Response.objects.count() == 1


def test_clerks_are_not_held_to_the_anonymous_limits(wave, unit_a, clerks, settings):
    settings.SURVEY_MAX_PER_SOURCE_PER_HOUR = 2
    settings.SURVEY_BURST_PER_10_MINUTES = 2
    for number in range(10, 15):
        key(clerks[0], wave, unit_a, number)
        key(clerks[1], wave, unit_a, number)
    assert Response.objects.filter(channel=Channel.PAPER).count() == 5
    assert not Response.objects.exclude(flags=[]).exists()


def test_an_enumerator_form_is_stored_once(wave, unit_a):
    from surveys.tests.conftest import good_answers

    enumerator = member("dtv", ENUMERATOR_GROUP)
    submission = uuid.uuid4()
    response, created = paper.collect_in_field(
        enumerator, wave.pk, unit_a.code, good_answers(), submission
    )
    again, created_again = paper.collect_in_field(
        enumerator, wave.pk, unit_a.code, good_answers(), submission
    )
    assert created and not created_again and again.pk == response.pk
    assert response.channel == Channel.ENUMERATOR
    with pytest.raises(PermissionDenied):
        paper.collect_in_field(member("x"), wave.pk, unit_a.code, good_answers(), uuid.uuid4())
