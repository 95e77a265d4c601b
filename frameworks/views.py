"""Framework screens: the tree with its totals, Excel export and import, node editing (draft only)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.spreadsheets import download
from core.tabular import ImportFailed
from cycles.models import Cycle
from cycles.services import participant_kinds

from . import services, tree
from .describe import describe
from .excel import export_workbook
from .forms import FrameworkImportForm, NodeForm
from .models import Framework, Node
from .permissions import can_edit_framework, can_manage_frameworks, frameworks_visible_to
from .preview import preview, totals_after
from .rule_forms import KIND_FIELDS, RuleEditor, add_row
from .scoring import validate_params


def _visible(request, pk) -> Framework:
    return get_object_or_404(frameworks_visible_to(request.user).select_related("cycle"), pk=pk)


def _editable_node(request, pk) -> Node:
    node = get_object_or_404(Node.objects.select_related("framework__cycle"), pk=pk)
    if not can_edit_framework(request.user, node.framework):
        raise PermissionDenied
    return node


@login_required
def framework_detail(request, pk):
    framework = _visible(request, pk)
    roots = tree.build(services.tree_order(framework))
    rows = [
        {
            "node": t.node,
            "is_leaf": t.is_leaf,
            "level": t.node.depth,
            "sum_ok": t.is_leaf or t.children_sum == t.node.max_points,
        }
        for t in tree.walk(roots)
    ]
    leaves = [r for r in rows if r["is_leaf"]]
    return render(
        request,
        "frameworks/detail.html",
        {
            "framework": framework,
            "rows": rows,
            "domains": [
                {"node": r.node, "is_extra": r.is_extra, "leaves": sum(1 for _ in r.leaves())}
                for r in roots
            ],
            "total": tree.total_points(roots),
            "leaf_count": len(leaves),
            "problems": [
                message
                for _spec, _column, message in tree.structure_problems([r["node"] for r in rows])
            ],
            "can_edit": can_edit_framework(request.user, framework),
            "can_manage": can_manage_frameworks(request.user, framework.cycle),
            "year_findings": (
                len(services.year_findings(framework.cycle))
                if can_manage_frameworks(request.user, framework.cycle)
                else 0
            ),
        },
    )


@login_required
def framework_export(request, pk):
    framework = _visible(request, pk)
    filename = f"bo-tieu-chi-{framework.cycle.year}-{framework.kind}.xlsx"
    return download(export_workbook(services.tree_order(framework)), filename)


@login_required
def framework_import(request, key):
    cycle = get_object_or_404(Cycle, key=key)
    if not can_manage_frameworks(request.user, cycle):
        raise PermissionDenied
    form = FrameworkImportForm(
        request.POST or None, request.FILES or None, kinds=participant_kinds(cycle)
    )
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            framework = services.import_framework(
                request.user,
                cycle,
                form.cleaned_data["kind"],
                upload.read(),
                upload.name,
                variant=form.cleaned_data["variant"],
            )
        except ImportFailed as exc:
            problems = exc.problems
        except services.FrameworkError as exc:
            problems = [str(exc)]
        else:
            messages.success(
                request,
                _("Đã nhập %(count)s mục vào “%(title)s”.")
                % {"count": framework.nodes.count(), "title": framework.title},
            )
            return redirect("frameworks:detail", framework.pk)
    return render(
        request, "frameworks/import.html", {"form": form, "cycle": cycle, "problems": problems}
    )


def _node_initial(node: Node) -> dict:
    return {
        "title": node.title,
        "max_points": node.max_points,
        "rule": node.rule,
        "rule_params": json.dumps(node.rule_params, ensure_ascii=False),
        "evidence_rule": node.evidence_rule,
        "guidance": node.guidance,
    }


def _bound(request):
    """The POST, with one more blank row when the "add a row" button was pressed (then not saved)."""
    table = request.POST.get("add_row", "")
    if request.method != "POST":
        return None, False
    return (add_row(request.POST, table) if table else request.POST), bool(table)


def _changes(form: NodeForm, editor: RuleEditor | None) -> dict | None:
    """The node's new fields; the parameters from the structured fields unless JSON was chosen."""
    changes = dict(form.cleaned_data)
    use_json = changes.pop("use_json", False)
    if editor is not None and not use_json:
        params = editor.params(changes["rule"], changes["max_points"])
        if params is None:
            return None
        changes["rule_params"] = params
    return changes


def _editor_page(request, form, editor, **context):
    return render(
        request,
        "frameworks/node_form.html",
        {"form": form, "editor": editor, "rule_kinds": KIND_FIELDS, **context},
    )


@login_required
def node_edit(request, pk):
    node = _editable_node(request, pk)
    is_leaf = not node.children.exists()
    data, adding_row = _bound(request)
    form = NodeForm(data, initial=_node_initial(node), is_leaf=is_leaf)
    editor = RuleEditor(data, params=node.rule_params, rule=node.rule) if is_leaf else None
    if data is not None and not adding_row and form.is_valid():
        changes = _changes(form, editor)
        if changes is not None:
            try:
                services.update_node(request.user, node, **changes)
            except services.FrameworkError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Đã lưu mục %(code)s.") % {"code": node.code})
                return redirect(f"{_detail_url(node.framework)}#node-{node.pk}")
    return _editor_page(request, form, editor, node=node, framework=node.framework)


@login_required
def node_add(request, pk):
    framework = get_object_or_404(Framework.objects.select_related("cycle"), pk=pk)
    if not can_edit_framework(request.user, framework):
        raise PermissionDenied
    parent = _parent(request, framework)
    data, adding_row = _bound(request)
    form = NodeForm(data, initial={"rule": "manual", "rule_params": '{"step": 0.25}'})
    editor = RuleEditor(data, params={"step": 0.25}, rule="manual")
    if data is not None and not adding_row and form.is_valid():
        changes = _changes(form, editor)
        if changes is not None:
            try:
                node = services.add_node(request.user, framework, parent, **changes)
            except services.FrameworkError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Đã thêm mục %(code)s.") % {"code": node.code})
                return redirect(f"{_detail_url(framework)}#node-{node.pk}")
    return _editor_page(request, form, editor, parent=parent, framework=framework)


def _parent(request, framework: Framework) -> Node | None:
    chosen = request.GET.get("parent") or request.POST.get("parent")
    return get_object_or_404(framework.nodes, pk=chosen) if chosen else None


@login_required
@require_POST
def rule_preview(request, pk):
    """The points of sample inputs and the totals for the rule being edited (htmx; writes nothing)."""
    framework = get_object_or_404(Framework.objects.select_related("cycle"), pk=pk)
    if not can_edit_framework(request.user, framework):
        raise PermissionDenied
    node = None
    if request.POST.get("node"):
        node = get_object_or_404(framework.nodes, pk=request.POST["node"])
    parent = node.parent if node else _parent(request, framework)
    form = NodeForm(request.POST)
    context = {"framework": framework, "problems": [], "rows": [], "lines": []}
    if form.is_valid():
        changes = _changes(
            form,
            RuleEditor(
                request.POST,
                params=node.rule_params if node else {},
                rule=node.rule if node else "",
            ),
        )
        rule, max_points = form.cleaned_data["rule"], form.cleaned_data["max_points"]
        params = None if changes is None else changes["rule_params"]
        problems = [] if params is None else validate_params(rule, params, max_points)
        if params is None or problems:
            context["problems"] = problems or [_("Hãy sửa các ô được đánh dấu để xem điểm.")]
        else:
            context["rows"] = preview(rule, params, max_points)
            context["lines"] = describe(rule, params, max_points)
        code = node.code if node else f"{parent.code}.0" if parent else "0"
        totals = totals_after(list(framework.nodes.all()), code, max_points, rule)
        context.update(totals, target=framework.target_total)
    else:
        context["problems"] = [_("Hãy nhập điểm tối đa và quy tắc chấm để xem điểm.")]
    return render(request, "frameworks/_rule_preview.html", context)


@login_required
@require_POST
def node_delete(request, pk):
    node = _editable_node(request, pk)
    framework = node.framework
    try:
        services.delete_node(request.user, node)
    except services.FrameworkError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã xoá mục %(code)s và các mục con.") % {"code": node.code})
    return redirect(_detail_url(framework))


@login_required
def year_texts(request, key):
    """Texts that still name a past year after a copy, for the secretariat to confirm or edit."""
    cycle = get_object_or_404(Cycle, key=key)
    if not can_manage_frameworks(request.user, cycle):
        raise PermissionDenied
    return render(
        request,
        "frameworks/year_texts.html",
        {"cycle": cycle, "findings": services.year_findings(cycle)},
    )


@login_required
@require_POST
def year_texts_confirm(request, key):
    cycle = get_object_or_404(Cycle, key=key)
    if not can_manage_frameworks(request.user, cycle):
        raise PermissionDenied
    findings = services.year_findings(cycle)
    chosen = request.POST.get("node", "")
    nodes = [f["node"] for f in findings if request.POST.get("all") or str(f["node"].pk) == chosen]
    try:
        count = services.confirm_year_texts(request.user, cycle, nodes)
    except services.FrameworkError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã xác nhận %(count)s mục.") % {"count": count})
    return redirect("frameworks:year_texts", cycle.key)


def _detail_url(framework: Framework) -> str:
    return reverse("frameworks:detail", args=[framework.pk])
