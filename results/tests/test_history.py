from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from accounts.models import AuditEvent
from core.tabular import ImportFailed
from cycles.models import CycleState
from results.compute import recompute
from results.history import import_history
from results.models import Job, JobKind, Publication, UnitResult
from results.services import ResultsError, request_job
from units.models import Unit

from .conftest import FULL, make_units, set_points

pytestmark = pytest.mark.django_db


def table(*rows: str) -> bytes:
    return ("ma_don_vi,khoi,chi_so,xep_hang\n" + "\n".join(rows) + "\n").encode()


def test_history_is_imported_ranked_and_published(secretariat):
    a, b, c = make_units(3, prefix="8")
    data = table(
        f'{a.code},Khối huyện,"85,50",', f"{b.code},Khối huyện,90,", f"{c.code},Khối huyện,85.5,"
    )
    publication = import_history(secretariat, 2024, data, "2024.csv")
    assert publication.cycle.state == CycleState.PUBLISHED and publication.version == 1
    ranks = {r.unit.code: r.rank for r in UnitResult.objects.filter(cycle=publication.cycle)}
    assert ranks == {b.code: 1, a.code: 2, c.code: 2}


def test_bad_history_names_row_and_column_and_saves_nothing(secretariat):
    (a,) = make_units(1, prefix="8")
    data = table(f"{a.code},Khối huyện,101,", "X999,,abc,", f"{a.code},Khối huyện,80,một")
    with pytest.raises(ImportFailed) as failed:
        import_history(secretariat, 2024, data, "2024.csv")
    messages = [str(p) for p in failed.value.problems]
    assert "Dòng 2, cột C (chi_so): Chỉ số phải là số từ 0 đến 100." in messages
    assert "Dòng 3, cột A (ma_don_vi): Không có đơn vị mã “X999”." in messages
    assert "Dòng 3, cột B (khoi): Thiếu khối xếp hạng." in messages
    assert "Dòng 4, cột A (ma_don_vi): Đơn vị bị lặp." in messages
    assert "Dòng 4, cột D (xep_hang): Xếp hạng phải là số." in messages
    assert not Publication.objects.exists() and not UnitResult.objects.exists()


def test_history_only_by_the_secretariat_and_never_over_an_existing_cycle(
    secretariat, council, open_cycle, unit_a
):
    data = table(f"{unit_a.code},Khối xã,80,")
    with pytest.raises(PermissionDenied):
        import_history(council, 2024, data)
    with pytest.raises(ImportFailed, match="đã có kỳ đánh giá"):
        import_history(secretariat, open_cycle.year, data)


def test_merged_unit_compares_with_imported_predecessors(secretariat, cycle_factory):
    old_a, old_b = make_units(2, prefix="8")
    import_history(
        secretariat, 2024, table(f"{old_a.code},Khối huyện,80,", f"{old_b.code},Khối huyện,90,")
    )
    (ward,) = make_units(1, prefix="7")
    ward.predecessors.set([old_a, old_b])
    cycle = cycle_factory([ward], year=2025)
    set_points(cycle, ward, FULL)
    recompute(cycle)
    result = UnitResult.objects.get(cycle=cycle, unit=ward)
    assert result.comparison == "lineage" and str(result.change) == "15.00"


def test_command_reports_problems_in_vietnamese(secretariat, tmp_path):
    path = tmp_path / "2024.csv"
    path.write_bytes(table("X1,Khối,50,"))
    with pytest.raises(CommandError, match="Không có đơn vị mã “X1”"):
        call_command("import_results", "2024", str(path))


def test_a_historic_year_is_created_moved_and_published_through_the_services(secretariat):
    a, b = make_units(2, prefix="8")
    data = table(f"{a.code},Khối huyện,80,", f"{b.code},Khối thị xã,90,")
    publication = import_history(secretariat, 2024, data, "2024.csv")
    cycle = publication.cycle
    assert cycle.imported and publication.notice == "Nhập từ kết quả đã công bố (2024.csv)."
    groups = dict(cycle.participations.values_list("unit__code", "ranking_group"))
    assert groups == {a.code: "Khối huyện", b.code: "Khối thị xã"}
    events = AuditEvent.objects.for_object(cycle).order_by("pk")
    assert [e.action for e in events] == [
        "cycle.create",
        "cycle.add_participants",
        "cycle.add_participants",
        *["cycle.transition"] * 4,
        "results.publish",
        "cycle.transition",
        "results.import_history",
    ]
    moves = [e.after["state"] for e in events if e.action == "cycle.transition"]
    assert moves == ["self_assessment", "appraisal", "explanation", "finalised", "published"]
    assert not Job.objects.filter(cycle=cycle).exists()  # its results are not recomputed


def test_an_imported_year_is_never_recomputed(secretariat):
    (a,) = make_units(1, prefix="8")
    cycle = import_history(secretariat, 2024, table(f"{a.code},Khối huyện,80,")).cycle
    with pytest.raises(ResultsError, match="nhập từ quyết định đã công bố"):
        request_job(secretariat, cycle, JobKind.RECOMPUTE)
    assert UnitResult.objects.get(cycle=cycle).index == 80


def test_a_year_the_cycles_refuse_is_an_import_problem(secretariat):
    (a,) = make_units(1, prefix="8")
    with pytest.raises(ImportFailed, match="Năm 1999 không hợp lệ"):
        import_history(secretariat, 1999, table(f"{a.code},Khối huyện,80,"))
    assert not Publication.objects.exists()


def test_departments_formed_on_1_march_2025_compare_with_the_departments_they_merged(
    secretariat, cycle_factory
):
    from units.importer import import_hanoi_catalogue

    import_hanoi_catalogue()
    # Sở Nội vụ and Sở Lao động - TB&XH (2024) → Sở Nội vụ (S01); Sở Tư pháp (S02) was not merged.
    data = table("S21,Khối sở,90,", "S22,Khối sở,80,", "S02,Khối sở,88,")
    import_history(secretariat, 2024, data, "2024.csv")
    home, justice = Unit.objects.get(code="S01"), Unit.objects.get(code="S02")
    cycle = cycle_factory([home, justice], year=2025, group="Khối sở")
    for unit in (home, justice):
        set_points(cycle, unit, FULL)
    recompute(cycle)
    merged = UnitResult.objects.get(cycle=cycle, unit=home)
    assert merged.comparison == "lineage" and merged.compared_with == ["S21", "S22"]
    assert merged.previous_index == Decimal("85.00")
    kept = UnitResult.objects.get(cycle=cycle, unit=justice)
    assert kept.comparison == "same" and kept.previous_index == Decimal("88.00")


def test_history_keeps_domain_and_part_points_in_the_snapshot(secretariat):
    a, b = make_units(2, prefix="8")
    header = "ma_don_vi,khoi,chi_so,linh_vuc_1,linh_vuc_1_toi_da,linh_vuc_2,linh_vuc_2_toi_da,"
    header += "tham_dinh,tham_dinh_toi_da,dieu_tra,dieu_tra_toi_da"
    data = "\n".join(
        [
            header,
            f'{a.code},Khối huyện,"85,5","5,5",6,80,94,"62,5",70,23,30',
            f"{b.code},Khối huyện,90,6,6,84,94,65,70,25,30",
        ]
    ).encode()
    publication = import_history(secretariat, 2024, data, "2024.csv")
    unit = next(u for u in publication.snapshot["units"] if u["code"] == a.code)
    assert [(d["code"], d["points"], d["max"], d["index"]) for d in unit["domains"]] == [
        ("1", 5.5, 6.0, 91.67),
        ("2", 80.0, 94.0, 85.11),
    ]
    assert (unit["appraisal_points"], unit["appraisal_maximum"]) == (62.5, 70.0)
    assert (unit["survey_points"], unit["survey_maximum"]) == (23.0, 30.0)


def test_bad_domain_columns_name_row_and_column_and_save_nothing(secretariat):
    a, b = make_units(2, prefix="8")
    missing = f"ma_don_vi,khoi,chi_so,linh_vuc_1\n{a.code},Khối huyện,80,5\n".encode()
    with pytest.raises(ImportFailed) as failed:
        import_history(secretariat, 2024, missing, "2024.csv")
    assert [str(p) for p in failed.value.problems] == [
        "Dòng 1: Cột “linh_vuc_1” cần cột điểm tối đa “linh_vuc_1_toi_da”."
    ]
    data = "\n".join(
        [
            "ma_don_vi,khoi,chi_so,linh_vuc_1,linh_vuc_1_toi_da",
            f"{a.code},Khối huyện,80,7,6",
            f"{b.code},Khối huyện,80,,6",
        ]
    ).encode()
    with pytest.raises(ImportFailed) as failed:
        import_history(secretariat, 2024, data, "2024.csv")
    assert [str(p) for p in failed.value.problems] == [
        "Dòng 2, cột D (linh_vuc_1): Điểm (7) lớn hơn điểm tối đa (6).",
        "Dòng 3, cột D (linh_vuc_1): Cần một số không âm.",
    ]
    assert not Publication.objects.exists() and not UnitResult.objects.exists()
