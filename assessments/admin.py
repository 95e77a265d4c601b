from django.contrib import admin

from .models import Assessment, ReviewerAssignment


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    # Read-only: every change goes through the assessment screens and their audit trail.
    list_display = ("unit", "cycle", "state", "submitted_at")
    list_filter = ("cycle", "state", "unit__kind")
    search_fields = ("unit__name", "unit__code")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewerAssignment)
class ReviewerAssignmentAdmin(admin.ModelAdmin):
    list_display = ("reviewer", "unit", "domain_code", "cycle")
    list_filter = ("cycle", "reviewer")
