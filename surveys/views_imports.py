"""The secretariat's imports into a wave: response microdata, an institute's published figures, and the
sample of dossiers drawn from the one-stop system's list (docs/surveys.md)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.permissions import require
from core.spreadsheets import DATE_FORMAT, Column, Sheet, download, xlsx
from core.uploads import UploadForm

from . import services
from .errors import attempt
from .forms_imports import FiguresSourceForm, FrameForm, PublishedForm
from .models import Channel, SampleDraw, Wave
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
        result, problems = attempt(
            lambda: services.import_responses(request.user, wave, upload.read(), upload.name)
        )
        if not problems:
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
            _published, problems = attempt(
                lambda: services.import_published(
                    request.user,
                    wave,
                    data["file"].read(),
                    data["file"].name,
                    document=data["document"],
                    issued_on=data["issued_on"],
                    url=data["url"],
                    use_for_scores=data["use_for_scores"],
                )
            )
            if not problems:
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


MAILING_COLUMNS = [
    Column("Mã hồ sơ", lambda r: r[0].dossier_code, width=22),
    Column("Mã đơn vị", lambda r: r[0].unit.code, width=10),
    Column("Đơn vị", lambda r: r[0].unit.display_name, width=36),
    Column("Ngày tiếp nhận", lambda r: r[0].received_on, number_format=DATE_FORMAT, width=14),
    Column("Liên hệ", lambda r: r[0].contact, width=40),
    Column("Mã mời", lambda r: r[1], width=12),
    Column("Đường dẫn", lambda r: r[2], width=60),
]


def _mailing_list(request, wave, rows, filename):
    """The mailing list as XLSX (core.spreadsheets: text cells, never a formula)."""
    lines = []
    for dossier, code in rows:
        link = ""
        if code:
            base = reverse("surveys:respond", args=[wave.pk, dossier.unit.code])
            link = request.build_absolute_uri(f"{base}?kenh=code&ma={code}")
        lines.append((dossier, code, link))
    return download(xlsx(Sheet("danh-sach-gui-thu", MAILING_COLUMNS, lines)), filename)


@login_required
def sample(request, wave_id):
    """GET: the draw, its strata with response rates, the drawn dossiers (?tai=xlsx: as a file).
    POST: draw from an uploaded list; action=issue: codes for the drawn dossiers, returned at once as
    the mailing list; action=erase: blank the contacts."""
    wave = _wave(request, wave_id)
    form = FrameForm(None)
    problems = []
    action = request.POST.get("action")
    if request.method == "POST" and action in ("issue", "erase"):
        try:
            if action == "issue":
                issued = services.issue_sample_invitations(request.user, wave)
                return _mailing_list(request, wave, issued, f"danh-sach-gui-thu-{wave.pk}.xlsx")
            erased = services.erase_sample_contacts(request.user, wave)
        except services.SurveyError as exc:
            problems = exc.problems
        else:
            messages.success(
                request, _("Đã xóa thông tin liên hệ của %(count)s hồ sơ.") % {"count": erased}
            )
            return redirect("surveys:sample", wave.pk)
    elif request.method == "POST":
        form = FrameForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            drawn, problems = attempt(
                lambda: services.draw_sample(
                    request.user,
                    wave,
                    upload.read(),
                    upload.name,
                    seed=form.cleaned_data["seed"],
                    margin=form.margin_fraction,
                )
            )
            if not problems:
                messages.success(
                    request,
                    _("Đã chọn %(count)s hồ sơ vào mẫu.") % {"count": drawn.dossiers.count()},
                )
                return redirect("surveys:sample", wave.pk)
    drawn = SampleDraw.objects.filter(wave=wave).first()
    dossiers = drawn.dossiers.select_related("unit", "invitation") if drawn else []
    if drawn and request.GET.get("tai") == "xlsx":
        return _mailing_list(
            request, wave, [(d, "") for d in dossiers], f"mau-ho-so-{wave.pk}.xlsx"
        )
    return render(
        request,
        "surveys/sample.html",
        {
            "wave": wave,
            "form": form,
            "problems": problems,
            "draw": drawn,
            "strata": services.stratum_rates(wave),
            "dossiers": dossiers,
            "waiting": drawn.dossiers.filter(invitation=None).count() if drawn else 0,
        },
        status=400 if problems or form.errors else 200,
    )
