"""The secretariat's imports into a wave: response microdata, an institute's published figures, and the
sample of dossiers drawn from the one-stop system's list (docs/surveys.md)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.permissions import require
from core.tabular import ImportFailed
from core.uploads import UploadForm

from . import services
from .forms_imports import FiguresSourceForm, PublishedForm
from .models import Channel, Wave
from .permissions import can_manage_surveys


def _wave(request, wave_id) -> Wave:
    require(request.user, can_manage_surveys)
    return get_object_or_404(
        Wave.objects.select_related("cycle", "version__questionnaire"), pk=wave_id
    )


@login_required
def import_responses(request, wave_id):
    """GET: the expected columns and the form. POST: import a microdata file, all or nothing."""
    wave = _wave(request, wave_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_responses(request.user, wave, upload.read(), upload.name)
        except ImportFailed as exc:
            problems = exc.problems
        except services.SurveyError as exc:
            problems = exc.problems
        else:
            messages.success(
                request,
                _("Đã nhập %(stored)s phiếu; %(already)s phiếu đã có từ lần nhập trước.") % result,
            )
            return redirect("surveys:import_responses", wave.pk)
    questions = [q for q in wave.version.parsed() if q.type != "section"]
    imported = (
        wave.responses.filter(channel=Channel.IMPORT)
        .values("unit__code", "unit__name")
        .annotate(count=Count("id"))
        .order_by("unit__code")
    )
    return render(
        request,
        "surveys/import_responses.html",
        {
            "wave": wave,
            "form": form,
            "problems": problems,
            "questions": questions,
            "imported": imported,
        },
        status=400 if problems or form.errors else 200,
    )


def _published_table(wave: Wave):
    """The units with their published figures, one column per dimension published."""
    figures = wave.published_figures.select_related("unit").order_by("unit__code", "dimension")
    columns = sorted({f.dimension for f in figures}, key=_dimension_order)
    rows = {}
    for figure in figures:
        row = rows.setdefault(
            figure.unit_id,
            {"unit": figure.unit, "n": figure.respondents, "values": dict.fromkeys(columns)},
        )
        row["values"][figure.dimension] = figure.value
    return columns, [
        {"unit": r["unit"], "n": r["n"], "values": [r["values"][c] for c in columns]}
        for r in rows.values()
    ]


def _dimension_order(key: str):
    from .published import KNOWN

    order = list(KNOWN)
    return (order.index(key) if key in order else len(order), key)


@login_required
def import_published(request, wave_id):
    """GET: the published figures and their source. POST: a new table with its source (all or
    nothing), or (action=source) which figures the survey leaves read."""
    wave = _wave(request, wave_id)
    form = PublishedForm(None, initial={"use_for_scores": True})
    source_form = FiguresSourceForm(initial={"figures_source": wave.figures_source})
    problems = []
    if request.method == "POST" and request.POST.get("action") == "source":
        source_form = FiguresSourceForm(request.POST)
        if source_form.is_valid():
            try:
                services.set_figures_source(
                    request.user,
                    wave,
                    source_form.cleaned_data["figures_source"],
                    source_form.cleaned_data["reason"],
                )
            except services.SurveyError as exc:
                problems = exc.problems
            else:
                messages.success(request, _("Đã đổi nguồn số liệu tính điểm."))
                return redirect("surveys:import_published", wave.pk)
    elif request.method == "POST":
        form = PublishedForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.import_published(
                    request.user,
                    wave,
                    data["file"].read(),
                    data["file"].name,
                    document=data["document"],
                    issued_on=data["issued_on"],
                    url=data["url"],
                    use_for_scores=data["use_for_scores"],
                )
            except ImportFailed as exc:
                problems = exc.problems
            except services.SurveyError as exc:
                problems = exc.problems
            else:
                messages.success(request, _("Đã nhập số liệu công bố."))
                return redirect("surveys:import_published", wave.pk)
    columns, rows = _published_table(wave)
    return render(
        request,
        "surveys/import_published.html",
        {
            "wave": wave,
            "form": form,
            "source_form": source_form,
            "problems": problems,
            "source": wave.published_sources.first(),
            "columns": columns,
            "rows": rows,
        },
        status=400 if problems or form.errors or source_form.errors else 200,
    )
