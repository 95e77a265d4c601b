"""One leader, one entry in the plan's filter, however the appendix spells the name."""

import re

import pytest

from plans import leaders, services
from plans.appendix import APPENDIX_2025, PLAN_2025, tsv_rows
from units.importer import import_hanoi_catalogue

from .test_plans import import_2025

HAI = "Hà Minh Hải, Phó Chủ tịch UBND Thành phố"


def test_spellings_of_one_leader_share_a_key():
    assert leaders.canonical("Đ/c Phó Chủ tịch UBND Thành phố Hà Minh Hải") == HAI
    assert leaders.canonical("Đ/c  Hà Minh Hải, Phó Chủ tịch UBND Thành phố") == HAI
    assert leaders.key("Đ/c Lê Hồng Sơn, Phó Chủ tịch thường trực UBND Thành phố") == leaders.key(
        "Đ/c Lê Hồng Sơn, Phó Chủ tịch UBND Thành phố"
    )
    assert leaders.key(
        "Đ/c Phó Chủ tịch UBND Thành phố phụ trách theo khối, lĩnh vực"
    ) == leaders.key("Đ/c Phó Chủ tịch UBND Thành phố phụ trách khối, lĩnh vực")
    assert leaders.key("Đ/c Trần Sỹ Thanh, Chủ tịch UBND Thành phố") != leaders.key(HAI)


def test_the_2025_appendix_lists_each_leader_once():
    spellings = [row[4] for row in tsv_rows(APPENDIX_2025)[1:]]
    labels = [label for _key, label in leaders.options(spellings)]
    assert labels.count(HAI) == 1
    assert len([label for label in labels if "Hà Minh Hải" in label]) == 1
    assert len([label for label in labels if "Lê Hồng Sơn" in label]) == 1
    assert len([label for label in labels if "phụ trách" in label]) == 1


@pytest.fixture
def plan_2025(secretariat):
    import_hanoi_catalogue()
    plan = services.save_plan(secretariat, **PLAN_2025)
    import_2025(secretariat, plan)
    return plan


def test_board_filter_offers_one_entry_and_finds_every_spelling(client, secretariat, plan_2025):
    client.force_login(secretariat)
    page = client.get("/plans/2025/").content.decode()
    select = page.split('id="f-leader"')[1].split("</select>")[0]
    assert select.count("Hà Minh Hải") == 1
    key = re.search(r'<option value="([^"]+)">' + re.escape(HAI), select).group(1)
    filtered = client.get("/plans/2025/", {"leader": key}).content.decode()
    # Task 26 is the one written "Đ/c Phó Chủ tịch UBND Thành phố Hà Minh Hải".
    assert "Báo cáo đánh giá 01 năm kết quả hoạt động Trung tâm Phục vụ" in filtered
    assert "Ban hành Kế hoạch tuyên truyền CCHC" in filtered  # task 2, the other spelling
    assert "Rà soát, sắp xếp, tổ chức bộ máy các cơ quan hành chính" not in filtered
