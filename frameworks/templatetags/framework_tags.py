"""Template helpers of the framework: a leaf's rule in words (frameworks.describe)."""

from django import template

from ..describe import describe

register = template.Library()


@register.filter
def rule_lines(node) -> list[str]:
    """The lines a unit reads about a leaf's scoring: its dates, tiers and thresholds."""
    if not getattr(node, "rule", ""):
        return []
    return describe(node.rule, node.rule_params, node.max_points)
