"""The Django admin as a reference view: bases for models whose every change has a service function.

A service checks permission, validates and writes the audit event; an admin form saving the model
directly would skip all three, so these admins list and show, and never add, change or delete.
"""

from django.contrib import admin


class ReadOnlyMixin:
    """Refuses the add, change and delete views (and their forms) whatever the user's permissions."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """A model's list and detail pages, without its add, change and delete views."""


class ReadOnlyTabularInline(ReadOnlyMixin, admin.TabularInline):
    """The rows of a related model shown on its parent's page, without forms."""

    extra = 0
