"""The assistant's question set (results/assistant/questions.json): every question answered by the
built-in engine on a small year (tests/assistant_year.py), each answer's figures checked against the
figure the rest of the platform shows: the public API for a published year, the results tables
before, the plan's overdue tasks and the overview's counts, the reporting board's expected units,
the survey monitor page, the survey figures of a unit, the city's published SIPAS points."""

import json
from collections import Counter
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from core import formats
from core.collation import sort_key
from cycles.models import Cycle, CycleState
from plans.models import Task
from reporting.consolidation import expected_units
from reporting.models import Period, ReportState, UnitReport
from results import overview_city
from results.assistant import engine, intents
from results.models import ProvincialValue, UnitResult
from results.tests.assistant_year import build
from surveys.aggregates import unit_figures
from surveys.models import Wave

QUESTIONS = json.loads(
    (Path(__file__).resolve().parent.parent / "assistant" / "questions.json").read_text()
)
REFUSAL = "không có quyền"


def _plain(text: str) -> bool:
    return intents.normalise(text) == " ".join(
        text.lower().replace("?", " ").replace(",", " ").split()
    )


def test_the_set_covers_every_area_with_and_without_diacritics():
    assert len(QUESTIONS) >= 60
    checks = Counter(q["check"] for q in QUESTIONS)
    assert set(checks) == {
        "edge",
        "unit",
        "overdue",
        "missing",
        "progress",
        "sipas_unit",
        "sipas_city",
        "refused",
    }
    assert any(q.get("args", {}).get("family") for q in QUESTIONS)
    plain = [q for q in QUESTIONS if _plain(q["question"])]
    assert 20 <= len(plain) <= len(QUESTIONS) - 20


class Platform:
    """The figures as the rest of the platform shows them."""

    def __init__(self, client, secretariat, year):
        self.client, self.secretariat, self.year = client, secretariat, year

    def edge(self, year, lowest, kind=None, family=None):
        cycle = Cycle.objects.get(organiser=None, year=year, family=family or "city")
        rows = self._rows(cycle)
        rows = [r for r in rows if kind is None or r[2] == kind]
        edge = (min if lowest else max)(r[1] for r in rows)
        chosen = sorted((r for r in rows if r[1] == edge), key=lambda r: sort_key(r[0]))
        return [(name, formats.points(index)) for name, index, *_ in chosen]

    def _rows(self, cycle):
        """(name, index, kind, group, rank) of every unit: the public API once published."""
        if cycle.state == CycleState.PUBLISHED:
            body = self.client.get(f"/api/v1/results/{cycle.key}").json()
            return [
                (u["name"], u["index"], u["kind"], u["group"], u["rank"], u["code"])
                for u in body["units"]
            ]
        return [
            (r.unit.display_name, r.index, r.unit.kind, r.ranking_group, r.rank, r.unit.code)
            for r in UnitResult.objects.filter(cycle=cycle).select_related("unit")
        ]

    def unit(self, code, year):
        cycle = Cycle.objects.get(organiser=None, year=year, family="city")
        name, index, _kind, group, rank, _code = next(r for r in self._rows(cycle) if r[5] == code)
        return [(name, formats.points(index)), (f"Xếp hạng trong {group}", str(rank))]

    def overdue(self, leaders):
        plan = overview_city.current_plan()
        tasks = [
            t
            for t in Task.objects.filter(plan=plan).overdue().order_by("due", "number")
            if not leaders or any(name in t.leader for name in leaders)
        ]
        counted = overview_city.overdue(plan).by_leader
        assert len(tasks) == sum(
            n for leader, n in counted if not leaders or any(name in leader for name in leaders)
        )
        return [(f"{t.number}. {t.title}", formats.day(t.due)) for t in tasks]

    def missing(self, period, kind=None):
        if period is None:
            found = overview_city.reports().period
        else:
            found = Period.objects.get(year=timezone.localdate().year, kind=period)
        sent = UnitReport.objects.filter(period=found, state=ReportState.SUBMITTED)
        units = expected_units(found).exclude(pk__in=sent.values("unit_id"))
        if period is None and kind is None:
            assert units.count() == overview_city.reports().missing
        return sorted((u.display_name, "") for u in units if kind is None or u.kind == kind)

    def progress(self, year, code=None):
        waves = Wave.objects.filter(version__questionnaire__code="sipas")
        wave = (waves.filter(cycle__year=year) if year else waves).order_by("-opens_at").first()
        self.client.force_login(self.secretariat)
        page = self.client.get(reverse("surveys:monitor", args=[wave.pk])).context
        self.client.logout()
        rows = [r for r in page["rows"] if code is None or r["target"].unit.code == code]
        kept, needed = sum(r["kept"] for r in rows), sum(r["target"].sample for r in rows)
        figures = [formats.number(kept, 0), formats.number(needed, 0)]
        figures.append(formats.percent(100 * kept / needed))
        if code is None:
            assert kept == page["total"]
            figures.append(formats.number(sum(r["kept"] >= r["target"].sample for r in rows), 0))
        return figures

    def sipas_unit(self, code, year):
        from units.models import Unit

        unit = Unit.objects.get(code=code)
        figures = []
        for y in (year - 1, year):
            wave = Wave.objects.get(cycle__year=y, version__questionnaire__code="sipas")
            figures.append((str(y), formats.percent(unit_figures(wave, unit)["overall"].percent)))
        return figures

    def sipas_city(self, year):
        values = ProvincialValue.objects.filter(year__in=(year - 1, year)).order_by("year")
        return [(str(v.year), formats.percent(v.value)) for v in values]


def _check(platform, entry, reply) -> str | None:
    check, args = entry["check"], entry.get("args", {})
    if check == "refused":
        ok = reply.figures == [] and REFUSAL in reply.text
        return None if ok else f"not refused: {reply.text}"
    if REFUSAL in reply.text or reply.intent == intents.UNKNOWN:
        return f"not answered ({reply.intent}): {reply.text}"
    got = [(f["label"], f["value"]) for f in reply.figures]
    if check == "missing":
        got = sorted(got)
    if check == "progress":
        got = [value for _label, value in got]
    expected = getattr(platform, check)(**args)
    if not expected:
        return "the small year should give this question figures"
    if got != expected:
        return f"{got} != {expected}"
    for figure in reply.figures:
        if not figure["url"]:
            return f"no link for {figure['label']}"
        if check not in ("missing",) and figure["value"] not in reply.text:
            return f"{figure['value']} not in the text: {reply.text}"
    return None


@pytest.fixture
def small_year(secretariat, unit_a, unit_b):
    return build(secretariat, unit_a, unit_b)


def test_every_question_of_the_set_is_answered_with_the_platforms_figures(
    client, small_year, personas, secretariat
):
    personas = {**personas, "anonymous": AnonymousUser()}
    platform = Platform(client, secretariat, small_year)
    failures = []
    for entry in QUESTIONS:
        reply = engine.ask(personas[entry["as"]], entry["question"])
        if problem := _check(platform, entry, reply):
            failures.append(f"{entry['question']} ({entry['as']}): {problem}")
    assert failures == [], "\n".join(failures)
