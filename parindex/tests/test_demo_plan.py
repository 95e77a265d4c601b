"""The demo's 2025 plan: every milestone named, each leader written one way."""

from demo.plans import appendix_for_demo, load_plan
from plans import leaders


def test_demo_appendix_names_every_milestone_and_writes_each_leader_once():
    rows = appendix_for_demo()
    header, body = rows[0], rows[1:]
    task, product, leader = (header.index(c) for c in ("task", "product", "leader"))
    assert all(row[task] or row[product] for row in body)  # no "Mốc 1 của nhiệm vụ 1" to invent
    spellings = {row[leader] for row in body if row[leader]}
    assert len(spellings) == len(leaders.options(spellings)) == 4
    assert "Đ/c Phó Chủ tịch UBND Thành phố Hà Minh Hải" not in spellings
    assert "Chủ tịch UBND Thành phố" not in spellings


def test_demo_plan_has_no_placeholder_milestone(db, secretariat):
    from django.utils import timezone

    from units.importer import import_hanoi_catalogue

    import_hanoi_catalogue()
    plan = load_plan(secretariat, timezone.localdate())
    titles = list(plan.tasks.filter(parent__isnull=False).values_list("title", flat=True))
    assert len(titles) == 11
    assert not [t for t in titles if t.startswith("Mốc ")]
    assert plan.tasks.get(number="1.1").title.startswith(
        "Các cơ quan, đơn vị ban hành Kế hoạch CCHC"
    )
