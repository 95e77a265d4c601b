"""Sample inputs for a rule and the points frameworks.scoring.score gives them: the editor's preview."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from core.formats import day as _day
from core.formats import percent, points

from .scoring import score


def _share(value: Decimal) -> str:
    return percent(value * 100, None)


def samples(rule: str, params: dict, max_points: Decimal) -> list[tuple[str, dict]]:
    """(what the unit did, its inputs) for the cases that show a rule's steps."""
    if rule == "deadline":
        days = [date.fromisoformat(day) for day, _points in params["tiers"]]
        cases = [
            (_("Thực hiện ngày %(day)s") % {"day": _day(d)}, {"date": d.isoformat()}) for d in days
        ]
        late = days[-1] + timedelta(days=1)
        cases.append(
            (_("Thực hiện ngày %(day)s") % {"day": _day(late)}, {"date": late.isoformat()})
        )
        cases.append((_("Không thực hiện"), {"date": ""}))
        return cases
    if rule == "checklist":
        count = len(params["items"])
        return [
            (
                _("Có %(n)s/%(total)s nội dung") % {"n": n, "total": count},
                {"ticked": list(range(n))},
            )
            for n in range(count, -1, -1)
        ]
    if rule == "deduction":
        return [(_("Vi phạm %(n)s lần") % {"n": n}, {"count": n}) for n in range(0, 5)]
    if rule == "yes_no":
        return [(_("Có"), {"done": True}), (_("Không"), {"done": False})]
    if rule in ("manual", "bonus", "penalty"):
        return [
            (_("Chấm %(points)s điểm") % {"points": points(p)}, {"points": str(p)})
            for p in (max_points, max_points / 2, Decimal(0))
        ]
    if rule in ("ratio", "automatic", "survey"):
        shares = {Decimal(1), Decimal(0)}
        for threshold, _points in params.get("tiers", []):
            threshold = Decimal(str(threshold))
            shares |= {threshold, max(Decimal(0), threshold - Decimal("0.01"))}
        if "min" in params:
            floor = Decimal(str(params["min"]))
            shares |= {floor, max(Decimal(0), floor - Decimal("0.01"))}
        key = {"automatic": "value", "survey": "index"}.get(rule)
        cases = []
        for share in sorted(shares, reverse=True):
            if key:
                inputs = {key: str(share)}
            elif "parts" in params:
                first = next(iter(params["parts"]))
                inputs = {"denominator": "100", "parts": {first: str(share * 100)}}
            else:
                inputs = {"numerator": str(share * 100), "denominator": "100"}
            label = _("Tỷ lệ %(share)s") % {"share": _share(share)}
            if "parts" in params and not key:
                label = _("Tỷ lệ “%(part)s” %(share)s") % {"part": first, "share": _share(share)}
            cases.append((label, inputs))
        return cases
    return []


def preview(rule: str, params: dict, max_points) -> list[tuple[str, Decimal]]:
    """(sample, points) for the rule as edited; the points come from scoring.score itself."""
    max_points = Decimal(str(max_points))
    return [
        (label, score(rule, params, max_points, inputs))
        for label, inputs in samples(rule, params, max_points)
    ]


def _summed(tree_node) -> Decimal:
    if tree_node.is_leaf:
        return tree_node.node.max_points
    return sum((_summed(child) for child in tree_node.children), Decimal(0))


def totals_after(nodes, code: str, max_points: Decimal, rule: str) -> dict:
    """The framework's total and the parent's sum if the leaf `code` (new or existing) had this
    maximum and rule: what the editor shows while a maximum is being typed."""
    from types import SimpleNamespace

    from . import tree

    changed = SimpleNamespace(code=code, max_points=max_points, rule=rule)
    edited = [changed if n.code == code else n for n in nodes]
    if changed not in edited:
        edited.append(changed)
    roots = tree.build(edited)
    by_code = {t.node.code: t for t in tree.walk(roots)}
    parent = by_code.get(tree.parent_code(code) or "")
    return {
        "total": sum((_summed(r) for r in roots if not r.is_extra), Decimal(0)),
        "parent_code": parent.node.code if parent else None,
        "parent_sum": _summed(parent) if parent else None,
    }
