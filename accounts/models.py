"""Users with one role, their unit, failed-login records and the append-only audit log."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit_words import describe, words


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Thư ký (Sở Nội vụ)")
    UNIT_OFFICER = "unit_officer", _("Cán bộ đầu mối CCHC của đơn vị")
    UNIT_HEAD = "unit_head", _("Thủ trưởng đơn vị")
    REVIEWER = "reviewer", _("Thành viên Tổ công tác thẩm định")
    COUNCIL = "council", _("Thành viên Hội đồng thẩm định")
    LEADER = "leader", _("Lãnh đạo (xem báo cáo)")


UNIT_ROLES = frozenset({Role.UNIT_OFFICER, Role.UNIT_HEAD})


class User(AbstractUser):
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, blank=True)
    # Unit officers and heads belong to exactly one unit; other roles to none.
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    @property
    def is_unit_member(self) -> bool:
        return self.role in UNIT_ROLES and self.unit_id is not None


class LoginFailure(models.Model):
    """One failed login; recent rows for a username or address throttle further attempts."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Which step failed: the password, or the code of two-factor login. Both count towards one lockout.
    stage = models.CharField(max_length=10, default="password")

    def __str__(self) -> str:
        return f"{self.username} {self.at:%d/%m/%Y %H:%M}"


class PasswordResetRequest(models.Model):
    """One request for a password-reset e-mail; recent rows throttle further requests (accounts/throttle.py).

    The address typed is kept only as a keyed hash: the table must not become a list of e-mail addresses
    (typed by anyone, existing or not)."""

    email_hash = models.CharField(max_length=64, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # False: refused by a limit, no e-mail was sent.
    allowed = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.ip_address} {self.at:%d/%m/%Y %H:%M}"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("Audit events are append-only.")

    def delete(self):
        raise PermissionDenied("Audit events are append-only.")

    def for_object(self, obj):
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


class AuditEvent(models.Model):
    """Who did what to which object, when, with the values before and after. Never changed."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("sự kiện nhật ký")
        verbose_name_plural = _("nhật ký thay đổi")

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit events are append-only.")

    @property
    def label(self) -> str:
        """What was done, in words (accounts/audit_words.py), never the stored code."""
        return describe(self)

    @property
    def before_words(self) -> list[tuple[str, str]]:
        return words(self.object_type, self.before)

    @property
    def after_words(self) -> list[tuple[str, str]]:
        return words(self.object_type, self.after)


class ApiToken(models.Model):
    """A bearer token for an integration (e.g. the city's document system), acting as its user.

    Only a hash is stored; the token itself is shown once, when it is created.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("tên"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    # Chosen at creation (accounts.tokens.create_token, default a year); tokens made before expiry
    # existed got a year from the migration's run.
    expires_at = models.DateTimeField(_("hết hạn"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("khoá API")
        verbose_name_plural = _("khoá API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Notification(models.Model):
    """A message in a user's bell; every app notifies through accounts.notify."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Keeps a reminder from being sent twice (e.g. "deadline:self_assessment:2025:3").
    key = models.CharField(max_length=120, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text


class TOTPDevice(models.Model):
    """A user's authenticator app for two-factor login (accounts/twofactor.py).

    The secret is stored sealed (accounts/secretbox.py) and is shown only while being set up:
    `pending_secret` until the user confirms it with a first code, then it becomes `secret`.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    secret = models.CharField(max_length=200, blank=True)
    pending_secret = models.CharField(max_length=200, blank=True)
    pending_since = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The time step of the last code accepted: a code of that step or an earlier one is refused.
    last_step = models.BigIntegerField(default=-1)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ứng dụng xác thực")
        verbose_name_plural = _("ứng dụng xác thực")

    def __str__(self) -> str:
        return f"{self.user} ({'đã kích hoạt' if self.confirmed_at else 'chưa kích hoạt'})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None and bool(self.secret)


class RecoveryCode(models.Model):
    """A one-time code for logging in without the phone; only a keyed hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "code_hash"])]

    def __str__(self) -> str:
        return f"{self.user} ({'đã dùng' if self.used_at else 'chưa dùng'})"


class UserSession(models.Model):
    """A logged-in browser, whatever the session backend (database, cache, Redis).

    Only a hash of the session key is kept: this table cannot be used to take over a session. A session
    whose row is ended is logged out at its next request (accounts/middleware.py).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="user_sessions"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now, db_index=True)
    user_agent = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        verbose_name = _("phiên đăng nhập")
        verbose_name_plural = _("phiên đăng nhập")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%d/%m/%Y %H:%M}"
