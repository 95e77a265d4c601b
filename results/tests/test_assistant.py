"""The assistant's built-in engine (docs/assistant.md): intents read with and without diacritics,
each intent's answer on a small fixture, the asker's permissions, and the log."""

import unicodedata
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from cycles.models import Cycle, CycleState, Participation
from plans.models import Plan, Task, TaskStatus
from reporting.models import Period, ReportState, ReportTemplate, UnitReport
from results import snapshot
from results.assistant import engine, intents, tools
from results.models import (
    AssistantQuestion,
    ProvincialSeries,
    ProvincialValue,
    Publication,
    UnitResult,
)
from units.models import Unit, UnitKind

ALIASES = {
    1: intents.unit_aliases("Sở Tư pháp"),
    2: intents.unit_aliases("Hoàn Kiếm", "", "Phường Hoàn Kiếm"),
    3: intents.unit_aliases("Sở Nội vụ"),
}
# question → (intent, unit id, year, kind, period)
QUESTIONS = {
    "Xã nào có chỉ số thấp nhất năm 2025?": (intents.EXTREME, None, 2025, "commune", None),
    "Sở nào chưa nộp báo cáo quý 3?": (intents.MISSING_REPORTS, None, None, "department", "m9"),
    "Những nhiệm vụ nào do đồng chí Phó Chủ tịch phụ trách đang quá hạn?": (
        intents.OVERDUE_TASKS,
        None,
        None,
        None,
        None,
    ),
    "So sánh chỉ số SIPAS của Sở Tư pháp với năm trước": (
        intents.SIPAS,
        1,
        None,
        "department",
        None,
    ),
    "Chỉ số của Phường Hoàn Kiếm năm 2024": (intents.UNIT_INDEX, 2, 2024, "commune", None),
    "Điểm của Sở TP năm 2025 là bao nhiêu?": (intents.UNIT_INDEX, 1, 2025, "department", None),
    "Kết quả của STP": (intents.UNIT_INDEX, 1, None, None, None),
}


def _entities(q):
    unit = q.unit_ids[0] if len(q.unit_ids) == 1 else None
    return (q.intent, unit, q.year, q.kind, q.period)


def strip_some(text: str, flags: list[bool]) -> str:
    out = []
    for char, strip in zip(text, flags, strict=False):
        if strip:
            char = "d" if char == "đ" else "D" if char == "Đ" else char
            char = "".join(
                c for c in unicodedata.normalize("NFD", char) if unicodedata.category(c) != "Mn"
            )
        out.append(char)
    return "".join(out) + text[len(flags) :]


@pytest.mark.parametrize(("text", "expected"), QUESTIONS.items())
def test_intent_and_entities(text, expected):
    assert _entities(intents.read(text, ALIASES)) == expected


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(sorted(QUESTIONS)),
    st.lists(st.booleans(), min_size=80, max_size=80),
    st.booleans(),
)
def test_intents_read_the_same_whatever_diacritics_are_left(text, flags, upper):
    written = strip_some(text, flags)
    written = written.upper() if upper else written
    assert _entities(intents.read(written, ALIASES)) == QUESTIONS[text]


def test_leaders_by_title_or_by_name_in_any_spelling():
    spellings = [
        "Đ/c Hà Minh Hải, Phó Chủ tịch UBND Thành phố",
        "Đ/c Phó Chủ tịch UBND Thành phố Hà Minh Hải",
        "Đ/c Lê Hồng Sơn, Phó Chủ tịch thường trực UBND Thành phố",
        "Đ/c Trần Sỹ Thanh, Chủ tịch UBND Thành phố",
    ]
    by_name = intents.normalise("nhiệm vụ của đồng chí Ha Minh Hai quá hạn")
    assert intents.match_leaders(by_name, None, spellings) == set(spellings[:2])
    assert intents.match_leaders("", "pho chu tich", spellings) == set(spellings[:3])
    assert intents.match_leaders("", "chu tich", spellings) == {spellings[3]}


def _result(cycle, unit, index, group, rank, size):
    zero = Decimal("0")
    Participation.objects.create(
        cycle=cycle, unit=unit, framework_kind=unit.kind, ranking_group=group
    )
    return UnitResult.objects.create(
        cycle=cycle,
        unit=unit,
        ranking_group=group,
        total=Decimal(index),
        maximum=Decimal("100"),
        index=Decimal(index),
        appraisal_points=zero,
        appraisal_maximum=zero,
        survey_points=zero,
        survey_maximum=zero,
        extra_points=zero,
        rank=rank,
        group_size=size,
    )


@pytest.fixture
def results(unit_a, unit_b):
    """2025 published, 2026 finalised (not public): Hoàn Kiếm and Cửa Nam, Sở Tư pháp."""
    cua_nam = Unit.objects.create(
        code="00073", name="Cửa Nam", kind=UnitKind.COMMUNE, sub_kind="phuong"
    )
    communes, departments = "Khối xã, phường", "Khối sở"
    for year, state, a, c in (
        (2025, CycleState.PUBLISHED, "80.5", "61.25"),
        (2026, CycleState.FINALISED, "70", "90"),
    ):
        cycle = Cycle.objects.create(year=year, title=f"Chỉ số CCHC năm {year}")
        Cycle.objects.filter(pk=cycle.pk).update(state=state)
        _result(cycle, unit_a, a, communes, 1 if a > c else 2, 2)
        _result(cycle, cua_nam, c, communes, 1 if c > a else 2, 2)
        _result(cycle, unit_b, "75", departments, 1, 1)
        if state == CycleState.PUBLISHED:
            cycle.refresh_from_db()
            published = snapshot.build(cycle)
            Publication.objects.create(
                cycle=cycle, version=1, snapshot=published, digest=snapshot.digest(published)
            )
    return cua_nam


def test_lowest_commune_of_a_published_year_for_anyone(officer_b, results):
    reply = engine.ask(officer_b, "Xa nao co chi so thap nhat nam 2025?")
    assert [f["label"] for f in reply.figures] == ["Phường Cửa Nam"]
    assert reply.figures[0]["url"] == reverse("public:unit", args=["2025", "00073"])
    assert reply.figures[0]["value"] == "61,25"
    assert "Phường Cửa Nam" in reply.text and "2025" in reply.text


def test_a_published_year_answers_what_was_published(officer_b, results):
    """A recomputation after publication changes no public answer: the snapshot is what was
    published."""
    UnitResult.objects.filter(cycle__year=2025, unit=results).update(index=Decimal("99"))
    lowest = engine.ask(officer_b, "Xã nào có chỉ số thấp nhất năm 2025?")
    assert [(f["label"], f["value"]) for f in lowest.figures] == [("Phường Cửa Nam", "61,25")]
    highest = engine.ask(officer_b, "Phường nào có chỉ số cao nhất năm 2025?")
    assert [f["label"] for f in highest.figures] == ["Phường Hoàn Kiếm"]


def test_another_family_is_its_own_index(leader, results, unit_b):
    q = intents.read("Đơn vị sự nghiệp nào có chỉ số cao nhất năm 2025?", ALIASES)
    assert (q.intent, q.family, q.kind) == (intents.EXTREME, "public_service", None)
    cycle = Cycle.objects.create(year=2025, title="Sự nghiệp 2025", family="public_service")
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.FINALISED)
    _result(cycle, unit_b, "55", "Khối sự nghiệp", 1, 1)
    reply = engine.ask(leader, "Don vi su nghiep nao co chi so cao nhat nam 2025?")
    assert [(f["label"], f["value"]) for f in reply.figures] == [("Sở Tư pháp", "55,00")]
    assert reply.figures[0]["url"] == reverse("results:unit", args=[cycle.key, "S02"])


def test_highest_commune_of_an_unpublished_year_for_its_readers_only(leader, officer_a, results):
    reply = engine.ask(leader, "Phường nào có chỉ số cao nhất năm 2026?")
    assert [f["label"] for f in reply.figures] == ["Phường Cửa Nam"]
    assert reply.figures[0]["url"] == reverse("results:unit", args=["2026", "00073"])
    assert "chưa công bố" in reply.text
    refused = engine.ask(officer_a, "Phường nào có chỉ số cao nhất năm 2026?")
    assert refused.figures == [] and "không có quyền" in refused.text


def test_last_year_is_the_year_before_this_one(leader, results, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 5, 1))
    reply = engine.ask(leader, "Chỉ số của Phường Hoàn Kiếm năm ngoái")
    assert reply.figures[0]["value"] == "80,50"


def test_a_unit_reads_its_own_unpublished_index_not_another_units(officer_a, officer_b, results):
    own = engine.ask(officer_a, "Chỉ số của Phường Hoàn Kiếm năm 2026")
    assert own.figures[0]["value"] == "70,00"
    other = engine.ask(officer_b, "Chi so cua phuong Hoan Kiem nam 2026")
    assert other.figures == [] and "không có quyền" in other.text
    published = engine.ask(officer_b, "Chỉ số của Phường Hoàn Kiếm năm 2025")
    assert published.figures[0]["value"] == "80,50"
    assert published.figures[0]["url"] == reverse("public:unit", args=["2025", "00070"])
    assert "Xếp thứ 1/2" in published.text
    assert published.figures[1]["label"] == "Xếp hạng trong Khối xã, phường"
    assert published.figures[1]["value"] == "1"
    # The rank links to its group's ranking on the public site.
    assert published.figures[1]["url"].startswith(reverse("public:cycle", args=["2025"]) + "khoi/")


@pytest.fixture
def reports(unit_b):
    s01 = Unit.objects.create(code="S01", name="Sở Nội vụ", kind=UnitKind.DEPARTMENT)
    year = timezone.localdate().year
    template = ReportTemplate.objects.create(title="Báo cáo CCHC")
    period = Period.objects.create(
        year=year, kind="m9", template=template, due_at=timezone.now() + timedelta(days=3)
    )
    UnitReport.objects.create(period=period, unit=s01, state=ReportState.SUBMITTED)
    return period


def test_namesakes_are_told_apart_by_year_or_code_or_asked_about(leader, results, unit_b):
    """A department and its predecessor of the same name (dissolved in the 2025 merger): the year's
    cycle tells them apart, the code does, and with neither the assistant asks which one."""
    old = Unit.objects.create(
        code="S92",
        name=unit_b.name,
        kind=UnitKind.DEPARTMENT,
        active_to=date(2025, 2, 28),
    )
    cycle_2024 = Cycle.objects.create(year=2024, title="Chỉ số CCHC năm 2024")
    Cycle.objects.filter(pk=cycle_2024.pk).update(state=CycleState.FINALISED)
    _result(cycle_2024, old, "66", "Khối sở", 1, 1)
    Unit.objects.filter(pk=unit_b.pk).update(active_from=date(2025, 3, 1))
    assert len(intents.read(f"Chỉ số của {unit_b.name}", tools.unit_aliases()).unit_ids) == 2
    this_year = engine.ask(leader, f"Chỉ số của {unit_b.name} năm 2025")
    assert this_year.intent == intents.UNIT_INDEX and "75" in this_year.text
    by_code = engine.ask(leader, f"Chỉ số của {unit_b.name} S92 năm 2024")
    assert "S92" in by_code.figures[0]["url"] and "66" in by_code.text
    assert (
        tools.pick_unit(intents.match_units("so tu phap s92", tools.unit_aliases()), 2025)[0] == old
    )
    # 2024: both were active that year, only the old one took part.
    assert tools.pick_unit([old.pk, unit_b.pk], 2024) == (old, [])
    # No cycle and both active: the assistant lists them and asks for the code.
    Participation.objects.filter(unit__in=[old, unit_b]).delete()
    asked = engine.ask(leader, f"Chỉ số của {unit_b.name} năm 2025")
    assert asked.figures == [] and "Có 2 đơn vị cùng tên" in asked.text
    assert f"({unit_b.code}, từ 01/03/2025)" in asked.text and "(S92, đến 28/02/2025)" in asked.text


def test_departments_that_have_not_sent_the_nine_month_report(leader, officer_a, reports):
    reply = engine.ask(leader, "Sở nào chưa nộp báo cáo quý 3?")
    assert [f["label"] for f in reply.figures] == ["Sở Tư pháp"]
    assert reply.figures[0]["url"] == reverse("reporting:report", args=[reports.year, "m9", "S02"])
    assert "1 đơn vị chưa nộp báo cáo 9 tháng" in reply.text
    refused = engine.ask(officer_a, "Sở nào chưa nộp báo cáo quý 3?")
    assert refused.figures == [] and "không có quyền" in refused.text


@pytest.fixture
def tasks(db):
    today = timezone.localdate()
    plan = Plan.objects.create(
        year=today.year, decision_number="1/QĐ", decision_date=date(today.year, 1, 2), title="KH"
    )
    past = today - timedelta(days=10)
    spellings = {
        "1": ("Đ/c Hà Minh Hải, Phó Chủ tịch UBND Thành phố", past, TaskStatus.IN_PROGRESS),
        "2": ("Đ/c Phó Chủ tịch UBND Thành phố Hà Minh Hải", past, TaskStatus.NOT_STARTED),
        "3": ("Đ/c Hà Minh Hải, Phó Chủ tịch UBND Thành phố", past, TaskStatus.DONE),
        "4": ("Đ/c Trần Sỹ Thanh, Chủ tịch UBND Thành phố", past, TaskStatus.IN_PROGRESS),
        "5": (
            "Đ/c Hà Minh Hải, Phó Chủ tịch UBND Thành phố",
            today + timedelta(days=5),
            "not_started",
        ),
    }
    return {
        number: Task.objects.create(
            plan=plan,
            number=number,
            title=f"Nhiệm vụ {number}",
            leader=leader,
            due=due,
            status=status,
        )
        for number, (leader, due, status) in spellings.items()
    }


def test_overdue_tasks_of_the_vice_chair_in_every_spelling(leader, tasks):
    reply = engine.ask(
        leader, "Những nhiệm vụ nào do đồng chí Phó Chủ tịch phụ trách đang quá hạn?"
    )
    assert [f["url"] for f in reply.figures] == [
        reverse("plans:task", args=[tasks[n].pk]) for n in ("1", "2")
    ]
    assert reply.text.startswith(
        "2 nhiệm vụ đang quá hạn do Hà Minh Hải, Phó Chủ tịch UBND Thành phố phụ trách:"
    )


def test_sipas_from_the_unit_survey_figures(leader, unit_b, monkeypatch):
    waves = {2025: SimpleNamespace(pk=7), 2026: SimpleNamespace(pk=8)}
    monkeypatch.setattr(tools, "_sipas_wave", lambda year: waves.get(year))
    shares = {7: 0.8, 8: 0.85}
    monkeypatch.setattr(
        tools,
        "unit_figures",
        lambda wave, unit: {
            "overall": SimpleNamespace(share=shares[wave.pk], percent=100 * shares[wave.pk])
        },
    )
    reply = engine.ask(leader, "So sánh chỉ số SIPAS của Sở Tư pháp năm 2026 với năm trước")
    assert [(f["label"], f["value"]) for f in reply.figures] == [
        ("2025", "80,00\u00a0%"),
        ("2026", "85,00\u00a0%"),
    ]
    assert reply.figures[1]["url"] == reverse("surveys:unit", args=[8, "S02"])
    assert "Sở Tư pháp" in reply.text and "+5,00" in reply.text


def test_sipas_falls_back_to_the_published_points(officer_a, unit_b):
    for year, value in ((2025, "82.5"), (2026, "84")):
        ProvincialValue.objects.create(
            series=ProvincialSeries.SIPAS,
            year=year,
            value=Decimal(value),
            source="Bộ Nội vụ",
            link="https://example.vn/sipas",
        )
    reply = engine.ask(officer_a, "So sanh SIPAS cua So Tu phap nam 2026 voi nam truoc")
    assert [f["label"] for f in reply.figures] == ["2025", "2026"]
    assert all(f["url"] == "https://example.vn/sipas" for f in reply.figures)
    assert "Thành phố" in reply.text


def test_a_question_it_cannot_answer_gets_examples_and_is_logged(officer_a):
    reply = engine.ask(officer_a, "Thời tiết hôm nay thế nào?")
    assert reply.text.startswith("Tôi chưa trả lời được câu hỏi này")
    assert len(reply.examples) >= 5
    entry = AssistantQuestion.objects.get()
    assert (entry.asker, entry.intent) == (officer_a, intents.UNKNOWN)


def test_the_page_answers_and_the_log_lists_it(client, officer_a, secretariat, results):
    client.force_login(officer_a)
    response = client.post(
        reverse("results:assistant"), {"question": "Chỉ số của Phường Hoàn Kiếm năm 2025"}
    )
    assert response.status_code == 200
    assert reverse("public:unit", args=["2025", "00070"]) in response.content.decode()
    assert "style=" not in response.content.decode().split("<main", 1)[-1]
    client.force_login(secretariat)
    log = client.get(reverse("results:assistant_log")).content.decode()
    assert "Chỉ số của Phường Hoàn Kiếm năm 2025" in log
