"""Per-unit figures an institute published (issue 18, item 5): imported with their source, all or nothing,
and read by the survey leaves in place of the responses' figures when the wave says so."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEvent
from core.tabular import ImportFailed
from surveys import services
from surveys.leaves import leaf_index
from surveys.models import PublishedFigure

from .conftest import good_answers
from .test_wave_pages import xlsx

HEADER = ["mã đơn vị", "số phiếu", "Chỉ số SIPAS", "service/access", "Kết quả giải quyết công việc"]


def leaf(dimension="", groups=None, code="8.2.1", source="sipas"):
    params = {"source": source} | ({"dimension": dimension} if dimension else {})
    if groups is not None:
        params["groups"] = groups
    return SimpleNamespace(rule_params=params, code=code)


def publish(secretariat, wave, rows, **changes):
    options = {"document": "Báo cáo SIPAS 2025 của Viện X", "issued_on": date(2025, 12, 1)}
    return services.import_published(
        secretariat, wave, xlsx([HEADER, *rows]), "so-lieu.xlsx", **(options | changes)
    )


def submit(wave, unit, level):
    import uuid

    services.submit_response(
        wave=wave,
        unit=unit,
        answers=good_answers(level),
        submission_id=uuid.uuid4(),
        channel="link",
        ip="10.0.0.1",
        device="t",
    )


def test_published_figures_replace_the_computed_ones_in_the_leaves(
    secretariat, wave, draft_cycle, unit_a, unit_b
):
    submit(wave, unit_a, "4")
    submit(wave, unit_a, "2")
    computed = leaf_index(unit_a, draft_cycle, leaf("service/access"))
    assert computed is not None
    source = publish(
        secretariat,
        wave,
        [["00070", 412, "85,32", "90.5 %", ""], ["S02", "", 70, 71, 72]],
        url="https://example.vn/bao-cao.pdf",
    )
    wave.refresh_from_db()
    assert wave.figures_source == "institute"
    assert (source.document, source.url) == (
        "Báo cáo SIPAS 2025 của Viện X",
        "https://example.vn/bao-cao.pdf",
    )
    assert leaf_index(unit_a, draft_cycle, leaf()) == Decimal("0.8532")  # no dimension: overall
    assert leaf_index(unit_a, draft_cycle, leaf("overall")) == Decimal("0.8532")
    assert leaf_index(unit_a, draft_cycle, leaf("service/access")) == Decimal("0.905")
    assert leaf_index(unit_b, draft_cycle, leaf("service/results")) == Decimal("0.72")
    # Not published for this unit: the leaf stays empty, it does not fall back to the responses.
    assert leaf_index(unit_a, draft_cycle, leaf("service/results")) is None
    assert leaf_index(unit_a, draft_cycle, leaf("policy")) is None
    assert PublishedFigure.objects.get(unit=unit_a, dimension="overall").respondents == 412
    # Back to the responses, with a reason: the leaves compute again.
    services.set_figures_source(secretariat, wave, "responses", "Viện rút lại báo cáo")
    assert leaf_index(unit_a, draft_cycle, leaf("service/access")) == computed
    assert AuditEvent.objects.filter(action="wave.figures_source").exists()
    assert AuditEvent.objects.filter(action="wave.import_published").exists()


def test_a_leaf_with_respondent_groups_reads_nothing_published(
    secretariat, wave, draft_cycle, unit_a
):
    publish(secretariat, wave, [["00070", 10, 80, 80, 80]])
    officials = leaf("criterion/1", groups=["council_deputy"], source="officials", code="1.1")
    assert leaf_index(unit_a, draft_cycle, officials) is None


def test_a_new_table_replaces_the_old_one(secretariat, wave, unit_a):
    publish(secretariat, wave, [["00070", 10, 80, 80, 80]])
    publish(secretariat, wave, [["00070", 10, 60, "", ""]], document="Báo cáo điều chỉnh")
    assert list(PublishedFigure.objects.values_list("dimension", "value")) == [
        ("overall", Decimal("0.600000"))
    ]
    assert wave.published_sources.first().document == "Báo cáo điều chỉnh"


def test_a_bad_table_is_refused_whole_with_row_and_column(secretariat, wave):
    header = [*HEADER, "tốc độ"]
    with pytest.raises(ImportFailed) as failed:
        services.import_published(
            secretariat,
            wave,
            xlsx([header, ["00070", 1, 1, 1, 1, 1]]),
            "a.xlsx",
            document="X",
            issued_on=date(2025, 1, 1),
        )
    assert str(failed.value.problems[0]).startswith("Dòng 1, cột F (tốc độ): “tốc độ” không phải")
    with pytest.raises(ImportFailed) as failed:
        publish(
            secretariat,
            wave,
            [["00070", "", "120", "abc", ""], ["99", 1, 1, 1, 1], ["70", 1, 1, 1, 1]],
        )
    messages = [str(p) for p in failed.value.problems]
    assert "Dòng 2, cột C (Chỉ số SIPAS): “120” nằm ngoài 0–100 (ghi theo phần trăm)" in messages
    assert "Dòng 2, cột D (service/access): “abc” không phải là một số" in messages
    assert "Dòng 3, cột A (mã đơn vị): đơn vị mã “99” không tham gia đợt khảo sát này" in messages
    assert "Dòng 4, cột A (mã đơn vị): đơn vị mã “70” đã có ở dòng 2" in messages
    assert not PublishedFigure.objects.exists()
    wave.refresh_from_db()
    assert wave.figures_source == "responses"


def test_institute_figures_cannot_be_chosen_before_any_are_imported(secretariat, wave):
    with pytest.raises(services.SurveyError):
        services.set_figures_source(secretariat, wave, "institute", "thử")


def test_the_page(client, secretariat, wave, unit_a):
    client.force_login(secretariat)
    assert client.get(f"/surveys/{wave.pk}/import/published/").status_code == 200
    data = xlsx([HEADER, ["00070", 412, "85,32", "90,5", ""]])
    response = client.post(
        f"/surveys/{wave.pk}/import/published/",
        {
            "document": "Báo cáo SIPAS 2025",
            "issued_on": "01/12/2025",
            "url": "",
            "use_for_scores": "on",
            "file": SimpleUploadedFile("so-lieu.xlsx", data),
        },
    )
    assert response.status_code == 302
    page = client.get(f"/surveys/{wave.pk}/import/published/").content.decode()
    assert "Báo cáo SIPAS 2025" in page and "85,32" in page and "01/12/2025" in page
    assert 'data-testid="institute-figures"' in client.get(f"/surveys/{wave.pk}/").content.decode()
    response = client.post(
        f"/surveys/{wave.pk}/import/published/",
        {"action": "source", "figures_source": "responses", "reason": ""},
    )
    assert response.status_code == 400


def test_the_unit_page_shows_what_was_published_with_its_source(client, secretariat, wave, unit_a):
    client.force_login(secretariat)
    url = f"/surveys/{wave.pk}/{unit_a.code}/"
    assert 'data-testid="published"' not in client.get(url).content.decode()
    publish(
        secretariat,
        wave,
        [["00070", 412, "85,32", "90,5", ""]],
        url="https://vien.example.vn/sipas-2025",
    )
    page = client.get(url).content.decode()
    assert 'data-testid="published"' in page
    assert (
        '<a href="https://vien.example.vn/sipas-2025" rel="noopener">Báo cáo SIPAS 2025 của Viện X</a>'
        in page
    )
    assert (
        "01/12/2025" in page and "Các tiêu chí khảo sát của bộ chỉ số chấm theo số liệu này" in page
    )
    # The index first, then the element, each in Vietnamese with the respondents.
    shown = page[page.index('data-testid="published"') :]
    assert shown.index("Chỉ số SIPAS chung") < shown.index("Tiếp cận dịch vụ")
    assert "85,32" in shown and "90,50" in shown and "412" in shown
