"""Forms of the survey screens: opening a wave and its per-unit sample targets; the services do the writes."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import DecimalField
from core.moments import within_years
from core.uploads import UploadForm
from cycles.models import Cycle

from .models import QuestionnaireVersion

# Typed as dd/mm/yyyy HH:MM (the first of DATETIME_INPUT_FORMATS), read in the project's time zone.
DATETIME_TEXT = "%d/%m/%Y %H:%M"
DATETIME_ERRORS = {
    "invalid": _("Nhập ngày giờ theo dạng dd/mm/yyyy HH:MM, ví dụ 01/03/2025 08:00.")
}


def _datetime_widget():
    return forms.DateTimeInput(
        format=DATETIME_TEXT,
        attrs={"placeholder": "dd/mm/yyyy HH:MM", "inputmode": "numeric", "autocomplete": "off"},
    )


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, version):
        latest = version.number == self.latest_numbers.get(version.questionnaire_id)
        label = _("%(questionnaire)s — phiên bản %(number)s") % {
            "questionnaire": version.questionnaire.title,
            "number": version.number,
        }
        return f"{label} ({_('mới nhất')})" if latest else label


class WaveForm(forms.Form):
    cycle = forms.ModelChoiceField(label=_("Kỳ đánh giá"), queryset=Cycle.objects.all())
    version = VersionChoiceField(
        label=_("Bảng hỏi"),
        queryset=QuestionnaireVersion.objects.select_related("questionnaire").order_by(
            "questionnaire__code", "-number"
        ),
        help_text=_("Phiên bản mới nhất của mỗi bảng hỏi đứng đầu; có thể chọn phiên bản cũ hơn."),
    )
    title = forms.CharField(label=_("Tên đợt khảo sát"), max_length=200)
    opens_at = forms.DateTimeField(
        label=_("Mở lúc"),
        widget=_datetime_widget(),
        error_messages=DATETIME_ERRORS,
        validators=[within_years],
        help_text=_("dd/mm/yyyy HH:MM, giờ Việt Nam."),
    )
    closes_at = forms.DateTimeField(
        label=_("Đóng lúc"),
        widget=_datetime_widget(),
        error_messages=DATETIME_ERRORS,
        validators=[within_years],
        help_text=_("dd/mm/yyyy HH:MM, giờ Việt Nam."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        versions = list(self.fields["version"].queryset)
        latest = {}
        for version in versions:  # ordered newest first within each questionnaire
            latest.setdefault(version.questionnaire_id, version.number)
        self.fields["version"].latest_numbers = latest
        if versions and not self.is_bound:
            self.initial.setdefault("version", versions[0].pk)

    def clean(self):
        return _closing_after_opening(self, super().clean())


def _closing_after_opening(form, cleaned: dict) -> dict:
    opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
    if opens_at and closes_at and closes_at <= opens_at:
        form.add_error("closes_at", _("Thời điểm đóng phải sau thời điểm mở."))
    return cleaned


class WaveChangeForm(forms.Form):
    """A wave's name and times, changed with a reason (extended, closed early); not its questionnaire."""

    title = WaveForm.base_fields["title"]
    opens_at = WaveForm.base_fields["opens_at"]
    closes_at = WaveForm.base_fields["closes_at"]
    reason = forms.CharField(
        label=_("Lý do thay đổi"),
        max_length=500,
        help_text=_("Ví dụ: gia hạn theo Công văn số …; ghi vào nhật ký."),
    )

    def clean(self):
        return _closing_after_opening(self, super().clean())


def margin_field():
    return DecimalField(
        label=_("Sai số cho phép e (%)"),
        initial=Decimal(5),
        min_value=Decimal("0.1"),
        max_value=Decimal(50),
        max_digits=4,
        decimal_places=2,
        help_text=_("n = N / (1 + N·e²), làm tròn lên; mặc định 5 %."),
    )


class DossierCountsForm(UploadForm):
    """A table of dossier counts per unit, uploaded or pasted, and the margin for the proposal."""

    pasted = forms.CharField(
        label=_("Hoặc dán bảng"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "mã đơn vị\tsố hồ sơ"}),
        help_text=_(
            "Dòng đầu là tiêu đề; sao chép thẳng từ bảng tính (cách nhau bởi tab) hoặc CSV."
        ),
    )
    margin = margin_field()
    field_order = ["file", "pasted", "margin"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].required = False
        self.fields["file"].label = _(
            "Tệp số hồ sơ (.xlsx hoặc .csv; cột “mã đơn vị” và “số hồ sơ”)"
        )

    def clean_file(self):
        return super().clean_file() if self.cleaned_data.get("file") else None

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("file") and not cleaned.get("pasted", "").strip():
            raise forms.ValidationError(_("Chọn một tệp hoặc dán bảng số hồ sơ."))
        return cleaned

    def table_data(self) -> tuple[bytes, str]:
        upload = self.cleaned_data.get("file")
        if upload:
            return upload.read(), upload.name
        return self.cleaned_data["pasted"].encode(), "pasted.csv"

    @property
    def margin_fraction(self) -> float:
        return float(self.cleaned_data["margin"] / 100)


class TargetsForm(forms.Form):
    """One dossier count and one target per participating unit; a row left blank is left as it is."""

    margin = margin_field()

    def __init__(self, *args, units, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        self.targets = targets
        for unit in units:
            target = targets.get(unit.pk)
            self.fields[f"dossiers_{unit.pk}"] = forms.IntegerField(
                label=_("Số hồ sơ của %(unit)s") % {"unit": unit.display_name},
                min_value=0,
                required=False,
                initial=target.dossiers if target else None,
            )
            self.fields[f"sample_{unit.pk}"] = forms.IntegerField(
                label=_("Số phiếu cần thu của %(unit)s") % {"unit": unit.display_name},
                min_value=0,
                required=False,
                initial=target.sample if target else None,
            )

    def rows(self):
        for unit in self.units:
            yield {
                "unit": unit,
                "target": self.targets.get(unit.pk),
                "dossiers": self[f"dossiers_{unit.pk}"],
                "sample": self[f"sample_{unit.pk}"],
            }

    @property
    def margin_fraction(self) -> float:
        return float(self.cleaned_data["margin"] / 100)

    def changes(self) -> tuple[dict, dict]:
        """({unit: dossiers}, {unit: sample}) for set_targets: a row with only a dossier count takes
        the formula; a row with a target keeps it as typed."""
        dossiers, samples = {}, {}
        for unit in self.units:
            count = self.cleaned_data[f"dossiers_{unit.pk}"]
            sample = self.cleaned_data[f"sample_{unit.pk}"]
            if sample is not None:
                samples[unit] = sample
                dossiers[unit] = count
            elif count is not None:
                dossiers[unit] = count
        return dossiers, samples
