from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworksConfig(AppConfig):
    name = "frameworks"
    verbose_name = _("Bộ tiêu chí")

    def ready(self):
        from cycles.services import CYCLE_COPIERS, READINESS_CHECKS

        from .services import copy_frameworks, framework_readiness_problems

        READINESS_CHECKS.append(framework_readiness_problems)
        CYCLE_COPIERS.append(copy_frameworks)
