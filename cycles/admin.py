"""The cycles in the admin, for reference: phases, participants and states change on the cycle screens
(cycles/services.py), which refuse a change to a cycle past draft or finalised and audit each one."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import Cycle, Participation, Phase


class PhaseInline(ReadOnlyTabularInline):
    model = Phase


@admin.register(Cycle)
class CycleAdmin(ReadOnlyAdmin):
    list_display = ("year", "title", "state")
    inlines = [PhaseInline]


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    list_display = ("cycle", "unit", "framework_kind", "ranking_group")
    list_filter = ("cycle", "framework_kind", "ranking_group")
    search_fields = ("unit__name", "unit__code")
