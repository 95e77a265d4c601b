from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CyclesConfig(AppConfig):
    name = "cycles"
    verbose_name = _("Kỳ đánh giá")

    def ready(self):
        from django.urls import register_converter

        from .converters import CycleKeyConverter

        register_converter(CycleKeyConverter, "cycle")
