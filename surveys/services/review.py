"""Review of stored responses: the secretariat excludes one from the figures, or lets it back, with a
reason."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import record
from core.permissions import require
from surveys.errors import SurveyError
from surveys.models import Response
from surveys.permissions import ONLY_MANAGERS, can_manage_surveys


@transaction.atomic
def set_excluded(actor, response: Response, excluded: bool, reason: str) -> Response:
    require(actor, can_manage_surveys, ONLY_MANAGERS)
    if not reason.strip():
        raise SurveyError(_("Hãy nêu lý do."))
    before = {"excluded": response.excluded, "reason": response.exclusion_reason}
    response.excluded, response.exclusion_reason = excluded, reason.strip()
    response.save(update_fields=["excluded", "exclusion_reason"])
    record(
        actor,
        "response.exclude" if excluded else "response.restore",
        response,
        before=before,
        after={"excluded": excluded, "reason": response.exclusion_reason},
        reason=reason.strip(),
    )
    return response
