"""Copying a cycle re-words the copied year in titles and lists every text still naming an old year."""

from pathlib import Path

import pytest

from accounts.models import AuditEvent
from core.tabular import read_table
from cycles.models import Cycle
from cycles.services import create_cycle
from frameworks import years
from frameworks.excel import parse_specs
from frameworks.services import save_specs, year_findings
from units.models import UnitKind

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def cycles_2025_to_2027(secretariat):
    """As the demo: 2025 from the framework files, 2026 copied from it, 2027 copied from 2026."""
    cycle = Cycle.objects.create(year=2025, title="Chỉ số CCHC năm 2025")
    for kind in (UnitKind.DEPARTMENT, UnitKind.COMMUNE):
        path = DATA / f"framework-{kind}.csv"
        save_specs(
            secretariat,
            cycle,
            kind,
            parse_specs(read_table(path.read_bytes(), path.name)),
            source="t",
        )
    c2026 = create_cycle(secretariat, 2026, "Chỉ số CCHC năm 2026", copy_from=cycle)
    c2027 = create_cycle(secretariat, 2027, "Chỉ số CCHC năm 2027", copy_from=c2026)
    return c2026, c2027


def test_copying_2026_to_2027_leaves_no_text_naming_2025_unlisted(cycles_2025_to_2027):
    _c2026, c2027 = cycles_2025_to_2027
    listed = {(f["framework"].kind, f["node"].code) for f in year_findings(c2027)}
    naming_2025 = {
        (framework.kind, node.code)
        for framework in c2027.frameworks.all()
        for node in framework.nodes.all()
        if 2025 in years.years_named(node.title) | years.years_named(node.guidance)
    }
    assert naming_2025 <= listed
    assert naming_2025  # there are such texts (dates inside titles, "năm 2024"-style references)


def test_titles_name_the_new_year(cycles_2025_to_2027):
    _c2026, c2027 = cycles_2025_to_2027
    commune = c2027.frameworks.get(kind=UnitKind.COMMUNE)
    for code in ("6.2.1", "7.1.1", "9.2"):
        title = commune.nodes.get(code=code).title
        assert "năm 2027" in title and "năm 2025" not in title and "năm 2026" not in title, title
    leaf = commune.nodes.get(code="1.1.1")
    assert leaf.rule_params["tiers"][0][0] == "2027-07-31"


def test_the_unit_reads_the_rules_dates_not_typed_ones(client, secretariat, cycles_2025_to_2027):
    _c2026, c2027 = cycles_2025_to_2027
    commune = c2027.frameworks.get(kind=UnitKind.COMMUNE)
    client.force_login(secretariat)
    page = client.get(f"/frameworks/{commune.pk}/").content.decode()
    assert "Thực hiện đến 31/07/2027: 0,50 điểm" in page
    assert f'data-testid="year-findings-count">{len(year_findings(c2027))}<' in page
    assert "31/7/2025" not in page and "31/07/2025" not in page


def test_confirming_one_leaf_and_then_all_is_audited(client, secretariat, cycles_2025_to_2027):
    _c2026, c2027 = cycles_2025_to_2027
    findings = year_findings(c2027)
    first = findings[0]["node"]
    client.force_login(secretariat)
    page = client.get("/frameworks/years/2027/").content.decode()
    assert f'data-code="{first.code}"' in page
    client.post("/frameworks/years/2027/confirm/", {"node": first.pk})
    assert first.pk not in {f["node"].pk for f in year_findings(c2027)}
    event = AuditEvent.objects.for_object(first).get(action="framework.confirm_year_text")
    assert event.actor == secretariat and event.after["title"] == first.title

    # An edit after the confirmation lists the leaf again.
    first.guidance += " Năm 2026."
    first.save(update_fields=["guidance"])
    assert first.pk in {f["node"].pk for f in year_findings(c2027)}

    client.post("/frameworks/years/2027/confirm/", {"all": "1"})
    assert year_findings(c2027) == []
    assert "Không còn mục nào nêu năm cũ" in client.get("/frameworks/years/2027/").content.decode()


def test_reword_title_only_touches_the_copied_year():
    title = "Báo cáo năm 2026 theo Luật Thủ đô năm 2024, Năm 2026"
    assert years.reword_title(title, 2026, 2027) == (
        "Báo cáo năm 2027 theo Luật Thủ đô năm 2024, Năm 2027"
    )
    assert years.reword_title("năm 20261", 2026, 2027) == "năm 20261"


def test_the_units_form_shows_the_rules_tiers(client, officer_a, assessment_a):
    """Leaf 1.1.1 of the small framework: tiers on 31/01/2025 (1,00) and 28/02/2025 (0,50)."""
    client.force_login(officer_a)
    page = client.get("/assessments/2025/00070/?domain=1").content.decode()  # domain 1 open
    assert "Thực hiện đến 31/01/2025: 1,00 điểm" in page
    assert "Thực hiện đến 28/02/2025: 0,50 điểm" in page
    assert "Sau 28/02/2025 hoặc không thực hiện: 0 điểm" in page
    assert (
        "Từ 30\u00a0%: 1,00 điểm" in page and "Từ 20\u00a0%: 0,50 điểm" in page
    )  # leaf 1.2's rate tiers
