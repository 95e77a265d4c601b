"""Login form that refuses throttled attempts before checking the password."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from . import throttle


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "locked_out": _(
            "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút "
            "hoặc dùng chức năng quên mật khẩu."
        ),
    }

    def clean(self):
        from django.conf import settings

        username = self.cleaned_data.get("username") or ""
        ip_address = throttle.client_ip(self.request) if self.request else None
        if username and throttle.is_locked_out(username, ip_address):
            raise forms.ValidationError(
                self.error_messages["locked_out"],
                code="locked_out",
                params={"minutes": settings.LOGIN_FAILURE_WINDOW_MINUTES},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.record_failure(username, ip_address)
            raise
        throttle.clear_failures(username)
        return cleaned
