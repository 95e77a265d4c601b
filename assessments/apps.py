from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Tự đánh giá và thẩm định")

    def ready(self):
        from cycles.services import TRANSITION_HOOKS

        from .services import on_cycle_transition

        TRANSITION_HOOKS.append(on_cycle_transition)
