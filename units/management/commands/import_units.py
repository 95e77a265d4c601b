"""parindex import-units FILE: load units from CSV or XLSX (columns code,name,kind at least)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.tabular import ImportFailed
from units.importer import import_hanoi_catalogue, import_units


class Command(BaseCommand):
    help = "Nhập danh mục đơn vị từ tệp CSV hoặc XLSX (cột code, name, kind; tuỳ chọn short_name, parent_code, active_from, active_to, predecessors, source)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="tệp .csv hoặc .xlsx")
        parser.add_argument(
            "--hanoi", action="store_true", help="nạp danh mục đơn vị Hà Nội có sẵn"
        )

    def handle(self, *args, file=None, hanoi=False, **options):
        if hanoi == bool(file):
            raise CommandError(_("Chỉ định một tệp, hoặc --hanoi để nạp danh mục Hà Nội."))
        try:
            summary = import_hanoi_catalogue() if hanoi else self._import_file(Path(file))
        except ImportFailed as exc:
            raise CommandError(
                _("Không nhập được; không có gì được lưu:")
                + "\n"
                + "\n".join(f"  - {p}" for p in exc.problems)
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã nhập %(total)s đơn vị (%(created)s mới, %(updated)s cập nhật).")
                % {"total": summary.total, "created": summary.created, "updated": summary.updated}
            )
        )

    def _import_file(self, path: Path):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Không đọc được tệp %(path)s: %(error)s.") % {"path": path, "error": exc.strerror}
            ) from None
        return import_units(data, path.name)
