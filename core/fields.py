"""Form fields shared by the rooms: a decimal typed either way ("0,5" or "0.5"), docs/ui.md."""

from contextlib import suppress

from django import forms

from .formats import parse_decimal


class DecimalField(forms.DecimalField):
    """Django's DecimalField, shown in the active language ("1,25") and reading what people type in
    either convention through core.formats.parse_decimal, the same reading as the assessment form."""

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            # What cannot be read goes on as typed: the parent refuses it with its own message.
            with suppress(ValueError):
                value = format(parse_decimal(value), "f")
        return super().to_python(value)
