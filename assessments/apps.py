from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Tự đánh giá và thẩm định")

    def ready(self):
        from cycles.services import TRANSITION_HOOKS
        from cycles.transitions import TRANSITION_PREVIEWS

        from .services import on_cycle_transition
        from .services.phases import preview_transition

        TRANSITION_HOOKS.append(on_cycle_transition)
        TRANSITION_PREVIEWS.append(preview_transition)
