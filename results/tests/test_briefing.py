"""The Chairman's briefing (results/briefing.py, results/briefing_word.py, results/views_briefing.py):
its figures are the overview's, the Word file carries them in Vietnamese formats, and the click and the
weekly task make the same thing."""

import io
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from docx import Document

from core.formats import day, points
from plans.models import Plan, Task
from reporting.models import Period, ReportState, ReportTemplate, UnitReport
from results import overview_city
from results.briefing import gather, make_briefing
from results.history import import_history
from results.models import Briefing, BriefingSource
from results.overview import indices
from results.tasks import weekly_briefing
from units.models import Unit, UnitKind

from .conftest import GROUP, make_units
from .test_overview import cycle_in_self_assessment, table

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(secretariat, unit_a, unit_b):
    """2024 imported (91, 60, 75); 2025 in self-assessment (its move is this week's change); a plan
    with two overdue tasks (two leaders) and one done; the year's report sent by Unit A only."""
    high, low, middle = make_units(3)
    import_history(
        secretariat,
        2024,
        table(
            f'{high.code},"{GROUP}",91', f'{low.code},"{GROUP}",60', f'{middle.code},"{GROUP}",75'
        ),
        "2024.csv",
    )
    cycle = cycle_in_self_assessment(secretariat, [high, low, middle])
    today = timezone.localdate()
    plan = Plan.objects.create(
        year=today.year, decision_number="1/QĐ", decision_date=date(today.year, 1, 5), title="KH"
    )
    for number, leader in (("1", "Đ/c Phó Chủ tịch A"), ("2", "Đ/c Phó Chủ tịch B")):
        Task.objects.create(
            plan=plan, number=number, title="Số hoá", leader=leader, due=today - timedelta(days=3)
        )
    Task.objects.create(
        plan=plan, number="3", title="Xong", due=today - timedelta(days=3), status="done"
    )
    period = Period.objects.create(
        year=today.year,
        kind="year",
        template=ReportTemplate.objects.create(title="Mẫu"),
        due_at=timezone.now() + timedelta(days=5),
    )
    UnitReport.objects.create(
        period=period, unit=unit_a, state=ReportState.SUBMITTED, submitted_at=timezone.now()
    )
    return {"cycle": cycle, "high": high, "plan": plan, "period": period}


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [
        paragraph.text
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
    ]
    return "\n".join([*cells, *(p.text for p in document.paragraphs)])


def test_briefing_counts_what_the_overview_and_the_boards_count(scene, leader):
    found = gather()
    plan, cycle = scene["plan"], scene["cycle"]
    overdue = overview_city.overdue(plan)
    assert found["overdue"]["tasks"] == overdue.total == 2
    assert found["overdue"]["by_leader"] == [[name, n] for name, n in overdue.by_leader]
    reports = overview_city.reports()
    assert found["overdue"]["period"]["missing"] == reports.missing > 0
    assert found["overdue"]["period"]["expected"] == reports.expected
    (entry,), _ = indices(leader)
    (risk,) = found["risk"]
    assert risk["key"] == cycle.key and risk["count"] == len(entry.at_risk) == 1
    assert risk["shown"][0]["code"] == scene["high"].code
    assert risk["shown"][0]["point"] == entry.at_risk[0].result.point
    changes = found["changes"]
    assert changes["reports_sent"] == 1 and changes["submitted"] == 0
    # One line per cycle moved this week: the imported 2024 from draft to published, 2025 opened.
    assert [(t["key"], t["before"], t["after"]) for t in changes["transitions"]] == [
        ("2024", "Dự thảo", "Đã công bố"),
        (cycle.key, "Dự thảo", "Tự đánh giá"),
    ]
    assert changes["events"] >= 2  # the history import and the move at least


def test_changes_older_than_a_week_are_left_out(scene):
    later = gather(timezone.now() + timedelta(days=8))
    assert later["changes"]["events"] == 0
    assert later["changes"]["transitions"] == [] and later["changes"]["reports_sent"] == 0


def test_leader_makes_the_word_briefing_with_one_click_and_it_carries_the_platforms_figures(
    client, scene, leader
):
    client.force_login(leader)
    page = client.get("/results/overview/").content.decode()
    assert 'action="/results/overview/briefing/"' in page
    response = client.post("/results/overview/briefing/")
    briefing = Briefing.objects.get()
    assert briefing.source == BriefingSource.CLICK and briefing.made_by == leader
    assert response.url == f"/results/overview/briefings/{briefing.pk}.docx"
    download = client.get(response.url)
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".docx" in download["Content-Disposition"]
    text = docx_text(download.content)
    year = timezone.localdate().year
    expected = Unit.objects.filter(kind__in=[UnitKind.COMMUNE, UnitKind.DEPARTMENT]).count()
    assert settings.ORGANISATION_NAME in text  # the organiser's letterhead
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert f"2 nhiệm vụ của Kế hoạch CCHC năm {year} quá hạn" in text
    assert "Đ/c Phó Chủ tịch A: 1; Đ/c Phó Chủ tịch B: 1" in text
    assert f"{expected - 1}/{expected} đơn vị chưa gửi" in text
    assert f"(hạn {day(scene['period'].due_at)})" in text
    assert "1 báo cáo định kỳ được gửi." in text
    assert "Công bố kết quả: Chỉ số CCHC năm 2024 (theo quyết định công bố)." in text
    shown = briefing.content["risk"][0]["shown"][0]
    assert (
        f"{scene['high'].display_name} (năm trước 91,00, dự báo {points(shown['point'])}," in text
    )
    assert "," in points(shown["point"])  # Vietnamese decimal comma
    assert f"từ giai đoạn Dự thảo sang Tự đánh giá ngày {day(timezone.now())}" in text
    # One or two pages: a short document.
    assert len(text) < 4000


def test_past_briefings_are_listed_with_their_files(client, scene, secretariat):
    old = make_briefing(source=BriefingSource.WEEKLY, now=timezone.now() - timedelta(days=7))
    client.force_login(secretariat)
    page = client.get("/results/overview/briefings/").content.decode()
    assert f'href="/results/overview/briefings/{old.pk}.docx"' in page
    assert "Tạo tự động hằng tuần" in page
    assert client.get(f"/results/overview/briefings/{old.pk}.docx").status_code == 200
    assert client.get("/results/overview/briefings/999999.docx").status_code == 404


def test_council_and_organiser_staff_make_no_briefing(client, council):
    client.force_login(council)
    assert client.post("/results/overview/briefing/").status_code == 403
    assert "/results/overview/briefing/" not in client.get("/results/overview/").content.decode()
    assert Briefing.objects.count() == 0


def test_the_weekly_task_makes_what_the_click_makes(scene, leader):
    clicked = make_briefing(leader)
    weekly = Briefing.objects.get(pk=weekly_briefing.call())
    assert weekly.source == BriefingSource.WEEKLY and weekly.made_by is None
    same = ("changes", "overdue", "risk")
    assert {k: weekly.content[k] for k in same} == {k: clicked.content[k] for k in same}


def test_the_command_queues_the_weekly_briefing_or_makes_it_now(scene):
    # The tests' task backend runs a queued task at once (TASKS_BACKEND=immediate).
    call_command("weekly_briefing")
    assert list(Briefing.objects.values_list("source", "made_by")) == [("weekly", None)]
    call_command("weekly_briefing", "--now")
    assert Briefing.objects.filter(source=BriefingSource.WEEKLY).count() == 2


def test_a_busy_week_names_five_moves_and_counts_the_rest(scene):
    from results.briefing_word import render

    briefing = make_briefing()
    move = briefing.content["changes"]["transitions"][0]
    briefing.content["changes"]["transitions"] = [move | {"title": f"Chỉ số {n}"} for n in range(7)]
    text = docx_text(render(briefing))
    assert "Chỉ số 4: chuyển từ giai đoạn" in text and "Chỉ số 5:" not in text
    assert "2 chỉ số khác cũng chuyển giai đoạn trong tuần." in text
