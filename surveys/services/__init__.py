"""Every change in the survey room, one module per concern, all importable from here
(`from surveys import services; services.submit_response(...)`):

- questionnaires.py: a new questionnaire version from a spreadsheet;
- waves.py: opening, moving and renaming a wave, its sample targets;
- invitations.py: one-time codes;
- review.py: excluding a response from the figures, or letting it back;
- paper.py: paper forms keyed twice by clerks and their differences resolved, enumerators' forms;
- surveys/intake/: the hot path, storing a response (`submit_response`) and reading the respondent's
  page (`respondent_form`); surveys/refusals.py: refused codes and dossiers at the ways in.

The errors (surveys/errors.py) and the keyed hashes (surveys/hashing.py) sit below this package and the
intake, which imports nothing from here."""

from surveys.errors import SurveyError, UnknownWaveOrUnit
from surveys.hashing import keyed_hash, normalise_code
from surveys.intake.respondent import RespondentForm, respondent_form
from surveys.intake.submit import CHANNELS, submit_response
from surveys.refusals import TOO_MANY_REFUSALS, find_invitation, invitation_for_entry

from . import paper
from .invitations import CODE_ALPHABET, generate_invitations
from .questionnaires import import_questionnaire
from .review import set_excluded
from .waves import (
    SCORED_CYCLE_STATES,
    SETTLED_CYCLE_STATES,
    change_wave,
    create_wave,
    set_targets,
)

__all__ = [
    "paper",
    "CHANNELS",
    "CODE_ALPHABET",
    "SCORED_CYCLE_STATES",
    "SETTLED_CYCLE_STATES",
    "TOO_MANY_REFUSALS",
    "RespondentForm",
    "SurveyError",
    "UnknownWaveOrUnit",
    "change_wave",
    "create_wave",
    "find_invitation",
    "generate_invitations",
    "import_questionnaire",
    "invitation_for_entry",
    "keyed_hash",
    "normalise_code",
    "respondent_form",
    "set_excluded",
    "set_targets",
    "submit_response",
]
