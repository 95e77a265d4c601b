from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Báo cáo định kỳ")

    def ready(self):
        from plans.links import ACTUAL_SOURCES

        from .consolidation import latest_figure

        ACTUAL_SOURCES.append(latest_figure)
