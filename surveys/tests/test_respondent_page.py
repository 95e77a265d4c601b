"""The respondent's page: a plain title, the time it takes, one step per section with the questions
numbered across them, and a thank-you page that leads to the unit's published results."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from results.tests.published import extra_units, published_cycle_of
from surveys import services
from surveys.questionnaire import Question
from surveys.respondent_page import estimated_minutes, steps

SIPAS = Path(__file__).resolve().parents[1] / "data" / "sipas.tsv"


def q(kind, name, relevant=""):
    return Question(type=kind, name=name, label=name.upper(), relevant=relevant)


def test_headings_in_a_row_open_one_step_and_numbers_run_across_steps():
    questions = [
        q("single", "first"),  # before any heading: a step of its own
        q("section", "part_a"),
        q("single", "sex"),
        q("text", "sex_other", relevant="${sex} = 'other'"),
        q("section", "part_b"),
        q("section", "part_b1"),  # "PHẦN B" and its "I." open one step
        q("likert5", "svc_1"),
        q("section", "empty"),  # a heading with nothing under it is no step
    ]
    found = steps(questions)
    assert [[h.name for h in s.headings] for s in found] == [[], ["part_a"], ["part_b", "part_b1"]]
    assert [[(n, x.name) for n, x in s.questions] for s in found] == [
        [(1, "first")],
        [(2, "sex"), (3, "sex_other")],
        [(4, "svc_1")],
    ]
    assert found[2].title == "PART_B1"


def test_the_estimate_counts_conditional_questions_half():
    # 8 s a scale item, 40 s a text, half of it for a conditional one: 8 + 8 + 20 = 36 s → 1 minute.
    assert estimated_minutes([q("likert5", "a"), q("likert5", "b"), q("section", "s")]) == 1
    sixty_items = [q("likert5", f"i{i}") for i in range(60)]  # 480 s
    assert estimated_minutes(sixty_items) == 8
    assert estimated_minutes([*sixty_items, q("text", "t", relevant="${a} = '1'")]) == 9


@pytest.fixture
def sipas_wave(secretariat, draft_cycle, unit_a):
    version = services.import_questionnaire(
        secretariat, "sipas", "SIPAS", SIPAS.read_bytes(), "sipas.tsv"
    )
    now = timezone.now()
    return services.create_wave(
        secretariat,
        draft_cycle,
        version,
        "Khảo sát SIPAS (Quyết định 1001/QĐ-BNV)",
        now - timedelta(days=1),
        now + timedelta(days=1),
    )


def test_the_citizen_reads_a_plain_title_the_time_and_the_form_in_sections(
    client, sipas_wave, unit_a
):
    html = client.get(f"/khao-sat/{sipas_wave.pk}/00070/").content.decode()
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html).group(1)
    assert h1 == "Ý kiến của người dân về dịch vụ hành chính công"
    # The legal reference stays, in small print under the title.
    assert re.search(r'class="small[^"]*" data-testid="wave-title">Khảo sát SIPAS \(Quyết', html)
    questions = sipas_wave.version.parsed()
    asked = sum(x.type != "section" for x in questions)
    minutes = estimated_minutes(questions)
    assert 5 <= minutes <= 30
    assert f"khoảng {minutes} phút (tối đa {asked} câu hỏi: có câu chỉ hỏi tùy" in html
    # One section per step (PHẦN B and its I. together); every question in one of them, numbered.
    assert html.count("data-step ") + html.count("data-step>") == 7
    assert f"Câu 1/{asked}." in html and f"Câu {asked}/{asked}." in html
    # The progress bar is a real <progress> (shown by the script), not a line of text.
    assert re.search(rf'<progress id="survey-progress" max="{asked}" value="0">', html)
    assert "Đã qua" not in html and "style=" not in html


def test_the_thank_you_page_leads_to_the_units_published_results_and_the_public_home(
    client, secretariat, unit_a, unit_b
):
    published_cycle_of(secretariat, [unit_a, unit_b, *extra_units()], year=2024)
    html = client.get("/khao-sat/cam-on/?don-vi=00070").content.decode()
    assert 'href="/cong-khai/2024/don-vi/00070/" data-testid="unit-results"' in html
    assert 'href="/cong-khai/" data-testid="public-home"' in html
    # A unit with nothing published, an unknown code or none: the public home only.
    for query in ("?don-vi=99999", "?don-vi=%00", ""):
        page = client.get(f"/khao-sat/cam-on/{query}")
        assert page.status_code == 200
        assert "unit-results" not in page.content.decode()
        assert 'data-testid="public-home"' in page.content.decode()
