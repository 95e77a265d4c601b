from django.contrib.auth import views as auth_views
from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views, views_security, views_tokens

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("two-factor/setup/", views.twofactor_enrol, name="twofactor_enrol"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("two-factor/disable/", views.twofactor_disable, name="twofactor_disable"),
    path("", views.account, name="account"),
    path("sessions/", views_security.session_list, name="sessions"),
    path("sessions/<int:pk>/end/", views_security.session_end, name="session_end"),
    path("sessions/end-others/", views_security.sessions_end_others, name="sessions_end_others"),
    path("security-log/", views_security.security_log, name="security_log"),
    path("two-factor/users/", views_security.twofactor_users, name="twofactor_users"),
    path(
        "two-factor/users/<int:pk>/reset/",
        views_security.twofactor_reset,
        name="twofactor_reset",
    ),
    path("api-tokens/", views_tokens.token_list, name="tokens"),
    path("api-tokens/<int:pk>/revoke/", views_tokens.token_revoke, name="token_revoke"),
    path("notifications/", views.notifications, name="notifications"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/message.html",
            extra_context={"message": _("Mật khẩu đã được đổi.")},
        ),
        name="password_change_done",
    ),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/message.html",
            extra_context={
                "message": _(
                    "Nếu địa chỉ e-mail có trong hệ thống, chúng tôi đã gửi hướng dẫn đặt lại mật khẩu. Vui lòng kiểm tra hộp thư."
                )
            },
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/message.html",
            extra_context={"message": _("Mật khẩu mới đã được đặt. Bạn có thể đăng nhập.")},
        ),
        name="password_reset_complete",
    ),
]
