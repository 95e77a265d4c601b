"""A user's sessions; the secretariat's security log and two-factor overview (with reset)."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import require

from . import sessions, twofactor
from .audit import SECURITY_PREFIXES
from .audit_words import field_label
from .forms import ResetForm, SecurityLogFilter
from .models import AuditEvent, RecoveryCode, TOTPDevice, User, UserSession
from .permissions import is_secretariat


@login_required
def session_list(request):
    current = sessions.key_hash(request.session.session_key or "")
    rows = [
        {
            "row": row,
            "device": sessions.describe_agent(row.user_agent),
            "address": sessions.mask_ip(row.ip_address),
            "current": row.key_hash == current,
        }
        for row in sessions.active(request.user)
    ]
    rows.sort(key=lambda r: not r["current"])
    return render(
        request,
        "accounts/sessions.html",
        {
            "rows": rows,
            "idle_minutes": settings.SESSION_IDLE_TIMEOUT // 60,
            "max_hours": round(settings.SESSION_COOKIE_AGE / 3600, 1),
        },
    )


@login_required
@require_POST
def session_end(request, pk: int):
    row = UserSession.objects.filter(pk=pk, user=request.user).first()
    if row is None:
        raise Http404
    if row.key_hash == sessions.key_hash(request.session.session_key or ""):
        messages.info(request, _("Đây là phiên đang dùng: hãy bấm “Đăng xuất” để kết thúc nó."))
    elif sessions.end_one(request.user, row):
        messages.success(
            request,
            _("Đã kết thúc phiên đăng nhập trên %(device)s.")
            % {"device": sessions.describe_agent(row.user_agent)},
        )
    return redirect("accounts:sessions")


@login_required
@require_POST
def sessions_end_others(request):
    count = sessions.end_others(request.user, request.session.session_key)
    messages.success(request, _("Đã kết thúc %(count)s phiên đăng nhập khác.") % {"count": count})
    return redirect("accounts:sessions")


@login_required
def security_log(request):
    """Logins, failures, two-factor changes, ended sessions, password changes, admin actions."""
    require(request.user, is_secretariat)
    form = SecurityLogFilter(request.GET or None)
    events = AuditEvent.objects.select_related("actor")
    prefixes = Q()
    for prefix in SECURITY_PREFIXES:
        prefixes |= Q(action__startswith=prefix)
    events = events.filter(prefixes)
    if form.is_valid():
        data = form.cleaned_data
        if data["group"]:
            events = events.filter(action__startswith=data["group"])
        if data["user"]:
            name = data["user"].strip()
            ids = [
                str(pk)
                for pk in User.objects.filter(username__iexact=name).values_list("pk", flat=True)
            ]
            events = events.filter(
                Q(actor__username__iexact=name)
                | Q(object_type="accounts.user", object_id__in=ids)
                | Q(object_type="accounts.user", object_id="", object_repr__iexact=name)
            )
        tz = timezone.get_current_timezone()
        if data["date_from"]:
            events = events.filter(at__gte=datetime.combine(data["date_from"], time.min, tz))
        if data["date_to"]:
            end = datetime.combine(data["date_to"] + timedelta(days=1), time.min, tz)
            events = events.filter(at__lt=end)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.details = describe_change(event.before, event.after)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/security_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _plain(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("có") if value else _("không")
    return str(value)


def describe_change(before, after) -> str:
    """ "Vai trò: unit_officer → reviewer · Đơn vị: 3 → —" or "Cách xác thực: totp · Địa chỉ IP: …"."""
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    parts = []
    for key in list(before) + [k for k in after if k not in before]:
        if key in before:
            parts.append(f"{field_label(key)}: {_plain(before[key])} → {_plain(after.get(key))}")
        else:
            parts.append(f"{field_label(key)}: {_plain(after[key])}")
    return " · ".join(parts)


@login_required
def twofactor_users(request):
    """Who has set up two-factor login, who must and has not; reset for a lost phone."""
    require(request.user, is_secretariat)
    confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed_at__isnull=False).exclude(
        secret=""
    )
    unused_codes = RecoveryCode.objects.filter(user=OuterRef("pk"), used_at__isnull=True)
    users = (
        User.objects.filter(is_active=True)
        .filter(
            Q(role__in=twofactor.REQUIRED_ROLES)
            | Q(is_superuser=True)
            | Q(totp_device__isnull=False)
        )
        .annotate(enrolled=Exists(confirmed), has_codes=Exists(unused_codes))
        .select_related("totp_device")
        .order_by("enrolled", "role", "username")
    )
    rows = [
        {
            "user": u,
            "required": twofactor.is_required(u),
            "enrolled": u.enrolled,
            "confirmed_at": u.totp_device.confirmed_at if u.enrolled else None,
            "last_used_at": u.totp_device.last_used_at if u.enrolled else None,
        }
        for u in users
    ]
    return render(request, "accounts/twofactor_users.html", {"rows": rows, "form": ResetForm()})


@login_required
@require_POST
def twofactor_reset(request, pk: int):
    require(request.user, is_secretariat)
    user = get_object_or_404(User, pk=pk)
    form = ResetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi lý do đặt lại (ví dụ: mất điện thoại)."))
        return redirect("accounts:twofactor_users")
    twofactor.reset(request.user, user, form.cleaned_data["reason"])
    messages.success(
        request,
        _(
            "Đã đặt lại xác thực hai bước của %(user)s; các phiên đăng nhập của người này đã kết thúc."
        )
        % {"user": user.get_full_name() or user.username},
    )
    return redirect("accounts:twofactor_users")
