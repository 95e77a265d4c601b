"""parindex reset-two-factor USERNAME --reason "...": for an administrator at the server's console."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts import twofactor
from accounts.models import User


class Command(BaseCommand):
    help = (
        "Đặt lại xác thực hai bước của một tài khoản (mất điện thoại): xoá ứng dụng xác thực và mã "
        "khôi phục, kết thúc mọi phiên đăng nhập; ghi nhật ký."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="lý do, ghi vào nhật ký")

    def handle(self, *args, username, reason, **options):
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(_("Không có tài khoản “%(username)s”.") % {"username": username})
        was = twofactor.is_enrolled(user)
        twofactor.reset(None, user, reason=f"{reason} (lệnh reset-two-factor)")
        if was:
            done = _(
                "Đã đặt lại xác thực hai bước của %(username)s; các phiên đăng nhập đã kết thúc."
            )
        else:
            done = _(
                "Đã đặt lại xác thực hai bước của %(username)s (chưa thiết lập trước đó); "
                "các phiên đăng nhập đã kết thúc."
            )
        self.stdout.write(done % {"username": user.username})
