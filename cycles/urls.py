from django.urls import path

from . import views

app_name = "cycles"

urlpatterns = [
    path("", views.cycle_list, name="list"),
    path("new/", views.cycle_create, name="create"),
    path("<cycle:key>/", views.cycle_detail, name="detail"),
    path("<cycle:key>/units/", views.cycle_participants, name="participants"),
    path("<cycle:key>/units/add/", views.participants_add, name="participants_add"),
    path(
        "<cycle:key>/units/<int:unit_pk>/remove/",
        views.participants_remove,
        name="participants_remove",
    ),
    path(
        "<cycle:key>/units/<int:unit_pk>/framework/",
        views.participants_variant,
        name="participants_variant",
    ),
    path("<cycle:key>/transition/", views.cycle_transition, name="transition"),
    path("<cycle:key>/transition/preview/", views.transition_preview, name="transition_preview"),
    path("<cycle:key>/transition/<int:pk>/", views.transition_job, name="transition_job"),
    path("<cycle:key>/phase/", views.cycle_phase, name="phase"),
]
