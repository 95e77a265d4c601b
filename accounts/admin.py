"""The accounts and the audit log in the admin: users are administered here (audited), events only read."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin

from . import twofactor
from .audit import record
from .models import AuditEvent, TOTPDevice, User

# Fields whose change is a security event of its own in the audit log (before and after).
SECURITY_FIELDS = ("role", "unit_id", "is_active", "is_staff", "is_superuser")


def admin_login(request, extra_context=None):
    """The admin has no login form of its own: everyone logs in through the two-step login page."""
    if request.user.is_authenticated:
        raise PermissionDenied
    next_url = request.GET.get("next") or reverse("admin:index")
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")


admin.site.login = admin_login


def _security_state(user) -> dict:
    return {field: getattr(user, field) for field in SECURITY_FIELDS}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "email", "role", "unit", "is_active", "two_factor")
    list_filter = ("role", "is_active", "unit__kind")
    search_fields = ("username", "first_name", "last_name", "email", "unit__name")
    autocomplete_fields = ("unit",)
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Vai trò"), {"fields": ("role", "unit")}))
    actions = ["reset_two_factor"]

    def get_queryset(self, request):
        enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed_at__isnull=False)
        return super().get_queryset(request).annotate(enrolled=Exists(enrolled.exclude(secret="")))

    @admin.display(description=_("Xác thực hai bước"), boolean=True)
    def two_factor(self, obj):
        return obj.enrolled

    @admin.action(
        description=_("Đặt lại xác thực hai bước (mất điện thoại)"), permissions=["change"]
    )
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            twofactor.reset(request.user, user, reason="Đặt lại trong trang quản trị")
        self.message_user(
            request,
            _("Đã đặt lại xác thực hai bước của %(count)s tài khoản.")
            % {"count": queryset.count()},
            messages.SUCCESS,
        )

    def save_model(self, request, obj, form, change):
        before = _security_state(User.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        after = _security_state(obj)
        if before != after:
            changed = {k for k in after if before is None or before[k] != after[k]}
            record(
                request.user,
                "user.create" if before is None else "user.security_change",
                obj,
                before={k: before[k] for k in changed} if before else None,
                after={k: after[k] for k in changed},
            )


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    # Append-only: accounts/audit.py writes them, nothing changes them.
    list_display = ("at", "actor", "action", "object_type", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "reason")
