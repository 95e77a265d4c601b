"""Unit catalogue import: CSV and XLSX, lineage, upserts, and all-or-nothing errors."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from core.tabular import ImportFailed
from units.importer import import_hanoi_catalogue, import_units
from units.models import Unit, UnitKind


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def errors_of(data: bytes, name="units.csv"):
    with pytest.raises(ImportFailed) as caught:
        import_units(data, name)
    return [str(p) for p in caught.value.problems]


@pytest.mark.django_db
def test_hanoi_catalogue_has_every_unit_with_lineage():
    summary = import_hanoi_catalogue()
    assert summary.created == 239
    assert Unit.objects.filter(kind=UnitKind.COMMUNE).count() == 126
    assert Unit.objects.filter(kind=UnitKind.COMMUNE, sub_kind="phuong").count() == 51
    assert Unit.objects.filter(kind=UnitKind.DEPARTMENT, active_to=None).count() == 15
    assert Unit.objects.filter(kind=UnitKind.DISTRICT).count() == 30
    ngoc_ha = Unit.objects.get(code="00008")
    assert ngoc_ha.display_name == "Phường Ngọc Hà"
    assert set(ngoc_ha.predecessors.values_list("code", flat=True)) == {"001", "005"}
    assert Unit.objects.get(code="001").successors.filter(code="00008").exists()


@pytest.mark.django_db
def test_import_twice_updates_instead_of_duplicating():
    import_hanoi_catalogue()
    again = import_hanoi_catalogue()
    assert (again.created, again.updated) == (0, 239)
    assert Unit.objects.count() == 239


@pytest.mark.django_db
def test_csv_with_parent_dates_and_sub_kinds():
    data = (
        "code,name,kind,short_name,parent_code,active_from,active_to,predecessors\n"
        "S01,Sở Nội vụ,department,SNV,,01/03/2025,,\n"
        "S01-TT,Trung tâm Phục vụ hành chính công,public_service_unit,,S01,2025-03-01,,\n"
        "00070,Hoàn Kiếm,phuong,,,,,\n"
    ).encode()
    summary = import_units(data, "units.csv")
    assert summary.created == 3
    centre = Unit.objects.get(code="S01-TT")
    assert centre.parent.code == "S01"
    assert centre.active_from.isoformat() == "2025-03-01"
    assert Unit.objects.get(code="00070").kind == UnitKind.COMMUNE


@pytest.mark.django_db
def test_xlsx_with_only_the_three_required_columns():
    data = xlsx([["code", "name", "kind"], ["C01", "Kho bạc Nhà nước Hà Nội", "central_agency"]])
    import_units(data, "units.xlsx")
    assert Unit.objects.get(code="C01").kind == UnitKind.CENTRAL_AGENCY


@pytest.mark.django_db
def test_bad_rows_are_named_and_nothing_is_saved():
    data = (
        "code,name,kind,active_from,parent_code\n"
        "A1,Đơn vị A,department,,\n"
        "A1,Đơn vị trùng,department,,\n"
        ",Không mã,department,,\n"
        "B1,,planet,32/13/2025,ZZ\n"
    ).encode()
    problems = errors_of(data)
    assert "Dòng 3, cột A (code): mã “A1” trùng với dòng 2." in problems
    assert "Dòng 4, cột A (code): mã đơn vị không được để trống." in problems
    assert "Dòng 5, cột B (name): tên đơn vị không được để trống." in problems
    assert any(p.startswith("Dòng 5, cột C (kind): loại “planet” không hợp lệ") for p in problems)
    assert any(
        p.startswith("Dòng 5, cột D (active_from): ngày “32/13/2025” không hợp lệ")
        for p in problems
    )
    assert any(p.startswith("Dòng 5, cột E (parent_code): đơn vị cấp trên “ZZ”") for p in problems)
    assert Unit.objects.count() == 0


@pytest.mark.django_db
def test_missing_columns_and_empty_files_are_refused():
    assert errors_of(b"code,name\nA,B\n")[0].startswith("Dòng 1: thiếu cột bắt buộc: kind")
    assert errors_of(b"") == ["Tệp rỗng: không có dữ liệu nào để nhập."]
    assert errors_of(b"code,name,kind\n") == ["Tệp không có dòng dữ liệu nào."]
    assert errors_of("mã,tên\n".encode("utf-16"))[0].startswith(
        "Tệp CSV phải được lưu với bảng mã UTF-8"
    )
    assert errors_of(b"PK\x03\x04garbage", "u.xlsx")[0].startswith("Tệp không phải là tệp Excel")


@pytest.mark.django_db
def test_command_reports_problems_without_saving(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("code,name,kind\nX,,department\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Dòng 2, cột B"):
        call_command("import_units", str(path))
    assert Unit.objects.count() == 0
    good = tmp_path / "good.csv"
    good.write_text("code,name,kind\nX,Sở X,department\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_units", str(good), stdout=out)
    assert "Đã nhập 1 đơn vị" in out.getvalue()


@pytest.mark.django_db
def test_active_on_follows_the_2025_reform():
    import_hanoi_catalogue()
    from datetime import date

    before = Unit.objects.active_on(date(2025, 6, 1))
    after = Unit.objects.active_on(date(2025, 8, 1))
    assert before.filter(kind=UnitKind.DISTRICT).count() == 30
    assert before.filter(kind=UnitKind.COMMUNE).count() == 0
    assert after.filter(kind=UnitKind.DISTRICT).count() == 0
    assert after.filter(kind=UnitKind.COMMUNE).count() == 126


@pytest.mark.django_db
def test_reimport_applies_changed_names_parents_and_lineage():
    import_units(b"code,name,kind\nD1,Huyen 1,huyen\nD2,Huyen 2,huyen\n", "a.csv")
    import_units(b"code,name,kind,predecessors\nW1,Phuong 1,phuong,D1\n", "b.csv")
    import_units(
        b"code,name,kind,parent_code,predecessors\nW1,Phuong Mot,phuong,D2,D1;D2\n", "c.csv"
    )
    ward = Unit.objects.get(code="W1")
    assert ward.name == "Phuong Mot" and ward.parent.code == "D2"
    assert set(ward.predecessors.values_list("code", flat=True)) == {"D1", "D2"}
