"""The framework files shipped per family (frameworks/bundled.py): each imports with the Excel layout's own
checks and saves, its points add up to its target, and its survey leaves can be fed by the questionnaires."""

from decimal import Decimal
from pathlib import Path

import pytest

from frameworks import tree
from frameworks.bundled import BUNDLED, load_specs
from frameworks.services import save_specs
from units.models import UnitKind

SURVEYS = Path(__file__).resolve().parents[2] / "surveys" / "data"
NEW = ["public_service", "central_agency", "office", "division", "provincial"]
NODES = {
    "department": 161,
    "commune": 157,
    "public_service": 118,
    "central_agency": 92,
    "office": 46,
    "division": 42,
    "provincial": 179,
}


def roots_of(specs):
    return tree.build(specs)


def leaves(specs):
    return [t.node for root in roots_of(specs) for t in root.leaves()]


def points(specs, rule=None, exclude=()):
    return sum(
        (
            n.max_points
            for n in leaves(specs)
            if (rule is None or n.rule == rule) and n.rule not in exclude
        ),
        Decimal("0"),
    )


@pytest.mark.parametrize("name", list(BUNDLED))
def test_each_family_file_parses_with_its_node_count_and_total(name):
    bundled = BUNDLED[name]
    specs = load_specs(name)
    assert len(specs) == NODES[name]
    assert tree.total_points(roots_of(specs)) == bundled.target_total
    assert points(specs, "survey") == bundled.survey_points
    assert not tree.structure_problems(specs)
    roots = roots_of(specs)
    assert [r.is_extra for r in roots].count(True) == 1 and roots[
        -1
    ].is_extra  # bonus, penalty last


@pytest.mark.django_db
@pytest.mark.parametrize("name", NEW)
def test_each_family_file_saves_as_a_framework_that_reaches_its_target(
    name, draft_cycle, secretariat
):
    bundled = BUNDLED[name]
    # The provincial framework has no unit kind yet (the city is not a unit): saved as a department's.
    kind = bundled.kind or UnitKind.DEPARTMENT
    framework = save_specs(
        secretariat,
        draft_cycle,
        kind,
        load_specs(name),
        source=bundled.filename,
        target_total=bundled.target_total,
    )
    nodes = list(framework.nodes.all())
    assert len(nodes) == NODES[name]
    assert tree.total_points(tree.build(nodes)) == framework.target_total == bundled.target_total


def test_central_agencies_have_40_appraisal_and_20_survey_points():
    specs = load_specs("central_agency")
    scored = [r for r in roots_of(specs) if not r.is_extra]
    assert len(scored) == 6
    assert points(specs, exclude=("survey", "bonus", "penalty")) == Decimal("40")
    assert points(specs, "survey") == Decimal("20")


def test_commune_offices_and_department_divisions_are_small():
    assert 20 <= len(leaves(load_specs("office"))) <= 40
    assert 20 <= len(leaves(load_specs("division"))) <= 40


def test_provincial_framework_is_shaped_like_the_ministrys():
    specs = load_specs("provincial")
    roots = roots_of(specs)
    titles = [r.node.title for r in roots]
    assert len(specs) > 150
    assert titles[0] == "Công tác chỉ đạo, điều hành cải cách hành chính"
    assert titles[1].startswith("Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật")
    assert titles[6] == "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"
    assert titles[7].startswith("Tác động của cải cách hành chính")
    appraisal, survey, extra = roots[:8], roots[8], roots[9]
    assert all(leaf.node.rule != "survey" for root in appraisal for leaf in root.leaves())
    assert all(leaf.node.rule == "survey" for leaf in survey.leaves())
    assert sum(r.node.max_points for r in appraisal) == Decimal("68")
    assert survey.node.max_points == Decimal("32") and extra.is_extra
    # Each leaf names the department that leads it, for the city's self-assessment (issue 17, item 5).
    assert all("Cơ quan chủ trì" in n.guidance for root in appraisal for n in leaves_of(root))


def leaves_of(root):
    return [t.node for t in root.leaves()]


def questionnaire_rows(filename):
    lines = (SURVEYS / filename).read_text(encoding="utf-8").splitlines()
    return [dict(zip(lines[0].split("\t"), line.split("\t"), strict=True)) for line in lines[1:]]


def sipas_reads(dimension) -> bool:
    """Whether the bundled SIPAS questionnaire has what a leaf bound to `dimension` reads."""
    rows = questionnaire_rows("sipas.tsv")
    if dimension == "overall":
        return True
    if dimension.startswith("indicator/"):
        question = dimension.removeprefix("indicator/")
        return any(r["name"] == question and "none=" in r["choices"] for r in rows)
    return any(
        r["dimension"] == dimension or r["dimension"].startswith(f"{dimension}/") for r in rows
    )


@pytest.mark.parametrize("name", list(BUNDLED))
def test_survey_leaves_are_bound_to_what_the_questionnaires_have(name):
    officials = questionnaire_rows("officials.tsv")
    (group_row,) = [r for r in officials if r["name"] == "respondent_group"]
    groups = {choice.partition("=")[0] for choice in group_row["choices"].split("|")}
    for node in leaves(load_specs(name)):
        if node.rule != "survey":
            continue
        params = node.rule_params
        assert params["source"] in ("sipas", "officials"), node.code
        if params["source"] == "officials":
            assert params["groups"] and set(params["groups"]) <= groups, node.code
            assert any(r["dimension"] == params["dimension"] for r in officials), node.code
        else:
            assert "groups" not in params, node.code
            assert sipas_reads(params["dimension"]), node.code


# What SIPAS weighs in each framework: points per dimension (docs/surveys.md, "Tiêu chí khảo sát gắn
# với thành phần đo"). The overall index weighs only the leaf that publishes it; every other SIPAS leaf
# reads the element or indicator its title names.
SIPAS_POINTS = {
    "department": {
        "overall": "6",
        "service/procedures": "3",
        "service/results": "1.5",
        "service/access": "1.5",
        "service/civil_servants": "1",
        "indicator/unofficial_payment": "1",
        "policy/results": "1",
    },
    "commune": {
        "overall": "6",
        "service/procedures": "3",
        "service/access": "2.5",
        "policy/accountability": "2",
        "service/civil_servants": "1.75",
        "service/results": "1.5",
        "service/feedback": "1",
        "indicator/unofficial_payment": "1",
        "policy/results": "1",
    },
    "public_service": {
        "overall": "6",
        "service/procedures": "4.5",
        "service/results": "1.5",
        "service/civil_servants": "1.5",
        "service/access": "1.5",
    },
    "central_agency": {
        "service/civil_servants": "3",
        "service/procedures": "1.5",
        "service/results": "1.5",
        "service/access": "2",
        "indicator/unofficial_payment": "1",
    },
    "office": {"service/civil_servants": "5", "service/results": "5"},
    "division": {"service": "4"},
    "provincial": {
        "service/access": "2",
        "service/procedures": "2",
        "service/civil_servants": "2",
        "service/results": "2",
        "service/feedback": "2",
    },
}


@pytest.mark.parametrize("name", list(BUNDLED))
def test_sipas_weighs_the_intended_points_per_dimension(name):
    weighed: dict[str, Decimal] = {}
    for node in leaves(load_specs(name)):
        if node.rule == "survey" and node.rule_params["source"] == "sipas":
            dimension = node.rule_params["dimension"]
            weighed[dimension] = weighed.get(dimension, Decimal(0)) + node.max_points
    assert weighed == {k: Decimal(v) for k, v in SIPAS_POINTS[name].items()}
