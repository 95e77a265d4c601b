"""Forms of the cycle screens; the services do the real checks."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.moments import within_years
from units.models import UnitKind

from .models import LETTERHEAD_FIELDS, Cycle, IndexFamily, OrganiserLetterhead, PhaseKind

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CycleCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    family = forms.ChoiceField(label=_("Loại chỉ số"), required=False)
    title = forms.CharField(label=_("Tên kỳ đánh giá"), max_length=300)
    copy_from = forms.ModelChoiceField(
        label=_("Sao chép đơn vị tham gia, thời hạn và bộ tiêu chí từ kỳ"),
        queryset=Cycle.objects.none(),
        required=False,
        empty_label=_("(không sao chép)"),
    )

    def __init__(self, *args, organiser=None, cycles=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The city runs its families; a department or a commune runs the index of its own offices.
        if organiser is None:
            families = [c for c in IndexFamily if c != IndexFamily.INTERNAL]
        else:
            families = [IndexFamily.INTERNAL]
        self.fields["family"].choices = [(f.value, f.label) for f in families]
        self.fields["family"].initial = families[0].value
        self.default_family = families[0].value
        if cycles is not None:
            self.fields["copy_from"].queryset = cycles.filter(organiser=organiser, imported=False)

    def clean_family(self):
        return self.cleaned_data.get("family") or self.default_family


class LetterheadForm(forms.ModelForm):
    class Meta:
        model = OrganiserLetterhead
        fields = list(LETTERHEAD_FIELDS)


class TransitionForm(forms.Form):
    to_state = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Ghi chú (ghi vào nhật ký)"), required=False, max_length=1000)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class PhaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Giai đoạn"), choices=PhaseKind.choices)
    opens_at = forms.DateTimeField(
        label=_("Mở lúc"), widget=DATETIME_WIDGET, validators=[within_years]
    )
    closes_at = forms.DateTimeField(
        label=_("Đóng lúc"), widget=DATETIME_WIDGET, validators=[within_years]
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("opens_at")
            and cleaned.get("closes_at")
            and cleaned["closes_at"] <= cleaned["opens_at"]
        ):
            self.add_error("closes_at", _("Thời điểm đóng phải sau thời điểm mở."))
        return cleaned


class ParticipantsAddForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại đơn vị"), choices=UnitKind.choices)
    framework_variant = forms.CharField(
        label=_("Phương án bộ tiêu chí"),
        required=False,
        max_length=60,
        help_text=_("Để trống: bộ tiêu chí chung của loại đơn vị."),
    )
    codes = forms.CharField(
        label=_("Mã đơn vị"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Để trống để thêm mọi đơn vị của loại này đang hoạt động trong năm; hoặc liệt kê mã, cách nhau bởi dấu phẩy."
        ),
    )
    ranking_group = forms.CharField(
        label=_("Khối xếp hạng"),
        required=False,
        max_length=100,
        help_text=_("Để trống để dùng khối mặc định của loại đơn vị."),
    )

    def __init__(self, *args, kinds: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:  # an organiser's index: only the kinds of its own sub-units
            self.fields["kind"].choices = [(k, UnitKind(k).label) for k in kinds]

    def clean_codes(self):
        text = self.cleaned_data["codes"]
        return [
            code.strip()
            for code in text.replace(";", ",").replace("\n", ",").split(",")
            if code.strip()
        ]
