"""The framework as a tree: structure checks and totals, for specs from a file and for saved nodes alike.

Works on any objects with `code`, `max_points` and `rule` (a saved Node or a NodeSpec from a file).
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .scoring import EXTRA_RULES, RULES, validate_params

CODE_PATTERN = re.compile(r"^[1-9]\d*(\.[1-9]\d*)*$")


def parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


@dataclass
class TreeNode:
    node: object
    children: list["TreeNode"] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def leaves(self):
        if self.is_leaf:
            yield self
        for child in self.children:
            yield from child.leaves()

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def children_sum(self) -> Decimal:
        return sum((c.node.max_points for c in self.children), Decimal("0"))

    @property
    def is_extra(self) -> bool:
        """A part made only of bonus and penalty leaves: it stands outside the point total."""
        return all(leaf.node.rule in EXTRA_RULES for leaf in self.leaves())


def build(nodes) -> list[TreeNode]:
    """Roots of the tree, children in the given order (nodes whose parent is missing are dropped)."""
    by_code = {n.code: TreeNode(n) for n in nodes}
    roots = []
    for tree_node in by_code.values():
        parent = parent_code(tree_node.node.code)
        if parent is None:
            roots.append(tree_node)
        elif parent in by_code:
            by_code[parent].children.append(tree_node)
    return roots


def walk(roots):
    for root in roots:
        yield from root.walk()


def total_points(roots) -> Decimal:
    """The framework's scored total (Hà Nội: 100), bonus-and-penalty parts left out."""
    return sum((r.node.max_points for r in roots if not r.is_extra), Decimal("0"))


def structure_problems(specs) -> list[tuple[object, str, str]]:
    """(spec, column, message) for every structural fault: codes, parents, sums, rules on leaves."""
    problems = []
    first_row_of: dict[str, object] = {}
    for spec in specs:
        if not CODE_PATTERN.match(spec.code):
            problems.append(
                (
                    spec,
                    "code",
                    _("mã “%(code)s” không đúng dạng 1, 1.2, 1.2.3.") % {"code": spec.code},
                )
            )
        elif spec.code in first_row_of:
            earlier = first_row_of[spec.code]
            if getattr(earlier, "row", None):
                message = _("mã “%(code)s” bị trùng với dòng %(row)s.") % {
                    "code": spec.code,
                    "row": earlier.row,
                }
            else:
                message = _("mã “%(code)s” bị trùng.") % {"code": spec.code}
            problems.append((spec, "code", message))
        else:
            first_row_of[spec.code] = spec
    for spec in specs:
        parent = parent_code(spec.code) if CODE_PATTERN.match(spec.code) else None
        if parent and parent not in first_row_of:
            problems.append(
                (
                    spec,
                    "code",
                    _("mã “%(code)s” thuộc mục cha “%(parent)s” nhưng không có mục “%(parent)s”.")
                    % {"code": spec.code, "parent": parent},
                )
            )
    unique = [first_row_of[c] for c in first_row_of]
    for tree_node in walk(build(unique)):
        spec = tree_node.node
        if tree_node.is_leaf:
            if not spec.rule:
                problems.append(
                    (spec, "rule", _("tiêu chí lá (không có mục con) phải có quy tắc chấm."))
                )
            else:
                # An unknown rule is the rule column's fault; every other problem is its parameters'.
                column = "rule" if spec.rule not in RULES else "rule_params"
                for message in validate_params(spec.rule, spec.rule_params, spec.max_points):
                    problems.append((spec, column, message))
        else:
            if spec.rule:
                problems.append(
                    (
                        spec,
                        "rule",
                        _("mục có mục con không được có quy tắc chấm (để trống cột rule)."),
                    )
                )
            if tree_node.children_sum != spec.max_points:
                problems.append(
                    (
                        spec,
                        "max_points",
                        _("điểm tối đa %(max)s khác tổng điểm các mục con (%(sum)s).")
                        % {"max": spec.max_points, "sum": tree_node.children_sum},
                    )
                )
    return problems
