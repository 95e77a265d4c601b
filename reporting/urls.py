from django.urls import path

from . import views, views_feeds, views_requests

app_name = "reporting"

urlpatterns = [
    path("", views.period_list, name="list"),
    path("templates/new/", views.template_create, name="template_create"),
    path("periods/new/", views.period_create, name="period_create"),
    path("feeds/import/", views_feeds.feed_import, name="feed_import"),
    path("requests/new/", views_requests.request_create, name="request_create"),
    path("requests/<int:pk>/", views_requests.request_board, name="request_board"),
    path(
        "requests/<int:pk>/city/", views_requests.request_consolidated, name="request_consolidated"
    ),
    path("requests/<int:pk>/city.docx", views_requests.request_word, name="request_word"),
    path("requests/<int:pk>/city.xlsx", views_requests.request_excel, name="request_excel"),
    path(
        "requests/<int:pk>/<str:unit_code>/", views_requests.request_report, name="request_report"
    ),
    path("<int:year>/<str:kind>/", views.period_board, name="board"),
    path("<int:year>/<str:kind>/city/", views.consolidated, name="consolidated"),
    path("<int:year>/<str:kind>/city.docx", views.export_word, name="export_word"),
    path("<int:year>/<str:kind>/city.xlsx", views.export_excel, name="export_excel"),
    path("<int:year>/<str:kind>/<str:unit_code>/", views.unit_report, name="report"),
]
