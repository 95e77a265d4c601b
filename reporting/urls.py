from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.period_list, name="list"),
    path("templates/new/", views.template_create, name="template_create"),
    path("periods/new/", views.period_create, name="period_create"),
    path("<int:year>/<str:kind>/", views.period_board, name="board"),
    path("<int:year>/<str:kind>/city/", views.consolidated, name="consolidated"),
    path("<int:year>/<str:kind>/city.docx", views.export_word, name="export_word"),
    path("<int:year>/<str:kind>/city.xlsx", views.export_excel, name="export_excel"),
    path("<int:year>/<str:kind>/<str:unit_code>/", views.unit_report, name="report"),
]
