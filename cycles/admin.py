from django.contrib import admin

from .models import Cycle, Participation, Phase


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ("year", "title", "state")
    # State changes go through the cycle screen (audited), never through the admin.
    readonly_fields = ("state",)
    inlines = [PhaseInline]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ("cycle", "unit", "framework_kind", "ranking_group")
    list_filter = ("cycle", "framework_kind", "ranking_group")
    search_fields = ("unit__name", "unit__code")
    autocomplete_fields = ("unit",)
