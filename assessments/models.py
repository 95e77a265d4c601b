"""A unit's assessment in a cycle: per leaf the self-assessment, evidence, appraisal, explanation
and final points; reviewer assignments."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cycles.models import Cycle
from frameworks.evidence import evidence_needed
from frameworks.models import Framework, Node
from units.models import Unit


class AssessmentState(models.TextChoices):
    DRAFT = "draft", _("Đang tự đánh giá")
    SUBMITTED = "submitted", _("Đã nộp")
    FINALISED = "finalised", _("Đã phê duyệt")


# The only moves an assessment may make (applied by assessments/services/transitions.py): the head
# submits a draft (or the cycle does, when appraisal opens), the secretariat reopens a submitted one,
# finalisation freezes the submitted ones. A finalised assessment never moves again.
ALLOWED_TRANSITIONS = {
    AssessmentState.DRAFT: (AssessmentState.SUBMITTED,),
    AssessmentState.SUBMITTED: (AssessmentState.DRAFT, AssessmentState.FINALISED),
    AssessmentState.FINALISED: (),
}


class Assessment(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="assessments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assessments")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    state = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=AssessmentState.choices,
        default=AssessmentState.DRAFT,
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cycle", "unit__kind", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit"], name="one_assessment_per_unit_cycle")
        ]
        verbose_name = _("bản tự đánh giá")
        verbose_name_plural = _("bản tự đánh giá")

    def __str__(self) -> str:
        return f"{self.unit} — {self.cycle.year}"


class NaDecision(models.TextChoices):
    ACCEPTED = "accepted", _("Chấp nhận không áp dụng")
    REJECTED = "rejected", _("Không chấp nhận")


class Item(models.Model):
    """One leaf of one unit's assessment, through every round."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="items")
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="items")
    # Self-assessment by the unit
    inputs = models.JSONField(default=dict, blank=True)
    self_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    na_reason = models.TextField(blank=True)
    note = models.TextField(blank=True)
    # Appraisal by the working group
    appraised_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    appraisal_comment = models.TextField(blank=True)
    na_decision = models.CharField(max_length=10, choices=NaDecision.choices, blank=True)
    needs_explanation = models.BooleanField(default=False)
    # Explanation by the unit, then final points by the reviewer
    explanation = models.TextField(blank=True)
    explained_at = models.DateTimeField(null=True, blank=True)
    final_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    final_comment = models.TextField(blank=True)
    # Optimistic concurrency: every write must name the version it started from.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["assessment", "node__order", "node__id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "node"], name="one_item_per_leaf")
        ]

    def __str__(self) -> str:
        return f"{self.assessment} — {self.node.code}"

    @property
    def is_answered(self) -> bool:
        return self.not_applicable or self.self_points is not None

    @property
    def needs_evidence(self) -> bool:
        """The leaf's evidence rule asks for evidence for the points claimed so far."""
        return evidence_needed(
            self.node.evidence_rule,
            self.node.rule,
            self.self_points,
            not_applicable=self.not_applicable,
        )

    @property
    def has_evidence(self) -> bool:
        """Evidence not removed; reads the prefetched `evidence` when the caller loaded it."""
        return any(e.removed_at is None for e in self.evidence.all())

    @property
    def evidence_missing(self) -> bool:
        return self.needs_evidence and not self.has_evidence

    @property
    def na_accepted(self) -> bool:
        return self.not_applicable and self.na_decision != NaDecision.REJECTED

    @property
    def disputed(self) -> bool:
        """The reviewer disagrees with the unit, or asked it to explain."""
        if self.needs_explanation or self.na_decision == NaDecision.REJECTED:
            return True
        return self.appraised_points is not None and self.appraised_points != (
            self.self_points or 0
        )


def evidence_path(instance, filename: str) -> str:
    # The stored name is random: the user's name is kept in original_name, never on disk.
    item = instance.item
    return f"evidence/{item.assessment.cycle.year}/{item.assessment.unit.code}/{uuid.uuid4().hex}"


class EvidenceStage(models.TextChoices):
    SELF = "self", _("Tự đánh giá")
    EXPLANATION = "explanation", _("Giải trình")


class EvidenceQuerySet(models.QuerySet):
    def current(self):
        return self.filter(removed_at__isnull=True)


class Evidence(models.Model):
    """An uploaded file and/or a reference to an official document, attached to an item."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="evidence")
    stage = models.CharField(
        max_length=12, choices=EvidenceStage.choices, default=EvidenceStage.SELF
    )
    file = models.FileField(upload_to=evidence_path, blank=True)
    original_name = models.CharField(_("tên tệp"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    doc_number = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    doc_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    link = models.URLField(_("đường dẫn"), blank=True, max_length=500)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Removal is recorded, not executed: the audit trail must still name what was once attached.
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name or self.doc_number or f"#{self.pk}"

    @property
    def is_file(self) -> bool:
        return bool(self.file)


class ReviewerAssignment(models.Model):
    """A reviewer appraises a unit's assessment, whole or one domain of it."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="reviewer_assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    # Empty: the whole assessment; else the code of one top-level domain ("3").
    domain_code = models.CharField(max_length=10, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "reviewer", "unit", "domain_code"], name="assignment_unique"
            )
        ]

    def __str__(self) -> str:
        scope = f" lĩnh vực {self.domain_code}" if self.domain_code else ""
        return f"{self.reviewer} → {self.unit}{scope}"


class LeafContributor(models.Model):
    """A leaf of an assessment given to another unit to fill: in the city's self-assessment for the
    Ministry's provincial index each criterion is led by a department (docs/assessments.md, "Tự đánh
    giá Chỉ số CCHC cấp tỉnh"). Its officers fill the leaf's inputs and evidence, and see no other."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="leaf_contributors"
    )
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="contributed_leaves")

    class Meta:
        ordering = ["assessment", "node__order", "node__id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "node"], name="one_contributor_per_leaf")
        ]
        verbose_name = _("đơn vị chủ trì tiêu chí")
        verbose_name_plural = _("đơn vị chủ trì tiêu chí")

    def __str__(self) -> str:
        return f"{self.node.code} → {self.unit}"
