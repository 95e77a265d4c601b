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

from . import services, tree
from .excel import export_workbook
from .forms import FrameworkImportForm, NodeForm
from .models import Framework, Node
from .permissions import can_edit_framework, can_manage_frameworks, frameworks_visible_to


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
        },
    )


@login_required
def framework_export(request, pk):
    framework = _visible(request, pk)
    filename = f"bo-tieu-chi-{framework.cycle.year}-{framework.kind}.xlsx"
    return download(export_workbook(services.tree_order(framework)), filename)


@login_required
def framework_import(request, year):
    if not can_manage_frameworks(request.user):
        raise PermissionDenied
    cycle = get_object_or_404(Cycle, year=year)
    form = FrameworkImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            framework = services.import_framework(
                request.user, cycle, form.cleaned_data["kind"], upload.read(), upload.name
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


@login_required
def node_edit(request, pk):
    node = _editable_node(request, pk)
    is_leaf = not node.children.exists()
    form = NodeForm(request.POST or None, initial=_node_initial(node), is_leaf=is_leaf)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_node(request.user, node, **form.cleaned_data)
        except services.FrameworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu mục %(code)s.") % {"code": node.code})
            return redirect(f"{_detail_url(node.framework)}#node-{node.pk}")
    return render(
        request,
        "frameworks/node_form.html",
        {"form": form, "node": node, "framework": node.framework},
    )


@login_required
def node_add(request, pk):
    framework = get_object_or_404(Framework.objects.select_related("cycle"), pk=pk)
    if not can_edit_framework(request.user, framework):
        raise PermissionDenied
    parent = None
    if request.GET.get("parent") or request.POST.get("parent"):
        parent = get_object_or_404(
            framework.nodes, pk=request.GET.get("parent") or request.POST.get("parent")
        )
    form = NodeForm(
        request.POST or None, initial={"rule": "manual", "rule_params": '{"step": 0.25}'}
    )
    if request.method == "POST" and form.is_valid():
        try:
            node = services.add_node(request.user, framework, parent, **form.cleaned_data)
        except services.FrameworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã thêm mục %(code)s.") % {"code": node.code})
            return redirect(f"{_detail_url(framework)}#node-{node.pk}")
    return render(
        request,
        "frameworks/node_form.html",
        {"form": form, "parent": parent, "framework": framework},
    )


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


def _detail_url(framework: Framework) -> str:
    return reverse("frameworks:detail", args=[framework.pk])
