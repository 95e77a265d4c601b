"""parindex create-cycle YEAR --title "…" [--copy-from YEAR]"""

from django.core.management.base import BaseCommand, CommandError

from cycles.commandline import command_actor, get_cycle
from cycles.services import CycleError, create_cycle


class Command(BaseCommand):
    help = "Tạo kỳ đánh giá mới (dự thảo), có thể sao chép đơn vị tham gia, thời hạn và bộ tiêu chí từ kỳ trước."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--title", required=True)
        parser.add_argument("--copy-from", type=int, dest="copy_from")
        parser.add_argument("--as", dest="username", help="tài khoản Thư ký thực hiện")

    def handle(self, *args, year, title, copy_from=None, username=None, **options):
        actor = command_actor(username)
        source = get_cycle(copy_from) if copy_from else None
        try:
            cycle = create_cycle(actor, year, title, copy_from=source)
        except CycleError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo kỳ đánh giá {cycle.year} (dự thảo) với {cycle.participations.count()} "
                f"đơn vị tham gia và {cycle.frameworks.count()} bộ tiêu chí."
            )
        )
