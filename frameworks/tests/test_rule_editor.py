"""The structured rule editor: fields and rows per rule kind, the preview, and a unit's points after."""

from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import open_phases
from core.tabular import read_table
from cycles.services import transition
from frameworks.excel import parse_specs
from frameworks.models import Framework
from frameworks.rule_forms import build, initial_fields, initial_rows
from frameworks.services import save_specs
from units.models import UnitKind

DEMO = Path(__file__).resolve().parent.parent / "data" / "framework-department.csv"


class FormValues(HTMLParser):
    """What a browser would post for the form with id node-form (no button pressed)."""

    def __init__(self):
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._select = self._textarea = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") != "submit":
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.values.append((name, a.get("value", "on")))
            else:
                self.values.append((name, a.get("value") or ""))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.values.append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.values.append((self._textarea, self._text.strip("\n")))
            self._textarea = None


def form_values(page: str) -> dict:
    parser = FormValues()
    parser.feed(page)
    data: dict[str, list[str]] = {}
    for name, value in parser.values:
        data.setdefault(name, []).append(value)
    return {k: v if len(v) > 1 else v[0] for k, v in data.items()}


@pytest.fixture
def commune(draft_cycle):
    return Framework.objects.get(cycle=draft_cycle, kind=UnitKind.COMMUNE)


def deadline_post(leaf, rows, **extra):
    data = {
        "title": leaf.title,
        "max_points": "1,00",
        "rule": "deadline",
        "deadline_tiers-TOTAL_FORMS": str(len(rows)),
        "deadline_tiers-INITIAL_FORMS": "0",
    }
    for i, (day, points) in enumerate(rows):
        data[f"deadline_tiers-{i}-day"] = day
        data[f"deadline_tiers-{i}-points"] = points
    return {**data, **extra}


def test_editing_deadline_tiers_through_the_form_moves_a_units_points(
    client, secretariat, officer_a, unit_a, draft_cycle, commune
):
    from assessments.services import save_self

    leaf = commune.nodes.get(code="1.1.1")
    client.force_login(secretariat)
    response = client.post(
        f"/frameworks/nodes/{leaf.pk}/",
        deadline_post(leaf, [("2025-04-30", "0,50"), ("2025-03-31", "1,00"), ("", "")]),
    )
    assert response.status_code == 302
    leaf.refresh_from_db()
    assert leaf.rule_params == {"tiers": [["2025-03-31", 1], ["2025-04-30", 0.5]]}

    open_phases(draft_cycle, secretariat)
    transition(secretariat, draft_cycle, "self_assessment")
    item = draft_cycle.assessments.get(unit=unit_a).items.get(node=leaf)
    # 15 March was too late under the old tiers (31 January, 28 February): 0 points then.
    assert save_self(officer_a, item, inputs={"date": "2025-03-15"}).self_points == Decimal("1.00")
    item.refresh_from_db()
    late = save_self(officer_a, item, inputs={"date": "2025-04-15"}, version=item.version)
    assert late.self_points == Decimal("0.50")


def test_points_above_the_maximum_are_shown_on_the_row_and_nothing_is_saved(
    client, secretariat, commune
):
    leaf = commune.nodes.get(code="1.1.1")
    before = leaf.rule_params
    client.force_login(secretariat)
    response = client.post(
        f"/frameworks/nodes/{leaf.pk}/", deadline_post(leaf, [("2025-03-31", "2,00")])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Điểm không được lớn hơn điểm tối đa 1,00." in page
    assert 'value="2,00"' in page  # what was typed stays
    leaf.refresh_from_db()
    assert leaf.rule_params == before


def test_a_deadline_with_no_row_is_refused_in_words(client, secretariat, commune):
    leaf = commune.nodes.get(code="1.1.1")
    client.force_login(secretariat)
    page = client.post(f"/frameworks/nodes/{leaf.pk}/", deadline_post(leaf, [])).content.decode()
    assert "Hãy nhập ít nhất một dòng." in page


def test_add_a_row_shows_one_more_blank_row_without_saving(client, secretariat, commune):
    leaf = commune.nodes.get(code="1.1.1")
    before = leaf.rule_params
    client.force_login(secretariat)
    response = client.post(
        f"/frameworks/nodes/{leaf.pk}/",
        deadline_post(leaf, [("2025-03-31", "1,00")], add_row="deadline_tiers"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="deadline_tiers-1-day"' in page and 'name="deadline_tiers-2-day"' not in page
    leaf.refresh_from_db()
    assert leaf.rule_params == before


def test_preview_scores_sample_inputs_and_shows_the_totals(client, secretariat, commune):
    leaf = commune.nodes.get(code="1.1.1")
    client.force_login(secretariat)
    url = f"/frameworks/{commune.pk}/rule-preview/"
    page = client.post(
        url, deadline_post(leaf, [("2026-07-31", "0,50"), ("2026-08-15", "0,25")], node=leaf.pk)
    ).content.decode()
    assert "Thực hiện đến 31/07/2026: 0,50 điểm" in page
    assert "Thực hiện ngày 16/08/2026" in page  # one day late: 0 points
    assert "Tổng điểm bộ tiêu chí sẽ là 10,00 / 10,00." in page
    bigger = client.post(
        url, deadline_post(leaf, [("2026-07-31", "0,50")], node=leaf.pk, max_points="5,00")
    ).content.decode()
    assert "Tổng điểm bộ tiêu chí sẽ là 14,00 / 10,00." in bigger
    assert "Mục cha 1.1: tổng các mục con sẽ là 6,00 điểm" in bigger
    assert "không thể khoá" in bigger
    leaf.refresh_from_db()
    assert leaf.max_points == Decimal("1.00")  # the preview writes nothing


def test_only_the_secretariat_previews(client, officer_a, commune):
    client.force_login(officer_a)
    assert client.post(f"/frameworks/{commune.pk}/rule-preview/", {}).status_code == 403


def test_every_demo_leaf_round_trips_through_the_page(client, secretariat, draft_cycle):
    """Open the editor of one leaf per rule kind and parameter shape, post it back unchanged."""
    specs = parse_specs(read_table(DEMO.read_bytes(), DEMO.name))
    framework = save_specs(secretariat, draft_cycle, UnitKind.DEPARTMENT, specs, source="test")
    client.force_login(secretariat)
    shapes = {}
    for node in framework.nodes.exclude(rule=""):
        shapes.setdefault((node.rule, tuple(sorted(node.rule_params))), node)
    assert {rule for rule, _keys in shapes} >= {
        "manual", "yes_no", "ratio", "checklist", "deadline", "deduction", "survey",
        "automatic", "bonus", "penalty",
    }  # fmt: skip
    for node in shapes.values():
        url = f"/frameworks/nodes/{node.pk}/"
        data = form_values(client.get(url).content.decode())
        assert "use_json" not in data
        response = client.post(url, data)
        assert response.status_code == 302, (node.code, response.content.decode()[:3000])
        before = node.rule_params
        node.refresh_from_db()
        assert node.rule_params == before, node.code


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
points = st.decimals(min_value=0, max_value=5, places=2)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(days, points), min_size=1, max_size=5, unique_by=lambda t: t[0]))
def test_deadline_tiers_round_trip(rows):
    rows = sorted(rows)
    params = {"tiers": [[d.isoformat(), float(p) if p % 1 else int(p)] for d, p in rows]}
    fields = initial_fields("deadline", params)
    tables = {
        "deadline_tiers": [
            {"day": date.fromisoformat(r["day"]), "points": r["points"]}
            for r in initial_rows("deadline", params)["deadline_tiers"]
        ]
    }
    assert build("deadline", fields, tables) == params


shares = st.decimals(min_value=0, max_value=1, places=2)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(shares, points), min_size=1, max_size=5, unique_by=lambda t: t[0]),
    st.booleans(),
    st.one_of(st.none(), shares),
    st.dictionaries(st.sampled_from(["resolved", "handled", "late"]), points, max_size=3),
)
def test_ratio_parameters_round_trip(tiers, proportional, floor, parts):
    def num(d):
        d = d.normalize()
        return int(d) if d == d.to_integral_value() else float(d)

    if proportional:
        params = {"mode": "proportional"} | ({} if floor is None else {"min": num(floor)})
    else:
        params = {"tiers": [[num(t), num(p)] for t, p in sorted(tiers, reverse=True)]}
    if parts:
        params["parts"] = {name: num(w) for name, w in parts.items()}
    fields = initial_fields("ratio", params)
    rows = initial_rows("ratio", params)
    assert build("ratio", fields, rows) == params


def test_checklist_deduction_and_steps_round_trip():
    cases = [
        ("checklist", {"items": ["Trang tin", "Hội nghị"], "per_item": 0.25, "allow_na": True}),
        ("deduction", {"per_item": 0.5}),
        ("manual", {"step": 0.25}),
        ("bonus", {"step": 1}),
        ("penalty", {"step": 0.5}),
        ("yes_no", {"allow_na": True}),
        ("survey", {"source": "sipas", "dimension": "service/results"}),
        (
            "survey",
            {"source": "officials", "dimension": "criterion/3", "groups": ["citizen", "business"]},
        ),
        ("automatic", {"mode": "proportional", "min": 0.8, "source": "dossiers_on_time"}),
    ]
    for rule, params in cases:
        assert build(rule, initial_fields(rule, params), initial_rows(rule, params)) == params


def test_the_next_day_after_the_last_tier_scores_nothing():
    from frameworks.preview import preview

    rows = preview("deadline", {"tiers": [["2026-07-31", 0.5]]}, Decimal("0.5"))
    assert rows[0][1] == Decimal("0.50")
    assert rows[1] == ("Thực hiện ngày 01/08/2026", Decimal("0.00"))
    assert rows[-1] == ("Không thực hiện", Decimal("0.00"))


def test_a_new_checklist_leaf_from_the_fields(client, secretariat, commune):
    parent = commune.nodes.get(code="1.1")
    client.force_login(secretariat)
    data = {
        "parent": parent.pk,
        "title": "Tuyên truyền kế hoạch",
        "max_points": "0,50",
        "rule": "checklist",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-0-text": "Trang tin",
        "items-1-text": "Hội nghị",
        "items-2-text": "",
    }
    missing = client.post(f"/frameworks/{commune.pk}/nodes/new/", data)
    assert "Hãy nhập giá trị này." in missing.content.decode()  # the points per item
    assert not commune.nodes.filter(title="Tuyên truyền kế hoạch").exists()
    response = client.post(
        f"/frameworks/{commune.pk}/nodes/new/", {**data, "rp-checklist_per_item": "0,25"}
    )
    assert response.status_code == 302
    leaf = commune.nodes.get(title="Tuyên truyền kế hoạch")
    assert leaf.code == "1.1.3"
    assert leaf.rule_params == {"items": ["Trang tin", "Hội nghị"], "per_item": 0.25}
