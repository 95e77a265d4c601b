"""Forms of the imports into a wave: an institute's published figures and the dossier sample."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.uploads import UploadForm

from .forms import margin_field


class PublishedForm(UploadForm):
    """The table of per-unit figures and the document they were published in."""

    document = forms.CharField(
        label=_("Tên văn bản công bố"),
        max_length=300,
        help_text=_("Ví dụ: Báo cáo kết quả khảo sát SIPAS 2025 của Viện …"),
    )
    issued_on = forms.DateField(label=_("Ngày ban hành (dd/mm/yyyy)"))
    url = forms.URLField(
        label=_("Đường dẫn đến văn bản"), required=False, max_length=500, assume_scheme="https"
    )
    use_for_scores = forms.BooleanField(
        label=_(
            "Dùng số liệu này để tính điểm các tiêu chí khảo sát (thay cho số liệu tính từ phiếu)"
        ),
        required=False,
        initial=True,
    )
    field_order = ["document", "issued_on", "url", "file", "use_for_scores"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _(
            "Bảng số liệu (.xlsx hoặc .csv; cột “mã đơn vị”, mỗi chỉ số một cột, theo %)"
        )


class FiguresSourceForm(forms.Form):
    figures_source = forms.ChoiceField(
        label=_("Nguồn số liệu tính điểm"),
        choices=[
            ("responses", _("Tính từ phiếu trả lời")),
            ("institute", _("Số liệu do đơn vị khảo sát độc lập công bố")),
        ],
    )
    reason = forms.CharField(label=_("Lý do"), max_length=500)


class FrameForm(UploadForm):
    """The dossier list exported by the one-stop system, and how to draw from it."""

    margin = margin_field()
    seed = forms.CharField(
        label=_("Hạt giống ngẫu nhiên"),
        max_length=40,
        help_text=_(
            "Cùng danh sách và cùng hạt giống luôn cho cùng một mẫu; ghi vào biên bản để kiểm tra lại."
        ),
    )
    field_order = ["file", "margin", "seed"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _(
            "Danh sách hồ sơ (.xlsx hoặc .csv; cột “mã hồ sơ”, “mã đơn vị”, “ngày tiếp nhận”, “liên hệ”)"
        )

    @property
    def margin_fraction(self) -> float:
        return float(self.cleaned_data["margin"] / 100)
