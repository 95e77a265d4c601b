"""One way to refuse an action: `require(actor, predicate, message)`.

Each app keeps its rules as predicates in its own `permissions.py` (`can_manage_plans(user)`…); services
and views call `require` with one of them instead of writing their own "require secretariat" helper.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied


def require(actor, predicate: Callable[..., bool], message: str = "", *args) -> None:
    """Raises PermissionDenied(message) unless `predicate(actor, *args)` holds.

    The message is what the person is shown (mark it for translation where it is written)."""
    if not predicate(actor, *args):
        raise PermissionDenied(message) if message else PermissionDenied
