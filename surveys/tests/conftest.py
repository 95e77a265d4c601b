"""A small questionnaire and an open wave for the survey tests."""

from datetime import timedelta

import pytest
from django.utils import timezone

from surveys import services

ROWS = (
    [
        ("type", "name", "label", "choices", "required", "relevant", "dimension"),
        ("section", "", "Thông tin chung", "", "", "", ""),
        ("single", "sex", "Giới tính", "m=Nam|f=Nữ", "1", "", ""),
        (
            "single",
            "harassed",
            "Ông/Bà có bị gây phiền hà không?",
            "none=Không|some=Có",
            "1",
            "",
            "",
        ),
        ("text", "harassed_detail", "Xin cho biết cụ thể", "", "1", "${harassed} = 'some'", ""),
        ("number", "visits", "Số lần phải đi lại", "min=1|max=20", "0", "", ""),
        (
            "multiple",
            "channels",
            "Kênh thông tin",
            "web=Trang web|tv=Truyền hình|friend=Người quen",
            "0",
            "",
            "",
        ),
    ]
    + [
        (
            "likert5",
            f"svc_{i}",
            f"Mức độ hài lòng {i}",
            "",
            "1",
            "",
            "service/access" if i < 5 else "service/results",
        )
        for i in range(1, 9)
    ]
    + [("likert5", "pol_1", "Chính sách 1", "", "1", "", "policy/participation")]
)


def tsv(rows=ROWS) -> bytes:
    return "\n".join("\t".join(row) for row in rows).encode()


def good_answers(level="4", **changes):
    answers = {"sex": "f", "harassed": "none", "visits": "2", "channels": ["web"], "pol_1": level}
    answers |= {f"svc_{i}": level for i in range(1, 9)}
    answers["svc_1"] = "5"  # not a straight line
    return answers | changes


@pytest.fixture
def version(secretariat):
    return services.import_questionnaire(secretariat, "sipas", "SIPAS", tsv(), "sipas.tsv")


@pytest.fixture
def wave(secretariat, version, draft_cycle, unit_a, unit_b):
    now = timezone.now()
    wave = services.create_wave(
        secretariat,
        draft_cycle,
        version,
        "SIPAS 2025",
        now - timedelta(days=1),
        now + timedelta(days=20),
    )
    services.set_targets(secretariat, wave, {unit_a: 10000, unit_b: 300})
    return wave
