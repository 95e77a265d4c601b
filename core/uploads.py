"""The upload form every import screen uses: one file, size-checked before it is read."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp (.xlsx hoặc .csv)"))

    def __init__(self, *args, max_bytes: int | None = None, accept: str = ".xlsx,.csv", **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes or settings.FRAMEWORK_UPLOAD_MAX_BYTES
        self.fields["file"].widget.attrs["accept"] = accept

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                _("Tệp quá lớn (%(size)s MB); giới hạn là %(limit)s MB."),
                params={
                    "size": round(upload.size / 1048576, 1),
                    "limit": round(self.max_bytes / 1048576, 1),
                },
            )
        return upload
