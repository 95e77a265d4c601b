"""The unit catalogue in the admin, for reference: it changes by importing the catalogue file
(units/importer.py, audited), so that parents and lineage are checked together."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Unit


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "sub_kind", "active_from", "active_to")
    list_filter = ("kind", "sub_kind")
    search_fields = ("code", "name", "short_name")
