"""The demo year's loaders (`parindex demo`). The top layer: no app imports it."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "demo"
    verbose_name = "demo"
