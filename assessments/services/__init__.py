"""Every change to an assessment: self-assessment, evidence, submission, appraisal, explanation,
final points, finalisation. Each checks permission and phase, writes an audit event, one transaction.

One module per round; callers import from here (`from assessments import services`)."""

from .appraisal import (
    agree_with_domain,
    agree_with_item,
    appraise,
    assign_reviewer,
    domain_agreement_items,
    is_decided,
    unassign_reviewer,
)
from .common import AssessmentError, Conflict, require_window, snapshot
from .contributors import assign_leaves, import_leaf_assignments
from .data_values import set_data_value
from .explanation import explain, set_final
from .phases import ensure_assessments, freeze, on_cycle_transition
from .self_assessment import add_evidence_file, add_evidence_reference, remove_evidence, save_self
from .submission import reopen, submission_problems, submit
from .transitions import move, move_all, require_transition

__all__ = [
    "AssessmentError",
    "Conflict",
    "add_evidence_file",
    "add_evidence_reference",
    "agree_with_domain",
    "agree_with_item",
    "appraise",
    "assign_leaves",
    "assign_reviewer",
    "domain_agreement_items",
    "unassign_reviewer",
    "ensure_assessments",
    "explain",
    "is_decided",
    "freeze",
    "import_leaf_assignments",
    "move",
    "move_all",
    "on_cycle_transition",
    "remove_evidence",
    "reopen",
    "require_transition",
    "require_window",
    "save_self",
    "set_data_value",
    "set_final",
    "snapshot",
    "submission_problems",
    "submit",
]
