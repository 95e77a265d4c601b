"""Roll-up: Sở Tư pháp's published index of its divisions feeds its `automatic` leaf in the city's index."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from accounts.models import Role, User
from assessments.automatic import fill_from_sources, value_for
from conftest import SMALL_TOTAL, item_of, small_framework_specs
from cycles.models import IndexFamily
from cycles.services import add_participants, create_cycle
from frameworks.models import Node
from frameworks.services import save_specs
from results.rollup import internal_measure
from results.services import publish
from units.models import Unit, UnitKind

from .published import finalise

# Three divisions of Sở Tư pháp and the share of every leaf's maximum each gets: indices 90, 70, 85.
SHARES = {"S02-P1": "0.9", "S02-P2": "0.7", "S02-P3": "0.85"}


def internal_index(department, year: int = 2025, *, published: bool = True):
    """Sở Tư pháp's index of its divisions, run by its own secretariat, finalised and published."""
    secretariat = User.objects.create_user(
        f"thuky.{department.code}.{year}", role=Role.SECRETARIAT, unit=department
    )
    cycle = create_cycle(
        secretariat,
        year,
        f"Chỉ số CCHC các phòng năm {year}",
        organiser=department,
        family=IndexFamily.INTERNAL,
    )
    divisions = [
        Unit.objects.get_or_create(
            code=code,
            defaults={"name": f"Phòng {code}", "kind": UnitKind.DIVISION, "parent": department},
        )[0]
        for code in SHARES
    ]
    add_participants(secretariat, cycle, divisions)
    save_specs(
        secretariat,
        cycle,
        UnitKind.DIVISION,
        small_framework_specs(),
        source="test",
        target_total=SMALL_TOTAL,
    )
    cycle = finalise(secretariat, cycle, SHARES)
    if published:
        publish(secretariat, cycle)
    return cycle


def leaf(source: str, **params):
    return SimpleNamespace(rule_params={"source": source, **params})


@pytest.mark.django_db
def test_the_share_of_divisions_rated_good_and_their_mean(unit_b):
    internal_index(unit_b)
    year = SimpleNamespace(year=2025)
    assert internal_measure(unit_b, year, leaf("internal_share_good")) == Decimal("0.6667")
    assert internal_measure(unit_b, year, leaf("internal_share_good", good_from=88)) == Decimal(
        "0.3333"
    )
    assert internal_measure(unit_b, year, leaf("internal_index_mean")) == Decimal("0.8167")


@pytest.mark.django_db
def test_nothing_before_publication_in_another_year_or_for_another_unit(unit_a, unit_b):
    internal_index(unit_b, published=False)
    assert internal_measure(unit_b, SimpleNamespace(year=2025), leaf("internal_share_good")) is None
    internal_index(unit_b, 2024)
    assert internal_measure(unit_b, SimpleNamespace(year=2025), leaf("internal_share_good")) is None
    assert internal_measure(unit_a, SimpleNamespace(year=2024), leaf("internal_share_good")) is None
    assert internal_measure(unit_b, SimpleNamespace(year=2024), leaf("dossiers_on_time")) is None


def test_the_city_index_leaf_reads_the_departments_published_index(
    secretariat, open_cycle, unit_a, unit_b
):
    internal_index(unit_b)
    Node.objects.filter(framework__cycle=open_cycle, code="2.2").update(
        rule_params={"mode": "proportional", "source": "internal_share_good"}
    )
    node = Node.objects.get(framework__cycle=open_cycle, framework__kind="department", code="2.2")
    assert value_for("automatic", unit_b, open_cycle, node) == Decimal("0.6667")  # wired in apps
    fill_from_sources(secretariat, open_cycle)
    department = item_of(open_cycle.assessments.get(unit=unit_b), "2.2")
    assert department.inputs == {"value": "0.6667", "source": "internal_share_good"}
    assert department.self_points == Decimal("0.67")  # 1 point × 0.6667, rounded
    commune = item_of(open_cycle.assessments.get(unit=unit_a), "2.2")
    assert commune.inputs == {} and commune.self_points is None  # Hoàn Kiếm published none
