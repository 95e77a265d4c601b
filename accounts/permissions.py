"""Who a user is, as the rest of the platform asks it. Every app's permission module builds on these."""

from .models import UNIT_ROLES, ApiToken, Role

STAFF_ROLES = frozenset({Role.SECRETARIAT, Role.REVIEWER, Role.COUNCIL, Role.LEADER})


def is_secretariat(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role == Role.SECRETARIAT)


def is_city_staff(user) -> bool:
    """Secretariat, reviewers, council and leaders: they see every unit."""
    return user.is_authenticated and (user.is_superuser or user.role in STAFF_ROLES)


def is_unit_member(user) -> bool:
    return user.is_authenticated and user.role in UNIT_ROLES and user.unit_id is not None


def can_use_admin(user) -> bool:
    return is_secretariat(user)


def can_revoke_token(user, token) -> bool:
    """A token's owner revokes it; the secretariat revokes anyone's."""
    return user.is_authenticated and (token.user_id == user.pk or is_secretariat(user))


def tokens_visible_to(user):
    """API tokens a user may see (never their secret): all for the secretariat, one's own otherwise."""
    tokens = ApiToken.objects.select_related("user", "revoked_by")
    if is_secretariat(user):
        return tokens
    return tokens.filter(user=user)
