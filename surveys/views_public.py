"""The respondent's pages: no login, no JavaScript needed, light, Vietnamese.

The form carries a submission id made when the page is served, so a resent form finds the first copy.
"""

import threading
import uuid
from collections import OrderedDict
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.views.decorators.http import require_http_methods

from units.models import Unit

from . import respondent_page, roster_codes, services
from .models import Channel, Wave
from .questionnaire import storable

STARTED = "surveys.started"


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _device(request, scope="") -> str:
    """What tells one phone from another: the browser's own CSRF cookie, which every form post must
    carry. It stays when a phone moves between networks (so a burst from one phone is seen across
    addresses) and differs between citizens whose phones send the same browser string. `scope` (the
    wave) keeps one browser's responses to different waves from being linked by it. Only a keyed hash
    is stored. The fingerprint below is a guard only: a post without the cookie fails the CSRF check."""
    browser = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    if browser.isascii() and browser.isalnum() and len(browser) <= 64:
        return f"browser|{scope}|{browser}"
    return (
        f"{_client_ip(request)}|{request.META.get('HTTP_USER_AGENT', '')}|"
        f"{request.META.get('HTTP_ACCEPT_LANGUAGE', '')}"
    )


FORM_FIELDS = {"csrfmiddlewaretoken", "submission_id", "started", "channel", "code", "dossier"}


def _answers(request) -> dict:
    """The posted answers as the service takes them: a list where a name came with several values (the
    boxes ticked for a multiple-choice question), else the value. The service keeps only the wave's
    questions (a list for a single-choice question is refused), so the form's questions need not be
    read first."""
    return {
        name: values if len(values) > 1 else values[0]
        for name, values in request.POST.lists()
        if name not in FORM_FIELDS and values
    }


def _chosen(answers: dict) -> set[str]:
    """ "name=value" for every ticked option, to tick them again on a refused page."""
    return {
        f"{name}={v}"
        for name, value in answers.items()
        for v in (value if isinstance(value, list) else [value])
    }


@require_http_methods(["GET", "POST"])
def respond(request, wave_id, unit_code):
    channel = request.GET.get("kenh") or request.POST.get("channel") or Channel.LINK
    if channel not in (Channel.LINK, Channel.CODE, Channel.DOSSIER):
        channel = Channel.LINK
    problems, answers = [], {}
    if request.method == "POST":
        answers = _answers(request)
        try:
            started = signing.loads(request.POST.get("started", ""), salt=STARTED, max_age=86400)
            started_at = timezone.datetime.fromisoformat(started)
        except (signing.BadSignature, ValueError):
            started_at = None
        try:
            services.submit_response(
                wave=wave_id,
                unit=unit_code,
                submission_id=request.POST.get("submission_id", ""),
                answers=answers,
                channel=channel,
                started_at=started_at,
                ip=_client_ip(request),
                device=_device(request, scope=wave_id),
                code=request.POST.get("code", ""),
                dossier=request.POST.get("dossier", ""),
            )
        except services.UnknownWaveOrUnit:
            raise Http404("Không tìm thấy đợt khảo sát hoặc đơn vị.") from None
        except services.SurveyError as exc:
            if roster_codes.ROSTER_ONLY in exc.problems:
                return _roster_only(request)
            problems = exc.problems
        else:
            if channel == Channel.CODE and roster_codes.find_official(request.POST.get("code", "")):
                # Back to the person's list of units, the one just rated ticked.
                code = services.normalise_code(request.POST["code"])
                return redirect(f"{reverse('surveys:enter_code')}?{urlencode({'ma': code})}")
            # The thank-you page leads to the unit's published results: it is told the unit.
            return redirect(f"{reverse('surveys:thanks')}?{urlencode({'don-vi': unit_code})}")
    form = services.respondent_form(wave_id, unit_code)
    if form is None:
        raise Http404("Không tìm thấy đợt khảo sát hoặc đơn vị.")
    fixed_group = None
    if form.by_roster:
        if channel != Channel.CODE:
            return _roster_only(request)
        fixed_group = _fixed_group(request.POST.get("code") or request.GET.get("ma", ""), wave_id)
    questions = form.questions
    context = {
        "questions": questions,
        "answers": answers,
        "problems": problems,
        # The problem of each question, shown beside it and linked from the list at the top.
        "problem_of": {p.name: p for p in problems if getattr(p, "name", "")},
        "chosen": _chosen(answers),
        "channel": channel,
        "code": request.POST.get("code") or request.GET.get("ma", ""),
        "dossier": request.POST.get("dossier", ""),
        "submission_id": request.POST.get("submission_id") or uuid.uuid4(),
        "started": request.POST.get("started")
        or signing.dumps(timezone.now().isoformat(), salt=STARTED),
        "is_open": form.is_open,
        "answered_count": sum(q.type != "section" for q in questions),
        # The group a personal code names: shown, never chosen (surveys/roster_codes.py).
        "fixed_group": fixed_group,
        "group_question": roster_codes.GROUP_QUESTION,
    }
    if problems:
        return render(
            request,
            "surveys/respond.html",
            context | _wave_and_unit(wave_id, unit_code),
            status=400,
        )
    return _blank_form(request, form, context, wave_id, unit_code)


def _roster_only(request):
    """The refusal of a roster wave's public link, in plain words, with the way to the code page."""
    return render(
        request, "surveys/roster_only.html", {"message": roster_codes.ROSTER_ONLY}, status=403
    )


def _fixed_group(code: str, wave_id: int) -> tuple[str, str] | None:
    """(value, label) of the group the personal code names, when it is one of this wave's."""
    official = roster_codes.find_official(code) if code else None
    if official is None or official.wave_id != wave_id:
        return None
    return official.group, roster_codes.group_label(official.wave.version, official.group)


def _wave_and_unit(wave_id, unit_code) -> dict:
    return {
        "wave": get_object_or_404(
            Wave.objects.select_related("version__questionnaire"), pk=wave_id
        ),
        "unit": get_object_or_404(Unit, code=unit_code),
    }


# ------------------------------------------------------------------ the blank form, rendered once

BLANK_FORMS_KEPT = 500
"""Rendered forms kept per process, the most recently used: one per open wave and unit in use and way
in (30–90 KB each)."""
_blank_forms: OrderedDict[tuple, str] = OrderedDict()
_blank_forms_lock = threading.Lock()  # threaded workers (gunicorn gthread)
_SLOTS = ("csrf_token", "submission_id", "started", "code")
"""What differs from one respondent to the next (the invitation code when the link carries one)."""


def _blank_form(request, form, context: dict, wave_id, unit_code) -> HttpResponse:
    """The unanswered form: rendering 30 questions of radio buttons is most of the page's cost, and it
    is the same for every respondent of a wave and unit. So it is rendered once per process for each
    set of inputs (every stored field of the wave and the unit and the questionnaire version, the rest
    of the context, the language), with a marker in place of each value of `_SLOTS`; each request
    puts in its own values."""
    values = {name: str(context[name]) for name in _SLOTS if name in context and context[name]}
    values["csrf_token"] = get_token(request)
    markers = {name: f"\ue000{name}\ue000" for name in values}
    fixed = {k: v for k, v in context.items() if k not in values}
    key = (
        form.fingerprint,
        repr(sorted((k, v) for k, v in fixed.items() if k != "questions")),
        tuple(sorted(markers)),
        translation.get_language(),
    )
    page = _blank_forms.get(key)
    if page is None:
        page = render_to_string(
            "surveys/respond.html", fixed | _wave_and_unit(wave_id, unit_code) | markers
        )
        with _blank_forms_lock:
            _blank_forms[key] = page
            while len(_blank_forms) > BLANK_FORMS_KEPT:
                _blank_forms.popitem(last=False)
    else:
        with _blank_forms_lock:
            if key in _blank_forms:
                _blank_forms.move_to_end(key)
    for name, marker in markers.items():
        page = page.replace(marker, escape(values[name]))
    return HttpResponse(page)


@require_http_methods(["GET", "POST"])
def enter_code(request):
    problem = ""
    typed = request.POST.get("code") or request.GET.get("ma", "")
    if typed:
        # A personal code of a roster: the person's list of units to rate.
        try:
            official = services.official_for_entry(
                typed, ip=_client_ip(request), device=_device(request)
            )
        except services.SurveyError as exc:
            return render(request, "surveys/code.html", {"problem": str(exc)}, status=400)
        if official is not None:
            return render(
                request,
                "surveys/roster_units.html",
                services.roster_page(official, services.normalise_code(typed)),
            )
    if request.method == "POST":
        try:
            invitation = services.invitation_for_entry(
                request.POST.get("code", ""), ip=_client_ip(request), device=_device(request)
            )
        except services.SurveyError as exc:
            problem = str(exc)
        else:
            url = reverse("surveys:respond", args=[invitation.wave_id, invitation.unit.code])
            code = services.normalise_code(request.POST["code"])
            return redirect(f"{url}?{urlencode({'kenh': 'code', 'ma': code})}")
    return render(
        request, "surveys/code.html", {"problem": problem}, status=400 if problem else 200
    )


@lru_cache(maxsize=1024)
def _thanks_page(results_url: str | None) -> str:
    return render_to_string("surveys/thanks.html", {"results_url": results_url})


def thanks(request):
    """The same page for every respondent of a unit (?don-vi=<code>), rendered once per process and
    address of the unit's results."""
    code = request.GET.get("don-vi", "")
    results_url = respondent_page.results_page(code) if code and storable(code) else None
    return HttpResponse(_thanks_page(results_url))
