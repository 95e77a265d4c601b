"""Paper forms and fieldwork (issue 18, item 4): the clerks' keyboard-first data entry, the list of forms
and their double-entry status, the side-by-side resolution of differences, the printable forms (PDF
with a QR code per form) and the enumerator's offline page with its JSON endpoint. The rules are in
surveys/services/paper.py; these are the screens."""

import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST

from core.collation import by_name
from core.permissions import require
from units.models import Unit

from . import paper_pdf
from .errors import SurveyError
from .models import PaperForm, Wave, WaveTarget
from .permissions import (
    can_collect_in_field,
    can_do_fieldwork,
    can_key_paper,
    can_manage_surveys,
    can_resolve_paper,
)
from .questionnaire import storable
from .services import paper

KEY_PREFIX = "q-"


@login_required
def paper_home(request):
    """The waves a clerk, supervisor or enumerator works on, newest first, with their screens."""
    require(request.user, can_do_fieldwork)
    found = (
        Wave.objects.select_related("cycle", "version__questionnaire")
        .annotate(
            keyed=Count("paper_forms", distinct=True),
            mismatched=Count(
                "paper_forms",
                filter=Q(paper_forms__status=PaperForm.Status.MISMATCH),
                distinct=True,
            ),
        )
        .prefetch_related(
            Prefetch(
                "targets",
                queryset=WaveTarget.objects.select_related("unit").order_by(
                    "unit__kind", by_name("unit__name")
                ),
            )
        )
        .order_by("-closes_at", "-pk")
    )
    # The open waves first (the ones a clerk keys), then the newest.
    waves = sorted(found, key=lambda wave: not wave.is_open())
    return render(
        request,
        "surveys/paper_home.html",
        {
            "waves": waves,
            "can_key": can_key_paper(request.user),
            "can_resolve": can_resolve_paper(request.user),
            "can_collect": can_collect_in_field(request.user),
            "can_print": can_manage_surveys(request.user),
        },
    )


def _entry_rows(questions, keyed: dict, problem_of: dict) -> list[dict]:
    rows = []
    for number, question in enumerate(paper.keyable(questions), start=1):
        options = question.options if question.type in paper.OPTION_TYPES else []
        rows.append(
            {
                "number": number,
                "q": question,
                "field": KEY_PREFIX + question.name,
                "value": keyed.get(question.name, ""),
                "options": options,
                "values": "|".join(value for value, _label in options),
                "problem": problem_of.get(question.name),
            }
        )
    return rows


_blank_rows: dict[tuple, str] = {}
"""The entry screen's rows of a questionnaire version with nothing typed, rendered once per process
and language (a version is never edited): most of the screen, and the same for every form."""


def _rows_html(version, questions, keyed: dict, problem_of: dict) -> str:
    key = (version.pk, str(version.created_at), get_language())
    blank = not keyed and not problem_of
    if blank and key in _blank_rows:
        return _blank_rows[key]
    html = render_to_string(
        "surveys/_paper_rows.html", {"rows": _entry_rows(questions, keyed, problem_of)}
    )
    if blank:
        if len(_blank_rows) >= 32:
            _blank_rows.clear()
        _blank_rows[key] = mark_safe(html)  # noqa: S308  (rendered by the template engine)
    return mark_safe(html)  # noqa: S308


@login_required
def paper_entry(request, wave_id):
    """The keyboard-first screen: the form's reference (typed or scanned from its QR code) or its unit
    and number, then every answer, Enter from one to the next (paper.js). One POST per keying."""
    require(request.user, can_key_paper)
    wave = get_object_or_404(Wave.objects.select_related("version"), pk=wave_id)
    questions = paper.questions_of(wave.version)
    units = paper.entry_units(wave)
    keyed, problems, chosen, saved = {}, [], {"unit": "", "number": ""}, ""
    if request.method == "POST":
        keyed = {
            name[len(KEY_PREFIX) :]: value
            for name, value in request.POST.items()
            if name.startswith(KEY_PREFIX)
        }
        chosen = {
            "unit": request.POST.get("unit", "").strip(),
            "number": request.POST.get("number", "").strip(),
        }
        ref = request.POST.get("ref", "").strip()
        try:
            unit, number = _form_of(wave, ref, chosen)
            result = paper.key_entry(
                request.user, wave, unit, number, keyed, request.POST.get("submission_id")
            )
        except SurveyError as refused:
            problems = refused.problems
        else:
            form = result.form
            if form.status == PaperForm.Status.WAITING:
                text = gettext("Đã lưu lần nhập thứ nhất của phiếu số %(n)d (%(unit)s).")
            elif form.status == PaperForm.Status.AGREED:
                text = gettext("Phiếu số %(n)d (%(unit)s): hai lần nhập khớp, phiếu đã được tính.")
            else:
                text = gettext(
                    "Phiếu số %(n)d (%(unit)s): hai lần nhập khác nhau, chờ người giám sát xử lý."
                )
            # The blank screen for the next form straight away, no redirect (one request per form):
            # a resent POST finds the keying it stored by its submission id.
            saved = text % {"n": form.number, "unit": form.unit.display_name}
            keyed, chosen = {}, {"unit": form.unit.code, "number": ""}
    else:
        chosen["unit"] = request.GET.get("don-vi", "")
    problem_of = {getattr(p, "name", None): p for p in problems}
    # Saved through htmx (paper.js), only the form is sent back: no page around it to build and load.
    partial = bool(request.htmx)
    return render(
        request,
        "surveys/_paper_entry_form.html" if partial else "surveys/paper_entry.html",
        {
            "partial": partial,
            "wave": wave,
            "units": units,
            "chosen": chosen,
            "rows_html": _rows_html(wave.version, questions, keyed, problem_of),
            "problems": problems,
            "submission_id": uuid.uuid4(),
            "ref": request.POST.get("ref", "") if problems else "",
            "saved": saved,
        },
        status=400 if problems else 200,
    )


def _form_of(wave, ref: str, chosen: dict) -> tuple[Unit, int]:
    """The unit and form number from the reference, else from the unit and number fields."""
    if ref:
        parsed = paper.parse_reference(ref)
        if parsed is None:
            raise SurveyError(gettext("Mã phiếu “%(ref)s” không đọc được.") % {"ref": ref[:60]})
        if parsed.wave_id != wave.pk:
            raise SurveyError(gettext("Phiếu này thuộc một đợt khảo sát khác."))
        code, number = parsed.unit_code, parsed.number
    else:
        code = chosen["unit"]
        if not chosen["number"].isdigit():
            raise SurveyError(gettext("Hãy nhập số phiếu (số in ở góc phiếu)."))
        number = int(chosen["number"])
    if not code:
        raise SurveyError(gettext("Hãy chọn đơn vị của phiếu."))
    unit = next((u for u in paper.entry_units(wave) if u.code == code), None)
    if unit is None:
        raise SurveyError(gettext("Đơn vị không thuộc đợt khảo sát này."))
    return unit, number


@login_required
def paper_forms(request, wave_id):
    """Every keyed form of the wave by status; the differences to resolve first."""
    require(request.user, can_resolve_paper)
    wave = get_object_or_404(Wave, pk=wave_id)
    forms = wave.paper_forms.select_related("unit").annotate(keyings=Count("entries"))
    counts = dict(wave.paper_forms.values_list("status").annotate(n=Count("id")).order_by())
    return render(
        request,
        "surveys/paper_forms.html",
        {
            "wave": wave,
            "counts": [(s, counts.get(s.value, 0)) for s in PaperForm.Status],
            "mismatches": forms.filter(status=PaperForm.Status.MISMATCH),
            "forms": forms.exclude(status=PaperForm.Status.MISMATCH)[:500],
        },
    )


@login_required
def paper_resolve(request, form_id):
    """The two keyings side by side, the differing questions marked, a choice for each."""
    require(request.user, can_resolve_paper)
    form = get_object_or_404(PaperForm.objects.select_related("wave__version", "unit"), pk=form_id)
    entries = list(form.entries.select_related("clerk")[:2])
    if len(entries) < 2:
        raise Http404(gettext("Phiếu này mới được nhập một lần."))
    questions = paper.questions_of(form.wave.version)
    differing = {
        x.name for x in paper.differences(questions, entries[0].answers, entries[1].answers)
    }
    problems = []
    if request.method == "POST":
        chosen = {name: request.POST.get("c-" + name, "") for name in differing}
        try:
            paper.resolve(request.user, form, chosen, request.POST.get("reason", ""))
        except SurveyError as refused:
            problems = refused.problems
        else:
            messages.success(
                request,
                gettext("Đã xử lý phiếu số %(n)d: phiếu đã được tính.") % {"n": form.number},
            )
            return redirect("surveys:paper_forms", form.wave_id)
    rows = [
        {
            "q": x,
            "first": _shown(x, entries[0].answers.get(x.name)),
            "second": _shown(x, entries[1].answers.get(x.name)),
            "differs": x.name in differing,
        }
        for x in paper.keyable(questions)
    ]
    return render(
        request,
        "surveys/paper_resolve.html",
        {
            "form": form,
            "entries": entries,
            "rows": rows,
            "differing": [r for r in rows if r["differs"]],
            "problems": problems,
            "final": form.response.answers if form.response_id else None,
        },
        status=400 if problems else 200,
    )


def _shown(question, value) -> str:
    """An answer as the paper shows it: the option's number and label."""
    if value is None:
        return "—"
    if question.type in paper.OPTION_TYPES:
        values = value if isinstance(value, list) else [value]
        options = [str(v) for v, _label in question.options]
        labels = dict(question.options)
        return "; ".join(
            f"{options.index(str(v)) + 1}. {labels.get(str(v), v)}" if str(v) in options else str(v)
            for v in values
        )
    return str(value)


@login_required
def paper_print(request, wave_id):
    """The printable forms of one unit (?don-vi=<code>), numbered from ?tu= (default 1), ?so= forms
    (default 20, at most 500): a PDF, one form per sheet, each with its number and QR code."""
    require(request.user, can_manage_surveys)
    wave = get_object_or_404(Wave.objects.select_related("version", "cycle"), pk=wave_id)
    code = request.GET.get("don-vi", "")
    target = (
        wave.targets.select_related("unit").filter(unit__code=code).first()
        if code and storable(code)
        else None
    )
    if target is None:
        raise Http404(gettext("Đơn vị không tham gia đợt khảo sát này."))
    first, count = _whole(request.GET.get("tu"), 1), _whole(request.GET.get("so"), 20)
    if first is None or count is None or not 1 <= count <= 500:
        return HttpResponse(gettext("tu và so phải là số nguyên dương; so tối đa 500."), status=400)
    pdf = paper_pdf.forms_pdf(wave, target.unit, range(first, first + count))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="phieu-giay-{wave.pk}-{target.unit.code}-{first}.pdf"'
    )
    return response


def _whole(text, default):
    if text in (None, ""):
        return default
    return int(text) if text.isdigit() and len(text) < 10 and int(text) > 0 else None


def field_worker(request, wave_id):
    """The service worker that keeps a wave's field pages on the tablet (surveys/field_worker.js).
    Public like any script: it holds no data, and what it keeps is only what the signed-in enumerator
    loaded. Its address sets its scope: this wave's field pages."""
    response = render(
        request,
        "surveys/field_worker.js",
        {"wave_id": wave_id},
        content_type="text/javascript; charset=utf-8",
    )
    # A new version of the worker is picked up on the next visit with a network.
    response["Cache-Control"] = "no-cache"
    return response


@login_required
def field_page(request, wave_id, unit_code):
    """The enumerator's page: the questionnaire, kept and queued on the tablet (field.js), sent when
    there is a network."""
    require(request.user, can_collect_in_field)
    wave = get_object_or_404(Wave.objects.select_related("version"), pk=wave_id)
    unit = next((u for u in paper.entry_units(wave) if u.code == unit_code), None)
    if unit is None:
        raise Http404(gettext("Đơn vị không tham gia đợt khảo sát này."))
    questions = paper.questions_of(wave.version)
    return render(
        request,
        "surveys/field.html",
        {
            "wave": wave,
            "unit": unit,
            "units": paper.entry_units(wave),
            "rows": _entry_rows(questions, {}, {}),
            "send_url": reverse("surveys:field_submit", args=[wave.pk]),
            "worker_url": reverse("surveys:field_worker", args=[wave.pk]),
        },
    )


@login_required
@require_POST
def field_submit(request, wave_id):
    """One queued form from the tablet, as JSON `{unit, submission_id, answers}`: 201 stored, 200 the
    same form sent before, 400 with the problems (the tablet keeps it and shows them)."""
    if not can_collect_in_field(request.user):
        raise PermissionDenied
    try:
        body = json.loads(request.body)
        unit, submission, answers = body["unit"], body["submission_id"], body["answers"]
        if not isinstance(unit, str):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"problems": [gettext("Dữ liệu gửi lên không hợp lệ.")]}, status=400)
    try:
        response, created = paper.collect_in_field(request.user, wave_id, unit, answers, submission)
    except SurveyError as refused:
        return JsonResponse({"problems": [str(p) for p in refused.problems]}, status=400)
    return JsonResponse({"id": response.pk, "created": created}, status=201 if created else 200)
