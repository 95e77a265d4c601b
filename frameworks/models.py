"""The scoring framework of a cycle for one unit kind: a tree of domains, criteria and sub-criteria."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from cycles.models import Cycle
from units.models import UnitKind

from .evidence import EvidenceRule
from .scoring import RULE_LABELS, RULES


class Framework(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="frameworks")
    kind = models.CharField(_("dành cho"), max_length=30, choices=UnitKind.choices)
    # A named variant for units that need their own (a central agency on a reduced set of domains);
    # empty: the kind's default, which every participant of the kind uses unless it names a variant.
    variant = models.CharField(_("phương án"), max_length=60, blank=True, default="")
    title = models.CharField(_("tên bộ tiêu chí"), max_length=300)
    # The total its scored domains must reach before the cycle leaves draft (Hà Nội: 100; a smaller
    # framework scaled to 100 afterwards, e.g. central agencies' 40 + 20, states its own).
    target_total = models.DecimalField(
        _("tổng điểm chuẩn"), max_digits=7, decimal_places=2, default=Decimal("100.00")
    )

    class Meta:
        ordering = ["cycle", "kind", "variant"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "kind", "variant"], name="one_framework_per_cycle_kind_variant"
            )
        ]
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.cycle.is_draft


class Node(models.Model):
    """A domain, criterion or sub-criterion. Leaves carry a scoring rule; parents sum their children."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("mã"), max_length=30)
    title = models.TextField(_("nội dung"))
    max_points = models.DecimalField(
        _("điểm tối đa"), max_digits=7, decimal_places=2, default=Decimal("0.00")
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    guidance = models.TextField(_("hướng dẫn chấm, tài liệu kiểm chứng"), blank=True)
    evidence_rule = models.CharField(
        _("tài liệu kiểm chứng"),
        max_length=20,
        choices=EvidenceRule.choices,
        default=EvidenceRule.NEVER,
    )
    rule = models.CharField(
        _("quy tắc chấm"),
        max_length=20,
        blank=True,
        choices=[(r, RULE_LABELS[r]) for r in RULES],
    )
    rule_params = models.JSONField(_("tham số quy tắc"), default=dict, blank=True)

    class Meta:
        ordering = ["framework", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="node_code_unique_in_framework"
            )
        ]
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")

    def __str__(self) -> str:
        return f"{self.code}. {self.title[:80]}"

    @property
    def depth(self) -> int:
        return self.code.count(".")

    @property
    def allows_not_applicable(self) -> bool:
        return bool(self.rule_params.get("allow_na"))
