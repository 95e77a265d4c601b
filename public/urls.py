"""The public site under /cong-khai/: stable URLs for the latest version of a cycle's results, and
/cong-khai/<key>/v<version>/… for each version (corrections keep the earlier ones readable)."""

from django.urls import path

from . import views, views_sipas

app_name = "public"

PAGES = [
    ("", views.cycle, "cycle"),
    ("khoi/<slug:slug>/", views.group, "group"),
    ("don-vi/<str:code>/", views.unit, "unit"),
    ("bieu-do/", views.charts, "charts"),
    ("bieu-do/<slug:name>.svg", views.chart, "chart"),
    ("du-lieu/ket-qua.<slug:fmt>", views.data, "data"),
]

urlpatterns = [
    path("", views.index, name="index"),
    path("sipas/<int:year>/", views_sipas.sipas, name="sipas"),
    path("sipas/<int:year>/du-lieu/sipas.<slug:fmt>", views_sipas.data, name="sipas_data"),
]
urlpatterns += [path(f"<cycle:key>/{route}", view, name=name) for route, view, name in PAGES]
urlpatterns += [
    path(f"<cycle:key>/v<int:version>/{route}", view, name=f"{name}_version")
    for route, view, name in PAGES
]
