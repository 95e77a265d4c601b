"""parindex worker [--batch]: run the background tasks (recomputation, reports) from the database queue."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Chạy tiến trình xử lý công việc nền (tính kết quả, tạo báo cáo) từ hàng đợi trong cơ sở dữ liệu"

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="xử lý hết hàng đợi rồi dừng (thay vì chờ mãi)"
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="giây giữa hai lần xem hàng đợi"
        )

    def handle(self, *args, batch=False, interval=1.0, **options):
        call_command(
            "db_worker",
            batch=batch,
            interval=interval,
            no_startup_delay=True,
            reload=False,
            verbosity=options["verbosity"],
        )
