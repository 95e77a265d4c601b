from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Báo cáo định kỳ")

    def ready(self):
        from assessments.automatic import AUTOMATIC_SOURCES
        from plans.links import ACTUAL_SOURCES

        from .consolidation import latest_figure, unit_share

        ACTUAL_SOURCES.append(latest_figure)
        AUTOMATIC_SOURCES.append(unit_share)
