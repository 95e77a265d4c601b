"""Helpers shared by management commands: find a cycle, act as the secretariat."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from accounts.models import Role, User
from cycles.models import Cycle


def get_cycle(year: int) -> Cycle:
    try:
        return Cycle.objects.get(year=year)
    except Cycle.DoesNotExist:
        raise CommandError(_("Không có kỳ đánh giá năm %(year)s.") % {"year": year}) from None


def command_actor(username: str | None) -> User:
    """The secretariat account a command acts as (recorded in the audit log)."""
    accounts = User.objects.filter(is_active=True).filter(
        role=Role.SECRETARIAT
    ) | User.objects.filter(is_active=True, is_superuser=True)
    if username:
        accounts = accounts.filter(username=username)
    actor = accounts.order_by("id").first()
    if actor is None:
        raise CommandError(
            _(
                "Cần một tài khoản Thư ký (vai trò secretariat) hoạt động để ghi nhật ký; "
                "tạo bằng `parindex createsuperuser` hoặc chỉ định --as USERNAME."
            )
        )
    return actor
