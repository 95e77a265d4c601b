from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("import/", views.plan_import, name="import"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("<int:year>/", views.plan_board, name="board"),
    path("<int:year>/export.xlsx", views.plan_export, name="export"),
]
