"""The demo's surveys: for 2025 (closed) and 2026 (open today), a SIPAS wave and an officials' wave
with synthetic responses for every unit, a few of them flagged. Seeded; rows written in bulk."""

import random
import uuid
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from surveys import services
from surveys.models import Channel, CodeRefusal, Questionnaire, Response, Wave, WaveTarget
from surveys.stats import sample_size

DATA = Path(__file__).resolve().parent.parent / "surveys" / "data"
GROUP_QUESTION = "respondent_group"
NO_PROBLEM = "none"
QUESTIONNAIRES = {
    "sipas": "Khảo sát SIPAS (Quyết định 1001/QĐ-BNV)",
    "officials": "Điều tra xã hội học Chỉ số CCHC",
}


def _questionnaires(secretariat) -> dict:
    versions = {}
    for code, title in QUESTIONNAIRES.items():
        questionnaire = Questionnaire.objects.filter(code=code).first()
        versions[code] = (
            questionnaire.latest()
            if questionnaire
            else services.import_questionnaire(
                secretariat, code, title, (DATA / f"{code}.tsv").read_bytes(), f"{code}.tsv"
            )
        )
    return versions


def _answer(question, rng: random.Random, quality: float, flat: int | None):
    if question.type == "likert5":
        if flat is not None:
            return flat
        return (
            5
            if rng.random() < quality * 0.45
            else 4
            if rng.random() < quality
            else rng.choice([1, 2, 3])
        )
    if question.type == "single" and NO_PROBLEM in dict(question.options):
        # The assessment questions (harassment, unofficial payments): most respondents met none, fewer
        # where the service is worse, so their indicator leaves read like the satisfaction ones.
        if rng.random() < quality:
            return NO_PROBLEM
        return rng.choice([value for value, _label in question.options if value != NO_PROBLEM])
    if question.type in ("scale4", "single"):
        return (
            rng.choice(question.options)[0]
            if question.type == "single"
            else int(rng.choice(question.options)[0])
        )
    if question.type == "multiple":
        return [rng.choice(question.options)[0]]
    if question.type == "number":
        low = question.minimum or 0
        return float(rng.randint(int(low), int(min(question.maximum or 10, low + 10))))
    return ""


def _responses(wave, unit, count: int, rng: random.Random, quality: float) -> list[Response]:
    from surveys.questionnaire import shown

    questions = wave.version.parsed()
    made = []
    for index in range(count):
        odd = rng.random()
        flat = rng.choice([4, 5]) if odd < 0.02 else None
        answers = {}
        for question in questions:
            if question.type == "section" or not shown(question, answers):
                continue
            if question.name == GROUP_QUESTION and question.type == "single":
                # Each group in turn, so that every unit has answers from every group that a
                # framework leaf names ("groups" in its rule params, surveys/leaves.py).
                value = question.options[index % len(question.options)][0]
            else:
                value = _answer(question, rng, quality, flat)
            if value != "" and (question.required or rng.random() < 0.8):
                answers[question.name] = value
        answered = len(answers)
        duration = (
            rng.randint(answered, answered * 2)
            if odd < 0.04
            else rng.randint(answered * 4, answered * 12)
        )
        at = min(wave.closes_at, timezone.now()) - timedelta(minutes=rng.randint(5, 60 * 24 * 20))
        flags = []
        if duration < answered * 2:
            flags.append("speeding")
        if flat is not None:
            flags.append("straight_lining")
        channel = rng.choice([Channel.LINK, Channel.LINK, Channel.CODE, Channel.DOSSIER])
        if channel == Channel.CODE and odd > 0.98:
            flags.append("refused_codes")
        made.append(
            Response(
                wave=wave,
                unit=unit,
                submission_id=uuid.uuid4(),
                answers=answers,
                channel=channel,
                started_at=at - timedelta(seconds=duration),
                submitted_at=at,
                duration_s=duration,
                ip_hash=services.keyed_hash("ip", f"10.{index % 250}.{rng.randint(0, 250)}.1"),
                device_hash=services.keyed_hash("device", f"demo-{unit.code}-{index}"),
                # One response per dossier, as the intake keeps it (a synthetic receipt number).
                dossier_hash=services.keyed_hash("dossier", f"H26.{unit.code}-{index:06d}")
                if channel == Channel.DOSSIER
                else "",
                flags=flags,
            )
        )
    return made


def _refusals(wave, units: list, rng: random.Random) -> list[CodeRefusal]:
    """Refused codes: a typo here and there, a used code tried again, and in a few units many tries
    from one phone (what guessing looks like on the review page)."""
    made = []
    end = min(wave.closes_at, timezone.now())

    def refusal(unit, reason, device: str):
        at = end - timedelta(minutes=rng.randint(5, 60 * 24 * 20))
        return CodeRefusal(
            wave=wave,
            unit=unit,
            reason=reason,
            at=at,
            ip_hash=services.keyed_hash("ip", f"10.200.{device}"),
            device_hash=services.keyed_hash("device", device),
        )

    reasons = [CodeRefusal.Reason.UNKNOWN] * 3 + [
        CodeRefusal.Reason.USED,
        CodeRefusal.Reason.DOSSIER_USED,
    ]
    for unit in units:
        for _ in range(rng.choice([0, 0, 1, 2, 3])):
            made.append(refusal(unit, rng.choice(reasons), f"{unit.code}-{rng.randint(0, 999)}"))
    for unit in rng.sample(units, min(3, len(units))):
        made.extend(
            refusal(unit, CodeRefusal.Reason.UNKNOWN, f"{unit.code}-guess") for _ in range(18)
        )
    return made


def load_surveys(secretariat, cycles: dict) -> int:
    """Waves and responses for each (year → cycle) that has none yet."""
    cycles = {
        year: cycle
        for year, cycle in cycles.items()
        if not Wave.objects.filter(cycle=cycle).exists()
    }
    if not cycles:
        return 0
    rng = random.Random(1001 + min(cycles))
    versions = _questionnaires(secretariat)
    now = timezone.now()
    windows = {
        2025: (now.replace(year=2025, month=11, day=1), now.replace(year=2025, month=12, day=31)),
        2026: (now - timedelta(days=25), now + timedelta(days=20)),
    }
    total = 0
    for year, cycle in cycles.items():
        opens, closes = windows[year]
        units = [p.unit for p in cycle.participations.select_related("unit")]
        quality = {unit.pk: rng.uniform(0.8, 0.97) for unit in units}
        for code, version in versions.items():
            wave = services.create_wave(
                secretariat, cycle, version, f"{QUESTIONNAIRES[code]} năm {year}", opens, closes
            )
            dossiers = {unit: rng.randint(300, 20000) for unit in units}
            WaveTarget.objects.bulk_create(
                [
                    WaveTarget(
                        wave=wave,
                        unit=u,
                        dossiers=n,
                        sample=sample_size(n) if code == "sipas" else 30,
                    )
                    for u, n in dossiers.items()
                ]
            )
            done = 1.0 if year == 2025 else None
            rows = []
            for unit in units:
                target = sample_size(dossiers[unit]) if code == "sipas" else 30
                share = done or rng.uniform(0.3, 0.9)
                count = max(3, int(target * share * (0.25 if code == "sipas" else 1)))
                rows.extend(_responses(wave, unit, count, rng, quality[unit.pk]))
            Response.objects.bulk_create(rows, batch_size=2000)
            if code == "sipas":
                CodeRefusal.objects.bulk_create(_refusals(wave, units, rng), batch_size=2000)
            total += len(rows)
    return total
