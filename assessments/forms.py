"""Turning a leaf's posted form into the rule's inputs, and the small forms of the assessment screens."""

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core.collation import by_name
from core.formats import parse_number_text
from units.models import Unit


def _text(data, name) -> str:
    return (data.get(name) or "").strip()


def _number(text: str):
    """A typed number as the rules store it ("0,5" and "0.5" alike; core.formats)."""
    return parse_number_text(text)


def inputs_from_post(node, data) -> dict:
    """The inputs a rule needs, read from the leaf's form fields (validation happens in the service)."""
    rule = node.rule
    if rule in ("manual", "bonus", "penalty"):
        return {"points": _number(_text(data, "points"))}
    if rule == "yes_no":
        answer = _text(data, "done")
        return {"done": True if answer == "yes" else False if answer == "no" else None}
    if rule == "ratio":
        inputs = {"denominator": _number(_text(data, "denominator"))}
        if "parts" in node.rule_params:
            inputs["parts"] = {
                name: _number(_text(data, f"part_{name}")) for name in node.rule_params["parts"]
            }
        else:
            inputs["numerator"] = _number(_text(data, "numerator"))
        return inputs
    if rule == "checklist":
        ticked = []
        for value in data.getlist("ticked"):
            if value.isdigit():
                ticked.append(int(value))
        return {"ticked": sorted(set(ticked))}
    if rule == "deadline":
        if data.get("not_done") or not _text(data, "date"):
            return {"date": None}
        text = _text(data, "date")
        for layout in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return {"date": datetime.strptime(text, layout).date().isoformat()}
            except ValueError:
                continue
        return {"date": text}
    if rule == "deduction":
        return {"count": _number(_text(data, "count"))}
    return {}


class EvidenceReferenceForm(forms.Form):
    doc_number = forms.CharField(label=_("Số, ký hiệu văn bản"), max_length=100)
    doc_date = forms.DateField(
        label=_("Ngày ban hành"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=200, required=False)
    link = forms.URLField(
        label=_("Đường dẫn"), required=False, max_length=500, assume_scheme="https"
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=1000)


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Thành viên Tổ công tác"), queryset=None)
    units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị"), queryset=None, widget=forms.SelectMultiple(attrs={"size": 12})
    )
    domain_code = forms.CharField(
        label=_("Lĩnh vực (để trống: toàn bộ)"),
        required=False,
        max_length=10,
        help_text=_("Mã lĩnh vực, ví dụ 3, nếu chỉ giao một lĩnh vực."),
    )

    def __init__(self, *args, cycle, **kwargs):
        from accounts.models import Role, User

        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = User.objects.filter(
            role=Role.REVIEWER, is_active=True, unit_id=cycle.organiser_id
        )
        self.fields["units"].queryset = Unit.objects.filter(participations__cycle=cycle).order_by(
            "kind", by_name()
        )

    def clean_domain_code(self):
        code = self.cleaned_data["domain_code"].strip()
        if code and not code.isdigit():
            raise forms.ValidationError(_("Mã lĩnh vực là một số, ví dụ 3."))
        return code


class QueueFilterForm(forms.Form):
    """The review queue's filters (GET): a cycle, the state of its leaves, a domain, a unit."""

    cycle = forms.ChoiceField(label=_("Kỳ đánh giá"), required=False)
    state = forms.ChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            ("pending", _("Còn tiêu chí chưa thẩm định")),
            ("done", _("Đã thẩm định xong")),
            ("explain", _("Có tiêu chí yêu cầu giải trình")),
        ],
    )
    domain = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    unit = forms.ChoiceField(label=_("Đơn vị"), required=False)

    def __init__(self, *args, cycles, domains, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].choices = [(c.key, f"{c.year}: {c.title}") for c in cycles]
        self.fields["domain"].choices = [("", _("Tất cả"))] + [
            (code, f"{code}. {title}") for code, title in domains
        ]
        self.fields["unit"].choices = [("", _("Tất cả"))] + list(units)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


class DataValueForm(forms.Form):
    """An `automatic` leaf's value entered or overridden by the secretariat (services.set_data_value)."""

    percent = forms.DecimalField(
        label=_("Giá trị (%)"), min_value=0, max_value=100, decimal_places=2, localize=True
    )
    reason = forms.CharField(
        label=_("Lý do (bắt buộc khi điều chỉnh số liệu từ nguồn dữ liệu)"),
        max_length=1000,
        required=False,
    )
    doc_number = forms.CharField(
        label=_("Văn bản nguồn: số, ký hiệu"), max_length=100, required=False
    )
    doc_date = forms.DateField(
        label=_("Ngày ban hành"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=200, required=False)


class LeafAssignmentForm(forms.Form):
    """Give a leaf, or every leaf of a domain or criterion, to a unit (the city's self-assessment)."""

    code = forms.CharField(label=_("Mã lĩnh vực, tiêu chí hoặc tiêu chí thành phần"), max_length=30)
    unit = forms.ModelChoiceField(
        label=_("Đơn vị chủ trì"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("(Thu hồi, không giao đơn vị nào)"),
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            kind__in=kinds, active_to__isnull=True
        ).order_by("kind", "code")


class LeafAssignmentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp giao tiêu chí (.xlsx hoặc .csv)"),
        help_text=_(
            "Dòng đầu là tiêu đề; cột A: mã tiêu chí (hoặc mã lĩnh vực), cột B: mã đơn vị."
        ),
    )
