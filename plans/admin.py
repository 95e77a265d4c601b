from django.contrib import admin

from .models import Plan, Target, UnitAlias


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    # Tasks are imported and updated on the plan screens, where every change is audited.
    list_display = ("year", "title", "decision_number", "decision_date")
    inlines = [TargetInline]


@admin.register(UnitAlias)
class UnitAliasAdmin(admin.ModelAdmin):
    list_display = ("name", "unit")
    search_fields = ("name",)
    autocomplete_fields = ("unit",)
