from django.urls import path

from . import views

app_name = "cycles"

urlpatterns = [
    path("", views.cycle_list, name="list"),
    path("new/", views.cycle_create, name="create"),
    path("<int:year>/", views.cycle_detail, name="detail"),
    path("<int:year>/units/", views.cycle_participants, name="participants"),
    path("<int:year>/units/add/", views.participants_add, name="participants_add"),
    path(
        "<int:year>/units/<int:unit_pk>/remove/",
        views.participants_remove,
        name="participants_remove",
    ),
    path("<int:year>/transition/", views.cycle_transition, name="transition"),
    path("<int:year>/transition/preview/", views.transition_preview, name="transition_preview"),
    path("<int:year>/transition/<int:pk>/", views.transition_job, name="transition_job"),
    path("<int:year>/phase/", views.cycle_phase, name="phase"),
]
