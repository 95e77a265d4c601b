from django.urls import path

from . import views

app_name = "results"

urlpatterns = [
    path("", views.result_list, name="list"),
    path("<int:year>/", views.cycle_results, name="cycle"),
    path("<int:year>/jobs/", views.job_list, name="jobs"),
    path("<int:year>/jobs/new/", views.request_job, name="request_job"),
    path("<int:year>/jobs/<int:pk>/file/", views.job_file, name="job_file"),
    path("<int:year>/publish/", views.publish, name="publish"),
    path("<int:year>/awards.xlsx", views.awards_export, name="awards"),
    path("<int:year>/units/<str:code>/", views.unit_result, name="unit"),
]
