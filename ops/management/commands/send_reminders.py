"""parindex send-reminders: deadline reminders for assessments and plan tasks (run daily, e.g. by cron)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from assessments.notifications import send_deadline_reminders
from plans.reminders import send_task_reminders
from reporting.requests import send_request_reminders


class Command(BaseCommand):
    help = "Gửi nhắc hạn (trong ứng dụng và e-mail): giai đoạn đánh giá sắp đóng, nhiệm vụ và yêu cầu báo cáo sắp đến hạn hoặc quá hạn."

    def handle(self, *args, **options):
        phases = send_deadline_reminders()
        tasks = send_task_reminders()
        reports = send_request_reminders()
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Đã gửi %(phases)s lời nhắc về đánh giá, %(tasks)s về nhiệm vụ và %(reports)s "
                    "về yêu cầu báo cáo."
                )
                % {"phases": phases, "tasks": tasks, "reports": reports}
            )
        )
