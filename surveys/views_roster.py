"""The secretariat's roster page of a wave (the officials' survey): the roster's upload and list, the
matrix of who rates which units, personal codes, response rates by group and unit, and reminders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import require
from core.spreadsheets import Column, csv_bytes, download
from core.uploads import UploadForm

from . import roster_codes, services
from .errors import attempt
from .models import Questionnaire, Wave
from .permissions import can_manage_surveys
from .services.roster import progress, rate_choices


def _wave(wave_id) -> Wave:
    return get_object_or_404(Wave.objects.select_related("version__questionnaire"), pk=wave_id)


@login_required
def roster(request, wave_id):
    """The roster (GET), or its upload (POST: every row valid, or nothing saved)."""
    require(request.user, can_manage_surveys)
    wave = _wave(wave_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        count, problems = attempt(
            lambda: services.import_roster(request.user, wave, upload.read(), upload.name)
        )
        if not problems:
            messages.success(
                request, _("Đã nhập danh sách %(count)s người trả lời.") % {"count": count}
            )
            return redirect("surveys:roster", wave.pk)
    groups = roster_codes.group_choices(wave.version)
    rules = set(wave.rating_rules.values_list("group", "rates"))
    found = progress(wave)
    return render(
        request,
        "surveys/roster.html",
        {
            "wave": wave,
            "form": form,
            "problems": problems,
            "progress": found,
            "group_labels": dict(groups),
            "matrix": [
                {
                    "group": value,
                    "label": label,
                    "cells": [
                        {"rates": rates, "label": rates_label, "on": (value, rates) in rules}
                        for rates, rates_label in rate_choices()
                    ],
                }
                for value, label in groups
            ],
            "rate_labels": rate_choices(),
        },
        status=400 if problems else 200,
    )


@login_required
@require_POST
def roster_rules(request, wave_id):
    """The matrix as ticked: one box per group and kind of rated unit (or own unit)."""
    require(request.user, can_manage_surveys)
    wave = _wave(wave_id)
    pairs = [tuple(value.split("|", 1)) for value in request.POST.getlist("rule") if "|" in value]
    try:
        services.set_rules(request.user, wave, pairs)
    except services.SurveyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã lưu quy tắc ai đánh giá đơn vị nào."))
    return redirect("surveys:roster", wave.pk)


@login_required
@require_POST
def roster_mode(request, wave_id):
    """Whether the wave accepts personal codes only (its public link refused)."""
    require(request.user, can_manage_surveys)
    wave = _wave(wave_id)
    services.set_by_roster(request.user, wave, request.POST.get("by_roster") == "1")
    return redirect("surveys:roster", wave.pk)


CODE_COLUMNS = [
    Column(_("Dòng"), lambda pair: pair[0].row, width=8),
    Column(_("Họ và tên"), lambda pair: pair[0].name, width=30),
    Column(_("Chức vụ"), lambda pair: pair[0].position, width=25),
    Column(_("Nhóm"), lambda pair: pair[0].group, width=20),
    Column(_("Cơ quan"), lambda pair: pair[0].organisation, width=30),
    Column(_("E-mail"), lambda pair: pair[0].email, width=25),
    Column(_("Điện thoại"), lambda pair: pair[0].phone, width=15),
    Column(_("Mã cá nhân"), lambda pair: pair[1], width=14),
    Column(_("Địa chỉ trả lời"), lambda pair: pair[2], width=50),
]


@login_required
@require_POST
def roster_codes_download(request, wave_id):
    """Personal codes for those of the roster who have none (for everyone, their old codes void, with
    `again`), as a CSV for the letters: shown once, kept only as hashes."""
    require(request.user, can_manage_surveys)
    wave = _wave(wave_id)
    page = request.build_absolute_uri(reverse("surveys:enter_code"))
    one = request.POST.get("official", "")
    if one and not (one.isdigit() and len(one) < 10 and wave.officials.filter(pk=one).exists()):
        raise Http404(_("Không có người này trong danh sách của đợt."))
    issued = services.issue_codes(
        request.user,
        wave,
        again=request.POST.get("again") == "1",
        email_link=page if request.POST.get("email") == "1" else "",
        only=int(one) if one else None,
    )
    if not issued:
        messages.info(request, _("Mọi người trong danh sách đã có mã cá nhân."))
        return redirect("surveys:roster", wave.pk)
    if one and request.POST.get("email") == "1" and issued[0][0].email:
        # The letter is queued (a mail server may still refuse it): the CSV keeps the code too.
        messages.success(
            request,
            _(
                "Đã cấp lại mã cho %(name)s (mã cũ hết hiệu lực) và xếp thư mời vào hàng gửi tới "
                "%(email)s; mã mới cũng có trong tệp CSV."
            )
            % {"name": issued[0][0].name, "email": issued[0][0].email},
        )
    elif request.POST.get("email") == "1":
        emailed = sum(1 for official, _code in issued if official.email)
        messages.success(
            request,
            _(
                "Đã xếp thư mời có mã vào hàng gửi tới %(count)s người có e-mail; tệp CSV có mã "
                "của mọi người."
            )
            % {"count": emailed},
        )
    rows = [(official, code, f"{page}?ma={code}") for official, code in issued]
    return download(csv_bytes(CODE_COLUMNS, rows), f"ma-ca-nhan-dot-{wave.pk}.csv")


@login_required
@require_POST
def roster_remind(request, wave_id):
    require(request.user, can_manage_surveys)
    wave = _wave(wave_id)
    sent = services.remind(
        request.user, wave, request.build_absolute_uri(reverse("surveys:enter_code"))
    )
    messages.success(request, _("Đã gửi nhắc %(count)s người chưa trả lời.") % {"count": sent})
    return redirect("surveys:roster", wave.pk)


@login_required
@require_POST
def option_weights(request, code):
    """The weight of each option in the officials' figures, per questionnaire (empty: the default)."""
    require(request.user, can_manage_surveys)
    questionnaire = get_object_or_404(Questionnaire, code=code)
    try:
        services.set_option_weights(request.user, questionnaire, request.POST.get("weights", ""))
    except services.SurveyError as exc:
        for problem in exc.problems:
            messages.error(request, problem)
    else:
        messages.success(
            request,
            _("Đã lưu trọng số phương án của bảng hỏi “%(title)s”.")
            % {"title": questionnaire.title},
        )
    return redirect("surveys:questionnaires")
