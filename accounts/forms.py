"""Login form that refuses throttled attempts before checking the password; two-factor forms."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from . import throttle
from .audit import record_security


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "locked_out": _(
            "Đăng nhập sai quá nhiều lần: tài khoản tạm thời bị khoá. Vui lòng thử lại sau "
            "%(minutes)s phút hoặc dùng chức năng quên mật khẩu."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip_address = throttle.client_ip(self.request) if self.request else None
        if username and throttle.is_locked_out(username, ip_address):
            raise forms.ValidationError(
                self.error_messages["locked_out"],
                code="locked_out",
                params={"minutes": throttle.minutes_left(username, ip_address)},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            locked = throttle.record_failure(username, ip_address, stage="password")
            user = _existing_user(username)
            record_security(
                None,
                "auth.login_failed",
                user=user,
                username=username,
                after={"stage": "password", "ip": ip_address},
            )
            if locked:
                record_security(
                    None, "auth.locked", user=user, username=username, after={"ip": ip_address}
                )
            raise
        # Failures are cleared only when the whole login completes (after the code, if any).
        return cleaned


def _existing_user(username: str):
    from .models import User

    return User.objects.filter(username__iexact=username).first() if username else None


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã xác thực"),
        max_length=32,
        help_text=_("6 chữ số trên ứng dụng xác thực, hoặc một mã khôi phục (dạng xxxxx-xxxxx)."),
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Mã 6 chữ số trên ứng dụng"),
        max_length=10,
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
    )


class ReplaceDeviceForm(EnrolForm):
    """Changing the authenticator of an enrolled account also asks for the password."""

    password = forms.CharField(
        label=_("Mật khẩu hiện tại"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"class": "form-control", "autocomplete": "current-password"}
        ),
    )


class CurrentCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã 6 chữ số hiện tại trên ứng dụng"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


class ResetForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"),
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


ACTION_GROUPS = [
    ("", _("Tất cả")),
    ("auth.", _("Đăng nhập, đăng xuất")),
    ("twofactor.", _("Xác thực hai bước")),
    ("session.", _("Phiên đăng nhập")),
    ("password.", _("Mật khẩu")),
    ("user.", _("Tài khoản, vai trò")),
    ("admin.", _("Thao tác trong trang quản trị")),
    ("api_token.", _("Khoá API")),
]


class SecurityLogFilter(forms.Form):
    user = forms.CharField(
        label=_("Người dùng"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("tên đăng nhập")}),
    )
    date_from = forms.DateField(
        label=_("Từ ngày"),
        required=False,
        widget=forms.DateInput(attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"}),
    )
    date_to = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        widget=forms.DateInput(attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"}),
    )
    group = forms.ChoiceField(
        label=_("Loại thao tác"),
        required=False,
        choices=ACTION_GROUPS,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
