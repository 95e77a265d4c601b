"""One-off report requests (docs/reporting.md, "Yêu cầu báo cáo đột xuất"): the secretariat asks chosen
units for a report on a template by a deadline; who has not sent, who is late, and the reminders.

A request is a Period of kind `adhoc`, so a unit's report, its saving and sending, the consolidation and the
Word and Excel exports are the periodic regime's own (reporting/services.py, consolidation.py, documents.py).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record
from accounts.models import Role, User
from accounts.notify import notify
from core.collation import by_name
from core.formats import moment
from core.permissions import require

from .models import Period, PeriodKind, ReportState, ReportTemplate, UnitReport
from .permissions import can_manage_reporting
from .services import NOT_SECRETARIAT, ReportingError

UNIT_ROLES = (Role.UNIT_OFFICER, Role.UNIT_HEAD)


def _members(units):
    return User.objects.filter(unit__in=units, role__in=UNIT_ROLES, is_active=True)


def report_url(period: Period, unit_code: str) -> str:
    if period.is_request:
        return reverse("reporting:request_report", args=[period.pk, unit_code])
    return reverse("reporting:report", args=[period.year, period.kind, unit_code])


@transaction.atomic
def request_report(actor, title: str, template: ReportTemplate, due_at: datetime, units) -> Period:
    """A one-off request to `units`, who are told of it (in the application and by e-mail)."""
    require(actor, can_manage_reporting, NOT_SECRETARIAT)
    units = list(units)
    if not title.strip():
        raise ReportingError(_("Yêu cầu báo cáo cần có tên."))
    if not units:
        raise ReportingError(_("Chọn ít nhất một đơn vị được yêu cầu báo cáo."))
    if due_at <= timezone.now():
        raise ReportingError(_("Hạn nộp phải sau thời điểm hiện tại."))
    local_due = timezone.localtime(due_at)
    period = Period.objects.create(
        year=local_due.year,
        kind=PeriodKind.REQUEST,
        title=title.strip(),
        template=template,
        due_at=due_at,
    )
    period.recipients.set(units)
    record(
        actor,
        "report_request.create",
        period,
        after={
            "title": period.title,
            "template": str(template),
            "due_at": due_at.isoformat(),
            "units": sorted(u.code for u in units),
        },
    )
    for unit in units:
        notify(
            _members([unit]),
            _("Yêu cầu báo cáo: “%(title)s”, hạn nộp %(due)s.")
            % {"title": period.title, "due": moment(due_at)},
            report_url(period, unit.code),
            key=f"report-request:{period.pk}:{unit.pk}",
        )
    return period


@dataclass
class BoardRow:
    unit: object
    report: UnitReport | None
    url: str
    past_due: bool

    @property
    def sent(self) -> bool:
        return self.report is not None and self.report.state == ReportState.SUBMITTED

    @property
    def late(self) -> bool:
        """Sent after the deadline, or not sent once it has passed."""
        return self.report.is_late if self.sent else self.past_due


def board(period: Period) -> list[BoardRow]:
    """Every unit asked, with its report (if begun) and whether it is late, in Vietnamese order."""
    reports = {r.unit_id: r for r in period.reports.select_related("period")}
    past_due = not period.is_open()
    return [
        BoardRow(unit, reports.get(unit.pk), report_url(period, unit.code), past_due)
        for unit in period.recipients.order_by("kind", by_name())
    ]


def send_request_reminders(now=None) -> int:
    """To the members of each unit that has not sent: once when the deadline is near, once when it has
    passed (a request still takes a late report)."""
    now = now or timezone.now()
    soon = now + timedelta(days=settings.DEADLINE_REMINDER_DAYS)
    sent = 0
    requests = Period.objects.requests().filter(due_at__lte=soon).prefetch_related("recipients")
    for period in requests:
        overdue = period.due_at <= now
        label = _("Quá hạn") if overdue else _("Sắp đến hạn")
        done = set(
            period.reports.filter(state=ReportState.SUBMITTED).values_list("unit_id", flat=True)
        )
        for unit in period.recipients.all():
            if unit.pk in done:
                continue
            sent += notify(
                _members([unit]),
                _("%(label)s: báo cáo “%(title)s” (hạn %(due)s).")
                % {"label": label, "title": period.title, "due": moment(period.due_at)},
                report_url(period, unit.code),
                key=f"report-request:{period.pk}:{unit.pk}:{'overdue' if overdue else 'soon'}",
            )
    return sent
