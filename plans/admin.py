"""The plans in the admin. A plan and its targets are typed here (no screen or file carries the
targets), so the page saves them through plans/services.py, with its permission check and audit
events; a target's page hands it to units (services.assign_target); tasks are imported and updated on
the plan screens; unit names are confirmed there too."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin

from . import services
from .models import Plan, Target, TargetAssignment, UnitAlias


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


class TargetAssignmentInline(admin.TabularInline):
    model = TargetAssignment
    extra = 0
    autocomplete_fields = ("unit",)
    verbose_name = _("đơn vị được giao")
    verbose_name_plural = _("giao chỉ tiêu cho đơn vị (giá trị mục tiêu để trống: theo kế hoạch)")


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    """A target and the units it is handed to; each unit's actual value is read from its reports."""

    list_display = ("text", "plan", "area", "target_value", "indicator_code")
    list_filter = ("plan",)
    search_fields = ("text", "area")
    inlines = [TargetAssignmentInline]

    def has_delete_permission(self, request, obj=None):
        return False  # deleted from the plan's page, through services.delete_target

    def save_model(self, request, obj, form, change):
        services.save_target(request.user, obj)

    def save_formset(self, request, form, formset, change):
        rows = formset.save(commit=False)
        for row in formset.deleted_objects:
            services.unassign_target(request.user, row)
        for row in rows:
            services.assign_target(request.user, form.instance, row.unit, row.target_value)


@admin.register(UnitAlias)
class UnitAliasAdmin(ReadOnlyAdmin):
    # Confirmed on the plan import screen (services.confirm_names).
    list_display = ("name", "unit")
    search_fields = ("name",)
