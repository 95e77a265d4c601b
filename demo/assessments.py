"""Realistic self-assessments, appraisals and explanations for the demo years, written in bulk.

Deterministic (seeded). Each unit has a quality level; its answers, the appraisers' adjustments and
its explanations follow from it. The demo writes rows in bulk and one audit event per assessment
("demo load"); the unit Phường Hoàn Kiếm goes through the real services so its history is full.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.audit import record
from assessments.automatic import ENTERED
from assessments.models import Assessment, AssessmentState, Evidence, Item, NaDecision
from assessments.services import transitions
from frameworks.scoring import READ_ONLY_RULES, score

ISSUERS = [
    "UBND thành phố Hà Nội",
    "Sở Nội vụ",
    "UBND phường",
    "UBND xã",
    "Văn phòng UBND thành phố",
]


def tiny_pdf(title: str) -> bytes:
    """A valid one-page PDF naming the document, a few hundred bytes."""
    text = title.encode("ascii", "replace")[:60].replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 12 Tf 40 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def inputs_for(node, rng: random.Random, quality: float, year: int) -> dict:
    """What a unit of this quality would enter for this leaf."""
    good = rng.random() < quality
    params = node.rule_params
    max_points = node.max_points
    if node.rule in ("manual", "bonus"):
        step = Decimal(str(params.get("step", "0.25")))
        steps = int(max_points / step)
        chosen = steps if good else rng.randint(0, steps)
        if node.rule == "bonus":
            chosen = rng.choice([0, 0, 0, steps]) if good else 0
        return {"points": str(step * chosen)}
    if node.rule == "penalty":
        return {"points": "0" if good or rng.random() < 0.7 else str(params.get("step", "0.25"))}
    if node.rule == "yes_no":
        return {"done": good or rng.random() < 0.5}
    if node.rule == "ratio":
        total = rng.randint(8, 400)
        share = 1.0 if good else rng.uniform(0.6, 1.0)
        if "parts" in params:
            names = list(params["parts"])
            resolved = round(total * share)
            handled = rng.randint(0, total - resolved) if len(names) > 1 else 0
            parts = {names[0]: resolved} | ({names[1]: handled} if len(names) > 1 else {})
            return {"parts": parts, "denominator": total}
        return {"numerator": round(total * share), "denominator": total}
    if node.rule == "checklist":
        count = len(params.get("items", []))
        ticked = (
            list(range(count)) if good else sorted(rng.sample(range(count), rng.randint(0, count)))
        )
        return {"ticked": ticked}
    if node.rule == "deadline":
        first = date.fromisoformat(params["tiers"][0][0])
        if not good and rng.random() < 0.2:
            return {"date": None}
        offset = -rng.randint(1, 15) if good else rng.randint(-5, 40)
        return {"date": (first + timedelta(days=offset)).isoformat()}
    if node.rule == "deduction":
        return {"count": 0 if good else rng.randint(1, 3)}
    return {}


def self_assess(items, rng: random.Random, quality: float, year: int, share: float = 1.0):
    """Fill `share` of the fillable leaves; claim "not applicable" now and then where allowed."""
    for item in items:
        node = item.node
        if node.rule in READ_ONLY_RULES or rng.random() > share:
            continue
        if node.allows_not_applicable and rng.random() < 0.15:
            item.not_applicable, item.na_reason = (
                True,
                "Đơn vị không có đơn vị trực thuộc thuộc phạm vi tiêu chí.",
            )
            continue
        item.inputs = inputs_for(node, rng, quality, year)
        item.self_points = score(node.rule, node.rule_params, node.max_points, item.inputs)
        if rng.random() < 0.2:
            item.note = "Số liệu theo báo cáo CCHC năm của đơn vị."


def appraise(items, rng: random.Random, quality: float):
    """The working group agrees mostly; it lowers optimistic claims and asks for explanations."""
    for item in items:
        node = item.node
        if node.rule in READ_ONLY_RULES or not item.is_answered:
            continue
        if item.not_applicable:
            item.na_decision = NaDecision.ACCEPTED if rng.random() < 0.8 else NaDecision.REJECTED
            if item.na_decision == NaDecision.REJECTED:
                item.appraised_points = Decimal("0.00")
                item.needs_explanation = True
                item.appraisal_comment = "Đơn vị có đơn vị trực thuộc; đề nghị giải trình."
            continue
        item.appraised_points = item.self_points
        if item.self_points and item.self_points > 0 and rng.random() > quality:
            cut = min(item.self_points, Decimal("0.25") * rng.randint(1, 2))
            item.appraised_points = (
                item.self_points - cut if node.rule != "penalty" else item.self_points
            )
            item.appraisal_comment = "Tài liệu kiểm chứng chưa thể hiện đầy đủ kết quả tự chấm."
            item.needs_explanation = rng.random() < 0.6


def explain_and_finalise(items, rng: random.Random):
    for item in items:
        if not item.disputed:
            continue
        if rng.random() < 0.75:
            item.explanation = "Đơn vị bổ sung văn bản chứng minh kết quả thực hiện (kèm theo)."
            item.explained_at = timezone.now()
            accepted = rng.random() < 0.5
            item.final_points = (
                item.self_points
                if accepted and item.self_points is not None
                else item.appraised_points
            )
            item.final_comment = (
                "Chấp nhận giải trình." if accepted else "Giữ nguyên điểm thẩm định."
            )


def attach_evidence(items, uploader, rng: random.Random, year: int, files: bool) -> int:
    """A small PDF or an official-document reference on every leaf whose claim needs evidence."""
    created = []
    for item in items:
        if not item.needs_evidence:
            continue
        number = rng.randint(1, 400)
        evidence = Evidence(
            item=item,
            uploaded_by=uploader,
            doc_number=f"{number}/KH-UBND",
            doc_date=date(year, rng.randint(1, 11), rng.randint(1, 28)),
            issuer=rng.choice(ISSUERS),
        )
        if files:
            name = f"kiem-chung-{item.node.code}.pdf"
            data = tiny_pdf(f"{item.node.code} {number}/KH-UBND")
            evidence.original_name, evidence.content_type, evidence.size = (
                name,
                "application/pdf",
                len(data),
            )
            evidence.file.save(name, ContentFile(data), save=False)
        created.append(evidence)
    Evidence.objects.bulk_create(created, batch_size=1000)
    return len(created)


def save_items(items) -> list[Item]:
    """Replace the assessment's (still untouched) items by the filled ones: far faster than an update."""
    Item.objects.filter(pk__in=[i.pk for i in items]).delete()
    for item in items:
        item.pk = None
    return Item.objects.bulk_create(items, batch_size=1000)


def mark(assessment: Assessment, state: str, actor, note: str) -> None:
    """The demo-load event of a filled assessment; a submitted one moves through the transition table."""
    if state == assessment.state:
        record(actor, "assessment.demo_load", assessment, after={"state": state}, reason=note)
        return
    submitted = (
        {}
        if state == AssessmentState.DRAFT
        else {"submitted_at": assessment.submitted_at or timezone.now()}
    )
    transitions.move(
        actor, assessment, state, action="assessment.demo_load", reason=note, **submitted
    )


# Who publishes the figure behind each data-sourced leaf the periodic reports do not carry: the
# secretariat enters it with that office's document (assessments.services.set_data_value, here in bulk).
DATA_ISSUERS = {
    "plan_tasks_done": "Sở Nội vụ",
    "city_assigned_tasks": "Văn phòng UBND Thành phố",
    "edoc_signed": "Văn phòng UBND Thành phố",
    "work_records_online": "Văn phòng UBND Thành phố",
    "monthly_staff_evaluation": "Sở Nội vụ",
    "socioeconomic_targets": "Sở Tài chính",
    "budget_revenue": "Sở Tài chính",
    "land_dossiers_on_time": "Sở Nông nghiệp và Môi trường",
    "ihanoi_feedback": "Sở Khoa học và Công nghệ",
}
DEFAULT_ISSUER = "Trung tâm Phục vụ hành chính công Thành phố"


def data_share(rng: random.Random, quality: float) -> Decimal:
    """A realistic rate for a data-sourced leaf. In Hà Nội's 2023–2025 figures many units reach 100 %
    (every document signed digitally, every assigned task on time, the revenue estimate met), the
    better ones more often; the others sit mostly between 85 and 99 %."""
    if rng.random() < 0.35 + 0.5 * (quality - 0.6):
        return Decimal("1.0000")
    share = rng.gauss(0.92 + 0.3 * (quality - 0.85), 0.035)
    return Decimal(str(min(0.999, max(0.8, share)))).quantize(Decimal("0.0001"))


def enter_data_values(items, rng: random.Random, quality: float, fed) -> None:
    """Every `automatic` leaf without a fed value gets one entered by the secretariat, with the document
    it comes from, so none is left at 0 for lack of data. `fed(node)` says whether a feed has a value."""
    for item in items:
        node = item.node
        if node.rule != "automatic" or fed(node):
            continue
        source = node.rule_params.get("source", "")
        number = f"{rng.randint(10, 480)}/BC-{'VP' if 'Văn phòng' in DATA_ISSUERS.get(source, '') else 'SL'}"
        item.inputs = {
            "value": str(data_share(rng, quality)),
            "source": source,
            "origin": ENTERED,
            "document": f"{number} ({DATA_ISSUERS.get(source, DEFAULT_ISSUER)})",
        }
        item.self_points = score(node.rule, node.rule_params, node.max_points, item.inputs)


def attach_data_documents(items, uploader, rng: random.Random, year: int) -> int:
    """The document behind each entered value, as the leaf's evidence (what set_data_value keeps)."""
    created = []
    for item in items:
        inputs = item.inputs or {}
        if inputs.get("origin") != ENTERED:
            continue
        number, issuer = inputs["document"].split(" (", 1)
        created.append(
            Evidence(
                item=item,
                uploaded_by=uploader,
                doc_number=number,
                doc_date=date(year + 1, 1, rng.randint(2, 9)),
                issuer=issuer.rstrip(")"),
            )
        )
    Evidence.objects.bulk_create(created, batch_size=1000)
    return len(created)
