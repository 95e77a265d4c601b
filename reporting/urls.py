from django.urls import path

from . import views, views_feeds

app_name = "reporting"

urlpatterns = [
    path("", views.period_list, name="list"),
    path("templates/new/", views.template_create, name="template_create"),
    path("periods/new/", views.period_create, name="period_create"),
    path("feeds/import/", views_feeds.feed_import, name="feed_import"),
    path("<int:year>/<str:kind>/", views.period_board, name="board"),
    path("<int:year>/<str:kind>/city/", views.consolidated, name="consolidated"),
    path("<int:year>/<str:kind>/city.docx", views.export_word, name="export_word"),
    path("<int:year>/<str:kind>/city.xlsx", views.export_excel, name="export_excel"),
    path("<int:year>/<str:kind>/<str:unit_code>/", views.unit_report, name="report"),
]
