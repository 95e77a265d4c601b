"""The plans in the admin. A plan and its targets are typed here (no screen or file carries the
targets), so the page saves them through plans/services.py, with its permission check and audit
events; tasks are imported and updated on the plan screens; unit names are confirmed there too."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from . import services
from .models import Plan, Target, UnitAlias


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("year", "title", "decision_number", "decision_date")
    inlines = [TargetInline]

    def get_readonly_fields(self, request, obj=None):
        # save_plan finds the plan by its year: a changed year would make a second plan.
        return ("year",) if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        # Deleting a plan deletes its tasks and their progress, and no service does that.
        return False

    def save_model(self, request, obj, form, change):
        plan = services.save_plan(
            request.user,
            year=obj.year,
            decision_number=obj.decision_number,
            decision_date=obj.decision_date,
            title=obj.title,
        )
        obj.pk = plan.pk  # the target rows are saved against this object next

    def save_formset(self, request, form, formset, change):
        targets = formset.save(commit=False)
        for target in formset.deleted_objects:
            services.delete_target(request.user, target)
        for target in targets:
            services.save_target(request.user, target)


@admin.register(UnitAlias)
class UnitAliasAdmin(ReadOnlyAdmin):
    # Confirmed on the plan import screen (services.confirm_names).
    list_display = ("name", "unit")
    search_fields = ("name",)
