"""parindex weekly-briefing: queue the Chairman's weekly briefing for the worker (run weekly, e.g. by
the parindex-briefing.timer of deploy/systemd/); --now makes it in this process instead."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from results.briefing import make_briefing
from results.models import BriefingSource
from results.tasks import weekly_briefing


class Command(BaseCommand):
    help = "Tạo bản tin tóm tắt hằng tuần cho Chủ tịch UBND Thành phố (đưa vào hàng đợi tác vụ)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Tạo ngay trong tiến trình này, không qua hàng đợi."
        )

    def handle(self, *args, now=False, **options):
        if now:
            briefing = make_briefing(source=BriefingSource.WEEKLY)
            self.stdout.write(
                self.style.SUCCESS(_("Đã tạo bản tin số %(pk)s.") % {"pk": briefing.pk})
            )
            return
        weekly_briefing.enqueue()
        self.stdout.write(self.style.SUCCESS(_("Đã đưa bản tin hằng tuần vào hàng đợi.")))
