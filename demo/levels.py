"""The demo's city self-assessment for the Ministry: Hà Nội's 2026 provincial PAR Index, open for
self-assessment, its domains given to the departments that lead them, a few leaves filled by Sở Tư pháp
(docs/assessments.md, "Tự đánh giá Chỉ số CCHC cấp tỉnh"). Safe to run twice."""

import dataclasses
import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from assessments import services as assessment_services
from cycles.models import Cycle, CycleState, IndexFamily, PhaseKind
from cycles.organisers import city_organiser
from cycles.services import add_participants, create_cycle, set_phase, transition
from demo import assessments as demo_assessments
from frameworks.bundled import BUNDLED, load_specs
from frameworks.scoring import READ_ONLY_RULES
from frameworks.services import save_specs, shift_deadlines
from frameworks.years import reword_title

YEAR = 2026
TITLE = "Tự đánh giá Chỉ số cải cách hành chính cấp tỉnh năm {year} của thành phố Hà Nội"
# The department that leads each appraisal domain (the guidance of most of its leaves names it); the
# domains Sở Nội vụ leads (1, 4, 5), the survey and the bonus points stay with the city's own unit.
DOMAIN_LEADS = {"2": "S02", "3": "S12", "6": "S03", "7": "S07", "8": "S03"}
FILLED_BY_JUSTICE = 5  # leaves of domain 2 Sở Tư pháp has filled so far
# Each phase's opening and closing, in days from today: self-assessment open now.
CALENDAR = {
    PhaseKind.SELF_ASSESSMENT: (-10, 35),
    PhaseKind.APPRAISAL: (36, 60),
    PhaseKind.EXPLANATION: (61, 70),
    PhaseKind.FINALISATION: (71, 90),
}


def _specs(year: int):
    """The bundled provincial framework (written for 2025) moved to `year`: titles and deadlines."""
    bundled_year = 2025
    return [
        dataclasses.replace(
            spec,
            title=reword_title(spec.title, bundled_year, year),
            rule_params=shift_deadlines(spec.rule, spec.rule_params, year - bundled_year),
        )
        for spec in load_specs("provincial")
    ]


def _open(secretariat) -> Cycle:
    cycle = create_cycle(secretariat, YEAR, TITLE.format(year=YEAR), family=IndexFamily.PROVINCIAL)
    add_participants(secretariat, cycle, [city_organiser()])
    bundled = BUNDLED["provincial"]
    save_specs(
        secretariat,
        cycle,
        cycle.participations.get().framework_kind,  # the city's unit's kind (docs/assessments.md)
        _specs(YEAR),
        source=bundled.filename,
        target_total=bundled.target_total,
    )
    now = timezone.now()
    for kind, (opens, closes) in CALENDAR.items():
        set_phase(
            secretariat, cycle, kind, now + timedelta(days=opens), now + timedelta(days=closes)
        )
    return transition(secretariat, cycle, CycleState.SELF_ASSESSMENT, reason="Năm demo")


def _fill_as_justice(assessment) -> None:
    """Sở Tư pháp's officer fills some of its leaves through the real services (history, evidence)."""
    officer = User.objects.get(username="canbo.tuphap")
    rng = random.Random(YEAR)
    items = assessment.items.select_related("node").filter(node__code__startswith="2.")
    fillable = [i for i in items.order_by("node__order") if i.node.rule not in READ_ONLY_RULES]
    for item in fillable[:FILLED_BY_JUSTICE]:
        node = item.node
        inputs = demo_assessments.inputs_for(node, rng, 0.9, YEAR)
        item = assessment_services.save_self(officer, item, inputs=inputs, note="")
        if item.needs_evidence:
            data = demo_assessments.tiny_pdf(f"{node.code} So Tu phap {YEAR}")
            upload = SimpleUploadedFile(f"kiem-chung-{node.code}.pdf", data)
            assessment_services.add_evidence_file(officer, item, upload)


def load_levels(secretariat) -> Cycle:
    """The provincial self-assessment of YEAR, made once."""
    found = Cycle.objects.filter(
        year=YEAR, organiser__isnull=True, family=IndexFamily.PROVINCIAL
    ).first()
    if found:
        return found
    cycle = _open(secretariat)
    assessment = cycle.assessments.get()
    rows = [(None, domain, unit) for domain, unit in DOMAIN_LEADS.items()]
    assessment_services.assign_leaves(secretariat, assessment, rows)
    _fill_as_justice(assessment)
    return cycle
