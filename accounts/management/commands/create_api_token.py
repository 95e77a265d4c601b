"""parindex create-api-token USERNAME --name "…" [--days N]: print a new API token for an integration
account, valid N days (365 unless told)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.tokens import DEFAULT_DAYS, MAX_DAYS, create_token


class Command(BaseCommand):
    help = "Tạo khoá API cho một tài khoản (khoá chỉ hiện một lần)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--name", required=True, help="tên hệ thống dùng khoá, ví dụ “Hệ thống văn bản”"
        )
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS,
            help=f"số ngày khoá còn hiệu lực (1–{MAX_DAYS}, mặc định {DEFAULT_DAYS})",
        )

    def handle(self, *args, username, name, days, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(
                _("Không có tài khoản hoạt động “%(username)s”.") % {"username": username}
            )
        try:
            token, key = create_token(user, name, days=days)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(key)
        self.stderr.write(
            _("Khoá hết hạn ngày %(date)s.")
            % {"date": formats.date_format(timezone.localtime(token.expires_at), "d/m/Y")}
        )
