from django.contrib import admin

from .models import Framework


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    # Nodes are edited on the framework screen, where the tree's sums are kept.
    list_display = ("title", "cycle", "kind")
    list_filter = ("cycle", "kind")
