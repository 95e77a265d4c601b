from django.contrib import admin

from .models import Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "sub_kind", "active_from", "active_to")
    list_filter = ("kind", "sub_kind")
    search_fields = ("code", "name", "short_name")
    filter_horizontal = ("predecessors",)
    autocomplete_fields = ("parent",)
