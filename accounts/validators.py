"""Password rules with Vietnamese messages where Django's own translation falls short.

Django 5.2 changed the wording of the "too short" message (%d instead of %(min_length)d), and its
Vietnamese catalogue still has the old one, so the message came out in English; the similarity message
capitalised the field name mid-sentence. The common-password and all-digits rules keep Django's
messages, which are translated.
"""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return _("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.") % {
            "min_length": self.min_length
        }

    def get_help_text(self):
        return _("Mật khẩu phải có ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError as error:
            name = error.params.get("verbose_name", "") if error.params else ""
            raise ValidationError(
                _("Mật khẩu quá giống %(verbose_name)s của bạn.")
                % {"verbose_name": str(name).lower()},
                code="password_too_similar",
            ) from None

    def get_help_text(self):
        return _("Mật khẩu không được quá giống tên đăng nhập, họ tên hoặc e-mail của bạn.")
