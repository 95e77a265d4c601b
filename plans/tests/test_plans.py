"""The plan: importing the real 2025 appendix, name review, tracking, boards, export, reminders."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from accounts.models import AuditEvent, Notification
from core.tabular import ImportFailed
from plans import services
from plans.appendix import (
    APPENDIX_2025,
    DATA,
    OUTSIDE_CATALOGUE_2025,
    PLAN_2025,
    tsv_rows,
    workbook_from_tsv,
)
from plans.importer import HEADER, UnknownUnits
from plans.models import DeadlineKind, Task, TaskStatus
from plans.reminders import send_task_reminders
from units.importer import import_hanoi_catalogue
from units.models import Unit


@pytest.fixture
def catalogue(db):
    import_hanoi_catalogue()


@pytest.fixture
def plan(secretariat, catalogue):
    return services.save_plan(secretariat, **PLAN_2025)


def appendix_bytes():
    return (DATA / "appendix-2025.xlsx").read_bytes()


def test_the_shipped_xlsx_fixture_is_the_tsv():
    sheet = load_workbook(io.BytesIO(appendix_bytes())).active
    cells = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert cells == tsv_rows(APPENDIX_2025)
    assert workbook_from_tsv(APPENDIX_2025)  # the builder the fixture came from still works


def test_unknown_bodies_stop_the_import_and_are_listed_once(secretariat, plan):
    with pytest.raises(UnknownUnits) as caught:
        services.import_tasks(secretariat, plan, appendix_bytes(), "phu-luc.xlsx")
    names = caught.value.names
    assert "Công an Thành phố" in names
    assert len([n for n in names if n.lower().startswith("trung tâm phục vụ")]) == 1
    assert any("cột F (lead_unit)" in str(p) for p in caught.value.problems)
    assert not plan.tasks.exists()


def import_2025(secretariat, plan):
    services.confirm_names(secretariat, dict.fromkeys(OUTSIDE_CATALOGUE_2025))
    return services.import_tasks(secretariat, plan, appendix_bytes(), "phu-luc.xlsx")


def test_every_row_of_the_2025_appendix_imports(secretariat, plan):
    tasks = import_2025(secretariat, plan)
    assert len(tasks) == len(tsv_rows(APPENDIX_2025)) - 1
    top = [t for t in tasks if t.parent_id is None]
    assert [t.number for t in top] == [str(n) for n in range(1, 51)]
    assert all(t.deadline_kind != DeadlineKind.UNPARSED for t in tasks)
    assert AuditEvent.objects.filter(action="plan.import_tasks").exists()


def test_deadline_forms_of_the_appendix(secretariat, plan):
    import_2025(secretariat, plan)
    by_number = {t.number: t for t in plan.tasks.all()}
    assert by_number["2"].due == date(2025, 1, 31)  # "Tháng 01/2025"
    assert by_number["1.1"].deadline_kind == DeadlineKind.RELATIVE
    assert by_number["1.1"].due == date(2025, 1, 20)  # plan of 31/12/2024 + 20 days
    assert by_number["6.1"].title.startswith("Giao ban Quý 1") and by_number["6.1"].due == date(
        2025, 3, 31
    )
    assert by_number["7"].deadline_kind == DeadlineKind.PERIOD and by_number["7"].due == date(
        2025, 9, 30
    )
    assert by_number["14"].deadline_kind == DeadlineKind.OPEN and by_number["14"].due is None
    assert by_number["36"].deadline_kind == DeadlineKind.OPEN  # "Theo kỳ báo cáo CCHC"


def test_groups_and_merged_departments_resolve(secretariat, plan):
    import_2025(secretariat, plan)
    task_1 = plan.tasks.get(number="2")
    assert task_1.coordinating_units.filter(kind="department").count() == 15  # "Sở, Ban, Ngành"
    # "Sở Thông tin và Truyền thông" merged into "Sở Khoa học và Công nghệ" on 1 March 2025
    assert task_1.coordinating_units.filter(name="Sở Khoa học và Công nghệ").exists()
    # "UBND các quận, huyện, thị xã" before July 2025 means the 30 districts
    assert task_1.coordinating_units.filter(kind="district").count() == 30
    task_later = plan.tasks.get(number="18")  # Tháng 10/2025: the communes and wards
    assert task_later.coordinating_units.filter(kind="commune").count() == 126
    outside = plan.tasks.get(number="6")
    assert "Công an Thành phố" in outside.outside_names


def header_only_workbook(rows, header=HEADER):
    book = Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("rows", "header", "fragment"),
    [
        ([], ("so", "nhiem_vu"), "dòng tiêu đề phải đúng là"),
        ([], HEADER, "không có nhiệm vụ nào"),
        (
            [("x", "I", "Nhiệm vụ", "", "", "Sở Nội vụ", "", "Tháng 3/2025")],
            HEADER,
            "số thứ tự “x” phải là một số",
        ),
        ([("", "I", "Mốc", "", "", "Sở Nội vụ", "", "")], HEADER, "phải nằm dưới một nhiệm vụ"),
        (
            [
                ("1", "I", "A", "", "", "Sở Nội vụ", "", ""),
                ("1", "I", "B", "", "", "Sở Nội vụ", "", ""),
            ],
            HEADER,
            "trùng với dòng 2",
        ),
        (
            [("1", "I", "", "", "", "Sở Nội vụ", "", "")],
            HEADER,
            "nội dung nhiệm vụ không được để trống",
        ),
        ([("1", "I", "A", "", "", "", "", "")], HEADER, "cần ít nhất một cơ quan chủ trì"),
        ([("1", "I", "A", "", "", "Sở Không Tồn Tại", "", "")], HEADER, "không khớp đơn vị nào"),
    ],
)
def test_bad_files_are_refused_and_nothing_saved(secretariat, plan, rows, header, fragment):
    with pytest.raises(ImportFailed) as caught:
        services.import_tasks(secretariat, plan, header_only_workbook(rows, header), "x.xlsx")
    assert any(fragment in str(p) for p in caught.value.problems), caught.value.problems
    assert not plan.tasks.exists()


def test_not_an_excel_file_is_refused(secretariat, plan):
    with pytest.raises(ImportFailed, match="không phải là tệp Excel"):
        services.import_tasks(secretariat, plan, b"number\tarea\n", "x.xlsx")


@pytest.fixture
def imported(secretariat, plan):
    import_2025(secretariat, plan)
    return plan


def test_lead_unit_updates_its_task_and_others_cannot(imported, db):
    from accounts.models import Role, User

    home_affairs = Unit.objects.get(code="S01")
    justice = Unit.objects.get(name="Sở Tư pháp")
    officer = User.objects.create_user("snv", role=Role.UNIT_OFFICER, unit=home_affairs)
    other = User.objects.create_user("stp", role=Role.UNIT_OFFICER, unit=justice)
    task = imported.tasks.get(number="2")
    services.update_task(
        officer, task, status=TaskStatus.IN_PROGRESS, progress_note="Đang xây dựng dự thảo"
    )
    with pytest.raises(PermissionDenied):
        services.update_task(other, task, status=TaskStatus.DONE, progress_note="x")
    with pytest.raises(services.PlanError, match="cần nêu kết quả"):
        services.update_task(officer, task, status=TaskStatus.DONE)
    with pytest.raises(services.PlanError, match="http"):
        services.update_task(
            officer, task, status=TaskStatus.DONE, product_link="javascript:alert(1)"
        )
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    assert AuditEvent.objects.for_object(task).get().after["status"] == "in_progress"


def test_overdue_is_computed_and_reimport_is_refused_once_work_started(secretariat, imported):
    task = imported.tasks.get(number="2")
    assert task.is_overdue(date(2025, 2, 1)) and not task.is_overdue(date(2025, 1, 31))
    assert imported.tasks.overdue(date(2025, 2, 1)).filter(number="2").exists()
    services.update_task(
        secretariat, task, status=TaskStatus.DONE, progress_note="Kế hoạch 12/KH-UBND"
    )
    assert not imported.tasks.overdue(date(2025, 2, 1)).filter(number="2").exists()
    with pytest.raises(services.PlanError, match="không nhập lại"):
        services.import_tasks(secretariat, imported, appendix_bytes(), "phu-luc.xlsx")


def test_reminders_go_to_lead_unit_members_once(imported, db):
    from accounts.models import Role, User

    officer = User.objects.create_user(
        "snv", role=Role.UNIT_OFFICER, unit=Unit.objects.get(code="S01")
    )
    sent = send_task_reminders(today=date(2025, 2, 5))
    assert sent > 0
    assert Notification.objects.filter(user=officer, text__startswith="Quá hạn").exists()
    assert send_task_reminders(today=date(2025, 2, 5)) == 0
    soon = Notification.objects.filter(user=officer, text__startswith="Sắp đến hạn").count()
    send_task_reminders(today=date(2025, 2, 26))
    assert Notification.objects.filter(user=officer, text__startswith="Sắp đến hạn").count() > soon


def test_board_filters_and_export(client, secretariat, imported):
    client.force_login(secretariat)
    page = client.get("/plans/2025/").content.decode()
    assert "Ban hành Kế hoạch tuyên truyền CCHC" in page and "I. Chỉ đạo điều hành" in page
    snv = Unit.objects.get(name="Sở Tư pháp")
    filtered = client.get(f"/plans/2025/?unit={snv.pk}").content.decode()
    assert (
        "Luật Thủ đô" in filtered and "Khảo sát kinh nghiệm CCHC" not in filtered
    )  # task 8: Sở Nội vụ alone
    overdue = client.get("/plans/2025/?state=overdue").content.decode()
    assert "Quá hạn" in overdue
    response = client.get("/plans/2025/export.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Số TT" and len(rows) == Task.objects.count() + 1


def test_import_screen_asks_for_unknown_names_then_imports(client, secretariat, catalogue):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(secretariat)
    response = client.post(
        "/plans/import/",
        {
            "year": 2025,
            "decision_number": "6830/QĐ-UBND",
            "decision_date": "2024-12-31",
            "title": "Kế hoạch CCHC 2025",
            "file": SimpleUploadedFile("pl.xlsx", appendix_bytes()),
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Đối chiếu tên cơ quan, đơn vị" in page and "Công an Thành phố" in page
    names_form = response.context["names_form"]
    data = {"confirm_names": "1"} | {f"name_{i}": "outside" for i in range(len(names_form.names))}
    done = client.post("/plans/import/", data, follow=True)
    assert "Đã nhập" in done.content.decode()
    assert Task.objects.filter(plan__year=2025).count() == len(tsv_rows(APPENDIX_2025)) - 1


def test_due_soon_filter_uses_dates_ahead(imported):
    today = date(2025, 5, 20)
    soon = imported.tasks.due_soon(15, today)
    assert all(today <= t.due <= today + timedelta(days=15) for t in soon)
