import pytest
from django.core.exceptions import PermissionDenied

from core.permissions import require


def test_require_passes_when_the_predicate_holds():
    assert require("thuky", lambda actor: actor == "thuky", "Chỉ Thư ký.") is None


def test_require_refuses_with_the_message_when_it_does_not():
    with pytest.raises(PermissionDenied, match="Chỉ Thư ký"):
        require("canbo", lambda actor: actor == "thuky", "Chỉ Thư ký.")


def test_require_passes_extra_arguments_to_the_predicate():
    def may_move(actor, to_state):
        return to_state != "published"

    require("thuky", may_move, "", "appraisal")
    with pytest.raises(PermissionDenied):
        require("thuky", may_move, "", "published")
