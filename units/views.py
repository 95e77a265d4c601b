"""Unit catalogue pages: list and search, one unit with its lineage, and the import (secretariat)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.collation import by_name
from core.tabular import ImportFailed
from core.uploads import UploadForm

from .importer import import_units
from .models import UnitKind
from .permissions import can_manage_units, units_visible_to


@login_required
def unit_list(request):
    units = units_visible_to(request.user)
    kind = request.GET.get("kind", "")
    query = request.GET.get("q", "").strip()
    if kind in UnitKind.values:
        units = units.filter(kind=kind)
    if query:
        units = units.filter(
            Q(name__icontains=query) | Q(code__icontains=query) | Q(short_name__icontains=query)
        )
    page = Paginator(units.order_by("kind", by_name(), "code"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "units/list.html",
        {
            "page": page,
            "kinds": UnitKind.choices,
            "kind": kind,
            "query": query,
            "can_import": can_manage_units(request.user),
        },
    )


@login_required
def unit_detail(request, pk):
    unit = get_object_or_404(units_visible_to(request.user), pk=pk)
    return render(
        request,
        "units/detail.html",
        {
            "unit": unit,
            "predecessors": unit.predecessors.all(),
            "successors": unit.successors.all(),
            "children": unit.children.order_by("code"),
            "participations": unit.participations.select_related("cycle"),
        },
    )


@login_required
def unit_import(request):
    if not can_manage_units(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            summary = import_units(upload.read(), upload.name, actor=request.user)
        except ImportFailed as exc:
            problems = exc.problems
        else:
            messages.success(
                request,
                _("Đã nhập %(total)s đơn vị (%(created)s mới, %(updated)s cập nhật).")
                % {"total": summary.total, "created": summary.created, "updated": summary.updated},
            )
            return redirect("units:list")
    return render(request, "units/import.html", {"form": form, "problems": problems})
