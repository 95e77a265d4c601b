"""The Chairman's briefing: made with one click on the overview, and the list of past briefings
with their Word files (results/briefing.py, results/briefing_word.py)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .briefing import make_briefing
from .briefing_word import filename
from .briefing_word import render as render_docx
from .models import Briefing
from .permissions import can_make_briefing

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SHOWN = 52  # a year of weekly briefings


@login_required
@require_POST
def briefing_make(request):
    if not can_make_briefing(request.user):
        raise PermissionDenied
    briefing = make_briefing(request.user)
    return redirect("results:briefing_file", pk=briefing.pk)


@login_required
def briefing_list(request):
    if not can_make_briefing(request.user):
        raise PermissionDenied
    briefings = Briefing.objects.select_related("made_by")[:SHOWN]
    return render(request, "results/briefings.html", {"briefings": briefings})


@login_required
def briefing_file(request, pk: int):
    if not can_make_briefing(request.user):
        raise PermissionDenied
    briefing = get_object_or_404(Briefing, pk=pk)
    response = HttpResponse(render_docx(briefing), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename(briefing)}"'
    return response
