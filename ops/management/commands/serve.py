"""parindex serve: the application under gunicorn with whitenoise, as in production (docs/deploy.md)."""

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Chạy ứng dụng bằng máy chủ gunicorn (môi trường vận hành thật)"

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind", help="địa chỉ:cổng (mặc định PARINDEX_BIND hoặc 127.0.0.1:8000)"
        )
        parser.add_argument("--workers", type=int, help="số tiến trình (mặc định WEB_CONCURRENCY)")
        parser.add_argument("--threads", type=int, help="số luồng mỗi tiến trình (WEB_THREADS)")

    def handle(self, *args, bind=None, workers=None, threads=None, **options):
        if settings.DEBUG:
            raise CommandError(
                _(
                    "parindex serve là máy chủ vận hành thật: hãy tắt DEBUG "
                    "(dùng `make demo` để xem thử)."
                )
            )
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "parindex.wsgi:application",
            "--config",
            "python:ops.gunicorn_conf",
        ]
        if bind:
            command += ["--bind", bind]
        if workers:
            command += ["--workers", str(workers)]
        if threads:
            command += ["--threads", str(threads), "--worker-class", "gthread"]
        self.stdout.flush()
        # gunicorn takes over this process (signals, exit code); the arguments are ours, not a shell.
        os.execv(sys.executable, command)  # noqa: S606
