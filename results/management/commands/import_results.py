"""parindex import-results YEAR FILE: a year's published results from before the platform."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.tabular import ImportFailed
from results.history import import_history


class Command(BaseCommand):
    help = "Nhập kết quả Chỉ số CCHC đã công bố của một năm trước khi dùng hệ thống (xlsx/csv)"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("file")

    def handle(self, *args, year, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp %(path)s.") % {"path": file})
        actor = (
            User.objects.filter(role=Role.SECRETARIAT).first()
            or User.objects.filter(is_superuser=True).first()
        )
        if actor is None:
            raise CommandError(_("Chưa có tài khoản Thư ký để ghi nhật ký."))
        try:
            publication = import_history(actor, year, path.read_bytes(), path.name)
        except ImportFailed as exc:
            raise CommandError(
                _("Không nhập được, chưa lưu gì:") + "\n" + "\n".join(str(p) for p in exc.problems)
            ) from exc
        count = len(publication.snapshot["units"])
        self.stdout.write(
            _("Đã nhập kết quả năm %(year)s: %(count)s đơn vị.") % {"year": year, "count": count}
        )
