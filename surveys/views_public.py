"""The respondent's pages: no login, no JavaScript needed, light, Vietnamese.

The form carries a submission id made when the page is served, so a resent form finds the first copy.
"""

import uuid

from django.core import signing
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from units.models import Unit

from . import services
from .models import Channel, Wave

STARTED = "surveys.started"


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _device(request) -> str:
    # A coarse device fingerprint: enough to notice one phone voting fifty times.
    return (
        f"{request.META.get('HTTP_USER_AGENT', '')}|{request.META.get('HTTP_ACCEPT_LANGUAGE', '')}"
    )


def _answers(request, questions) -> dict:
    answers = {}
    for question in questions:
        if question.type == "multiple":
            values = request.POST.getlist(question.name)
            if values:
                answers[question.name] = values
        elif question.name in request.POST:
            answers[question.name] = request.POST[question.name]
    return answers


def _chosen(answers: dict) -> set[str]:
    """ "name=value" for every ticked option, to tick them again on a refused page."""
    return {
        f"{name}={v}"
        for name, value in answers.items()
        for v in (value if isinstance(value, list) else [value])
    }


@require_http_methods(["GET", "POST"])
def respond(request, wave_id, unit_code):
    wave = get_object_or_404(Wave.objects.select_related("version"), pk=wave_id)
    unit = get_object_or_404(Unit, code=unit_code)
    questions = wave.version.parsed()
    channel = request.GET.get("kenh") or request.POST.get("channel") or Channel.LINK
    if channel not in (Channel.LINK, Channel.CODE, Channel.DOSSIER):
        channel = Channel.LINK
    problems, answers = [], {}
    if request.method == "POST":
        answers = _answers(request, questions)
        try:
            started = signing.loads(request.POST.get("started", ""), salt=STARTED, max_age=86400)
            started_at = timezone.datetime.fromisoformat(started)
        except (signing.BadSignature, ValueError):
            started_at = None
        try:
            services.submit_response(
                wave=wave,
                unit=unit,
                submission_id=request.POST.get("submission_id", ""),
                answers=answers,
                channel=channel,
                started_at=started_at,
                ip=_client_ip(request),
                device=_device(request),
                code=request.POST.get("code", ""),
                dossier=request.POST.get("dossier", ""),
            )
        except services.SurveyError as exc:
            problems = exc.problems
        else:
            return redirect(reverse("surveys:thanks"))
    return render(
        request,
        "surveys/respond.html",
        {
            "wave": wave,
            "unit": unit,
            "questions": questions,
            "answers": answers,
            "problems": problems,
            "chosen": _chosen(answers),
            "channel": channel,
            "code": request.POST.get("code") or request.GET.get("ma", ""),
            "dossier": request.POST.get("dossier", ""),
            "submission_id": request.POST.get("submission_id") or uuid.uuid4(),
            "started": request.POST.get("started")
            or signing.dumps(timezone.now().isoformat(), salt=STARTED),
            "is_open": wave.is_open(),
            "answered_count": sum(q.type != "section" for q in questions),
        },
        status=400 if problems else 200,
    )


@require_http_methods(["GET", "POST"])
def enter_code(request):
    problem = ""
    if request.method == "POST":
        invitation = services.find_invitation(request.POST.get("code", ""))
        if invitation is None:
            problem = "Mã mời không đúng. Hãy kiểm tra lại mã in trên phiếu mời."
        elif invitation.used_at is not None:
            problem = "Mã mời này đã được dùng."
        else:
            url = reverse("surveys:respond", args=[invitation.wave_id, invitation.unit.code])
            return redirect(f"{url}?kenh=code&ma={request.POST['code'].strip()}")
    return render(
        request, "surveys/code.html", {"problem": problem}, status=400 if problem else 200
    )


def thanks(request):
    return render(request, "surveys/thanks.html")
