"""The mean answer (1–5) beside every share, and dimensions by their Vietnamese names: an officials'
wave aggregated per criterion on the unit's page, in the aggregates export and in the API."""

import io
import uuid
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from accounts.tokens import create_token
from surveys import services

from .conftest import tsv

OFFICIALS = [
    ("type", "name", "label", "choices", "required", "relevant", "dimension"),
    ("section", "part_b1", "I. Công tác chỉ đạo, điều hành", "", "0", "", ""),
    ("likert5", "c1_a", "Sự quan tâm của người đứng đầu", "", "0", "", "criterion/1"),
    ("likert5", "c1_b", "Tính khả thi của kế hoạch", "", "0", "", "criterion/1"),
    ("section", "part_b8", "VIII. Tác động của cải cách hành chính", "", "0", "", ""),
    ("likert5", "c8_a", "Tác động đến kinh tế - xã hội", "", "1", "", "criterion/8"),
]

# Kept answers of unit A: c1_a 3, 4 (mean 3.50, one of two satisfied); c1_b 4, 5 (4.50, both);
# c8_a 4, 3, 4 (3.67, two of three). criterion/1 = mean of its items: share 0.75, mean 4.00, n 2;
# criterion/8: share 2/3, mean 3.67, n 3; the part and the overall index: share 0.7083, mean 3.83, n 2.
KEPT = [{"c1_a": 3, "c1_b": 4, "c8_a": 4}, {"c1_a": 4, "c1_b": 5, "c8_a": 3}, {"c8_a": 4}]


@pytest.fixture
def officials_wave(secretariat, draft_cycle, unit_a, unit_b):
    """An open officials' wave: unit A has three kept responses and one excluded, unit B one."""
    version = services.import_questionnaire(
        secretariat, "officials", "Điều tra xã hội học", tsv(OFFICIALS), "officials.tsv"
    )
    now = timezone.now()
    wave = services.create_wave(
        secretariat,
        draft_cycle,
        version,
        "Điều tra xã hội học 2025",
        now - timedelta(days=1),
        now + timedelta(days=20),
    )
    services.set_targets(secretariat, wave, {unit_a: 100, unit_b: 100})
    for i, answers in enumerate(KEPT):
        submit(wave, unit_a, answers, ip=f"10.9.0.{i}")
    excluded = submit(wave, unit_a, {"c1_a": 1, "c1_b": 1, "c8_a": 1}, ip="10.9.1.1")
    services.set_excluded(secretariat, excluded, True, "phiếu thử")
    submit(wave, unit_b, {"c1_a": 5, "c1_b": 5, "c8_a": 5}, ip="10.9.2.1")
    return wave


def submit(wave, unit, answers, ip):
    response, created = services.submit_response(
        wave=wave,
        unit=unit,
        submission_id=uuid.uuid4(),
        answers=answers,
        channel="link",
        ip=ip,
    )
    assert created
    return response


class Tables(HTMLParser):
    """The page's tables as lists of rows of (tag, attributes, text) cells."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: list[list[list[tuple[str, dict, str]]]] = []
        self._cell: list | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("th", "td"):
            self._cell = [tag, dict(attrs), ""]

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self.tables[-1][-1].append(
                (self._cell[0], self._cell[1], " ".join(self._cell[2].split()))
            )
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[2] += " " + data


def texts(row) -> list[str]:
    return [text for _, _, text in row]


def test_the_unit_page_shows_each_criterion_by_name_with_n_share_interval_and_mean(
    client, leader, officials_wave
):
    client.force_login(leader)
    html = client.get(f"/surveys/{officials_wave.pk}/00070/").content.decode()
    assert 'data-testid="unit-n">3<' in html
    assert 'data-testid="overall">70,83\u00a0%<' in html
    assert 'data-testid="overall-mean">3,83<' in html

    dimensions, questions = Tables(html).tables
    for table in (dimensions, questions):
        header = table[0]
        assert header and all(
            tag == "th" and attrs.get("scope") == "col" for tag, attrs, _ in header
        )
    assert all(row[0][0] == "th" and row[0][1].get("scope") == "row" for row in dimensions[1:])
    assert texts(dimensions[0]) == [
        "Yếu tố",
        "n",
        "Hài lòng",
        "Khoảng tin cậy 95 %",
        "Điểm trung bình (1–5)",
    ]
    assert [texts(row) for row in dimensions[1:]] == [
        ["Các lĩnh vực cải cách hành chính", "2", "70,83 %", "9,5 %–90,5 % ! chưa đủ tin cậy", "3,83"],
        # Domain 1 is named after the cycle's frameworks; they have no domain 8.
        ["Lĩnh vực 1: Công tác chỉ đạo, điều hành", "2", "75,00 %", "34,2 %–100,0 % ! chưa đủ tin cậy", "4,00"],
        ["Lĩnh vực 8", "3", "66,67 %", "20,8 %–93,9 % ! chưa đủ tin cậy", "3,67"],
    ]  # fmt: skip
    assert texts(questions[0]) == [
        "Câu hỏi",
        "n",
        "Hài lòng",
        "Khoảng tin cậy 95 %",
        "Điểm trung bình (1–5)",
    ]
    assert all(row[0][0] == "th" and row[0][1].get("scope") == "row" for row in questions[1:])
    assert [texts(row) for row in questions[1:]] == [
        ["Sự quan tâm của người đứng đầu", "2", "50,0 %", "9,5 %–90,5 %", "3,50"],
        ["Tính khả thi của kế hoạch", "2", "100,0 %", "34,2 %–100,0 %", "4,50"],
        ["Tác động đến kinh tế - xã hội", "3", "66,7 %", "20,8 %–93,9 %", "3,67"],
    ]
    assert "criterion/1" not in html  # the dimension's name, never its code


def test_the_aggregates_export_carries_the_mean_per_criterion(client, leader, officials_wave):
    client.force_login(leader)
    response = client.get(f"/surveys/{officials_wave.pk}/export/aggregates/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["aggregates"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][-2:] == ["reliable", "mean"]
    unit_a = {(r[2], r[3]): r[4:] for r in rows[1:] if r[0] == "00070"}
    # n, share %, Wilson low %, high %, reliable, mean
    expected = {
        ("overall", None): (2, 70.8333, 9.4531, 90.5469, 0, 3.8333),
        ("part", "criterion"): (2, 70.8333, 9.4531, 90.5469, 0, 3.8333),
        ("element", "criterion/1"): (2, 75.0, 34.2380, 100.0, 0, 4.0),
        ("element", "criterion/8"): (3, 66.6667, 20.7660, 93.8508, 0, 3.6667),
        ("question", "c1_a"): (2, 50.0, 9.4531, 90.5469, 0, 3.5),
        ("question", "c1_b"): (2, 100.0, 34.2380, 100.0, 0, 4.5),
        ("question", "c8_a"): (3, 66.6667, 20.7660, 93.8508, 0, 3.6667),
    }
    assert list(unit_a) == list(expected)
    for key, (n, share, low, high, reliable, mean) in expected.items():
        assert unit_a[key][0] == n and unit_a[key][4] == reliable, key
        assert unit_a[key][1:4] == pytest.approx([share, low, high], abs=1e-4), key
        assert unit_a[key][5] == pytest.approx(mean, abs=1e-4), key
    mean_column = rows[0].index("mean") + 1
    assert sheet.cell(row=2, column=mean_column).number_format == "0.00"
    unit_b = {(r[2], r[3]): r for r in rows[1:] if r[0] == "S02"}
    assert unit_b[("element", "criterion/1")][-1] == 5.0


def test_the_api_gives_the_mean_per_criterion_rounded_to_two_places(client, leader, officials_wave):
    key = create_token(leader, "test")[1]
    response = client.get(
        f"/api/v1/surveys/{officials_wave.pk}/00070/figures", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["n"] == 3
    by_dimension = {e["dimension"]: e for e in data["elements"]}
    assert by_dimension["criterion/1"] == {
        "dimension": "criterion/1",
        "n": 2,
        "share": 0.75,
        "low": pytest.approx(0.342380, abs=1e-6),
        "high": 1.0,
        "mean": 4.0,
        "reliable": False,
    }
    assert by_dimension["criterion/8"]["n"] == 3
    assert by_dimension["criterion/8"]["share"] == pytest.approx(2 / 3)
    assert by_dimension["criterion/8"]["mean"] == 3.67
    assert (by_dimension["criterion/8"]["low"], by_dimension["criterion/8"]["high"]) == (
        pytest.approx(0.207660, abs=1e-6),
        pytest.approx(0.938508, abs=1e-6),
    )
    assert [(p["dimension"], p["mean"]) for p in data["parts"]] == [("criterion", 3.83)]
    assert data["overall"]["mean"] == 3.83
    assert [(q["question"], q["n"], q["mean"]) for q in data["questions"]] == [
        ("c1_a", 2, 3.5),
        ("c1_b", 2, 4.5),
        ("c8_a", 3, 3.67),
    ]


def test_without_answers_the_mean_is_null(client, leader, officials_wave):
    from units.models import Unit, UnitKind

    other = Unit.objects.create(code="S77", name="Sở chưa có phiếu", kind=UnitKind.DEPARTMENT)
    key = create_token(leader, "test")[1]
    data = client.get(
        f"/api/v1/surveys/{officials_wave.pk}/{other.code}/figures",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    ).json()
    assert data["overall"] is None
    assert {e["dimension"]: e["mean"] for e in data["elements"]} == {
        "criterion/1": None,
        "criterion/8": None,
    }


def test_the_openapi_schema_documents_the_mean(client):
    schema = client.get("/api/v1/openapi.json").json()
    mean = schema["components"]["schemas"]["ShareOut"]["properties"]["mean"]
    assert {branch.get("type") for branch in mean["anyOf"]} == {"number", "null"}
    assert "1–5" in mean["description"] and "null" in mean["description"]
    assert "mean" in schema["components"]["schemas"]["ShareOut"]["required"]


def test_sipas_elements_and_parts_are_named(client, leader, wave, unit_a):
    from .conftest import good_answers

    submit(wave, unit_a, good_answers("4", svc_1="5"), ip="10.9.3.1")
    client.force_login(leader)
    html = client.get(f"/surveys/{wave.pk}/00070/").content.decode()
    dimensions = Tables(html).tables[0]
    assert [texts(row)[0] for row in dimensions[1:]] == [
        "Cung ứng dịch vụ hành chính công",
        "Xây dựng và tổ chức thực hiện chính sách",
        "Tiếp cận dịch vụ",
        "Kết quả giải quyết công việc",
        "Sự tham gia của người dân",
    ]
    assert "service/access" not in html and "policy/participation" not in html
    # service/access: svc_1–4 answered 5, 4, 4, 4 → mean of the item means 4.25
    access = next(row for row in dimensions if texts(row)[0] == "Tiếp cận dịch vụ")
    assert texts(access)[1:] == ["1", "100,00 %", "20,7 %–100,0 % ! chưa đủ tin cậy", "4,25"]
