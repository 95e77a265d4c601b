"""The secretariat's roster page: upload, matrix, personal codes, reminders, rates on the wave's page."""

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEvent
from surveys.models import Official, RatingRule

from .test_roster import ROSTER, officials_wave  # noqa: F401  (fixture)


def test_upload_rules_codes_and_rates(client, secretariat, officials_wave, unit_b):  # noqa: F811
    client.force_login(secretariat)
    url = f"/surveys/{officials_wave.pk}/roster/"
    bad = client.post(url, {"file": SimpleUploadedFile("ds.csv", b"Nhom\nx\n")})
    assert bad.status_code == 400
    assert "thiếu cột bắt buộc" in bad.content.decode()
    done = client.post(url, {"file": SimpleUploadedFile("ds.csv", ROSTER.encode())})
    assert done.status_code == 302
    assert Official.objects.count() == 3
    page = client.get(url).content.decode()
    assert "Trần Thị Bình" in page and 'data-testid="matrix"' in page
    # The matrix as ticked replaces the default one.
    client.post(f"{url}rules/", {"rule": ["commune_chair|department", "unit_staff|own_unit"]})
    assert set(RatingRule.objects.values_list("group", "rates")) == {
        ("commune_chair", "department"),
        ("unit_staff", "own_unit"),
    }
    codes = client.post(f"{url}codes/")
    assert codes["Content-Type"].startswith("text/csv")
    text = codes.content.decode("utf-8-sig")
    assert text.count("/khao-sat/ma/?ma=") == 3
    # Issued once: a second press issues nothing and says so.
    assert client.post(f"{url}codes/").status_code == 302
    # Issued again with the letters e-mailed: still the CSV, and the page says how many were sent.
    again = client.post(f"{url}codes/", {"again": "1", "email": "1"})
    assert again["Content-Type"].startswith("text/csv")
    assert "Đã xếp thư mời có mã vào hàng gửi tới 3 người" in client.get(url).content.decode()
    # One person who lost their code: a new one e-mailed to them alone, the others' codes kept.
    binh = Official.objects.get(name="Trần Thị Bình")
    kept = dict(Official.objects.exclude(pk=binh.pk).values_list("pk", "code_hash"))
    one = client.post(f"{url}codes/", {"again": "1", "email": "1", "official": str(binh.pk)})
    # The letter is queued, and the code is in a one-row CSV too (a mail server may refuse it).
    assert one["Content-Type"].startswith("text/csv")
    assert one.content.decode("utf-8-sig").count("/khao-sat/ma/?ma=") == 1
    assert "Trần Thị Bình" in one.content.decode("utf-8-sig")
    page = client.get(url).content.decode()
    assert "Đã cấp lại mã cho Trần Thị Bình (mã cũ hết hiệu lực)" in page
    assert dict(Official.objects.exclude(pk=binh.pk).values_list("pk", "code_hash")) == kept
    assert "Xác nhận cấp lại" in page
    # Someone not in this wave's roster: refused, nobody's code changed.
    before = dict(Official.objects.values_list("pk", "code_hash"))
    for unknown in ("9" * 30, "abc", str(binh.pk + 1000)):
        assert client.post(f"{url}codes/", {"again": "1", "official": unknown}).status_code == 404
    assert dict(Official.objects.values_list("pk", "code_hash")) == before
    client.post(f"{url}remind/")
    assert AuditEvent.objects.filter(action="wave.roster_remind").exists()
    monitor = client.get(f"/surveys/{officials_wave.pk}/").content.decode()
    assert 'data-testid="roster-rates"' in monitor
    assert "Chủ tịch, Phó Chủ tịch" in monitor
    assert "Danh sách: đã trả lời / cần" in monitor


def test_unit_wide_codes_are_refused_for_a_roster_wave(
    client,
    secretariat,
    officials_wave,  # noqa: F811
    unit_b,
):
    client.force_login(secretariat)
    client.post(f"/surveys/{officials_wave.pk}/roster/mode/", {"by_roster": "1"})
    officials_wave.refresh_from_db()
    assert officials_wave.by_roster
    page = client.post(
        f"/surveys/{officials_wave.pk}/codes/", {"unit": unit_b.code, "count": "5"}, follow=True
    )
    assert "chỉ nhận mã cá nhân" in page.content.decode()
