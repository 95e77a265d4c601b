"""Every change to a framework: import, copy, edit a node, add, delete. Secretariat only, draft only."""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import record
from accounts.models import AuditEvent
from core import formats
from core.permissions import require
from core.tabular import read_table
from cycles.models import Cycle
from units.models import UnitKind

from . import tree
from . import years as year_texts
from .evidence import EvidenceRule
from .excel import NodeSpec, parse_specs
from .models import Framework, Node
from .permissions import can_manage_frameworks
from .scoring import validate_params


class FrameworkError(Exception):
    """A refused change, with a message for the user."""


def default_title(cycle: Cycle, kind: str, variant: str = "") -> str:
    with translation.override(settings.LANGUAGE_CODE):  # stored once, in the official language
        title = f"Bộ chỉ số CCHC năm {cycle.year}: {UnitKind(kind).label}"
        return f"{title} (phương án {variant})" if variant else title


# What anyone but the secretariat is told when changing a framework.
NOT_SECRETARIAT = gettext_lazy("Chỉ Thư ký (Sở Nội vụ) được sửa bộ tiêu chí.")


def _require_draft(cycle: Cycle) -> None:
    if not cycle.is_draft:
        raise FrameworkError(
            _("Kỳ đánh giá %(year)s không còn là dự thảo: bộ tiêu chí đã được khoá.")
            % {"year": cycle.year}
        )


def _snapshot(node: Node) -> dict:
    return {
        "code": node.code,
        "title": node.title,
        "max_points": str(node.max_points),
        "rule": node.rule,
        "rule_params": node.rule_params,
        "evidence_rule": node.evidence_rule,
        "guidance": node.guidance,
    }


def _replace_tree(framework: Framework, specs: list[NodeSpec]) -> None:
    framework.nodes.all().delete()
    saved: dict[str, Node] = {}
    roots = tree.build(specs)
    # Level by level so that each parent has its key before its children are written.
    level = roots
    while level:
        batch = []
        for position, tree_node in enumerate(level):
            spec = tree_node.node
            parent = tree.parent_code(spec.code)
            batch.append(
                Node(
                    framework=framework,
                    parent=saved[parent] if parent else None,
                    code=spec.code,
                    title=spec.title,
                    max_points=spec.max_points,
                    order=getattr(spec, "position", position),
                    guidance=spec.guidance,
                    evidence_rule=spec.evidence_rule,
                    rule=spec.rule if tree_node.is_leaf else "",
                    rule_params=spec.rule_params if tree_node.is_leaf else {},
                )
            )
        for node in Node.objects.bulk_create(batch):
            saved[node.code] = node
        level = [child for tree_node in level for child in tree_node.children]


def _ordered(specs: list[NodeSpec]) -> list[NodeSpec]:
    for position, spec in enumerate(specs):
        spec.position = position
    return specs


@transaction.atomic
def save_specs(
    actor,
    cycle: Cycle,
    kind: str,
    specs: list[NodeSpec],
    *,
    source: str,
    target_total: Decimal | None = None,
    variant: str = "",
) -> Framework:
    """Replace the framework of (cycle, kind, variant) by the given nodes, which parse_specs has
    checked. `target_total`: the total it must reach to leave draft (kept when None; 100 for a new
    one). `variant`: a named variant of the kind's framework for the units that choose it."""
    require(actor, can_manage_frameworks, NOT_SECRETARIAT, cycle)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _require_draft(cycle)
    if kind not in UnitKind.values:
        raise FrameworkError(_("Loại đơn vị “%(kind)s” không tồn tại.") % {"kind": kind})
    variant = variant.strip()
    framework, created = Framework.objects.get_or_create(
        cycle=cycle,
        kind=kind,
        variant=variant,
        defaults={"title": default_title(cycle, kind, variant)},
    )
    before = None if created else {"nodes": framework.nodes.count()}
    if target_total is not None and framework.target_total != target_total:
        framework.target_total = target_total
        framework.save(update_fields=["target_total"])
    _replace_tree(framework, _ordered(specs))
    record(
        actor,
        "framework.import",
        framework,
        before=before,
        after={
            "nodes": len(specs),
            "leaves": sum(1 for _ in leaves_of(framework)),
            "source": source,
            "variant": variant,
        },
    )
    return framework


def import_framework(
    actor, cycle: Cycle, kind: str, data: bytes, filename: str = "", *, variant: str = ""
) -> Framework:
    """An uploaded .xlsx → the framework of (cycle, kind, variant); all rows valid or nothing
    changes."""
    require(actor, can_manage_frameworks, NOT_SECRETARIAT, cycle)
    _require_draft(cycle)
    specs = parse_specs(read_table(data, filename, allow_csv=False))
    return save_specs(actor, cycle, kind, specs, source=filename, variant=variant)


def leaves_of(framework: Framework):
    return (t.node for root in tree.build(framework.nodes.all()) for t in root.leaves())


@transaction.atomic
def copy_frameworks(actor, source: Cycle, target: Cycle) -> int:
    """Copy every framework of a previous cycle into a draft cycle, deadline dates moved to its year
    and "năm <its year>" in titles re-worded (frameworks/years.py; what is left is listed to confirm)."""
    count = 0
    years = target.year - source.year
    for framework in source.frameworks.all():
        specs = [
            NodeSpec(
                code=n.code,
                title=year_texts.reword_title(n.title, source.year, target.year),
                max_points=n.max_points,
                rule=n.rule,
                rule_params=shift_deadlines(n.rule, n.rule_params, years),
                evidence_rule=n.evidence_rule,
                guidance=n.guidance,
            )
            for n in tree_order(framework)
        ]
        save_specs(
            actor,
            target,
            framework.kind,
            specs,
            source=f"copy:{source.year}",
            target_total=framework.target_total,
            variant=framework.variant,
        )
        count += 1
    return count


def shift_deadlines(rule: str, params: dict, years: int) -> dict:
    """A deadline leaf copied to another year keeps its day and month in the new year."""
    if rule != "deadline" or not years:
        return params
    from datetime import date

    shifted = []
    for day, points in params.get("tiers", []):
        when = date.fromisoformat(day)
        try:
            when = when.replace(year=when.year + years)
        except ValueError:  # 29 February
            when = when.replace(year=when.year + years, day=28)
        shifted.append([when.isoformat(), points])
    return {**params, "tiers": shifted}


def tree_order(framework: Framework) -> list[Node]:
    return [t.node for t in tree.walk(tree.build(framework.nodes.all()))]


def _recompute_from(parent: Node | None) -> None:
    """Keep every parent's maximum, from `parent` up, equal to the sum of its children's."""
    while parent is not None:
        total = sum((c.max_points for c in parent.children.all()), Decimal("0"))
        if parent.max_points != total:
            parent.max_points = total
            parent.save(update_fields=["max_points"])
        parent = parent.parent


def _locked(node: Node) -> Node:
    node = Node.objects.select_related("framework__cycle").get(pk=node.pk)
    _require_draft(Cycle.objects.select_for_update().get(pk=node.framework.cycle_id))
    return node


def _require_evidence_rule(value: str) -> None:
    if value not in EvidenceRule.values:
        raise FrameworkError(
            _("Yêu cầu tài liệu kiểm chứng “%(value)s” không hợp lệ.") % {"value": value}
        )


@transaction.atomic
def update_node(actor, node: Node, **changes) -> Node:
    """Edit a node's fields. A parent's maximum is the sum of its children and is not set directly."""
    require(actor, can_manage_frameworks, NOT_SECRETARIAT, node.framework.cycle)
    node = _locked(node)
    before = _snapshot(node)
    is_leaf = not node.children.exists()
    allowed = {"title", "guidance", "evidence_rule"} | (
        {"max_points", "rule", "rule_params"} if is_leaf else set()
    )
    for name, value in changes.items():
        if name in allowed:
            setattr(node, name, value)
    if not node.title.strip():
        raise FrameworkError(_("Nội dung tiêu chí không được để trống."))
    _require_evidence_rule(node.evidence_rule)
    if node.max_points < 0:
        raise FrameworkError(_("Điểm tối đa không được âm."))
    if is_leaf:
        problems = validate_params(node.rule, node.rule_params, node.max_points)
        if problems:
            raise FrameworkError(
                _("Quy tắc chấm chưa đúng: %(problems)s") % {"problems": " ".join(problems)}
            )
    node.save()
    _recompute_from(node.parent)
    record(actor, "framework.update_node", node, before=before, after=_snapshot(node))
    return node


@transaction.atomic
def add_node(
    actor,
    framework: Framework,
    parent: Node | None,
    *,
    title: str,
    max_points: Decimal,
    rule: str,
    rule_params: dict,
    evidence_rule: str = EvidenceRule.WHEN_CLAIMED,
    guidance: str = "",
) -> Node:
    """Add a leaf under `parent` (or a new domain); a parent that was a leaf loses its rule."""
    require(actor, can_manage_frameworks, NOT_SECRETARIAT, framework.cycle)
    _require_draft(Cycle.objects.select_for_update().get(pk=framework.cycle_id))
    if parent is not None and parent.framework_id != framework.pk:
        raise FrameworkError(_("Mục cha không thuộc bộ tiêu chí này."))
    if not title.strip():
        raise FrameworkError(_("Nội dung tiêu chí không được để trống."))
    _require_evidence_rule(evidence_rule)
    problems = validate_params(rule, rule_params, max_points)
    if problems:
        raise FrameworkError(
            _("Quy tắc chấm chưa đúng: %(problems)s") % {"problems": " ".join(problems)}
        )
    siblings = framework.nodes.filter(parent=parent)
    numbers = [int(code.rsplit(".", 1)[-1]) for code in siblings.values_list("code", flat=True)]
    number = max(numbers, default=0) + 1
    code = f"{parent.code}.{number}" if parent else str(number)
    node = Node.objects.create(
        framework=framework,
        parent=parent,
        code=code,
        title=title.strip(),
        max_points=max_points,
        order=max(siblings.values_list("order", flat=True), default=-1) + 1,
        rule=rule,
        rule_params=rule_params,
        evidence_rule=evidence_rule,
        guidance=guidance,
    )
    if parent is not None and parent.rule:
        parent.rule, parent.rule_params = "", {}
        parent.save(update_fields=["rule", "rule_params"])
    _recompute_from(node.parent)
    record(actor, "framework.add_node", node, after=_snapshot(node))
    return node


@transaction.atomic
def delete_node(actor, node: Node) -> None:
    """Delete a node with everything under it. A parent left without children must get a rule."""
    require(actor, can_manage_frameworks, NOT_SECRETARIAT, node.framework.cycle)
    node = _locked(node)
    parent = node.parent
    if parent is not None and parent.children.count() == 1:
        raise FrameworkError(
            _("Không xoá được mục con duy nhất của “%(code)s”: hãy xoá hoặc sửa mục cha.")
            % {"code": parent.code}
        )
    before = _snapshot(node)
    descendants = Node.objects.filter(
        framework=node.framework, code__startswith=f"{node.code}."
    ).count()
    node.delete()
    if parent is not None:
        _recompute_from(Node.objects.get(pk=parent.pk))
    record(
        actor,
        "framework.delete_node",
        node.framework,
        before=before,
        after={"deleted_descendants": descendants},
    )


def framework_readiness_problems(cycle: Cycle) -> list[str]:
    """Before a cycle opens: every kind of participating unit has a complete framework."""
    problems = []
    kinds = set(cycle.participations.values_list("framework_kind", "framework_variant"))
    frameworks = {(f.kind, f.variant): f for f in cycle.frameworks.all()}
    for kind, variant in sorted(kinds):
        framework = frameworks.get((kind, variant))
        label = UnitKind(kind).label
        if variant:
            label = _("%(kind)s (phương án “%(variant)s”)") % {"kind": label, "variant": variant}
        if framework is None:
            problems.append(_("Chưa có bộ tiêu chí cho %(kind)s.") % {"kind": label})
            continue
        nodes = list(framework.nodes.all())
        if not nodes:
            problems.append(_("Bộ tiêu chí cho %(kind)s chưa có tiêu chí nào.") % {"kind": label})
            continue
        if tree.structure_problems(nodes):
            problems.append(
                _("Bộ tiêu chí cho %(kind)s còn lỗi (mục cha, tổng điểm hoặc quy tắc chấm).")
                % {"kind": label}
            )
        total = tree.total_points(tree.build(nodes))
        if total != framework.target_total:
            problems.append(
                _(
                    "Tổng điểm của bộ tiêu chí cho %(kind)s là %(total)s, phải đúng bằng "
                    "%(target)s: hãy sửa điểm tối đa các tiêu chí trước khi khoá bộ tiêu chí."
                )
                % {
                    "kind": label,
                    "total": formats.points(total),
                    "target": formats.points(framework.target_total),
                }
            )
    return problems


# ---------------------------------------------------------------- year references after a copy

CONFIRM_YEAR_TEXT = "framework.confirm_year_text"


def year_findings(cycle: Cycle) -> list[dict]:
    """Every node of the cycle's frameworks whose text still names an earlier year and that the
    secretariat has not confirmed as it reads now: {"node", "years", "framework"}."""
    found = []
    for framework in cycle.frameworks.all():
        nodes = tree_order(framework)
        confirmed = {}
        events = AuditEvent.objects.filter(
            action=CONFIRM_YEAR_TEXT,
            object_type=Node._meta.label_lower,
            object_id__in=[str(n.pk) for n in nodes],
        ).order_by("at", "id")
        for event in events:
            confirmed[int(event.object_id)] = event.after
        stale = year_texts.stale_years(cycle.year)
        for finding in year_texts.findings(nodes, stale, confirmed):
            found.append({**finding, "framework": framework})
    return found


@transaction.atomic
def confirm_year_texts(actor, cycle: Cycle, nodes) -> int:
    """The secretariat confirms that these nodes' texts name the years they mean (audited per node)."""
    require(actor, can_manage_frameworks, NOT_SECRETARIAT, cycle)
    count = 0
    for node in nodes:
        if node.framework.cycle_id != cycle.pk:
            raise FrameworkError(
                _("Mục %(code)s không thuộc kỳ đánh giá này.") % {"code": node.code}
            )
        record(
            actor,
            CONFIRM_YEAR_TEXT,
            node,
            after={"title": node.title, "guidance": node.guidance},
        )
        count += 1
    return count
