"""Login in two steps (password, then the authenticator's code), enrolment, the account page, logout,
password change and reset: Django's views with our forms, templates and audit events.

Between the password and the code the user is NOT logged in: the session only holds a short-lived
"pending" note (who, until when, where to go next). `login()` is called once every step has passed, with
the two-step backend that the middleware checks (accounts/backends.py).
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import sessions, throttle, twofactor
from .audit import record_security
from .backends import TWO_STEP_BACKEND
from .forms import (
    CodeForm,
    CurrentCodeForm,
    EnrolForm,
    ReplaceDeviceForm,
    ThrottledAuthenticationForm,
)
from .models import Notification, User

PENDING = "accounts.pending"


def _safe_next(request, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse(settings.LOGIN_REDIRECT_URL)


def _begin_pending(request, user, next_url: str) -> None:
    request.session[PENDING] = {
        "user": user.pk,
        "at": time.time(),
        "next": next_url,
        "hash": user.get_session_auth_hash(),
    }


def _pending_user(request):
    """The user who gave the right password and still owes the code (or enrolment), or None."""
    data = request.session.get(PENDING)
    if not data:
        return None, None
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    fresh = time.time() - data.get("at", 0) <= settings.TWO_FACTOR_PENDING_SECONDS
    if (
        user is None
        or not fresh
        or not constant_time_compare(data.get("hash", ""), user.get_session_auth_hash())
    ):
        request.session.pop(PENDING, None)
        return None, None
    return user, data


def _complete_login(request, user, method: str) -> None:
    request.session.pop(PENDING, None)
    login(request, user, backend=TWO_STEP_BACKEND)
    throttle.clear_failures(user.username)
    record_security(
        user,
        "auth.login",
        user=user,
        after={
            "method": method,
            "ip": throttle.client_ip(request),
            "device": sessions.describe_agent(request.META.get("HTTP_USER_AGENT", "")),
        },
    )


def _locked_message(user, ip) -> str:
    return _(
        "Nhập sai quá nhiều lần: tài khoản tạm thời bị khoá. Vui lòng thử lại sau %(minutes)s phút."
    ) % {"minutes": throttle.minutes_left(user.username, ip)}


class LoginView(auth_views.LoginView):
    """Step 1: the password. Users with two-factor login (or who must set it up) go on to step 2."""

    form_class = ThrottledAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        next_url = self.get_success_url()
        if twofactor.is_enrolled(user):
            _begin_pending(self.request, user, next_url)
            return redirect("accounts:login_code")
        if twofactor.is_required(user):
            _begin_pending(self.request, user, next_url)
            return redirect("accounts:twofactor_enrol")
        _complete_login(self.request, user, "password")
        return HttpResponseRedirect(next_url)


@never_cache
def login_code(request):
    """Step 2: the code from the authenticator app, or a one-time recovery code."""
    user, pending = _pending_user(request)
    if user is None:
        messages.info(request, _("Vui lòng đăng nhập lại."))
        return redirect("accounts:login")
    if not twofactor.is_enrolled(user):
        return redirect("accounts:twofactor_enrol")
    ip = throttle.client_ip(request)
    form = CodeForm(request.POST or None)
    locked_message = None
    if throttle.is_locked_out(user.username, ip):
        locked_message = _locked_message(user, ip)
    elif request.method == "POST" and form.is_valid():
        method = twofactor.verify(user, form.cleaned_data["code"])
        if method is not None:
            next_url = _safe_next(request, pending.get("next"))
            _complete_login(request, user, method)
            if method == "recovery":
                messages.warning(
                    request,
                    _(
                        "Bạn vừa dùng một mã khôi phục; còn lại %(left)s mã. Hãy tạo bộ mã mới ở trang tài khoản nếu sắp hết."
                    )
                    % {"left": twofactor.recovery_codes_left(user)},
                )
            return HttpResponseRedirect(next_url)
        locked = throttle.record_failure(user.username, ip, stage="code")
        record_security(None, "auth.login_failed", user=user, after={"stage": "code", "ip": ip})
        if locked:
            record_security(None, "auth.locked", user=user, after={"ip": ip})
        if throttle.is_locked_out(user.username, ip):
            locked_message = _locked_message(user, ip)
        else:
            form.add_error(
                "code",
                _(
                    "Mã không đúng, đã hết hạn hoặc đã được dùng. Hãy nhập mã đang hiện trên ứng dụng (mỗi mã chỉ dùng được một lần)."
                ),
            )
    if locked_message:
        request.session.pop(PENDING, None)
    return render(
        request,
        "accounts/login_code.html",
        {"form": form, "locked_message": locked_message, "pending_user": user},
    )


@never_cache
def twofactor_enrol(request):
    """Set up the authenticator app: QR code and secret, confirmed by a first code.

    Reached right after the password by a user whose role requires it (not logged in yet), or from the
    account page by a logged-in user (to turn it on, or to move to a new phone).
    """
    if request.user.is_authenticated:
        user, pending = request.user, None
    else:
        user, pending = _pending_user(request)
        if user is None:
            return redirect(
                f"{reverse('accounts:login')}?next={reverse('accounts:twofactor_enrol')}"
            )
        if twofactor.is_enrolled(user):
            return redirect("accounts:login_code")
    replacing = pending is None and twofactor.is_enrolled(user)
    form_class = ReplaceDeviceForm if replacing else EnrolForm
    form = form_class(request.POST or None)
    if request.method == "POST" and "new_secret" in request.POST:
        twofactor.new_pending_secret(user)
        return redirect("accounts:twofactor_enrol")
    if request.method == "POST" and form.is_valid():
        if replacing and not user.check_password(form.cleaned_data["password"]):
            form.add_error("password", _("Mật khẩu không đúng."))
        else:
            codes = twofactor.confirm_enrolment(user, form.cleaned_data["code"])
            if codes is not None:
                if pending is not None:
                    next_url = _safe_next(request, pending.get("next"))
                    _complete_login(request, user, "enrolment")
                else:
                    # Re-issue the session through the two-step backend: the code was just proved.
                    old_key = request.session.session_key
                    login(request, user, backend=TWO_STEP_BACKEND)
                    sessions.rekey(old_key, request.session.session_key)
                    next_url = reverse("accounts:account")
                return render(
                    request,
                    "accounts/recovery_codes.html",
                    {"codes": codes, "next_url": next_url, "just_enrolled": True},
                )
            form.add_error(
                "code",
                _(
                    "Mã không đúng. Kiểm tra giờ trên điện thoại (tự động) và nhập mã đang hiện cho tài khoản này."
                ),
            )
    secret = twofactor.pending_secret(user)
    return render(
        request,
        "accounts/twofactor_enrol.html",
        {
            "form": form,
            "setup": twofactor.provisioning(user, secret),
            "subject": user,
            "required": twofactor.is_required(user),
            "replacing": replacing,
            "pending": pending is not None,
        },
    )


@login_required
def account(request):
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "enrolled": twofactor.is_enrolled(user),
            "required": twofactor.is_required(user),
            "codes_left": twofactor.recovery_codes_left(user),
            "session_count": sessions.active(user).count(),
            "code_form": CurrentCodeForm(),
        },
    )


@never_cache
@login_required
@require_POST
def recovery_codes(request):
    form = CurrentCodeForm(request.POST)
    codes = twofactor.regenerate_recovery_codes(request.user, form.data.get("code", ""))
    if codes is None:
        messages.error(
            request, _("Mã xác thực không đúng hoặc đã được dùng; bộ mã khôi phục chưa đổi.")
        )
        return redirect("accounts:account")
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next_url": reverse("accounts:account"), "just_enrolled": False},
    )


@login_required
@require_POST
def twofactor_disable(request):
    if twofactor.is_required(request.user):
        raise PermissionDenied(_("Vai trò của bạn bắt buộc dùng xác thực hai bước."))
    if twofactor.disable(request.user, request.POST.get("code", "")):
        messages.success(request, _("Đã tắt xác thực hai bước."))
    else:
        messages.error(
            request, _("Mã xác thực không đúng hoặc đã được dùng; xác thực hai bước vẫn bật.")
        )
    return redirect("accounts:account")


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            record_security(request.user, "auth.logout", user=request.user)
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        old_key = self.request.session.session_key
        response = super().form_valid(form)  # saves, and keeps this session (new key)
        new_key = self.request.session.session_key
        sessions.rekey(old_key, new_key)
        # Django has already invalidated the other sessions (their password hash is stale).
        ended = sessions.end_all(self.request.user, "password_change", except_key=new_key)
        record_security(
            self.request.user,
            "password.change",
            user=self.request.user,
            after={"sessions_ended": ended},
        )
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by e-mail, throttled (accounts/throttle.py): past the limit for the address typed
    nothing is sent and the answer is the usual one, so it never tells whether an account has that
    address; past the limit for the requester's address, the requester is told to wait."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        ip = throttle.client_ip(self.request)
        refusal, first = throttle.check_reset_request(form.cleaned_data["email"], ip)
        if refusal is not None and first:
            record_security(None, "password.reset_throttled", after={"limit": refusal, "ip": ip})
        if refusal == "address":
            form.add_error(
                None,
                _(
                    "Đã có quá nhiều yêu cầu đặt lại mật khẩu từ máy này. Vui lòng thử lại sau %(minutes)s phút."
                )
                % {"minutes": throttle.reset_minutes_left(ip)},
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if refusal == "email":
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        ended = sessions.end_all(self.user, "password_reset")
        record_security(None, "password.reset", user=self.user, after={"sessions_ended": ended})
        return response


@login_required
def notifications(request):
    notes = Notification.objects.filter(user=request.user)[:100]
    unread = [n.pk for n in notes if n.read_at is None]
    Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return render(request, "accounts/notifications.html", {"notes": notes, "unread": set(unread)})
