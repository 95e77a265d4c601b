"""parindex import-framework FILE --cycle YEAR --kind KIND"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.tabular import ImportFailed
from cycles.commandline import command_actor, get_cycle
from frameworks.services import FrameworkError, import_framework
from units.models import UnitKind


class Command(BaseCommand):
    help = "Nhập bộ tiêu chí từ tệp Excel (.xlsx), thay cho bộ hiện có của kỳ và loại đơn vị."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--cycle", type=int, required=True, help="năm của kỳ đánh giá")
        parser.add_argument("--kind", required=True, choices=UnitKind.values)
        parser.add_argument("--as", dest="username", help="tài khoản Thư ký thực hiện")

    def handle(self, *args, file, cycle, kind, username=None, **options):
        target = get_cycle(cycle)
        actor = command_actor(username)
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Không đọc được tệp %(path)s: %(error)s.") % {"path": path, "error": exc.strerror}
            ) from None
        try:
            framework = import_framework(actor, target, kind, data, path.name)
        except ImportFailed as exc:
            raise CommandError(
                _("Không nhập được; không có gì thay đổi:")
                + "\n"
                + "\n".join(f"  - {p}" for p in exc.problems)
            ) from None
        except FrameworkError as exc:
            raise CommandError(str(exc)) from None
        count = framework.nodes.count()
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã nhập %(count)s mục vào “%(title)s”.")
                % {"count": count, "title": framework.title}
            )
        )
