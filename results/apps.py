from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Kết quả Chỉ số CCHC")

    def ready(self):
        from cycles.services import TRANSITION_HOOKS

        from .compute import SURVEY_SAMPLES
        from .services import recompute_after_finalisation
        from .survey_input import survey_samples

        TRANSITION_HOOKS.append(recompute_after_finalisation)
        SURVEY_SAMPLES.append(survey_samples)
