"""Who a user is, as the rest of the platform asks it. Every app's permission module builds on these."""

from .models import UNIT_ROLES, ApiToken, Role

STAFF_ROLES = frozenset({Role.SECRETARIAT, Role.REVIEWER, Role.COUNCIL, Role.LEADER})


# Indices at every level (docs/levels.md): a staff role is held for an organiser. A staff account with no
# unit acts for the city (the Department of Home Affairs) and sees every level; one whose unit is a
# department or a commune acts only for the indices that unit runs for its own offices.


def is_secretariat(user) -> bool:
    """The city's secretariat: it runs the city's indices, surveys, plan, reports and catalogue."""
    return user.is_authenticated and (
        user.is_superuser or (user.role == Role.SECRETARIAT and user.unit_id is None)
    )


def is_city_staff(user) -> bool:
    """The city's secretariat, reviewers, council and leaders: they see every unit at every level."""
    return user.is_authenticated and (
        user.is_superuser or (user.role in STAFF_ROLES and user.unit_id is None)
    )


def is_city_reader(user) -> bool:
    """The city's secretariat, council and leaders: they read the city's survey figures and
    consolidated reports. A department's or commune's council and leaders (scoped to its own index)
    read none of them."""
    return is_secretariat(user) or acts_for(user, None, Role.COUNCIL, Role.LEADER)


def is_organiser_staff(user) -> bool:
    """A staff role held for a department or a commune running its own index."""
    return user.is_authenticated and user.role in STAFF_ROLES and user.unit_id is not None


def acts_for(user, organiser_id: int | None, *roles) -> bool:
    """`user` holds one of `roles` for this organiser (None: the city). The superuser acts for all."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.role in roles and user.unit_id == organiser_id


def oversees(user, organiser_id: int | None, *roles) -> bool:
    """`user` may read this organiser's index in one of `roles`: held for that organiser, or for the
    city, whose staff see every level as a roll-up."""
    return acts_for(user, organiser_id, *roles) or acts_for(user, None, *roles)


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
