"""parindex demo [--no-serve]: migrate, load the demo year, and serve it on localhost."""

import io
import os
import subprocess
import sys

import segno
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from accounts import totp, twofactor
from demo.families import INTERNAL_2026
from demo.load import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_RECOVERY_CODES,
    DEMO_TOTP_SECRET,
    load_demo,
)
from demo.paper import FIELD_ACCOUNTS
from demo.roster import DEMO_OFFICIALS


class Command(BaseCommand):
    help = "Tạo cơ sở dữ liệu, nạp năm demo của Hà Nội và chạy máy chủ tại http://127.0.0.1:8000"

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve", action="store_true", help="chỉ nạp dữ liệu, không chạy máy chủ"
        )
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, no_serve=False, addr="127.0.0.1:8000", **options):
        call_command("migrate", interactive=False, verbosity=0)
        # The demo's notifications stay in the app: hundreds of e-mails would drown the console.
        configured_backend = settings.EMAIL_BACKEND
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        try:
            load_demo(self.stdout)
        finally:
            settings.EMAIL_BACKEND = configured_backend
        self.drop_load_emails()
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Năm demo đã sẵn sàng: http://{addr}/"))
        self.stdout.write(
            f"Đăng nhập tại http://{addr}/accounts/login/ với mật khẩu “{DEMO_PASSWORD}”:"
        )
        for account in DEMO_ACCOUNTS:
            unit = f" — đơn vị {account.unit_code}" if account.unit_code else ""
            self.stdout.write(
                f"  {account.username:<20} {account.role:<14} {account.full_name}{unit}"
            )
        for (
            spec
        ) in INTERNAL_2026:  # the indices a department and a commune run for their own offices
            self.stdout.write(
                f"  {spec.secretariat:<20} {'secretariat':<14} {spec.secretariat_name}"
                f" — thư ký chỉ số nội bộ của {spec.organiser}"
            )
            self.stdout.write(
                f"  {spec.officer:<20} {'unit_officer':<14} {spec.officer_name} — đơn vị {spec.office}"
            )
        for field in FIELD_ACCOUNTS:  # the paper forms and fieldwork of the 2026 SIPAS wave
            self.stdout.write(
                f"  {field.username:<20} {'unit_officer':<14} {field.full_name} — {field.what}"
            )
        self.write_two_factor()
        self.stdout.write("")
        self.stdout.write(
            f"Mã cá nhân của đợt điều tra xã hội học 2026 (nhập tại http://{addr}/khao-sat/ma/):"
        )
        for person in DEMO_OFFICIALS:
            self.stdout.write(f"  {person.code:<12} {person.name} — {person.position}")
        if not no_serve:
            # Background work (recomputation, reports) runs in a worker beside the server.
            worker = subprocess.Popen(
                [sys.executable, "-m", "parindex.cli", "worker"], env=os.environ.copy()
            )
            try:
                call_command("runserver", addr, use_reloader=False)
            finally:
                worker.terminate()
                worker.wait(timeout=10)

    def drop_load_emails(self):
        """The e-mails of the notifications the load made wait in the task queue for the worker, which
        would print them (the console backend) over the accounts and codes listed below: dropped; the
        notifications stay in the app. E-mails of what is done in the demo afterwards are printed."""
        from django_tasks_db.models import DBTaskResult

        from accounts.tasks import send_notification_emails

        DBTaskResult.objects.filter(
            task_path=send_notification_emails.module_path, status="READY"
        ).delete()

    def write_two_factor(self):
        """How the demo's secretariat, reviewer and council log in with their second step."""
        staff = [a.username for a in DEMO_ACCOUNTS if a.role in twofactor.REQUIRED_ROLES]
        staff += [spec.secretariat for spec in INTERNAL_2026]
        secret = totp.from_base32(DEMO_TOTP_SECRET)
        self.stdout.write("")
        self.stdout.write(
            f"Xác thực hai bước ({', '.join(staff)}): sau mật khẩu, nhập mã 6 chữ số của ứng dụng "
            "xác thực với khoá dưới đây (quét mã QR, hoặc `oathtool --totp -b KHOÁ`):"
        )
        self.stdout.write(f"  khoá: {totp.grouped(secret)}")
        uri = totp.provisioning_uri(secret, "demo", "parindex")
        self.stdout.write(f"  {uri}")
        qr = io.StringIO()
        segno.make(uri, error="m").terminal(out=qr, compact=True)
        self.stdout.write(qr.getvalue(), ending="")
        self.stdout.write(
            "  hoặc một mã khôi phục (mỗi mã một lần cho mỗi tài khoản, cấp lại khi nạp lại demo): "
            + ", ".join(DEMO_RECOVERY_CODES)
        )
