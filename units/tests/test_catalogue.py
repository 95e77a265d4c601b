"""The built-in catalogue beyond communes and departments (public service units, central agencies,
offices and divisions), and the rule that a sub-unit hangs under a parent of the right kind."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.tabular import ImportFailed
from units import importer
from units.importer import import_hanoi_catalogue, import_units
from units.models import Unit, UnitKind


def errors_of(data: bytes):
    with pytest.raises(ImportFailed) as caught:
        import_units(data, "units.csv")
    return [str(p) for p in caught.value.problems]


@pytest.mark.django_db
def test_catalogue_holds_public_service_units_and_central_agencies_with_sources():
    import_hanoi_catalogue()
    on = date(2025, 12, 31)
    services = Unit.objects.filter(kind=UnitKind.PUBLIC_SERVICE_UNIT)
    agencies = Unit.objects.filter(kind=UnitKind.CENTRAL_AGENCY)
    assert services.active_on(on).count() == 10
    assert agencies.active_on(on).count() == 8
    assert not services.exclude(code__startswith="SN").exists()
    assert not agencies.exclude(code__startswith="TW").exists()
    assert not services.filter(source="").exists() and not agencies.filter(source="").exists()
    assert agencies.active_on(on).filter(name="Kho bạc Nhà nước khu vực I").exists()


@pytest.mark.django_db
def test_renamed_and_merged_agencies_keep_their_lineage():
    import_hanoi_catalogue()
    tax = Unit.objects.get(code="TW02")
    assert tax.name == "Thuế thành phố Hà Nội"
    assert list(tax.predecessors.values_list("name", flat=True)) == ["Cục Thuế thành phố Hà Nội"]
    before, after = date(2025, 2, 1), date(2025, 4, 1)
    assert Unit.objects.active_on(before).filter(code="TW21").exists()
    assert not Unit.objects.active_on(after).filter(code="TW21").exists()
    assert Unit.objects.active_on(after).filter(code="TW02").exists()
    media = Unit.objects.get(code="SN02")
    assert set(media.predecessors.values_list("code", flat=True)) == {"SN21", "SN22", "SN23"}


@pytest.mark.django_db
def test_demo_communes_and_departments_have_their_sub_units():
    import_hanoi_catalogue()
    hoan_kiem = Unit.objects.get(code="00070")
    assert set(hoan_kiem.children.values_list("name", flat=True)) == {
        "Văn phòng HĐND và UBND phường Hoàn Kiếm",
        "Phòng Kinh tế, Hạ tầng và Đô thị phường Hoàn Kiếm",
        "Phòng Văn hóa - Xã hội phường Hoàn Kiếm",
        "Trung tâm Phục vụ hành chính công phường Hoàn Kiếm",
    }
    assert (
        Unit.objects.get(code="00640").children.filter(name="Phòng Kinh tế xã Thanh Trì").exists()
    )
    justice = Unit.objects.get(code="S02")
    assert justice.children.filter(name="Phòng Bổ trợ tư pháp").exists()
    assert justice.children.active_on(date(2025, 12, 31)).count() == 7
    offices = Unit.objects.filter(kind=UnitKind.OFFICE)
    divisions = Unit.objects.filter(kind=UnitKind.DIVISION)
    assert offices.values("parent").distinct().count() == 3
    assert not offices.exclude(parent__kind=UnitKind.COMMUNE).exists()
    assert not divisions.exclude(parent__kind=UnitKind.DEPARTMENT).exists()
    assert {u.parent.code for u in divisions} == {"S01", "S02"}


@pytest.mark.django_db
def test_source_column_is_kept():
    import_units(
        "code,name,kind,source\nTW9,Cơ quan X,central_agency,Quyết định 1/QĐ-UBND\n".encode(),
        "u.csv",
    )
    assert Unit.objects.get(code="TW9").source == "Quyết định 1/QĐ-UBND"


@pytest.mark.django_db
def test_sub_units_need_a_parent_of_their_kind():
    data = (
        "code,name,kind,parent_code\n"
        "S1,Sở A,department,\n"
        "X1,Phường B,phuong,\n"
        "P1,Phòng không cấp trên,office,\n"
        "P2,Phòng dưới sở,office,S1\n"
        "D1,Phòng dưới phường,division,X1\n"
        "P3,Văn phòng phường,office,X1\n"
        "D2,Văn phòng sở,division,S1\n"
    ).encode()
    problems = errors_of(data)
    assert problems == [
        "Dòng 4, cột D (parent_code): “Phòng, ban chuyên môn thuộc UBND xã, phường” phải có đơn vị "
        "cấp trên (cột parent_code) là: UBND xã, phường, UBND quận, huyện, thị xã (trước 01/7/2025).",
        "Dòng 5, cột D (parent_code): đơn vị cấp trên “S1” là “Sở, ban, ngành”; “Phòng, ban chuyên "
        "môn thuộc UBND xã, phường” phải thuộc: UBND xã, phường, UBND quận, huyện, thị xã (trước "
        "01/7/2025).",
        "Dòng 6, cột D (parent_code): đơn vị cấp trên “X1” là “UBND xã, phường”; “Phòng, đơn vị "
        "thuộc sở” phải thuộc: Sở, ban, ngành.",
    ]
    assert Unit.objects.count() == 0


@pytest.mark.django_db
def test_a_sub_unit_file_without_a_parent_column_is_refused():
    problems = errors_of("code,name,kind\nP1,Phòng A,office\n".encode())
    assert problems[0].startswith("Dòng 2: “Phòng, ban chuyên môn thuộc UBND xã, phường” phải có")


@pytest.mark.django_db
def test_parent_kind_is_read_from_the_catalogue_when_not_in_the_file():
    import_units("code,name,kind\nS1,Sở A,department\nX1,Xã B,xa\n".encode(), "a.csv")
    problems = errors_of("code,name,kind,parent_code\nD1,Phòng C,division,X1\n".encode())
    assert problems[0].startswith("Dòng 2, cột D (parent_code): đơn vị cấp trên “X1” là")
    import_units("code,name,kind,parent_code\nD1,Phòng C,division,S1\n".encode(), "b.csv")
    assert Unit.objects.get(code="D1").parent.code == "S1"


@pytest.mark.django_db
def test_catalogue_is_all_or_nothing_across_its_files(tmp_path, monkeypatch):
    good = tmp_path / "a.csv"
    good.write_text("code,name,kind\nS1,Sở A,department\n", encoding="utf-8")
    bad = tmp_path / "b.csv"
    bad.write_text("code,name,kind,parent_code\nP1,Phòng A,office,S1\n", encoding="utf-8")
    monkeypatch.setattr(importer, "HANOI_CATALOGUE", (good, bad))
    with pytest.raises(ImportFailed):
        import_hanoi_catalogue()
    assert Unit.objects.count() == 0


@pytest.mark.django_db
def test_command_loads_every_catalogue_file():
    out = io.StringIO()
    call_command("import_units", "--hanoi", stdout=out)
    assert "Đã nhập 239 đơn vị" in out.getvalue()
    assert Unit.objects.filter(kind=UnitKind.DIVISION).exists()


@pytest.mark.django_db
def test_unit_page_shows_its_source_and_sub_units(client, secretariat):
    import_hanoi_catalogue()
    client.force_login(secretariat)
    ward = client.get(reverse("units:detail", args=[Unit.objects.get(code="00070").pk]))
    assert "Phòng Văn hóa - Xã hội phường Hoàn Kiếm (00070-VHXH)" in ward.content.decode()
    tax = client.get(reverse("units:detail", args=[Unit.objects.get(code="TW02").pk]))
    assert "Theo tên gọi sau sắp xếp ngành Thuế từ 01/3/2025" in tax.content.decode()


@pytest.mark.django_db
def test_departments_merged_on_1_march_2025_end_the_day_before_and_name_their_successors():
    import_hanoi_catalogue()
    departments = Unit.objects.filter(kind=UnitKind.DEPARTMENT)
    assert departments.active_on(date(2025, 3, 1)).count() == 15
    assert departments.active_on(date(2025, 2, 28)).count() == 13  # the former ones, with a source
    former = departments.filter(active_to=date(2025, 2, 28))
    assert all(unit.source for unit in former)
    lineage = {
        code: sorted(Unit.objects.get(code=code).predecessors.values_list("name", flat=True))
        for code in ("S01", "S03", "S05", "S06", "S07")
    }
    assert lineage == {
        "S01": ["Sở Lao động - Thương binh và Xã hội", "Sở Nội vụ"],
        "S03": ["Sở Kế hoạch và Đầu tư", "Sở Tài chính"],
        "S05": ["Sở Nông nghiệp và Phát triển nông thôn", "Sở Tài nguyên và Môi trường"],
        "S06": ["Sở Giao thông vận tải", "Sở Xây dựng"],
        "S07": ["Sở Khoa học và Công nghệ", "Sở Thông tin và Truyền thông"],
    }
    assert not Unit.objects.get(code="S02").predecessors.exists()  # Sở Tư pháp was not merged
