"""The assessments in the admin, for reference: changes go through the assessment screens (services)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Assessment, ReviewerAssignment


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ("unit", "cycle", "state", "submitted_at")
    list_filter = ("cycle", "state", "unit__kind")
    search_fields = ("unit__name", "unit__code")


@admin.register(ReviewerAssignment)
class ReviewerAssignmentAdmin(ReadOnlyAdmin):
    # Assigned on the review screen (services.assign_reviewer), which notifies the reviewer.
    list_display = ("reviewer", "unit", "domain_code", "cycle")
    list_filter = ("cycle", "reviewer")
