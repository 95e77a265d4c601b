from django.urls import path

from . import views, views_assistant, views_briefing, views_overview, views_review

app_name = "results"

urlpatterns = [
    path("", views.result_list, name="list"),
    path("overview/", views_overview.overview, name="overview"),
    path("overview/briefing/", views_briefing.briefing_make, name="briefing_make"),
    path("overview/briefings/", views_briefing.briefing_list, name="briefings"),
    path("overview/briefings/<int:pk>.docx", views_briefing.briefing_file, name="briefing_file"),
    path("assistant/", views_assistant.assistant, name="assistant"),
    path("assistant/log/", views_assistant.assistant_log, name="assistant_log"),
    path("provincial/", views.provincial, name="provincial"),
    path("review/", views_review.review_page, name="review"),
    path("review/phu-luc.docx", views_review.review_docx, name="review_docx"),
    path("review/phu-luc.xlsx", views_review.review_xlsx, name="review_xlsx"),
    path("<cycle:key>/", views.cycle_results, name="cycle"),
    path("<cycle:key>/jobs/", views.job_list, name="jobs"),
    path("<cycle:key>/jobs/new/", views.request_job, name="request_job"),
    path("<cycle:key>/jobs/<int:pk>/file/", views.job_file, name="job_file"),
    path("<cycle:key>/publish/", views.publish, name="publish"),
    path("<cycle:key>/awards.xlsx", views.awards_export, name="awards"),
    path("<cycle:key>/units/<str:code>/", views.unit_result, name="unit"),
]
