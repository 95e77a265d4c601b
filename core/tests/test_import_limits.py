"""Security finding (issue 15): a 37 KB XLSX of 100.000 rows sent to the unit import took 6,5 s and
answered a 39 MB page. Imports now cap the unpacked size, the rows and the problems listed."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core import tabular
from core.tabular import ImportFailed, ImportProblem, read_table
from core.uploads import MAX_UNCOMPRESSED_BYTES, check_xlsx_package
from units.models import Unit

from .import_files import many_rows, workbook, zip_bomb

UNIT_HEADER = ["code", "name", "kind"]
ROW_LIMIT = "mỗi lần nhập tối đa 20.000 dòng dữ liệu"


def refusal(data: bytes, name: str = "a.xlsx", **limits) -> list[str]:
    with pytest.raises(ImportFailed) as caught:
        read_table(data, name, **limits)
    return [str(p) for p in caught.value.problems]


# ------------------------------------------------------------------ rows


def test_a_small_file_of_100000_rows_is_refused_before_openpyxl_reads_it(monkeypatch):
    data = many_rows(UNIT_HEADER, ["X", "Phường", "commune"], 100_000)
    assert len(data) < 100_000  # tens of kilobytes, as the original

    def never(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(tabular, "load_workbook", never)
    [problem] = refusal(data)
    assert "Tệp có hơn 20.000 dòng" in problem and ROW_LIMIT in problem


def test_rows_past_the_limit_are_refused_while_reading_and_the_caller_sets_the_limit():
    header, row = UNIT_HEADER, ["X", "Phường", "commune"]
    assert len(read_table(many_rows(header, row, 10), max_rows=10).rows) == 10
    # 11 rows: too few for the count before opening, refused at the 11th row read
    [problem] = refusal(many_rows(header, row, 11), max_rows=10)
    assert "Tệp có hơn 10 dòng" in problem
    csv = ("code,name,kind\n" + "X,Phường,commune\n" * 11).encode()
    assert "Tệp có hơn 10 dòng" in refusal(csv, "a.csv", max_rows=10)[0]
    assert len(read_table(csv, "a.csv", max_rows=11).rows) == 11


def test_blank_rows_do_not_count_towards_the_limit():
    rows = [UNIT_HEADER] + [["X", "Phường", "commune"]] * 5 + [[None, None, None]] * 30
    rows += [["Y", "Phường", "commune"]]
    assert len(read_table(workbook(rows), max_rows=6).rows) == 6


def test_a_wide_sheet_is_refused_by_its_filled_cells():
    row = [f"c{i}" for i in range(60)]
    [problem] = refusal(workbook([row] * 12), max_rows=10)  # 720 cells > 10 × 25
    assert "Tệp có hơn 250 ô có dữ liệu" in problem


# ------------------------------------------------------------------ packed size


def test_a_zip_bomb_is_refused_from_its_directory_alone():
    bomb = zip_bomb(40 * 1024 * 1024)  # 40 MB of spaces, some 40 KB packed
    assert len(bomb) < 100_000
    [problem] = refusal(bomb)
    assert "nén bất thường" in problem


def test_more_than_50_mb_unpacked_is_refused():
    stored = io.BytesIO()  # packed without compression: no ratio to see, only the size
    with zipfile.ZipFile(stored, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (MAX_UNCOMPRESSED_BYTES + 1))
    [problem] = refusal(stored.getvalue())
    assert "quá lớn khi giải nén" in problem and "tối đa 50,0 MB" in problem


def test_an_ordinary_workbook_passes_the_package_check():
    check_xlsx_package(workbook([UNIT_HEADER] + [["00070", "Hoàn Kiếm", "commune"]] * 500))


# ------------------------------------------------------------------ problems listed


def test_the_first_200_problems_are_listed_then_a_count_of_the_others():
    problems = [ImportProblem(n, "A", "sai") for n in range(2, 5002)]
    failed = ImportFailed(problems)
    assert failed.total == 5000 and len(failed.problems) == 201
    assert str(failed.problems[199]) == "Dòng 201, cột A: sai"
    assert str(failed.problems[-1]) == "… và 4.800 lỗi khác."
    assert len(ImportFailed(problems[:200]).problems) == 200  # no count line when all are listed


# ------------------------------------------------------------------ replayed on the unit import


def _post(client, user, data: bytes, name: str):
    client.force_login(user)
    return client.post("/units/import/", {"file": SimpleUploadedFile(name, data)})


def test_unit_import_refuses_the_100000_row_file_with_a_small_page(client, secretariat):
    data = many_rows(UNIT_HEADER, ["X", "Phường", "commune"], 100_000)
    response = _post(client, secretariat, data, "don-vi.xlsx")
    page = response.content.decode()
    assert response.status_code == 200 and ROW_LIMIT in page
    assert len(response.content) < 100_000
    assert not Unit.objects.exists()


def test_unit_import_refuses_a_zip_bomb_on_the_form(client, secretariat):
    response = _post(client, secretariat, zip_bomb(40 * 1024 * 1024), "don-vi.xlsx")
    assert response.status_code == 200 and "nén bất thường" in response.content.decode()
    assert not Unit.objects.exists()


def test_unit_import_of_5000_bad_rows_lists_200_problems_and_counts_the_rest(client, secretariat):
    data = ("code,name,kind\n" + "".join(f"X{n},Đơn vị,khong-co\n" for n in range(5000))).encode()
    response = _post(client, secretariat, data, "don-vi.csv")
    page = response.content.decode()
    listed = re.search(r'<ul class="problem-list mb-0">(.*?)</ul>', page, re.S).group(1)
    items = re.findall(r"<li>(.*?)</li>", listed, re.S)
    assert len(items) == 201
    assert "Dòng 201" in items[199] and "không hợp lệ" in items[199]
    assert items[-1] == "… và 4.800 lỗi khác."
    assert not Unit.objects.exists()
