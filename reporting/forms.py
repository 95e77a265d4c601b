"""Forms of the reporting screens."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.moments import within_years
from units.models import Unit

from .consolidation import REPORTING_KINDS
from .models import PeriodKind, ReportTemplate

# A one-off request is made on its own form (RequestForm), with its title and recipients.
PERIOD_KINDS = [(k, label) for k, label in PeriodKind.choices if k != PeriodKind.REQUEST]
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
    kind = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=PERIOD_KINDS)
    template = forms.ModelChoiceField(label=_("Mẫu báo cáo"), queryset=ReportTemplate.objects.all())
    due_at = forms.DateTimeField(
        label=_("Hạn nộp"), widget=DATETIME_WIDGET, validators=[within_years]
    )


class RequestForm(forms.Form):
    """A one-off report request (reporting/requests.py)."""

    title = forms.CharField(label=_("Tên yêu cầu báo cáo"), max_length=300)
    template = forms.ModelChoiceField(label=_("Mẫu báo cáo"), queryset=ReportTemplate.objects.all())
    due_at = forms.DateTimeField(
        label=_("Hạn nộp"), widget=DATETIME_WIDGET, validators=[within_years]
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị được yêu cầu"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(
            kind__in=REPORTING_KINDS, active_to__isnull=True
        )
