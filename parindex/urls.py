from django.contrib import admin
from django.urls import include, path, re_path

from accounts.permissions import can_use_admin
from ops.health import health_view
from ops.metrics import metrics_view

from . import views
from .api import api

# The admin is for the secretariat only, whatever is_staff says.
admin.site.has_permission = lambda request: request.user.is_active and can_use_admin(request.user)
admin.site.site_header = "parindex: quản trị"
# "Delete selected" deletes in bulk, past every service and without a history entry per object
# (accounts/signals.py audits only those): deleting is one object at a time, where allowed at all.
admin.site.disable_action("delete_selected")

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),  # the site's icon: everyone
    path("theme.css", views.theme_css, name="theme_css"),  # the organisation's colours: everyone
    path("ui/", views.ui_components, name="ui"),  # every component of the interface: city staff
    path("health", health_view, name="health"),  # probes: no login (ops/health.py)
    path("metrics", metrics_view, name="metrics"),  # Prometheus: token or allowed address
    path("accounts/", include("accounts.urls")),
    path("units/", include("units.urls")),
    path("cycles/", include("cycles.urls")),
    path("frameworks/", include("frameworks.urls")),
    path("assessments/", include("assessments.urls")),
    path("plans/", include("plans.urls")),
    path("reports/", include("reporting.urls")),
    path("results/", include("results.urls")),
    path("cong-khai/", include("public.urls")),
    path("", include("surveys.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    re_path(r"^api/", views.api_not_found, name="api_not_found"),  # JSON, not the HTML 404 page
    path("admin/", admin.site.urls),
]
