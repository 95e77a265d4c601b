"""parindex restore FILE [--force]: rebuild a fresh installation from a backup and check every checksum."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _

from ops.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Khôi phục một cài đặt mới từ tệp sao lưu: cơ sở dữ liệu và các tệp, rồi đối chiếu số dòng "
        "từng bảng và mã kiểm tra từng tệp với bảng kê"
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="tệp sao lưu do `parindex backup` tạo")
        parser.add_argument(
            "--force",
            action="store_true",
            help="ghi đè cả khi cơ sở dữ liệu hoặc kho tệp đích đã có dữ liệu",
        )

    def handle(self, *args, archive, force=False, **options):
        say = self.stdout.write if options["verbosity"] > 0 else None
        connections.close_all()  # the database is replaced underneath: no connection may stay open
        try:
            report = restore(archive, force=force, say=say)
        except BackupError as error:
            raise CommandError("\n".join(error.problems)) from None
        finally:
            connections.close_all()
        manifest = report.manifest
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Đã khôi phục bản sao lưu ngày %(created)s (parindex %(version)s): "
                    "%(tables)s bảng, %(rows)s dòng và %(files)s tệp, "
                    "khớp bảng kê (số dòng từng bảng, mã SHA-256 từng tệp)."
                )
                % {
                    "created": manifest["created_at"],
                    "version": manifest["app_version"],
                    "tables": len(report.tables),
                    "rows": sum(report.tables.values()),
                    "files": report.files,
                }
            )
        )
        for note in report.notes:
            self.stdout.write(self.style.WARNING(note))
