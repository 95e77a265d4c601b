"""The secretariat opens a survey wave and sets its per-unit sample targets, proposed from dossier counts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.collation import by_name
from core.permissions import require
from core.tabular import ImportFailed

from . import services
from .dossiers import read_dossier_counts
from .forms import DossierCountsForm, TargetsForm, WaveChangeForm, WaveForm
from .models import Wave
from .permissions import can_manage_surveys
from .stats import sample_size


@login_required
def wave_create(request):
    require(request.user, can_manage_surveys)
    form = WaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            wave = services.create_wave(
                request.user,
                data["cycle"],
                data["version"],
                data["title"],
                data["opens_at"],
                data["closes_at"],
            )
        except services.SurveyError as exc:
            for problem in exc.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, _("Đã mở đợt khảo sát “%(title)s”.") % {"title": wave.title})
            return redirect("surveys:wave_targets", wave.pk)
    return render(request, "surveys/wave_form.html", {"form": form})


@login_required
def wave_change(request, wave_id):
    """Rename a wave, extend it or close it early, with a reason (services.change_wave)."""
    require(request.user, can_manage_surveys)
    wave = get_object_or_404(
        Wave.objects.select_related("cycle", "version__questionnaire"), pk=wave_id
    )
    initial = {"title": wave.title, "opens_at": wave.opens_at, "closes_at": wave.closes_at}
    form = WaveChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_wave(
                request.user,
                wave,
                data["title"],
                data["opens_at"],
                data["closes_at"],
                data["reason"],
            )
        except services.SurveyError as exc:
            for problem in exc.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, _("Đã lưu thay đổi của đợt khảo sát."))
            return redirect("surveys:monitor", wave.pk)
    return render(
        request,
        "surveys/wave_change.html",
        {
            "form": form,
            "wave": wave,
            "settled": wave.cycle.state in services.SETTLED_CYCLE_STATES,
            "scored": wave.cycle.state in services.SCORED_CYCLE_STATES,
        },
        status=400 if form.errors else 200,
    )


def _units_and_targets(wave: Wave):
    participations = wave.cycle.participations.select_related("unit").order_by(
        "unit__kind", by_name("unit__name")
    )
    units = [p.unit for p in participations]
    targets = {t.unit_id: t for t in wave.targets.all()}
    return units, targets


@login_required
def wave_targets(request, wave_id):
    """GET: the participating units and their targets. POST `propose`: read dossier counts and fill
    the form with N and n = N / (1 + N·e²) to review, storing nothing. POST `save`: store the form."""
    require(request.user, can_manage_surveys)
    wave = get_object_or_404(
        Wave.objects.select_related("cycle", "version__questionnaire"), pk=wave_id
    )
    units, targets = _units_and_targets(wave)
    counts_form = DossierCountsForm()
    form = TargetsForm(units=units, targets=targets)
    problems, proposed = [], {}
    action = request.POST.get("action")
    if request.method == "POST" and action == "propose":
        counts_form = DossierCountsForm(request.POST, request.FILES)
        if counts_form.is_valid():
            try:
                counts = read_dossier_counts(
                    *counts_form.table_data(), {unit.code: unit for unit in units}
                )
            except ImportFailed as exc:
                problems = exc.problems
            else:
                margin = counts_form.margin_fraction
                proposed = {unit.pk: sample_size(n, margin) for unit, n in counts.items()}
                initial = {"margin": counts_form.cleaned_data["margin"]}
                for unit, n in counts.items():
                    initial[f"dossiers_{unit.pk}"] = n
                    initial[f"sample_{unit.pk}"] = proposed[unit.pk]
                form = TargetsForm(units=units, targets=targets, initial=initial)
                messages.info(
                    request,
                    _(
                        "Đã đề xuất số phiếu cho %(count)s đơn vị; chưa lưu. Xem lại rồi bấm “Lưu chỉ tiêu”."
                    )
                    % {"count": len(counts)},
                )
    elif request.method == "POST":
        form = TargetsForm(request.POST, units=units, targets=targets)
        if form.is_valid():
            dossiers, samples = form.changes()
            try:
                saved = services.set_targets(
                    request.user, wave, dossiers, form.margin_fraction, samples=samples
                )
            except services.SurveyError as exc:
                for problem in exc.problems:
                    form.add_error(None, problem)
            else:
                messages.success(
                    request, _("Đã lưu chỉ tiêu của %(count)s đơn vị.") % {"count": saved}
                )
                return redirect("surveys:wave_targets", wave.pk)
    return render(
        request,
        "surveys/wave_targets.html",
        {
            "wave": wave,
            "form": form,
            "counts_form": counts_form,
            "problems": problems,
            "proposed": proposed,
        },
    )
