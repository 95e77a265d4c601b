"""Every URL of the platform against every role: each may do what it must and nothing else.

A new URL pattern without a row in MATRIX fails `test_every_url_pattern_has_a_rule`. The staff roles
held for a department or a commune (a commune's index of its offices, another commune's secretariat
trying its pages, files and API) are in test_permissions_levels.py.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from frameworks.models import Framework
from units.models import UnitKind

ROLES = [
    "anonymous",
    "secretariat",
    "officer_a",
    "head_a",
    "officer_b",
    "reviewer",
    "council",
    "leader",
]
STAFF = {"secretariat": 200, "reviewer": 200, "council": 200, "leader": 200}
EVERYONE = dict.fromkeys(ROLES[1:], 200)
ONLY_SECRETARIAT = dict.fromkeys(ROLES[1:], 403) | {"secretariat": 200}


def expect(anonymous="login", **by_role):
    return {"anonymous": anonymous} | by_role


def _token_of_officer_a(f):
    from accounts.tokens import create_token

    return create_token(f["unit_a"].members.get(role="unit_officer"), "Hệ thống văn bản")[0].pk


def _session_of_officer_a(f):
    from accounts.tests.helpers import session_of

    return session_of(f["unit_a"].members.get(role="unit_officer")).pk


# (url name, method, args builder, expected status per role; "login" = redirect to the login page)
MATRIX = {
    "home": ("get", lambda f: [], expect(**EVERYONE)),
    # The page showing every component of the interface (docs/ui.md): the city's staff.
    "ui": ("get", lambda f: [], expect(**STAFF, officer_a=403, head_a=403, officer_b=403)),
    "units:list": ("get", lambda f: [], expect(**EVERYONE)),
    "units:import": ("get", lambda f: [], expect(**ONLY_SECRETARIAT)),
    "units:detail": (
        "get",
        lambda f: [f["unit_a"].pk],
        expect(**STAFF, officer_a=200, head_a=200, officer_b=404),
    ),
    "cycles:list": ("get", lambda f: [], expect(**EVERYONE)),
    "cycles:create": ("get", lambda f: [], expect(**ONLY_SECRETARIAT)),
    # An organiser's own letterhead: its secretariat only (scoped roles: cycles/tests/test_levels.py).
    "cycles:letterhead": ("get", lambda f: [], expect(**dict.fromkeys(ROLES[1:], 403))),
    "cycles:detail": ("get", lambda f: [2025], expect(**EVERYONE)),
    "cycles:participants": ("get", lambda f: [2025], expect(**EVERYONE)),
    "cycles:transition": (
        "post",
        lambda f: [2025],
        expect(**ONLY_SECRETARIAT | {"secretariat": 302}),
    ),
    # Without a state to move to, the preview sends the secretariat back to the cycle.
    "cycles:transition_preview": (
        "get",
        lambda f: [2025],
        expect(**ONLY_SECRETARIAT | {"secretariat": 302}),
    ),
    "cycles:transition_job": (
        "get",
        lambda f: [2025, 999999],
        # The council may follow its own approval's job (none here).
        expect(**ONLY_SECRETARIAT | {"secretariat": 404, "council": 404}),
    ),
    "cycles:participants_add": (
        "post",
        lambda f: [2025],
        expect(**ONLY_SECRETARIAT | {"secretariat": 302}),
    ),
    "cycles:participants_remove": (
        "post",
        lambda f: [2025, f["unit_a"].pk],
        expect(**ONLY_SECRETARIAT | {"secretariat": 302}),
    ),
    "cycles:participants_variant": (
        "post",
        lambda f: [2025, f["unit_a"].pk],
        expect(**ONLY_SECRETARIAT | {"secretariat": 302}),
    ),
    "cycles:phase": ("post", lambda f: [2025], expect(**ONLY_SECRETARIAT | {"secretariat": 302})),
    "frameworks:detail": (
        "get",
        lambda f: [f["commune"].pk],
        expect(**STAFF, officer_a=200, head_a=200, officer_b=404),
    ),
    "frameworks:export": (
        "get",
        lambda f: [f["commune"].pk],
        expect(**STAFF, officer_a=200, head_a=200, officer_b=404),
    ),
    "frameworks:import": ("get", lambda f: [2025], expect(**ONLY_SECRETARIAT)),
    "frameworks:node_add": ("get", lambda f: [f["commune"].pk], expect(**ONLY_SECRETARIAT)),
    "frameworks:node_edit": ("get", lambda f: [f["leaf"].pk], expect(**ONLY_SECRETARIAT)),
    "frameworks:node_delete": (
        "post",
        lambda f: [f["leaf"].pk],
        expect(**ONLY_SECRETARIAT | {"secretariat": 302}),
    ),
    "frameworks:rule_preview": ("post", lambda f: [f["commune"].pk], expect(**ONLY_SECRETARIAT)),
    "frameworks:year_texts": ("get", lambda f: [2025], expect(**ONLY_SECRETARIAT)),
    "frameworks:year_texts_confirm": (
        "post",
        lambda f: [2025],
        expect(**ONLY_SECRETARIAT | {"secretariat": 302}),
    ),
    "accounts:password_change": ("get", lambda f: [], expect(**EVERYONE)),
    "accounts:notifications": ("get", lambda f: [], expect(**EVERYONE)),
    "accounts:password_change_done": ("get", lambda f: [], expect(**EVERYONE)),
    # Staff security (accounts): one's own account, two-factor setup and sessions; the secretariat's
    # security log and two-factor overview. Required roles cannot turn two-factor login off.
    "accounts:account": ("get", lambda f: [], expect(**EVERYONE)),
    "accounts:twofactor_enrol": ("get", lambda f: [], expect(**EVERYONE)),
    "accounts:recovery_codes": ("post", lambda f: [], expect(**dict.fromkeys(ROLES[1:], 302))),
    "accounts:twofactor_disable": (
        "post",
        lambda f: [],
        expect(
            **dict.fromkeys(ROLES[1:], 302) | {"secretariat": 403, "reviewer": 403, "council": 403}
        ),
    ),
    "accounts:sessions": ("get", lambda f: [], expect(**EVERYONE)),
    "accounts:sessions_end_others": ("post", lambda f: [], expect(**dict.fromkeys(ROLES[1:], 302))),
    # A session of officer_a: only officer_a may end it; to anyone else it does not exist.
    "accounts:session_end": (
        "post",
        lambda f: [_session_of_officer_a(f)],
        expect(**dict.fromkeys(ROLES[1:], 404) | {"officer_a": 302}),
    ),
    # API tokens: everyone sees their own (the secretariat everyone's); a token of officer_a may be
    # revoked by officer_a and the secretariat only; to anyone else it does not exist.
    "accounts:tokens": ("get", lambda f: [], expect(**EVERYONE)),
    "accounts:token_revoke": (
        "post",
        lambda f: [_token_of_officer_a(f)],
        expect(**dict.fromkeys(ROLES[1:], 404) | {"officer_a": 302, "secretariat": 302}),
    ),
    "accounts:security_log": ("get", lambda f: [], expect(**ONLY_SECRETARIAT)),
    "accounts:twofactor_users": ("get", lambda f: [], expect(**ONLY_SECRETARIAT)),
    "accounts:twofactor_reset": (
        "post",
        lambda f: [f["unit_a"].members.get(role="unit_officer").pk],
        expect(**ONLY_SECRETARIAT | {"secretariat": 302}),
    ),
}
# Assessment URLs, checked on cycle 2025 open for self-assessment; the reviewer is assigned to Unit A.
# 404: the user may not even know the object exists; 403: seen, but not theirs to change.
VISIBLE_A = {
    "secretariat": 200,
    "council": 200,
    "leader": 200,
    "reviewer": 200,
    "officer_a": 200,
    "head_a": 200,
    "officer_b": 404,
}
CHANGE_BY_A = {
    "officer_a": 302,
    "head_a": 302,
    "officer_b": 404,
    "secretariat": 403,
    "council": 403,
    "leader": 403,
    "reviewer": 403,
}
APPRAISE_A = {
    "reviewer": 302,
    "officer_b": 404,
    "secretariat": 403,
    "council": 403,
    "leader": 403,
    "officer_a": 403,
    "head_a": 403,
}
SECRETARIAT_ON_A = dict.fromkeys(ROLES[1:], 403) | {"officer_b": 404}
BOARD = dict.fromkeys(ROLES[1:], 403) | {"secretariat": 200, "council": 200, "leader": 200}
ASSESSMENT_MATRIX = {
    "assessments:queue": ("get", lambda f: [], expect(**EVERYONE)),
    "assessments:form": ("get", lambda f: [2025, "00070"], expect(**VISIBLE_A)),
    "assessments:form_domain": ("get", lambda f: [2025, "00070", "1"], expect(**VISIBLE_A)),
    "assessments:explain": ("get", lambda f: [2025, "00070"], expect(**VISIBLE_A)),
    "assessments:history": ("get", lambda f: [f["item"].pk], expect(**VISIBLE_A)),
    "assessments:history_export": ("get", lambda f: [2025, "00070"], expect(**VISIBLE_A)),
    "assessments:evidence": ("get", lambda f: [f["evidence"].pk], expect(**VISIBLE_A)),
    "assessments:appraise": (
        "get",
        lambda f: [2025, "00070"],
        expect(**VISIBLE_A | {"officer_a": 403, "head_a": 403}),
    ),
    "assessments:submit": (
        "get",
        lambda f: [2025, "00070"],
        expect(**VISIBLE_A | {"council": 403, "leader": 403, "reviewer": 403}),
    ),
    "assessments:save_self": ("post", lambda f: [f["item"].pk], expect(**CHANGE_BY_A)),
    "assessments:add_evidence": ("post", lambda f: [f["item"].pk], expect(**CHANGE_BY_A)),
    "assessments:remove_evidence": ("post", lambda f: [f["evidence"].pk], expect(**CHANGE_BY_A)),
    "assessments:explain_item": ("post", lambda f: [f["item"].pk], expect(**CHANGE_BY_A)),
    # A refused appraisal (here: the cycle is not in appraisal) re-renders the page with what the
    # reviewer typed, hence 200 for the reviewer; 403/404 for everyone else.
    "assessments:appraise_item": (
        "post",
        lambda f: [f["item"].pk],
        expect(**APPRAISE_A | {"reviewer": 200}),
    ),
    "assessments:agree_item": (
        "post",
        lambda f: [f["item"].pk],
        expect(**APPRAISE_A | {"reviewer": 200}),
    ),
    "assessments:final_item": ("post", lambda f: [f["item"].pk], expect(**APPRAISE_A)),
    "assessments:unassign": (
        "post",
        lambda f: [2025, f["assignment"].pk],
        expect(**ONLY_SECRETARIAT | {"secretariat": 302}),
    ),
    "assessments:agree_domain": ("post", lambda f: [2025, "00070", "1"], expect(**APPRAISE_A)),
    "assessments:reopen": (
        "post",
        lambda f: [2025, "00070"],
        expect(**{**CHANGE_BY_A, "officer_a": 403, "head_a": 403, "secretariat": 302}),
    ),
    # An automatic leaf's value entered or overridden by the secretariat (an empty post: back to the page).
    "assessments:data_values": (
        "get",
        lambda f: [2025, "00070"],
        expect(**SECRETARIAT_ON_A | {"secretariat": 200}),
    ),
    "assessments:set_data_value": (
        "post",
        lambda f: [f["automatic_item"].pk],
        expect(**SECRETARIAT_ON_A | {"secretariat": 302}),
    ),
    "assessments:board": ("get", lambda f: [2025], expect(**BOARD)),
    "assessments:assign": ("get", lambda f: [2025], expect(**ONLY_SECRETARIAT)),
}
# The city's self-assessment for the Ministry (assessments/tests/provincial.py): Sở Nội vụ's assessment,
# leaf 1.5 and domain 2 given to Unit B. Unit B's officer fills those leaves on its own page and is refused
# the whole form; only the city's secretariat gives leaves.
NOT_SEEN = dict.fromkeys(ROLES[1:], 404)
PROVINCIAL_MATRIX = {
    "assessments:assign_leaves": (
        "get",
        lambda f: [f["cycle"].key, "S01"],
        expect(**NOT_SEEN | {"secretariat": 200, "council": 403, "leader": 403}),
    ),
    "assessments:contributions": (
        "get",
        lambda f: [f["cycle"].key],
        expect(**NOT_SEEN | {"officer_b": 200}),
    ),
    "assessments:form": (
        "get",
        lambda f: [f["cycle"].key, "S01"],
        expect(**NOT_SEEN | {"secretariat": 200, "council": 200, "leader": 200}),
    ),
    "assessments:save_self": (
        "post",
        lambda f: [f["given"].pk],
        expect(**NOT_SEEN | {"officer_b": 302, "secretariat": 302, "council": 403, "leader": 403}),
    ),
    "assessments:add_evidence": (
        "get",
        lambda f: [f["given"].pk],
        expect(**NOT_SEEN | {"officer_b": 200, "secretariat": 200, "council": 403, "leader": 403}),
    ),
    "assessments:history": (
        "get",
        lambda f: [f["kept"].pk],
        expect(**NOT_SEEN | {"secretariat": 200, "council": 200, "leader": 200}),
    ),
}
# Plans and periodic reports: a plan whose task 1 is led by Unit B; a Q1 2025 period.
READERS = dict.fromkeys(ROLES[1:], 200) | {"reviewer": 403}
CITY_READERS = dict.fromkeys(ROLES[1:], 403) | {
    "secretariat": 200,
    "council": 200,
    "leader": 200,
}
PLAN_MATRIX = {
    "plans:list": ("get", lambda f: [], expect(**EVERYONE)),
    "plans:board": ("get", lambda f: [2025], expect(**EVERYONE)),
    "plans:export": ("get", lambda f: [2025], expect(**EVERYONE)),
    "plans:task": ("get", lambda f: [f["task"].pk], expect(**EVERYONE)),
    "plans:import": ("get", lambda f: [], expect(**ONLY_SECRETARIAT)),
    "reporting:list": ("get", lambda f: [], expect(**READERS)),
    "reporting:board": ("get", lambda f: [2025, "q1"], expect(**CITY_READERS)),
    "reporting:consolidated": ("get", lambda f: [2025, "q1"], expect(**CITY_READERS)),
    "reporting:export_word": ("get", lambda f: [2025, "q1"], expect(**CITY_READERS)),
    "reporting:export_excel": ("get", lambda f: [2025, "q1"], expect(**CITY_READERS)),
    "reporting:report": (
        "get",
        lambda f: [2025, "q1", "00070"],
        expect(**CITY_READERS | {"officer_a": 200, "head_a": 200}),
    ),
    "reporting:period_create": ("get", lambda f: [], expect(**ONLY_SECRETARIAT)),
    "reporting:template_create": ("get", lambda f: [], expect(**ONLY_SECRETARIAT)),
    "reporting:feed_import": ("get", lambda f: [], expect(**ONLY_SECRETARIAT)),
    "reporting:request_create": ("get", lambda f: [], expect(**ONLY_SECRETARIAT)),
    "reporting:request_board": ("get", lambda f: [f["request"].pk], expect(**CITY_READERS)),
    "reporting:request_consolidated": (
        "get",
        lambda f: [f["request"].pk],
        expect(**CITY_READERS),
    ),
    "reporting:request_word": ("get", lambda f: [f["request"].pk], expect(**CITY_READERS)),
    "reporting:request_excel": ("get", lambda f: [f["request"].pk], expect(**CITY_READERS)),
    # Sent to unit A only: unit B's members may not open unit A's, nor the city's staff a unit not asked.
    "reporting:request_report": (
        "get",
        lambda f: [f["request"].pk, "00070"],
        expect(**CITY_READERS | {"officer_a": 200, "head_a": 200}),
    ),
}
# Survey staff screens (the respondent pages are public, below).
SURVEY_MATRIX = {
    "surveys:waves": ("get", lambda f: [], expect(**CITY_READERS)),
    "surveys:monitor": ("get", lambda f: [f["wave"].pk], expect(**CITY_READERS)),
    "surveys:unit": ("get", lambda f: [f["wave"].pk, "00070"], expect(**CITY_READERS)),
    "surveys:export_responses": ("get", lambda f: [f["wave"].pk], expect(**CITY_READERS)),
    "surveys:export_aggregates": ("get", lambda f: [f["wave"].pk], expect(**CITY_READERS)),
    "surveys:flagged": ("get", lambda f: [f["wave"].pk], expect(**ONLY_SECRETARIAT)),
    # Opening a wave and its targets (their POSTs: surveys/tests/test_wave_pages.py).
    "surveys:wave_create": ("get", lambda f: [], expect(**ONLY_SECRETARIAT)),
    "surveys:wave_targets": ("get", lambda f: [f["wave"].pk], expect(**ONLY_SECRETARIAT)),
    "surveys:wave_change": ("get", lambda f: [f["wave"].pk], expect(**ONLY_SECRETARIAT)),
    # Imports into a wave (their POSTs: surveys/tests/test_microdata.py and neighbours).
    "surveys:import_responses": ("get", lambda f: [f["wave"].pk], expect(**ONLY_SECRETARIAT)),
    "surveys:import_published": ("get", lambda f: [f["wave"].pk], expect(**ONLY_SECRETARIAT)),
    # The dossier sample holds citizens' contacts: the secretariat only.
    "surveys:sample": ("get", lambda f: [f["wave"].pk], expect(**ONLY_SECRETARIAT)),
    # No unit posted: the secretariat passes the permission check and gets "no such unit".
    "surveys:invitations": (
        "post",
        lambda f: [f["wave"].pk],
        expect(**ONLY_SECRETARIAT | {"secretariat": 404}),
    ),
    # The roster of an officials' wave: names and contacts, for the secretariat only. The POSTs
    # redirect back to the roster page (the codes' CSV redirects too when nobody is on the roster).
    "surveys:roster": ("get", lambda f: [f["wave"].pk], expect(**ONLY_SECRETARIAT)),
    "surveys:roster_rules": (
        "post",
        lambda f: [f["wave"].pk],
        expect(**ONLY_SECRETARIAT | {"secretariat": 302}),
    ),
    "surveys:roster_mode": (
        "post",
        lambda f: [f["wave"].pk],
        expect(**ONLY_SECRETARIAT | {"secretariat": 302}),
    ),
    "surveys:roster_codes": (
        "post",
        lambda f: [f["wave"].pk],
        expect(**ONLY_SECRETARIAT | {"secretariat": 302}),
    ),
    "surveys:roster_remind": (
        "post",
        lambda f: [f["wave"].pk],
        expect(**ONLY_SECRETARIAT | {"secretariat": 302}),
    ),
    # The QR posters of the public links: printed by whoever hands out the codes.
    "surveys:posters": ("get", lambda f: [f["wave"].pk], expect(**ONLY_SECRETARIAT)),
    "surveys:review": (
        "post",
        lambda f: [f["response"].pk],
        expect(**ONLY_SECRETARIAT | {"secretariat": 302}),
    ),
    # Questionnaires: the page (its upload is a POST to the same URL) and a version's .xlsx and XLSForm.
    "surveys:questionnaires": ("get", lambda f: [], expect(**ONLY_SECRETARIAT)),
    "surveys:option_weights": (
        "post",
        lambda f: ["sipas"],
        expect(**ONLY_SECRETARIAT | {"secretariat": 302}),
    ),
    "surveys:questionnaire_download": (
        "get",
        lambda f: ["sipas", 1],
        expect(**ONLY_SECRETARIAT),
    ),
    "surveys:questionnaire_xlsform": (
        "get",
        lambda f: ["sipas", 1],
        expect(**ONLY_SECRETARIAT),
    ),
    # Paper forms and fieldwork: the clerks', supervisors' and enumerators' groups and the
    # secretariat (the groups: surveys/tests/test_paper_pages.py).
    "surveys:paper_home": ("get", lambda f: [], expect(**ONLY_SECRETARIAT)),
    "surveys:paper_entry": ("get", lambda f: [f["wave"].pk], expect(**ONLY_SECRETARIAT)),
    "surveys:paper_forms": ("get", lambda f: [f["wave"].pk], expect(**ONLY_SECRETARIAT)),
    "surveys:paper_resolve": ("get", lambda f: [f["paper_form"].pk], expect(**ONLY_SECRETARIAT)),
    # No unit asked for: the secretariat passes the permission check and gets "no such unit".
    "surveys:paper_print": (
        "get",
        lambda f: [f["wave"].pk],
        expect(**ONLY_SECRETARIAT | {"secretariat": 404}),
    ),
    "surveys:field_page": ("get", lambda f: [f["wave"].pk, "00070"], expect(**ONLY_SECRETARIAT)),
    # No body: the secretariat passes the permission check and gets "invalid data".
    "surveys:field_submit": (
        "post",
        lambda f: [f["wave"].pk],
        expect(**ONLY_SECRETARIAT | {"secretariat": 400}),
    ),
}
RESULT_READERS = {"secretariat": 200, "reviewer": 200, "council": 200, "leader": 200}
NOT_UNITS = {"officer_a": 403, "head_a": 403, "officer_b": 403}
REVIEW_READERS = dict.fromkeys(ROLES[1:], 403) | {"secretariat": 200, "leader": 200}
RESULTS_MATRIX = {
    "results:list": ("get", lambda f: [], expect(**RESULT_READERS | NOT_UNITS)),
    # The overview: the secretariat, council and leaders (reviewers review, they do not oversee).
    "results:overview": (
        "get",
        lambda f: [],
        expect(**RESULT_READERS | NOT_UNITS | {"reviewer": 403}),
    ),
    "results:provincial": ("get", lambda f: [], expect(**RESULT_READERS | NOT_UNITS)),
    # The five-year review and its annexes: the city's secretariat and leaders.
    "results:review": ("get", lambda f: [], expect(**REVIEW_READERS)),
    "results:review_docx": ("get", lambda f: [], expect(**REVIEW_READERS)),
    "results:review_xlsx": ("get", lambda f: [], expect(**REVIEW_READERS)),
    # The assistant: anyone signed in asks (each tool applies the asker's permissions); its log is
    # the secretariat's.
    # The Chairman's briefing: the city's leaders and secretariat make it and read past ones.
    "results:briefing_make": (
        "post",
        lambda f: [],
        expect(**ONLY_SECRETARIAT | {"secretariat": 302, "leader": 302}),
    ),
    "results:briefings": ("get", lambda f: [], expect(**ONLY_SECRETARIAT | {"leader": 200})),
    "results:briefing_file": (
        "get",
        lambda f: [f["briefing"].pk],
        expect(**ONLY_SECRETARIAT | {"leader": 200}),
    ),
    "results:assistant": ("get", lambda f: [], expect(**EVERYONE)),
    "results:assistant_log": ("get", lambda f: [], expect(**ONLY_SECRETARIAT)),
    "results:cycle": ("get", lambda f: [2025], expect(**RESULT_READERS | NOT_UNITS)),
    "results:jobs": ("get", lambda f: [2025], expect(**RESULT_READERS | NOT_UNITS)),
    "results:job_file": (
        "get",
        lambda f: [2025, f["job"].pk],
        expect(**RESULT_READERS | NOT_UNITS),
    ),
    "results:awards": ("get", lambda f: [2025], expect(**RESULT_READERS | NOT_UNITS)),
    # A unit reads its own result once the council has approved it.
    "results:unit": (
        "get",
        lambda f: [2025, "00070"],
        expect(**RESULT_READERS | NOT_UNITS | {"officer_a": 200, "head_a": 200}),
    ),
    "results:request_job": (
        "post",
        lambda f: [2025],
        expect(**ONLY_SECRETARIAT | {"secretariat": 302}),
    ),
    "results:publish": (
        "post",
        lambda f: [2025],
        expect(**ONLY_SECRETARIAT | {"secretariat": 302}),
    ),
}
# Open to everyone by design (login, password reset, language switch, static error pages).
PUBLIC = {
    "accounts:login",
    "accounts:login_code",  # the second login step: only with a fresh correct password in the session
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "set_language",
    "api_not_found",
    "surveys:respond",
    "surveys:enter_code",
    "surveys:thanks",
    # Operation: the health probe answers everyone (no secrets in it); /metrics wants METRICS_TOKEN or an
    # allowed address, whatever the role (parindex/tests/test_observability.py).
    "health",
    "metrics",
    # The site's icon and the organisation's colours: static in all but name, for every visitor.
    "favicon",
    "theme_css",
    # The public results site: open to everyone once a cycle is published, 404 before (every page,
    # chart and file is checked before and after publication in public/tests/test_public.py).
    "public:index",
    *(
        f"public:{page}{suffix}"
        for page in ("cycle", "group", "unit", "charts", "chart", "data")
        for suffix in ("", "_version")
    ),
    # The enumerators' service worker: a script holding no data, like a static file
    # (surveys/tests/test_paper_pages.py).
    "surveys:field_worker",
    # SIPAS of a published year and its open data (public/tests/test_sipas_page.py).
    "public:sipas",
    "public:sipas_data",
}


def named_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # the admin's own permission check is replaced and tested below
            if entry.namespace == "api-1":
                continue  # every API endpoint has its own role matrix (assessments/tests/test_api.py)
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from named_patterns(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}"


def test_every_url_pattern_has_a_rule():
    ruled = (
        set(MATRIX)
        | set(ASSESSMENT_MATRIX)
        | set(PLAN_MATRIX)
        | set(SURVEY_MATRIX)
        | set(RESULTS_MATRIX)
        | set(PROVINCIAL_MATRIX)
        | PUBLIC
    )
    missing = sorted(set(named_patterns()) - ruled)
    assert missing == [], f"URL patterns without a permission rule in MATRIX: {missing}"


@pytest.fixture
def objects(draft_cycle, unit_a):
    commune = Framework.objects.get(cycle=draft_cycle, kind=UnitKind.COMMUNE)
    return {"unit_a": unit_a, "commune": commune, "leaf": commune.nodes.get(code="1.5")}


def check_matrix(client, personas, matrix, objects, name, role, data=None):
    """Request the URL as the role and compare with what the matrix says."""
    method, args, expected = matrix[name]
    if personas[role] is not None:
        client.force_login(personas[role])
    response = getattr(client, method)(reverse(name, args=args(objects)), data or {})
    want = expected[role]
    if want == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == want, response.content[:300]


CASES = [(name, role) for name in MATRIX for role in ROLES]


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_role_gets_what_the_matrix_says(client, personas, objects, name, role):
    check_matrix(client, personas, MATRIX, objects, name, role)


@pytest.fixture
def open_objects(open_cycle, assessment_a, officer_a):
    from assessments.services import add_evidence_file
    from assessments.tests.helpers import PDF, upload
    from conftest import item_of

    item = item_of(assessment_a, "1.5")
    return {
        "item": item,
        "evidence": add_evidence_file(officer_a, item, upload(PDF, "a.pdf")),
        "assignment": open_cycle.reviewer_assignments.get(),
        "automatic_item": item_of(assessment_a, "2.2"),
    }


ASSESSMENT_CASES = [(name, role) for name in ASSESSMENT_MATRIX for role in ROLES]


@pytest.mark.parametrize(
    ("name", "role"), ASSESSMENT_CASES, ids=[f"{n}-{r}" for n, r in ASSESSMENT_CASES]
)
def test_role_gets_what_the_assessment_matrix_says(client, personas, open_objects, name, role):
    check_matrix(client, personas, ASSESSMENT_MATRIX, open_objects, name, role)


@pytest.fixture
def provincial_objects(secretariat, unit_b):
    from assessments.tests.provincial import give_leaves, make_provincial
    from conftest import item_of

    cycle = make_provincial(secretariat)
    give_leaves(secretariat, cycle)
    assessment = cycle.assessments.get()
    return {
        "cycle": cycle,
        "given": item_of(assessment, "1.5"),
        "kept": item_of(assessment, "1.4"),
    }


PROVINCIAL_CASES = [(name, role) for name in PROVINCIAL_MATRIX for role in ROLES]


@pytest.mark.parametrize(
    ("name", "role"), PROVINCIAL_CASES, ids=[f"{n}-{r}" for n, r in PROVINCIAL_CASES]
)
def test_role_gets_what_the_provincial_matrix_says(
    client, personas, provincial_objects, name, role
):
    data = {"points": "0.5", "note": ""} if name == "assessments:save_self" else None
    check_matrix(client, personas, PROVINCIAL_MATRIX, provincial_objects, name, role, data)


@pytest.fixture
def plan_objects(secretariat, unit_a, unit_b):
    from datetime import date, timedelta

    from django.utils import timezone

    from plans.models import Plan, Task
    from reporting import services as reporting
    from reporting.requests import request_report

    plan = Plan.objects.create(
        year=2025, decision_number="6830/QĐ-UBND", decision_date=date(2024, 12, 31), title="KH"
    )
    task = Task.objects.create(
        plan=plan, number="1", title="Ban hành kế hoạch", lead_text="Sở Tư pháp"
    )
    task.lead_units.add(unit_b)
    template = reporting.save_template(
        secretariat,
        "Mẫu",
        [{"code": "a", "label": "A", "is_rate": False, "unit_of_measure": ""}],
        [],
    )
    reporting.open_period(secretariat, 2025, "q1", template, timezone.now() + timedelta(days=3))
    request = request_report(
        secretariat, "Báo cáo tổng kết", template, timezone.now() + timedelta(days=3), [unit_a]
    )
    return {"task": task, "request": request}


PLAN_CASES = [(name, role) for name in PLAN_MATRIX for role in ROLES]


@pytest.mark.parametrize(("name", "role"), PLAN_CASES, ids=[f"{n}-{r}" for n, r in PLAN_CASES])
def test_role_gets_what_the_plan_matrix_says(client, personas, plan_objects, name, role):
    check_matrix(client, personas, PLAN_MATRIX, plan_objects, name, role)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("officer_b", 302),
        ("secretariat", 302),
        ("officer_a", 403),
        ("head_a", 403),
        ("reviewer", 403),
        ("council", 403),
        ("leader", 403),
        ("anonymous", 302),
    ],
)
def test_only_the_lead_unit_and_the_secretariat_update_a_task(
    client, personas, plan_objects, role, status
):
    if personas[role] is not None:
        client.force_login(personas[role])
    response = client.post(f"/plans/tasks/{plan_objects['task'].pk}/", {"status": "in_progress"})
    assert response.status_code == status
    plan_objects["task"].refresh_from_db()
    changed = plan_objects["task"].status == "in_progress"
    assert changed == (role in ("officer_b", "secretariat"))


@pytest.fixture
def survey_objects(secretariat, draft_cycle, unit_a):
    import uuid
    from datetime import timedelta

    from django.utils import timezone

    from surveys import services as surveys
    from surveys.tests.conftest import good_answers, tsv

    version = surveys.import_questionnaire(secretariat, "sipas", "SIPAS", tsv(), "sipas.tsv")
    now = timezone.now()
    wave = surveys.create_wave(
        secretariat, draft_cycle, version, "SIPAS", now - timedelta(days=1), now + timedelta(days=9)
    )
    surveys.set_targets(secretariat, wave, {unit_a: 100})
    response, _ = surveys.submit_response(
        wave=wave, unit=unit_a, submission_id=uuid.uuid4(), answers=good_answers(), channel="link"
    )
    from surveys.tests.test_paper import KEYED, member

    clerks = [member(f"nhap.{n}", "survey_clerk") for n in (1, 2)]
    for clerk, keyed in zip(clerks, [KEYED, KEYED | {"svc_2": "3"}], strict=True):
        keyed_form = surveys.paper.key_entry(clerk, wave, unit_a, 1, keyed, uuid.uuid4()).form
    return {"wave": wave, "response": response, "paper_form": keyed_form}


SURVEY_CASES = [(name, role) for name in SURVEY_MATRIX for role in ROLES]


@pytest.mark.parametrize(("name", "role"), SURVEY_CASES, ids=[f"{n}-{r}" for n, r in SURVEY_CASES])
def test_role_gets_what_the_survey_matrix_says(client, personas, survey_objects, name, role):
    data = {"reason": "kiểm tra"} if name == "surveys:review" else None
    check_matrix(client, personas, SURVEY_MATRIX, survey_objects, name, role, data)


@pytest.mark.parametrize("role", ROLES)
def test_admin_is_for_the_secretariat_only(client, personas, role):
    if personas[role] is not None:
        client.force_login(personas[role])
    response = client.get("/admin/")
    if role == "secretariat":
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_unit_member_sees_only_their_own_unit_in_lists(client, officer_a, unit_b, draft_cycle):
    client.force_login(officer_a)
    units = client.get("/units/").content.decode()
    assert "Hoàn Kiếm" in units and "Sở Tư pháp" not in units
    participants = client.get("/cycles/2025/units/").content.decode()
    assert "Hoàn Kiếm" in participants and "Sở Tư pháp" not in participants


def test_unit_member_of_a_non_participating_unit_cannot_see_the_cycle(
    client, secretariat, draft_cycle, db
):
    from accounts.models import Role, User
    from units.models import Unit

    outsider_unit = Unit.objects.create(code="C01", name="Kho bạc", kind=UnitKind.CENTRAL_AGENCY)
    outsider = User.objects.create_user("khobac", role=Role.UNIT_OFFICER, unit=outsider_unit)
    client.force_login(outsider)
    assert client.get("/cycles/2025/").status_code == 404
    assert "2025" not in client.get("/cycles/").content.decode().split("<main", 1)[1]


def test_a_user_without_a_role_sees_nothing(client, draft_cycle, db):
    from accounts.models import User

    client.force_login(User.objects.create_user("norole"))
    assert client.get("/cycles/2025/").status_code == 404
    assert client.get(f"/frameworks/{draft_cycle.frameworks.first().pk}/").status_code == 404


@pytest.fixture
def results_objects(secretariat, draft_cycle):
    from django.core.files.base import ContentFile

    from conftest import open_phases
    from cycles.services import transition
    from results.compute import recompute
    from results.models import Job, JobKind, JobState

    open_phases(draft_cycle, secretariat)
    for state in ("self_assessment", "appraisal", "explanation", "finalised"):
        transition(secretariat, draft_cycle, state)
    recompute(draft_cycle)
    job = Job.objects.create(cycle=draft_cycle, kind=JobKind.WORKBOOK, state=JobState.DONE)
    job.file.save("ket-qua.xlsx", ContentFile(b"PK"), save=True)
    from results.briefing import make_briefing

    return {"job": job, "briefing": make_briefing()}


RESULTS_CASES = [(name, role) for name in RESULTS_MATRIX for role in ROLES]


@pytest.mark.parametrize(
    ("name", "role"), RESULTS_CASES, ids=[f"{n}-{r}" for n, r in RESULTS_CASES]
)
def test_role_gets_what_the_results_matrix_says(client, personas, results_objects, name, role):
    data = {"kind": "recompute"} if name == "results:request_job" else None
    check_matrix(client, personas, RESULTS_MATRIX, results_objects, name, role, data)
