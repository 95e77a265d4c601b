"""surveys.services is a package (one module per concern, the intake in surveys/intake/): what callers
import from it is still there, and every change refuses anyone but the secretariat with one message."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from surveys import services
from surveys.intake import respondent, submit
from surveys.models import Channel

from .conftest import good_answers, tsv

MESSAGE = "Chỉ Sở Nội vụ quản lý khảo sát."


def test_callers_find_every_name_the_old_module_offered():
    for name in (
        "SurveyError",
        "UnknownWaveOrUnit",
        "keyed_hash",
        "import_questionnaire",
        "create_wave",
        "change_wave",
        "set_targets",
        "generate_invitations",
        "invitation_for_entry",
        "find_invitation",
        "respondent_form",
        "submit_response",
        "set_excluded",
        "SETTLED_CYCLE_STATES",
        "SCORED_CYCLE_STATES",
    ):
        assert hasattr(services, name), name
    # The intake's own functions, not copies: a test that patches one module patches what runs.
    assert services.submit_response is submit.submit_response
    assert services.respondent_form is respondent.respondent_form


def changes(wave, unit):
    now = timezone.now()
    return {
        "import_questionnaire": lambda actor: services.import_questionnaire(
            actor, "x", "X", tsv(), "x.tsv"
        ),
        "create_wave": lambda actor: services.create_wave(
            actor, wave.cycle, wave.version, "Đợt 2", now, now + timedelta(days=1)
        ),
        "change_wave": lambda actor: services.change_wave(
            actor, wave, "Đổi tên", wave.opens_at, wave.closes_at, "lý do"
        ),
        "set_targets": lambda actor: services.set_targets(actor, wave, {unit: 100}),
        "generate_invitations": lambda actor: services.generate_invitations(actor, wave, unit, 1),
        "set_excluded": lambda actor: services.set_excluded(
            actor,
            services.submit_response(
                wave=wave,
                unit=unit,
                submission_id="0f3c2a4e-2c1b-4f7e-9d8a-1b2c3d4e5f60",
                answers=good_answers(),
                channel=Channel.LINK,
            )[0],
            True,
            "lý do",
        ),
    }


@pytest.mark.parametrize(
    "change",
    [
        "import_questionnaire",
        "create_wave",
        "change_wave",
        "set_targets",
        "generate_invitations",
        "set_excluded",
    ],
)
def test_every_change_refuses_an_officer_in_vietnamese(change, officer_a, wave, unit_a):
    with pytest.raises(PermissionDenied) as refused:
        changes(wave, unit_a)[change](officer_a)
    assert str(refused.value) == MESSAGE
