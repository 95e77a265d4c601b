"""Forms of the results screens."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ProvincialSeries
from .provincial import FIRST_YEAR, LAST_YEAR


class ProvincialValueForm(forms.Form):
    """A year's value of the city in a national index, with its published source (provincial.save_value)."""

    series = forms.ChoiceField(label=_("Chỉ số"), choices=ProvincialSeries.choices)
    year = forms.IntegerField(label=_("Năm"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    value = forms.DecimalField(
        label=_("Giá trị"), min_value=0, max_digits=7, decimal_places=2, localize=True
    )
    rank = forms.IntegerField(label=_("Xếp hạng cả nước"), min_value=1, required=False)
    source = forms.CharField(
        label=_("Nguồn công bố"),
        max_length=300,
        help_text=_(
            "Văn bản hoặc nơi công bố: số, ngày, cơ quan công bố (ví dụ báo cáo của Bộ Nội vụ)."
        ),
    )
    link = forms.URLField(label=_("Đường dẫn (nếu có)"), required=False, assume_scheme="https")


class AssistantForm(forms.Form):
    """A question to the assistant (results/assistant/)."""

    question = forms.CharField(
        label=_("Câu hỏi"),
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
