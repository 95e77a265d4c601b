from django.urls import path

from .views import appraisal, board, contributors, data, review, unit

app_name = "assessments"

urlpatterns = [
    path("review/", review.queue, name="queue"),
    path("items/<int:pk>/self/", unit.save_self, name="save_self"),
    path("items/<int:pk>/evidence/", unit.add_evidence, name="add_evidence"),
    path("items/<int:pk>/explain/", unit.explain_item, name="explain_item"),
    path("items/<int:pk>/appraise/", appraisal.appraise_item, name="appraise_item"),
    path("items/<int:pk>/agree/", appraisal.agree_item, name="agree_item"),
    path("items/<int:pk>/final/", appraisal.final_item, name="final_item"),
    path("items/<int:pk>/history/", board.item_history, name="history"),
    path("items/<int:pk>/data/", data.set_data_value, name="set_data_value"),
    path("evidence/<int:pk>/", unit.evidence_file, name="evidence"),
    path("evidence/<int:pk>/remove/", unit.remove_evidence, name="remove_evidence"),
    path("<cycle:key>/board/", board.board, name="board"),
    path("<cycle:key>/assign/", review.assign, name="assign"),
    path("<cycle:key>/assign/<int:pk>/remove/", review.unassign, name="unassign"),
    path("<cycle:key>/leaves/", contributors.contributions, name="contributions"),
    path("<cycle:key>/<str:unit_code>/", unit.assessment_form, name="form"),
    path(
        "<cycle:key>/<str:unit_code>/leaves/assign/",
        contributors.assign_leaves,
        name="assign_leaves",
    ),
    path(
        "<cycle:key>/<str:unit_code>/domain/<str:domain_code>/",
        unit.assessment_domain,
        name="form_domain",
    ),
    path("<cycle:key>/<str:unit_code>/submit/", unit.submit, name="submit"),
    path("<cycle:key>/<str:unit_code>/reopen/", unit.reopen, name="reopen"),
    path("<cycle:key>/<str:unit_code>/explain/", unit.explain_page, name="explain"),
    path("<cycle:key>/<str:unit_code>/data/", data.data_values, name="data_values"),
    path("<cycle:key>/<str:unit_code>/appraise/", appraisal.appraise_page, name="appraise"),
    path(
        "<cycle:key>/<str:unit_code>/agree/<str:domain_code>/",
        appraisal.agree_domain,
        name="agree_domain",
    ),
    path("<cycle:key>/<str:unit_code>/history.xlsx", board.history_export, name="history_export"),
]
