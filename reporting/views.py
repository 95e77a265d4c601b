"""Reporting screens: periods and who has reported, a unit's report, the consolidated city report and
its Word and Excel exports, templates and periods (secretariat)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core import charts
from core.collation import by_name
from core.spreadsheets import download
from units.models import Unit

from . import progress, services
from .consolidation import consolidate, expected_units
from .documents import excel_report, word_report
from .feeds import fed_values
from .forms import PeriodForm, TemplateForm
from .models import Period, ReportState, ReportTemplate
from .permissions import (
    can_fill_report,
    can_manage_reporting,
    can_view_consolidated,
    can_view_report,
)
from .requests import report_url

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _period(year, kind) -> Period:
    return get_object_or_404(
        Period.objects.periodic().select_related("template"), year=year, kind=kind
    )


@login_required
def period_list(request):
    if not (can_view_consolidated(request.user) or request.user.unit_id):
        raise PermissionDenied
    return render(
        request,
        "reporting/list.html",
        {
            "periods": Period.objects.periodic().select_related("template"),
            "requests": _requests_for(request.user),
            "can_manage": can_manage_reporting(request.user),
            "unit": request.user.unit if request.user.unit_id else None,
        },
    )


def _requests_for(user):
    """The one-off requests the reader may open: every one for the city's readers, else those sent to
    the user's unit."""
    requests = Period.objects.requests().select_related("template")
    if can_view_consolidated(user):
        return requests
    return requests.filter(recipients=user.unit_id)


@login_required
def period_board(request, year, kind):
    if not can_view_consolidated(request.user):
        raise PermissionDenied
    period = _period(year, kind)
    reports = {r.unit_id: r for r in period.reports.all()}
    rows = [
        (unit, reports.get(unit.pk)) for unit in expected_units(period).order_by("kind", by_name())
    ]
    submitted = sum(1 for _unit, r in rows if r and r.state == ReportState.SUBMITTED)
    return render(
        request,
        "reporting/board.html",
        {
            "period": period,
            "rows": rows,
            "submitted": submitted,
            "missing": len(rows) - submitted,
            "charts": [
                charts.for_page(
                    charts.progress(
                        progress.by_kind(rows),
                        progress.series(),
                        _("Báo cáo đã gửi theo loại đơn vị"),
                        unit=_("đơn vị"),
                    )
                )
            ],
            "filter": request.GET.get("show", ""),
        },
    )


def links(period: Period) -> dict[str, str]:
    """The addresses of a period's pages, or of a one-off request's (keyed by its number)."""
    if period.is_request:
        names, args = (
            ("request_board", "request_consolidated", "request_word", "request_excel"),
            [period.pk],
        )
    else:
        names, args = (
            ("board", "consolidated", "export_word", "export_excel"),
            [
                period.year,
                period.kind,
            ],
        )
    keys = ("board", "consolidated", "word", "excel")
    return {
        key: reverse(f"reporting:{name}", args=args) for key, name in zip(keys, names, strict=True)
    }


@login_required
def unit_report(request, year, kind, unit_code):
    return report_page(request, _period(year, kind), unit_code)


def report_page(request, period: Period, unit_code: str):
    """A unit's report in a period or a one-off request (the callers require a login)."""
    unit = get_object_or_404(Unit, code=unit_code)
    if not can_view_report(request.user, unit):
        raise PermissionDenied
    if period.is_request and not period.recipients.filter(pk=unit.pk).exists():
        raise Http404
    report = (
        services.report_for(period, unit)
        if can_fill_report(request.user, unit)
        else period.reports.filter(unit=unit).first()
    )
    if request.method == "POST":
        if not can_fill_report(request.user, unit):
            raise PermissionDenied
        figures = {
            i.code: {
                "value": request.POST.get(f"{i.code}__value"),
                "numerator": request.POST.get(f"{i.code}__numerator"),
                "denominator": request.POST.get(f"{i.code}__denominator"),
            }
            for i in period.template.indicators.all()
        }
        narratives = {
            s.code: request.POST.get(f"{s.code}__text", "") for s in period.template.sections.all()
        }
        try:
            services.save_report(request.user, report, figures, narratives)
            if "submit" in request.POST:
                services.submit_report(request.user, report)
        except services.ReportingError as exc:
            messages.error(request, str(exc))
            return _render_form(request, period, unit, report, posted=request.POST)
        messages.success(
            request, _("Đã gửi báo cáo.") if "submit" in request.POST else _("Đã lưu báo cáo.")
        )
        return redirect(report_url(period, unit_code))
    return _render_form(request, period, unit, report)


FIGURES = ("value", "numerator", "denominator")


def _has_figure(value) -> bool:
    return value is not None and any(getattr(value, name) is not None for name in FIGURES)


def _render_form(request, period, unit, report, posted=None):
    values = {v.indicator_id: v for v in report.values.all()} if report else {}
    texts = {t.section_id: t.text for t in report.narratives.all()} if report else {}
    editable = (
        report is not None
        and can_fill_report(request.user, unit)
        and report.state == ReportState.DRAFT
        and period.accepts()
    )
    fed = fed_values(period, unit)
    indicators = []
    for indicator in period.template.indicators.all():
        stored = values.get(indicator.pk)
        if editable and not _has_figure(stored):
            # A report the unit can still write opens prefilled from the feed: typed once. A sent or
            # closed one shows what was sent (marked where it equals the feed).
            stored = fed.get(indicator.pk, stored)
        field = lambda name, stored=stored, code=indicator.code: (  # noqa: E731
            posted.get(f"{code}__{name}", "")
            if posted is not None
            else (getattr(stored, name, None) if stored else None)
        )
        shown = {name: field(name) for name in FIGURES}
        source = fed.get(indicator.pk)
        indicators.append(
            {
                "indicator": indicator,
                **shown,
                "from_feed": source is not None
                and posted is None
                and all(shown[name] == getattr(source, name) for name in FIGURES),
            }
        )
    sections = [
        {
            "section": s,
            "text": posted.get(f"{s.code}__text", "")
            if posted is not None
            else texts.get(s.pk, ""),
        }
        for s in period.template.sections.all()
    ]
    return render(
        request,
        "reporting/report.html",
        {
            "period": period,
            "unit": unit,
            "report": report,
            "indicators": indicators,
            "sections": sections,
            "editable": editable,
        },
    )


@login_required
def consolidated(request, year, kind):
    if not can_view_consolidated(request.user):
        raise PermissionDenied
    return consolidated_page(request, _period(year, kind))


def consolidated_page(request, period: Period):
    return render(
        request,
        "reporting/consolidated.html",
        {"result": consolidate(period), "period": period, "links": links(period)},
    )


@login_required
def export_word(request, year, kind):
    if not can_view_consolidated(request.user):
        raise PermissionDenied
    return word_file(_period(year, kind), f"bao-cao-cchc-{kind}-{year}.docx")


def word_file(period: Period, filename: str) -> HttpResponse:
    response = HttpResponse(word_report(consolidate(period)), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def export_excel(request, year, kind):
    if not can_view_consolidated(request.user):
        raise PermissionDenied
    return download(
        excel_report(consolidate(_period(year, kind))), f"bao-cao-cchc-{kind}-{year}.xlsx"
    )


@login_required
def template_create(request):
    if not can_manage_reporting(request.user):
        raise PermissionDenied
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            indicators, sections = services.parse_definition(
                form.cleaned_data["indicators"], form.cleaned_data["sections"]
            )
            template = services.save_template(
                request.user, form.cleaned_data["title"], indicators, sections
            )
        except services.ReportingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu mẫu “%(template)s”.") % {"template": template})
            return redirect("reporting:list")
    return render(
        request,
        "reporting/template_form.html",
        {"form": form, "templates": ReportTemplate.objects.all()},
    )


@login_required
def period_create(request):
    if not can_manage_reporting(request.user):
        raise PermissionDenied
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.open_period(request.user, **form.cleaned_data)
        except services.ReportingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã mở %(period)s.") % {"period": period})
            return redirect("reporting:board", period.year, period.kind)
    return render(request, "reporting/period_form.html", {"form": form})
