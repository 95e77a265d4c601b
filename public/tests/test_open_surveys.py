"""The public home lists the surveys open now that anyone may answer (the public link of each unit),
and shows a wave as soon as it opens, cache or not."""

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from surveys import services

DATA = Path(__file__).resolve().parents[2] / "surveys" / "data"


def wave_of(secretariat, cycle, code, title, units, opens=-1, closes=10):
    version = services.import_questionnaire(
        secretariat, code, code, (DATA / f"{code}.tsv").read_bytes(), f"{code}.tsv"
    )
    now = timezone.now()
    wave = services.create_wave(
        secretariat,
        cycle,
        version,
        title,
        now + timedelta(days=opens),
        now + timedelta(days=closes),
    )
    services.set_targets(secretariat, wave, dict.fromkeys(units, 100))
    return wave


def test_the_public_home_leads_to_each_open_citizen_survey(
    client, secretariat, draft_cycle, unit_a, unit_b
):
    assert 'data-testid="open-surveys"' not in client.get("/cong-khai/").content.decode()

    sipas = wave_of(secretariat, draft_cycle, "sipas", "SIPAS 2025 (QĐ 1001)", [unit_a, unit_b])
    wave_of(secretariat, draft_cycle, "officials", "Điều tra cán bộ", [unit_a])  # codes only
    html = client.get("/cong-khai/").content.decode()  # the cached page gives way at once
    section = html[html.index('data-testid="open-surveys"') :]
    assert "Ý kiến của người dân về dịch vụ hành chính công" in section
    assert "SIPAS 2025 (QĐ 1001)" in section
    assert f'href="/khao-sat/{sipas.pk}/00070/">Phường Hoàn Kiếm</a>' in section
    assert f'href="/khao-sat/{sipas.pk}/S02/">Sở Tư pháp</a>' in section
    assert "Điều tra cán bộ" not in html and 'href="/khao-sat/ma/"' in section


def test_a_closed_or_future_wave_is_not_listed(client, secretariat, draft_cycle, unit_a):
    wave_of(secretariat, draft_cycle, "sipas", "Đã đóng", [unit_a], opens=-10, closes=-1)
    html = client.get("/cong-khai/").content.decode()
    assert 'data-testid="open-surveys"' not in html and "Đã đóng" not in html
