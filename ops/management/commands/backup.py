"""parindex backup [--output FILE]: the database, the stored files and a manifest of checksums in one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ops.backup import BackupError, backup, default_archive_name


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu, các tệp minh chứng và báo cáo cùng bảng kê mã kiểm tra vào một tệp "
        "(tar; .tar.gz để nén)"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="tệp sao lưu sẽ ghi (mặc định parindex-backup-NGÀY-GIỜ.tar trong thư mục hiện tại)",
        )

    def handle(self, *args, output=None, **options):
        path = Path(output or default_archive_name())
        say = self.stdout.write if options["verbosity"] > 0 else None
        try:
            manifest = backup(path, say=say)
        except BackupError as error:
            raise CommandError("\n".join(error.problems)) from None
        rows = sum(manifest["tables"].values())
        size = sum(entry["size"] for entry in manifest["files"])
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Đã sao lưu vào %(path)s: %(vendor)s, %(tables)s bảng, %(rows)s dòng; "
                    "%(files)s tệp (%(size)s MB); %(total)s MB tất cả."
                )
                % {
                    "path": path,
                    "vendor": manifest["database"]["vendor"],
                    "tables": len(manifest["tables"]),
                    "rows": rows,
                    "files": len(manifest["files"]),
                    "size": f"{size / 1_000_000:.1f}",
                    "total": f"{path.stat().st_size / 1_000_000:.1f}",
                }
            )
        )
