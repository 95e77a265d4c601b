"""parindex export-framework --cycle YEAR --kind KIND -o FILE.xlsx"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cycles.commandline import get_cycle
from frameworks.excel import export_workbook
from frameworks.models import Framework
from frameworks.services import tree_order
from units.models import UnitKind


class Command(BaseCommand):
    help = "Xuất bộ tiêu chí ra tệp Excel (.xlsx), một dòng mỗi mục."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True)
        parser.add_argument("--kind", required=True, choices=UnitKind.values)
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, cycle, kind, output, **options):
        source = get_cycle(cycle)
        framework = Framework.objects.filter(cycle=source, kind=kind).first()
        if framework is None:
            raise CommandError(
                _("Kỳ %(year)s chưa có bộ tiêu chí cho “%(kind)s”.")
                % {"year": cycle, "kind": UnitKind(kind).label}
            )
        try:
            Path(output).write_bytes(export_workbook(tree_order(framework)))
        except OSError as exc:
            raise CommandError(
                _("Không ghi được tệp %(path)s: %(error)s.")
                % {"path": output, "error": exc.strerror}
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Đã xuất %(count)s mục ra %(path)s.")
                % {"count": framework.nodes.count(), "path": output}
            )
        )
