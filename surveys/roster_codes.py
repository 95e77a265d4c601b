"""Personal codes of a wave's roster (the officials' survey, DOMAIN.md §5.1) and the matrix of who
rates which units: what the intake and the respondent's pages read. The import of a roster, the issue
of codes and the reminders are services (surveys/services/roster.py).

A personal code names one person of the roster, and so their group: the respondent never chooses a
group, the intake writes the roster's group into the answer to `GROUP_QUESTION` whatever was posted.
A code is printed as five and five characters (`ABCDE-FGHJK`), unlike the unit-wide invitation codes
(four and four), and kept only as a keyed hash, as they are."""

from django.utils import timezone

from core.collation import by_name

from . import questionnaire as q
from .hashing import keyed_hash, normalise_code
from .models import Official, OfficialRating, RatingRule, WaveTarget

GROUP_QUESTION = "respondent_group"
"""The single-choice question whose value is the respondent's group (surveys/data/officials.tsv)."""
UNIT_STAFF = "unit_staff"
"""The group of a unit's own staff (cán bộ, công chức, viên chức, người lao động), who rate their own
unit (task 45 of Decision 6830)."""
OWN_UNIT = RatingRule.OWN_UNIT

ROSTER_ONLY = (
    "Đợt khảo sát này chỉ dành cho những người có tên trong danh sách do Sở Nội vụ lập: "
    "Ông/Bà hãy trả lời bằng mã cá nhân ghi trong thư mời. Đường dẫn công khai, mã QR và mã mời "
    "chung của đơn vị không dùng được cho đợt này."
)
WRONG_CODE = "Mã cá nhân không đúng, hoặc không dùng để đánh giá đơn vị này."
ANSWERED = "Ông/Bà đã gửi phiếu đánh giá đơn vị này."


def find_official(code: str) -> Official | None:
    """The roster entry behind a typed personal code (spaces, dashes and full-width letters as the
    invitation codes take them), or None."""
    cleaned = normalise_code(code or "").replace(" ", "").replace("-", "")
    if len(cleaned) != 10 or not q.storable(cleaned):
        return None
    return (
        Official.objects.select_related("wave", "unit")
        .filter(code_hash=keyed_hash("code", f"{cleaned[:5]}-{cleaned[5:]}"))
        .first()
    )


def group_choices(version) -> list[tuple[str, str]]:
    """The groups a questionnaire version knows: the options of its single-choice GROUP_QUESTION."""
    for question in version.parsed():
        if question.name == GROUP_QUESTION and question.type == "single":
            return list(question.choices)
    return []


def group_label(version, group: str) -> str:
    return dict(group_choices(version)).get(group, group)


def units_to_rate(official: Official, rules=None, targets=None) -> list:
    """The units of the wave this official rates, by the matrix: every unit of the wave whose kind a
    rule of their group names, except their own unit (a unit is rated by its own staff through the
    `own_unit` rule only), and their own unit where a rule says `own_unit`. `rules` (the wave's
    (group, rates) pairs) and `targets` (the wave's units) may be passed when many officials are read."""
    if rules is None:
        rules = list(
            RatingRule.objects.filter(wave_id=official.wave_id).values_list("group", "rates")
        )
    if targets is None:
        targets = [
            t.unit
            for t in WaveTarget.objects.filter(wave_id=official.wave_id)
            .select_related("unit")
            .order_by("unit__kind", by_name("unit__name"), "unit__code")
        ]
    rates = {r for g, r in rules if g == official.group}
    found = []
    for unit in targets:
        own = unit.pk == official.unit_id
        if (own and OWN_UNIT in rates) or (not own and unit.kind in rates):
            found.append(unit)
    return found


def check_rating(official: Official | None, wave_id: int, unit_id: int) -> str:
    """Why this personal code cannot answer for this unit of this wave ("" when it can)."""
    if official is None or official.wave_id != wave_id:
        return WRONG_CODE
    if unit_id not in {u.pk for u in units_to_rate(official)}:
        return WRONG_CODE
    if OfficialRating.objects.filter(official=official, unit_id=unit_id).exists():
        return ANSWERED
    return ""


def record_rating(official: Official, unit_id: int, now=None) -> None:
    """That the official answered for the unit; an IntegrityError when they already had (the caller's
    transaction then keeps the response out)."""
    OfficialRating.objects.create(
        official=official, unit_id=unit_id, answered_at=now or timezone.now()
    )


def roster_page(official: Official, code: str) -> dict:
    """What the person's page shows: who they are, the group they answer for, and each unit they rate
    with its address (the code in it, as an invitation's link carries its code) and whether it is
    answered."""
    from urllib.parse import urlencode

    from django.urls import reverse

    done = set(OfficialRating.objects.filter(official=official).values_list("unit_id", flat=True))
    query = urlencode({"kenh": "code", "ma": code})
    units = [
        {
            "unit": unit,
            "answered": unit.pk in done,
            "url": f"{reverse('surveys:respond', args=[official.wave_id, unit.code])}?{query}",
        }
        for unit in units_to_rate(official)
    ]
    return {
        "official": official,
        "wave": official.wave,
        "group": group_label(official.wave.version, official.group),
        "units": units,
        "left": sum(not u["answered"] for u in units),
    }
