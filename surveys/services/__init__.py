"""Every change in the survey room, one module per concern, all importable from here
(`from surveys import services; services.submit_response(...)`):

- questionnaires.py: a new questionnaire version from a spreadsheet;
- waves.py: opening, moving and renaming a wave, its sample targets;
- invitations.py: one-time codes;
- imports.py: response microdata and an institute's published figures from files;
- sampling.py: the dossier sample drawn from the one-stop system's list, its codes and rates;
- roster.py: a wave's roster of officials, who rates which units, personal codes, reminders;
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
from surveys.refusals import (
    TOO_MANY_REFUSALS,
    find_invitation,
    invitation_for_entry,
    official_for_entry,
)
from surveys.roster_codes import roster_page

from . import paper
from .imports import FIGURES_SOURCES, import_published, import_responses, set_figures_source
from .invitations import CODE_ALPHABET, generate_invitations
from .questionnaires import import_questionnaire, set_option_weights
from .review import set_excluded
from .roster import import_roster, issue_codes, remind, set_by_roster, set_rules
from .sampling import draw_sample, erase_sample_contacts, issue_sample_invitations, stratum_rates
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
    "FIGURES_SOURCES",
    "SCORED_CYCLE_STATES",
    "SETTLED_CYCLE_STATES",
    "TOO_MANY_REFUSALS",
    "RespondentForm",
    "SurveyError",
    "UnknownWaveOrUnit",
    "change_wave",
    "create_wave",
    "draw_sample",
    "erase_sample_contacts",
    "find_invitation",
    "generate_invitations",
    "import_published",
    "import_questionnaire",
    "import_responses",
    "import_roster",
    "issue_codes",
    "invitation_for_entry",
    "issue_sample_invitations",
    "keyed_hash",
    "normalise_code",
    "official_for_entry",
    "remind",
    "respondent_form",
    "roster_page",
    "set_by_roster",
    "set_excluded",
    "set_figures_source",
    "set_option_weights",
    "set_rules",
    "set_targets",
    "stratum_rates",
    "submit_response",
]
