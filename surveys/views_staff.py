"""The secretariat's survey screens: waves and their monitoring against targets, a unit's figures with
their uncertainty, flagged responses to review, invitation codes (CSV or a printable QR sheet), QR posters of the
public link per unit, questionnaires (each version as .xlsx in the import layout and as an XLSForm, and the
upload of a new version)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core import charts
from core.collation import by_name
from core.permissions import require
from core.spreadsheets import download
from core.tabular import ImportFailed
from core.uploads import UploadForm
from units.models import Unit

from . import exports, progress, services
from .aggregates import code_refusals, unit_figures, unplaced_code_refusals
from .models import Questionnaire, QuestionnaireVersion, Response, Wave
from .permissions import can_manage_surveys, can_view_results
from .published import unit_published
from .questionnaire import storable
from .services.questionnaires import weights_text


@login_required
def wave_list(request):
    require(request.user, can_view_results)
    return render(
        request,
        "surveys/waves.html",
        {
            "waves": Wave.objects.select_related("version__questionnaire", "cycle"),
            "can_manage": can_manage_surveys(request.user),
        },
    )


@login_required
def monitor(request, wave_id):
    require(request.user, can_view_results)
    wave = get_object_or_404(Wave, pk=wave_id)
    counts = {
        row["unit_id"]: row
        for row in wave.responses.values("unit_id").annotate(
            total=Count("id"),
            kept=Count("id", filter=Q(excluded=False)),
            flagged=Count("id", filter=~Q(flags=[]) & Q(excluded=False)),
        )
    }
    refused = code_refusals(wave)
    roster_groups, roster_units = _roster_rates(wave)
    rows = []
    for target in wave.targets.select_related("unit").order_by("unit__kind", by_name("unit__name")):
        row = counts.get(target.unit_id, {})
        kept = row.get("kept", 0)
        rows.append(
            {
                "target": target,
                "kept": kept,
                "flagged": row.get("flagged", 0),
                "refused": refused.get(target.unit_id, {}).get("total", 0),
                "roster": roster_units.get(target.unit_id),
                "percent": round(100 * kept / target.sample) if target.sample else 100,
            }
        )
    return render(
        request,
        "surveys/monitor.html",
        {
            "wave": wave,
            "rows": rows,
            "total": sum(r["kept"] for r in rows),
            "can_manage": can_manage_surveys(request.user),
            # Response rates of the roster by group (names stay on the secretariat's roster page).
            "roster_groups": roster_groups,
            # The live refresh (htmx) swaps the table only: the chart is drawn on the full page.
            "charts": []
            if request.htmx
            else [
                charts.for_page(
                    charts.progress(
                        progress.by_kind(rows),
                        progress.series(),
                        gettext("Phiếu thu được so với số phiếu cần thu"),
                        unit=gettext("phiếu"),
                    )
                )
            ],
        },
    )


@login_required
def unit_result(request, wave_id, unit_code):
    require(request.user, can_view_results)
    wave = get_object_or_404(Wave.objects.select_related("version"), pk=wave_id)
    unit = get_object_or_404(Unit, code=unit_code)
    published, source = unit_published(wave, unit)
    return render(
        request,
        "surveys/unit.html",
        {
            "wave": wave,
            "unit": unit,
            "figures": unit_figures(wave, unit),
            "published": published,
            "source": source,
        },
    )


@login_required
def flagged(request, wave_id):
    require(request.user, can_manage_surveys)
    wave = get_object_or_404(Wave, pk=wave_id)
    responses = (
        wave.responses.select_related("unit").exclude(flags=[]).order_by("-submitted_at")[:300]
    )
    refused = code_refusals(wave)
    units = Unit.objects.in_bulk(refused)
    refusals = sorted(
        ({"unit": units[pk].display_name} | row for pk, row in refused.items()),
        key=lambda row: (-row["total"], row["unit"]),
    )
    return render(
        request,
        "surveys/flagged.html",
        {
            "wave": wave,
            "responses": responses,
            "refusals": refusals,
            "unplaced": unplaced_code_refusals(wave),
        },
    )


@login_required
@require_POST
def review(request, response_id):
    require(request.user, can_manage_surveys)
    response = get_object_or_404(Response, pk=response_id)
    try:
        services.set_excluded(
            request.user,
            response,
            request.POST.get("action") == "exclude",
            request.POST.get("reason", ""),
        )
    except services.SurveyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, gettext("Đã cập nhật phiếu."))
    return redirect("surveys:flagged", response.wave_id)


def _roster_rates(wave) -> tuple[list[dict], dict]:
    """The roster's response rates by group (with the group's label) and by rated unit's id; nothing
    for a wave without a roster."""
    from .roster_codes import group_label
    from .services.roster import progress

    if not wave.officials.exists():
        return [], {}
    found = progress(wave)
    groups = [
        row | {"group": group_label(wave.version, group)} for group, row in found["groups"].items()
    ]
    return groups, found["units"]


@login_required
@require_POST
def invitations(request, wave_id):
    """Generate codes for one unit and return them at once: as CSV, or as a sheet of QR codes to print."""
    require(request.user, can_manage_surveys)
    wave = get_object_or_404(Wave, pk=wave_id)
    unit = get_object_or_404(Unit, code=request.POST.get("unit", ""))
    try:
        count = int(request.POST.get("count", "0"))
        codes = services.generate_invitations(request.user, wave, unit, count)
    except (ValueError, services.SurveyError) as exc:
        messages.error(
            request,
            str(exc) if isinstance(exc, services.SurveyError) else gettext("Số mã phải là một số."),
        )
        return redirect("surveys:monitor", wave.pk)
    base = request.build_absolute_uri(reverse("surveys:respond", args=[wave.pk, unit.code]))
    if request.POST.get("format") == "csv":
        return download(
            exports.invitations_csv(unit, codes, f"{base}?kenh=code&ma="), f"ma-moi-{unit.code}.csv"
        )
    import segno

    cards = [
        {
            "code": code,
            "qr": segno.make(f"{base}?kenh=code&ma={code}", error="m").svg_inline(scale=3),
        }
        for code in codes
    ]
    return render(
        request,
        "surveys/codes_sheet.html",
        {"wave": wave, "unit": unit, "cards": cards},
    )


@login_required
def posters(request, wave_id):
    """One A4 poster per unit of the wave (?don-vi=<code> for one): its public link as a large QR code,
    for the one-stop desk."""
    import segno

    require(request.user, can_manage_surveys)
    wave = get_object_or_404(Wave.objects.select_related("version"), pk=wave_id)
    targets = wave.targets.select_related("unit").order_by("unit__kind", by_name("unit__name"))
    if code := request.GET.get("don-vi"):
        targets = targets.filter(unit__code=code) if storable(code) else targets.none()
        if not targets:
            raise Http404(gettext("Đơn vị không tham gia đợt khảo sát này."))
    cards = []
    for target in targets:
        url = request.build_absolute_uri(
            reverse("surveys:respond", args=[wave.pk, target.unit.code])
        )
        qr = segno.make(url, error="m").svg_inline(omitsize=True)
        cards.append({"unit": target.unit, "url": url, "qr": qr})
    return render(
        request,
        "surveys/poster.html",
        {"wave": wave, "posters": cards, "asked": _answered(wave.version)},
    )


@login_required
def export_responses(request, wave_id):
    """The wave's anonymised responses: ?format=csv (default) or ?format=xlsx (with a codebook)."""
    require(request.user, can_view_results)
    wave = get_object_or_404(Wave.objects.select_related("version"), pk=wave_id)
    kind = request.GET.get("format", "csv")
    builders = {"csv": exports.responses_csv, "xlsx": exports.responses_xlsx}
    if kind not in builders:
        return HttpResponseBadRequest(gettext("format: csv hoặc xlsx."))
    return download(builders[kind](wave), f"phieu-khao-sat-{wave.pk}.{kind}")


@login_required
def export_aggregates(request, wave_id):
    """Per unit: the overall index, parts and elements with n, share and Wilson interval (XLSX)."""
    require(request.user, can_view_results)
    wave = get_object_or_404(Wave.objects.select_related("version"), pk=wave_id)
    return download(exports.aggregates_xlsx(wave), f"chi-so-khao-sat-{wave.pk}.xlsx")


# ------------------------------------------------------------------ questionnaires (import and export)


class QuestionnaireUploadForm(UploadForm):
    code = forms.SlugField(
        label=_("Mã bảng hỏi"),
        max_length=40,
        help_text=_(
            "Chữ không dấu, số và dấu gạch, ví dụ sipas; mã đã có thì thành phiên bản mới."
        ),
    )
    title = forms.CharField(
        label=_("Tên bảng hỏi"),
        max_length=200,
        required=False,
        help_text=_(
            "Cần khi tạo bảng hỏi mới (biểu mẫu XLSForm có form_title thì lấy tên đó); "
            "bảng hỏi đã có giữ tên cũ."
        ),
    )
    field_order = ["code", "title", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, accept=".xlsx,.csv,.tsv", **kwargs)
        self.fields["file"].label = _(
            "Tệp bảng hỏi (.xlsx, .csv, .tsv hoặc biểu mẫu XLSForm .xlsx)"
        )

    @staticmethod
    def _xlsform_title(upload) -> str:
        """An XLSForm names itself (settings, form_title): that title serves a new questionnaire."""
        from .xlsform import form_title

        if upload is None:
            return ""
        try:
            return form_title(upload.read())
        finally:
            upload.seek(0)

    def clean(self):
        data = super().clean()
        code = data.get("code")
        new = code and not Questionnaire.objects.filter(code=code).exists()
        if new and not data.get("title") and not self._xlsform_title(data.get("file")):
            self.add_error("title", _("Bảng hỏi mới cần có tên."))
        return data


@login_required
def questionnaires(request):
    """Every questionnaire with its versions (each downloadable as .xlsx), and the upload of a new version."""
    require(request.user, can_manage_surveys)
    form = QuestionnaireUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            version = services.import_questionnaire(
                request.user,
                form.cleaned_data["code"],
                form.cleaned_data["title"],
                upload.read(),
                upload.name,
            )
        except ImportFailed as exc:
            problems = exc.problems
        else:
            messages.success(
                request,
                gettext("Đã lưu %(version)s: %(count)s câu hỏi.")
                % {"version": version, "count": _answered(version)},
            )
            return redirect("surveys:questionnaires")
    listing = list(
        Questionnaire.objects.prefetch_related(
            Prefetch(
                "versions",
                queryset=QuestionnaireVersion.objects.order_by("-number").prefetch_related("waves"),
            )
        )
    )
    for questionnaire in listing:
        questionnaire.weights_text = weights_text(questionnaire.option_weights)
        for version in questionnaire.versions.all():
            version.answered = _answered(version)
    return render(
        request,
        "surveys/questionnaires.html",
        {"questionnaires": listing, "form": form, "problems": problems},
        status=400 if request.method == "POST" else 200,
    )


def _answered(version: QuestionnaireVersion) -> int:
    return sum(1 for question in version.questions if question["type"] != "section")


@login_required
def questionnaire_download(request, code, number):
    """One version in the import layout: edit it in Excel and upload it as the next version."""
    from . import questionnaire_excel

    require(request.user, can_manage_surveys)
    version = get_object_or_404(
        QuestionnaireVersion.objects.select_related("questionnaire"),
        questionnaire__code=code,
        number=number,
    )
    return download(
        questionnaire_excel.export_version(version), questionnaire_excel.filename(version)
    )


@login_required
def questionnaire_xlsform(request, code, number):
    """One version as an XLSForm, for KoboToolbox or ODK; uploading it back gives the same questions."""
    from . import xlsform_export

    require(request.user, can_manage_surveys)
    version = get_object_or_404(
        QuestionnaireVersion.objects.select_related("questionnaire"),
        questionnaire__code=code,
        number=number,
    )
    return download(xlsform_export.export_version(version), xlsform_export.filename(version))
