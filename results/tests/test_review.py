"""The five-year review's trends: lineage through the 1/3/2025 mergers, missing years, groups, domains."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from results import review
from results.history import import_history
from results.models import ProvincialValue
from results.review import Year, traced, trends
from units.models import Unit, UnitKind

DEPARTMENTS = "Khối sở, ban, ngành"
DISTRICTS = "Khối quận, huyện"


def unit(code, index, group=DEPARTMENTS, domains=()):
    return {
        "code": code,
        "name": f"Đơn vị {code}",
        "group": group,
        "index": index,
        "domains": list(domains),
    }


def year(number, *units):
    return Year(
        number, {u["code"]: u for u in units}, [{"key": str(number), "title": "", "version": 1}]
    )


# Sở Nội vụ (S01) formed on 1/3/2025 from S21 and S22; Sở Tư pháp (S02) not merged.
LINEAGE = {"S01": ["S21", "S22"]}


def test_a_new_department_continues_the_mean_of_its_predecessors():
    years = [
        year(2023, unit("S21", 80.0), unit("S22", 90.0), unit("S02", 70.0)),
        year(2024, unit("S21", 84.0), unit("S22", 88.0), unit("S02", 75.0)),
        year(2025, unit("S01", 91.5), unit("S02", 80.0)),
    ]
    found = trends(years, LINEAGE, {})
    rows = {r["code"]: r for r in found["units"]}
    assert rows["S01"]["values"] == [85.0, 86.0, 91.5]
    assert rows["S01"]["cells"][1] == {"index": 86.0, "own": False, "from": ["S21", "S22"]}
    assert rows["S01"]["cells"][2]["own"] and rows["S01"]["through_lineage"]
    assert rows["S01"]["change"] == 6.5
    assert rows["S02"]["values"] == [70.0, 75.0, 80.0] and not rows["S02"]["through_lineage"]
    # The former departments are followed through their successor, not listed again.
    assert set(rows) == {"S01", "S02"}
    (group,) = found["groups"]
    assert group["values"] == [77.5, 80.5, 85.75] and group["counts"] == [2, 2, 2]


def test_missing_years_stay_empty_and_a_predecessor_missing_one_year_is_left_out():
    years = [
        year(2021),
        year(2022, unit("S21", 80.0), unit("S22", 70.0)),
        year(2023, unit("S22", 72.0)),  # S21 was not assessed that year
        year(2024),
        year(2025, unit("S01", 90.0)),
    ]
    found = trends(years, LINEAGE, {"par_index": {2023: 88.1}})
    (row,) = found["units"]
    assert row["values"] == [None, 75.0, 72.0, None, 90.0]
    assert row["change"] == 15.0  # from the first year with a value to the last
    assert found["missing"] == [2021, 2024]
    assert found["city"]["values"] == [None, 75.0, 72.0, None, 90.0]
    par = next(p for p in found["provincial"] if p["series"] == "par_index")
    assert par["values"] == [None, None, 88.1, None, None]


def test_a_merger_of_merged_units_goes_back_to_the_first_ones():
    lineage = {"N": ["M", "C"], "M": ["A", "B"]}
    old = year(2023, unit("A", 60.0), unit("B", 80.0), unit("C", 90.0))
    assert traced("N", old, lineage) == (80.0, ["A", "B", "C"])
    # A cycle in the lineage is not followed for ever.
    assert traced("X", old, {"X": ["Y"], "Y": ["X"]}) == (None, [])


def test_a_dissolved_unit_is_listed_as_former_and_its_group_kept():
    years = [
        year(2024, unit("001", 70.0, DISTRICTS), unit("S02", 75.0)),
        year(2025, unit("S02", 80.0)),
    ]
    found = trends(years, {}, {})
    rows = {r["code"]: r for r in found["units"]}
    assert rows["001"]["former"] and rows["001"]["values"] == [70.0, None]
    groups = {g["name"]: g for g in found["groups"]}
    assert groups[DISTRICTS]["former"] and groups[DISTRICTS]["values"] == [70.0, None]
    assert not groups[DEPARTMENTS]["former"]


def test_domain_trend_weighs_units_by_the_domains_maximum_and_skips_index_only_years():
    def d(points, maximum):
        return {
            "code": "2",
            "title": "Cải cách TTHC",
            "points": points,
            "max": maximum,
        }

    years = [
        year(2023, unit("S02", 70.0)),  # imported without domains
        year(2024, unit("S02", 75.0, domains=[d(8, 10)]), unit("S03", 80.0, domains=[d(16, 20)])),
    ]
    (row,) = trends(years, {}, {})["domains"]
    assert row["values"] == [None, 80.0] and row["title"] == "Cải cách TTHC"


@settings(deadline=None)  # a loaded machine must not fail it on time
@given(st.lists(st.floats(min_value=0, max_value=100), min_size=1, max_size=6))
def test_a_traced_index_lies_between_its_predecessors(values):
    codes = [f"P{i}" for i in range(len(values))]
    old = year(2024, *(unit(c, v) for c, v in zip(codes, values, strict=True)))
    value, sources = traced("N", old, {"N": codes})
    assert min(values) - 0.01 <= value <= max(values) + 0.01
    assert sources == sorted(codes)


@pytest.mark.django_db
def test_review_reads_published_years_through_the_march_2025_mergers(secretariat):
    for code in ("S21", "S22", "S02"):
        Unit.objects.create(code=code, name=f"Sở cũ {code}", kind=UnitKind.DEPARTMENT)
    new = Unit.objects.create(code="S01", name="Sở Nội vụ", kind=UnitKind.DEPARTMENT)
    new.predecessors.set(Unit.objects.filter(code__in=["S21", "S22"]))
    header = "ma_don_vi,khoi,chi_so,linh_vuc_1,linh_vuc_1_toi_da\n"
    import_history(
        secretariat,
        2023,
        (header + "S21,Khối sở,80,8,10\nS22,Khối sở,90,9,10\nS02,Khối sở,70,7,10\n").encode(),
    )
    import_history(
        secretariat, 2025, "ma_don_vi,khoi,chi_so\nS01,Khối sở,92\nS02,Khối sở,81\n".encode()
    )
    ProvincialValue.objects.create(
        series="papi", year=2023, value=Decimal("44.5"), source="PAPI 2023"
    )
    found = review.load()
    assert found["years"] == [2021, 2022, 2023, 2024, 2025]
    assert found["missing"] == [2021, 2022, 2024]
    rows = {r["code"]: r for r in found["units"]}
    assert rows["S01"]["values"] == [None, None, 85.0, None, 92.0]
    assert rows["S02"]["values"] == [None, None, 70.0, None, 81.0]
    assert found["domains"][0]["values"] == [None, None, 80.0, None, None]
    assert found["cycles"][2][0]["key"] == "2023"
    papi = next(p for p in found["provincial"] if p["series"] == "papi")
    assert papi["values"][2] == 44.5
