"""parindex create-api-token USERNAME --name "…": print a new API token for an integration account."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.tokens import create_token


class Command(BaseCommand):
    help = "Tạo khoá API cho một tài khoản (khoá chỉ hiện một lần)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--name", required=True, help="tên hệ thống dùng khoá, ví dụ “Hệ thống văn bản”"
        )

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(
                _("Không có tài khoản hoạt động “%(username)s”.") % {"username": username}
            )
        __, key = create_token(user, name)
        self.stdout.write(key)
