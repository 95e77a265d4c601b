"""The frameworks in the admin, for reference: they are edited on the framework screen
(frameworks/services.py), which keeps the tree's sums and locks a framework once its cycle leaves draft."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Framework


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ("title", "cycle", "kind")
    list_filter = ("cycle", "kind")
