from django.urls import path

from . import views

app_name = "frameworks"

urlpatterns = [
    path("<int:pk>/", views.framework_detail, name="detail"),
    path("<int:pk>/export.xlsx", views.framework_export, name="export"),
    path("<int:pk>/nodes/new/", views.node_add, name="node_add"),
    path("<int:pk>/rule-preview/", views.rule_preview, name="rule_preview"),
    path("import/<cycle:key>/", views.framework_import, name="import"),
    path("years/<cycle:key>/", views.year_texts, name="year_texts"),
    path("years/<cycle:key>/confirm/", views.year_texts_confirm, name="year_texts_confirm"),
    path("nodes/<int:pk>/", views.node_edit, name="node_edit"),
    path("nodes/<int:pk>/delete/", views.node_delete, name="node_delete"),
]
