from django.urls import path

from . import views_imports, views_paper, views_public, views_roster, views_staff, views_waves

app_name = "surveys"

urlpatterns = [
    # Respondents (no login)
    path("khao-sat/ma/", views_public.enter_code, name="enter_code"),
    path("khao-sat/cam-on/", views_public.thanks, name="thanks"),
    path("khao-sat/<int:wave_id>/<str:unit_code>/", views_public.respond, name="respond"),
    # Secretariat, council, leaders
    path("surveys/", views_staff.wave_list, name="waves"),
    path("surveys/<int:wave_id>/", views_staff.monitor, name="monitor"),
    path("surveys/<int:wave_id>/flagged/", views_staff.flagged, name="flagged"),
    path("surveys/<int:wave_id>/codes/", views_staff.invitations, name="invitations"),
    # A QR poster of the public link per unit (before the unit page, which takes any word).
    path("surveys/<int:wave_id>/posters/", views_staff.posters, name="posters"),
    path(
        "surveys/<int:wave_id>/export/responses/",
        views_staff.export_responses,
        name="export_responses",
    ),
    path(
        "surveys/<int:wave_id>/export/aggregates/",
        views_staff.export_aggregates,
        name="export_aggregates",
    ),
    # Opening a wave and its per-unit targets (secretariat); before the unit page, which takes any word.
    path("surveys/new/", views_waves.wave_create, name="wave_create"),
    path("surveys/<int:wave_id>/targets/", views_waves.wave_targets, name="wave_targets"),
    path("surveys/<int:wave_id>/change/", views_waves.wave_change, name="wave_change"),
    # Imports (secretariat): response microdata, an institute's published figures, the dossier sample.
    path(
        "surveys/<int:wave_id>/import/responses/",
        views_imports.import_responses,
        name="import_responses",
    ),
    path(
        "surveys/<int:wave_id>/import/published/",
        views_imports.import_published,
        name="import_published",
    ),
    path("surveys/<int:wave_id>/sample/", views_imports.sample, name="sample"),
    # The roster of an officials' wave: who answers, who rates which units, personal codes, reminders.
    path("surveys/<int:wave_id>/roster/", views_roster.roster, name="roster"),
    path("surveys/<int:wave_id>/roster/rules/", views_roster.roster_rules, name="roster_rules"),
    path("surveys/<int:wave_id>/roster/mode/", views_roster.roster_mode, name="roster_mode"),
    path(
        "surveys/<int:wave_id>/roster/codes/",
        views_roster.roster_codes_download,
        name="roster_codes",
    ),
    path("surveys/<int:wave_id>/roster/remind/", views_roster.roster_remind, name="roster_remind"),
    # Paper forms keyed twice, their differences resolved, printed forms, enumerators (before the
    # unit page, which takes any word).
    path("surveys/phieu-giay/", views_paper.paper_home, name="paper_home"),
    path("surveys/<int:wave_id>/phieu-giay/nhap/", views_paper.paper_entry, name="paper_entry"),
    path("surveys/<int:wave_id>/phieu-giay/", views_paper.paper_forms, name="paper_forms"),
    path("surveys/<int:wave_id>/phieu-giay/in/", views_paper.paper_print, name="paper_print"),
    path("surveys/phieu-giay/<int:form_id>/", views_paper.paper_resolve, name="paper_resolve"),
    path("surveys/<int:wave_id>/thuc-dia/gui/", views_paper.field_submit, name="field_submit"),
    path("surveys/<int:wave_id>/thuc-dia/sw.js", views_paper.field_worker, name="field_worker"),
    path(
        "surveys/<int:wave_id>/thuc-dia/<str:unit_code>/",
        views_paper.field_page,
        name="field_page",
    ),
    path("surveys/<int:wave_id>/<str:unit_code>/", views_staff.unit_result, name="unit"),
    path("surveys/responses/<int:response_id>/review/", views_staff.review, name="review"),
    # Questionnaires: versions, the .xlsx of each (our layout, and as an XLSForm), the upload of a new version (secretariat)
    path("surveys/questionnaires/", views_staff.questionnaires, name="questionnaires"),
    path(
        "surveys/questionnaires/<slug:code>/weights/",
        views_roster.option_weights,
        name="option_weights",
    ),
    path(
        "surveys/questionnaires/<slug:code>/v<int:number>.xlsx",
        views_staff.questionnaire_download,
        name="questionnaire_download",
    ),
    path(
        "surveys/questionnaires/<slug:code>/v<int:number>.xlsform.xlsx",
        views_staff.questionnaire_xlsform,
        name="questionnaire_xlsform",
    ),
]
