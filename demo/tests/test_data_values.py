"""The demo's data-sourced leaves: every `automatic` leaf no feed fills gets a realistic value entered by
the secretariat with its document, so none scores 0 for lack of data; fed leaves are left to the feed."""

import random
from decimal import Decimal
from types import SimpleNamespace

from demo.assessments import enter_data_values


def leaf(source, rule="automatic"):
    params = {"mode": "proportional", "source": source}
    node = SimpleNamespace(rule=rule, rule_params=params, max_points=Decimal("1.50"))
    return SimpleNamespace(node=node, inputs={}, self_points=None)


def test_unfed_automatic_leaves_get_an_entered_value_with_its_document():
    items = [leaf("edoc_signed"), leaf("dossiers_on_time"), leaf("x", rule="manual")]
    enter_data_values(
        items,
        random.Random(1),
        0.85,
        fed=lambda node: node.rule_params["source"] == "dossiers_on_time",
    )
    entered, fed, manual = items
    assert entered.inputs["origin"] == "entered"
    assert entered.inputs["document"].endswith("(Văn phòng UBND Thành phố)")
    assert Decimal("0.8") <= Decimal(entered.inputs["value"]) <= 1
    assert entered.self_points > 0
    assert fed.inputs == {} and manual.inputs == {}


def test_values_stay_in_hanois_range():
    rng = random.Random(7)
    items = [leaf("city_assigned_tasks") for _ in range(500)]
    enter_data_values(items, rng, 0.85, fed=lambda node: False)
    shares = [Decimal(i.inputs["value"]) for i in items]
    assert Decimal("0.93") < sum(shares) / len(shares) < Decimal("0.98")
    assert min(shares) >= Decimal("0.8")
