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
