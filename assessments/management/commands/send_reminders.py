"""parindex send-reminders: deadline reminders (run daily, e.g. from cron or a systemd timer)."""

from django.core.management.base import BaseCommand

from assessments.notifications import send_deadline_reminders


class Command(BaseCommand):
    help = "Gửi nhắc hạn (trong ứng dụng và e-mail) cho các giai đoạn sắp đóng."

    def handle(self, *args, **options):
        sent = send_deadline_reminders()
        self.stdout.write(self.style.SUCCESS(f"Đã gửi {sent} lời nhắc."))
