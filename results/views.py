"""Staff screens of a cycle's results: rankings, jobs with progress, documents, publication, awards."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.spreadsheets import download
from cycles.models import Cycle
from units.models import Unit

from . import analysis, services
from . import provincial as provincial_values
from .exports import awards_filename, awards_workbook
from .forms import ProvincialValueForm
from .models import Job, JobKind, JobState, ProvincialValue, ResultSettings, UnitResult
from .permissions import (
    can_enter_provincial,
    can_manage_results,
    can_read_results,
    can_read_unit_result,
    may_open_results,
    may_open_review,
    result_cycles_visible_to,
)
from .snapshot import build


def _readable_cycle(request, key) -> Cycle:
    cycle = get_object_or_404(Cycle, key=key)
    if not can_read_results(request.user, cycle):
        raise PermissionDenied
    return cycle


def _managed_cycle(request, key) -> Cycle:
    cycle = get_object_or_404(Cycle, key=key)
    if not can_manage_results(request.user, cycle):
        raise PermissionDenied
    return cycle


@login_required
def result_list(request):
    if not may_open_results(request.user):
        raise PermissionDenied
    cycles = result_cycles_visible_to(request.user, Cycle.objects.order_by("-year", "key"))
    computed = set(UnitResult.objects.values_list("cycle_id", flat=True).distinct())
    return render(
        request,
        "results/list.html",
        {
            "cycles": cycles,
            "computed": computed,
            "provincial": provincial_values.table(),
            "review": may_open_review(request.user),
        },
    )


@login_required
def cycle_results(request, key):
    cycle = _readable_cycle(request, key)
    snap = build(cycle)
    settings = ResultSettings.objects.for_cycle(cycle)
    groups = [{"group": g, "units": analysis.group_units(snap, g["name"])} for g in snap["groups"]]
    return render(
        request,
        "results/cycle.html",
        {
            "cycle": cycle,
            "groups": groups,
            "averages": analysis.city_averages(snap) if snap["units"] else None,
            "awards": analysis.awards(snap, settings.awards_top_n, settings.awards_progress_n),
            "jobs": cycle.result_jobs.all()[:10],
            "publications": cycle.publications.all(),
            "can_manage": can_manage_results(request.user, cycle),
            "document_kinds": [k for k in JobKind if k != JobKind.RECOMPUTE],
        },
    )


@login_required
def job_list(request, key):
    """The jobs' progress, polled by htmx while one is running."""
    cycle = _readable_cycle(request, key)
    jobs = cycle.result_jobs.all()[:10]
    return render(request, "results/_jobs.html", {"cycle": cycle, "jobs": jobs})


@login_required
def job_file(request, key, pk):
    cycle = _readable_cycle(request, key)
    job = get_object_or_404(Job, cycle=cycle, pk=pk, state=JobState.DONE)
    if not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.file.name.split("/")[-1]
    )


@login_required
@require_POST
def request_job(request, key):
    cycle = _managed_cycle(request, key)
    kind = request.POST.get("kind", "")
    try:
        job = services.request_job(request.user, cycle, kind)
    except services.ResultsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Đã nhận yêu cầu: %(kind)s.") % {"kind": job.get_kind_display()}
        )
    return redirect("results:cycle", cycle.key)


@login_required
@require_POST
def publish(request, key):
    cycle = _managed_cycle(request, key)
    try:
        publication = services.publish(request.user, cycle, notice=request.POST.get("notice", ""))
    except (services.ResultsError, services.CycleError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Đã công bố kết quả năm %(year)s (lần %(version)s).")
            % {"year": cycle.year, "version": publication.version},
        )
    return redirect("results:cycle", cycle.key)


@login_required
def unit_result(request, key, code):
    cycle = get_object_or_404(Cycle, key=key)
    unit = get_object_or_404(Unit, code=code)
    if not can_read_unit_result(request.user, cycle, unit):
        raise PermissionDenied
    snap = build(cycle)
    row = analysis.by_code(snap).get(code)
    if row is None:
        raise Http404
    names = Unit.objects.names_by_code(row["compared_with"])
    return render(
        request,
        "results/unit.html",
        {
            "cycle": cycle,
            "unit": row,
            "predecessors": [names.get(c, c) for c in row["compared_with"]],
            "domains": analysis.domain_comparison(snap, row),
            "losses": analysis.biggest_losses(snap, row),
        },
    )


@login_required
def awards_export(request, key):
    cycle = _readable_cycle(request, key)
    settings = ResultSettings.objects.for_cycle(cycle)
    rows = analysis.awards(build(cycle), settings.awards_top_n, settings.awards_progress_n)
    return download(awards_workbook(cycle, rows), awards_filename(cycle))


@login_required
def provincial(request):
    """The city's series in the national indices; the secretariat enters or corrects a value."""
    if not may_open_results(request.user):
        raise PermissionDenied
    can_enter = can_enter_provincial(request.user)
    form = None
    if can_enter:
        form = ProvincialValueForm(request.POST or None, initial=_provincial_initial(request.GET))
    if request.method == "POST":
        if not can_enter:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                row = provincial_values.save_value(
                    request.user,
                    data["series"],
                    data["year"],
                    data["value"],
                    data["source"],
                    rank=data["rank"],
                    link=data["link"],
                )
            except provincial_values.ProvincialError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Đã lưu %(value)s.") % {"value": row})
                return redirect("results:provincial")
    return render(
        request,
        "results/provincial.html",
        {"table": provincial_values.table(), "form": form, "can_enter": can_enter},
    )


def _provincial_initial(query) -> dict:
    """The form prefilled with the stored value named by ?series=&year= (the table's "Sửa" links)."""
    row = (
        ProvincialValue.objects.filter(
            series=query.get("series", ""), year=query.get("year") or 0
        ).first()
        if (query.get("year") or "").isdigit()
        else None
    )
    if row is None:
        return {}
    return {
        "series": row.series,
        "year": row.year,
        "value": row.value,
        "rank": row.rank,
        "source": row.source,
        "link": row.link,
    }
