"""Who may see and do what with assessments. Every view, API endpoint and file download asks here."""

from django.db.models import Q

from accounts.models import Role
from accounts.permissions import acts_for, is_unit_member, oversees
from cycles.models import CycleState, IndexFamily

from .models import Assessment, Item, LeafContributor, ReviewerAssignment


def _is_role(user, *roles) -> bool:
    return user.is_authenticated and user.role in roles


OVERSEERS = (Role.SECRETARIAT, Role.COUNCIL, Role.LEADER)


def assessments_visible_to(user):
    """The secretariat, council and leaders of the cycle's organiser see its assessments (the city's see
    every level); reviewers their assignments; a unit its own."""
    if not user.is_authenticated:
        return Assessment.objects.none()
    if user.is_superuser or (_is_role(user, *OVERSEERS) and user.unit_id is None):
        return Assessment.objects.all()
    if _is_role(user, *OVERSEERS):
        return Assessment.objects.filter(cycle__organiser_id=user.unit_id)
    if _is_role(user, Role.REVIEWER):
        assigned = ReviewerAssignment.objects.filter(reviewer=user).values_list(
            "cycle_id", "unit_id"
        )
        match = Q(pk__in=[])
        for cycle_id, unit_id in assigned:
            match |= Q(cycle_id=cycle_id, unit_id=unit_id)
        return Assessment.objects.filter(match)
    if is_unit_member(user):
        return Assessment.objects.filter(unit_id=user.unit_id)
    return Assessment.objects.none()


def is_member_of(user, assessment: Assessment) -> bool:
    return is_unit_member(user) and user.unit_id == assessment.unit_id


def is_provincial(assessment: Assessment) -> bool:
    """The city's self-assessment for the Ministry: its unit stands for the city, its secretariat
    consolidates and submits it (docs/assessments.md, "Tự đánh giá Chỉ số CCHC cấp tỉnh")."""
    return assessment.cycle.family == IndexFamily.PROVINCIAL


def can_fill_assessment(user, assessment: Assessment) -> bool:
    """Every leaf: the unit's officer and head; for the city's self-assessment also the secretariat,
    which consolidates what the contributing departments filled."""
    return is_member_of(user, assessment) or (
        is_provincial(assessment) and can_manage(user, assessment.cycle)
    )


def contributes_to(user, item: Item) -> bool:
    """`user` is an officer of the unit the leaf was given to (LeafContributor)."""
    return (
        is_unit_member(user)
        and LeafContributor.objects.filter(
            assessment_id=item.assessment_id, node_id=item.node_id, unit_id=user.unit_id
        ).exists()
    )


def can_fill(user, item: Item) -> bool:
    """The leaf's inputs, note and evidence: whoever fills the whole assessment, or the unit the leaf
    was given to."""
    return can_fill_assessment(user, item.assessment) or contributes_to(user, item)


def can_see_item(user, item: Item) -> bool:
    """An item is seen with its assessment, or alone by the unit it was given to."""
    visible = assessments_visible_to(user).filter(pk=item.assessment_id).exists()
    return visible or contributes_to(user, item)


def can_submit(user, assessment: Assessment) -> bool:
    """The unit head; the city's self-assessment is the city's, submitted by its secretariat."""
    if is_provincial(assessment):
        return can_manage(user, assessment.cycle)
    return is_member_of(user, assessment) and user.role == Role.UNIT_HEAD


def can_assign_leaves(user, assessment: Assessment) -> bool:
    """Give leaves to contributing units: the secretariat of a provincial self-assessment's cycle."""
    return is_provincial(assessment) and can_manage(user, assessment.cycle)


def can_manage(user, cycle) -> bool:
    """Assign reviewers, reopen an assessment: the cycle's secretariat."""
    return acts_for(user, cycle.organiser_id, Role.SECRETARIAT)


def assigned_domains(user, assessment: Assessment) -> set[str] | None:
    """Domain codes a reviewer may appraise in this assessment: None means all of them."""
    if not _is_role(user, Role.REVIEWER):
        return set()
    codes = set(
        ReviewerAssignment.objects.filter(
            reviewer=user, cycle_id=assessment.cycle_id, unit_id=assessment.unit_id
        ).values_list("domain_code", flat=True)
    )
    return None if "" in codes else codes


def can_appraise(user, item: Item) -> bool:
    domains = assigned_domains(user, item.assessment)
    return domains is None or item.node.code.split(".")[0] in domains


def can_enter_data_value(user, item: Item) -> bool:
    """Enter an `automatic` leaf's value no feed has, or override a fed one: the secretariat of the
    cycle's organiser (the city's holds the systems' figures), for leaves of that kind only."""
    return (
        acts_for(user, item.assessment.cycle.organiser_id, Role.SECRETARIAT)
        and item.node.rule == "automatic"
    )


def can_finalise(user, cycle) -> bool:
    return acts_for(user, cycle.organiser_id, Role.SECRETARIAT, Role.COUNCIL)


def can_see_appraisal(user, cycle) -> bool:
    """The appraisal page (work in progress of the working group) is for the cycle's staff (and the
    city's), not units."""
    return oversees(user, cycle.organiser_id, Role.SECRETARIAT, Role.COUNCIL, Role.LEADER) or (
        _is_role(user, Role.REVIEWER) and user.unit_id in (None, cycle.organiser_id)
    )


# The working group's appraisal reaches the unit when the explanation round opens, not before.
APPRAISAL_SHOWN_TO_UNITS = (CycleState.EXPLANATION, CycleState.FINALISED, CycleState.PUBLISHED)

# What a unit did to its own assessment (an explanation is the unit's own text, its event carries no
# appraisal value), and the secretariat's value of a data-fed leaf, which the unit must see with its
# source: all a unit's history shows before the explanation round. Any other action
# (appraisal, finalisation, one added later) stays hidden until then.
UNIT_SIDE_ACTIONS = (
    "item.self_assess",
    "item.explain",
    "item.data_value",
    "evidence.add",
    "evidence.remove",
    "assessment.submit",
    "assessment.reopen",
)


def may_see_appraisal_of(user, assessment: Assessment) -> bool:
    """The one rule for the appraised points, the reviewer's comment and name, "needs explanation":
    city staff always; the unit once the explanation round has opened. Used by the API, the
    explanation page, the leaf history and the history export."""
    if can_see_appraisal(user, assessment.cycle):
        return True
    return is_member_of(user, assessment) and assessment.cycle.state in APPRAISAL_SHOWN_TO_UNITS


def history_visible_to(user, assessment: Assessment, events):
    """`events` (audit events of this assessment or its items) that `user` may read: all of them
    when the appraisal may be seen, else only the unit-side changes (no appraisal event, so neither
    its values nor the reviewer's name or comment)."""
    if may_see_appraisal_of(user, assessment):
        return events
    return events.filter(action__in=UNIT_SIDE_ACTIONS)
