"""Forms of the framework screens: import a file, edit or add a node."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import DecimalField
from core.uploads import UploadForm
from units.models import UnitKind

from .evidence import EvidenceRule
from .scoring import RULE_LABELS, RULES


class FrameworkImportForm(UploadForm):
    kind = forms.ChoiceField(label=_("Dành cho loại đơn vị"), choices=UnitKind.choices)
    variant = forms.CharField(
        label=_("Phương án"),
        required=False,
        max_length=60,
        help_text=_(
            "Để trống với bộ tiêu chí chung của loại đơn vị. Đặt tên (ví dụ “rút gọn”) khi một số "
            "đơn vị được chấm theo bộ riêng, rồi chọn phương án này cho các đơn vị đó."
        ),
    )
    field_order = ["kind", "variant", "file"]

    def __init__(self, *args, kinds: list[str] | None = None, **kwargs):
        super().__init__(*args, accept=".xlsx", **kwargs)
        self.fields["file"].label = _("Tệp Excel (.xlsx)")
        if kinds is not None:  # an organiser's index: only the kinds of its own sub-units
            self.fields["kind"].choices = [(k, UnitKind(k).label) for k in kinds]


class NodeForm(forms.Form):
    title = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 2}))
    max_points = DecimalField(label=_("Điểm tối đa"), min_value=0, max_digits=7, decimal_places=2)
    rule = forms.ChoiceField(label=_("Quy tắc chấm"), choices=[(r, RULE_LABELS[r]) for r in RULES])
    use_json = forms.BooleanField(
        label=_("Dùng JSON (nâng cao) thay cho các ô của quy tắc chấm"), required=False
    )
    rule_params = forms.CharField(
        label=_("Tham số quy tắc (JSON, nâng cao)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_(
            'Chỉ dùng khi chọn ô trên. Ví dụ: {"step": 0.25}, {"mode": "proportional", "min": 0.8}.'
        ),
    )
    evidence_rule = forms.ChoiceField(
        label=_("Tài liệu kiểm chứng"),
        choices=EvidenceRule.choices,
        initial=EvidenceRule.WHEN_CLAIMED,
        required=False,
        help_text=_(
            "Khi nào đơn vị phải đính kèm tài liệu kiểm chứng mới nộp được bản tự đánh giá."
        ),
    )
    guidance = forms.CharField(
        label=_("Hướng dẫn chấm"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, is_leaf: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_leaf:
            # A parent's maximum is the sum of its children; it has no rule of its own.
            for name in ("max_points", "rule", "use_json", "rule_params", "evidence_rule"):
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        # Not sent (a form built before the field existed): the node keeps its rule, a new one the default.
        if not cleaned.get("evidence_rule"):
            cleaned.pop("evidence_rule", None)
        return cleaned

    def clean_rule_params(self):
        text = self.cleaned_data["rule_params"].strip() or "{}"
        if "use_json" in self.fields and not self.cleaned_data.get("use_json"):
            return {}  # the structured fields are used; an unfinished JSON box is not an error
        try:
            params = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("JSON không hợp lệ (%(msg)s, ký tự %(pos)s)."),
                params={"msg": exc.msg, "pos": exc.pos + 1},
            ) from None
        if not isinstance(params, dict):
            raise forms.ValidationError(_("Tham số phải là một đối tượng JSON, ví dụ {}."))
        return params
