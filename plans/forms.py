"""Forms of the plan screens."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.collation import by_name
from core.uploads import UploadForm
from units.models import Unit

from .models import TaskStatus


class PlanImportForm(UploadForm):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=50)
    decision_date = forms.DateField(
        label=_("Ngày ban hành"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=300)
    field_order = ["year", "decision_number", "decision_date", "title", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, accept=".xlsx", **kwargs)
        self.fields["file"].label = _("Phụ lục nhiệm vụ (.xlsx)")


class TaskUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái"), choices=TaskStatus.choices)
    progress_note = forms.CharField(
        label=_("Tiến độ, kết quả"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    product_link = forms.CharField(label=_("Đường dẫn sản phẩm"), required=False, max_length=500)
    field_order = ["unit", "status", "progress_note", "product_link"]

    def __init__(self, *args, units=None, **kwargs):
        """`units`: on a task led by several units, the lead units the user may report for when there
        is a choice (the secretariat); a unit's own members report for their unit without one."""
        super().__init__(*args, **kwargs)
        if units:
            self.fields["unit"] = forms.ModelChoiceField(
                label=_("Đơn vị chủ trì"), queryset=units, empty_label=_("— chọn —")
            )
            self.order_fields(self.field_order)


class NameMappingForm(forms.Form):
    """One choice per unknown name: a unit of the catalogue, or outside the catalogue."""

    OUTSIDE = "outside"

    def __init__(self, *args, names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— chọn —")), (self.OUTSIDE, _("Ngoài danh mục (giữ nguyên tên)"))] + [
            (str(u.pk), f"{u.display_name} ({u.code})")
            for u in Unit.objects.filter(active_to__isnull=True).order_by("kind", by_name())
        ]
        self.names = names
        for index, name in enumerate(names):
            self.fields[f"name_{index}"] = forms.ChoiceField(label=name, choices=choices)

    def mapping(self) -> dict:
        units = {str(u.pk): u for u in Unit.objects.all()}
        return {
            name: None
            if self.cleaned_data[f"name_{i}"] == self.OUTSIDE
            else units[self.cleaned_data[f"name_{i}"]]
            for i, name in enumerate(self.names)
        }
