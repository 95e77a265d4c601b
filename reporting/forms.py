"""Forms of the reporting screens."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.moments import within_years

from .models import PeriodKind, ReportTemplate

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class TemplateForm(forms.Form):
    title = forms.CharField(label=_("Tên mẫu báo cáo"), max_length=200)
    indicators = forms.CharField(
        label=_("Chỉ tiêu số liệu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Mỗi dòng: mã; tên chỉ tiêu; rate (tỷ lệ: nhập tử số và mẫu số) hoặc number (số); đơn vị tính."
        ),
    )
    sections = forms.CharField(
        label=_("Nội dung báo cáo"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Mỗi dòng: mã; tiêu đề nội dung."),
    )


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=PeriodKind.choices)
    template = forms.ModelChoiceField(label=_("Mẫu báo cáo"), queryset=ReportTemplate.objects.all())
    due_at = forms.DateTimeField(
        label=_("Hạn nộp"), widget=DATETIME_WIDGET, validators=[within_years]
    )
