"""Cycle screens: list, create, one cycle with phases and participants, state changes (secretariat)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import AuditEvent
from core.collation import by_name

from . import organisers, phases, services, transitions
from .forms import CycleCreateForm, LetterheadForm, ParticipantsAddForm, PhaseForm, TransitionForm
from .models import Cycle, CycleState
from .permissions import (
    can_manage_cycle,
    can_organise,
    cycles_visible_to,
    participations_visible_to,
)


def _visible_cycle(request, key) -> Cycle:
    return get_object_or_404(cycles_visible_to(request.user), key=key)


def _managed_cycle(request, key, to_state: str | None = None) -> Cycle:
    """The cycle, for someone who may change it (the council only to finalise it)."""
    cycle = get_object_or_404(Cycle, key=key)
    if not can_manage_cycle(request.user, cycle, to_state):
        raise PermissionDenied
    return cycle


@login_required
def cycle_list(request):
    return render(
        request,
        "cycles/list.html",
        {
            "cycles": cycles_visible_to(request.user),
            "can_manage": can_organise(request.user, request.user.unit_id),
        },
    )


@login_required
def cycle_create(request):
    if not can_organise(request.user, request.user.unit_id):
        raise PermissionDenied
    organiser = request.user.unit  # a department or commune's secretariat runs its own index
    form = CycleCreateForm(
        request.POST or None, organiser=organiser, cycles=cycles_visible_to(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.create_cycle(
                request.user,
                form.cleaned_data["year"],
                form.cleaned_data["title"],
                copy_from=form.cleaned_data["copy_from"],
                organiser=organiser,
                family=form.cleaned_data["family"],
            )
        except services.CycleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Đã tạo kỳ đánh giá %(year)s (dự thảo).") % {"year": cycle.year}
            )
            return redirect("cycles:detail", cycle.key)
    return render(request, "cycles/create.html", {"form": form})


@login_required
def cycle_detail(request, key):
    cycle = _visible_cycle(request, key)
    manage = can_manage_cycle(request.user, cycle)
    groups = cycle.participations.values("ranking_group", "framework_kind").annotate(
        units=Count("id")
    )
    frameworks = cycle.frameworks.all()
    if not manage and request.user.unit_id:
        own = cycle.participations.filter(unit_id=request.user.unit_id).first()
        frameworks = frameworks.filter(kind=own.framework_kind if own else "")
    return render(
        request,
        "cycles/detail.html",
        {
            "cycle": cycle,
            "phases": cycle.phases.all(),
            "current_window": phases.current_window(cycle),
            "active_job": cycle.transition_jobs.filter(state__in=["queued", "running"]).first()
            if manage
            else None,
            "groups": groups,
            "frameworks": frameworks,
            "can_manage": manage,
            "next_states": [CycleState(s) for s in cycle.next_states()],
            "phase_form": PhaseForm() if manage else None,
            "events": AuditEvent.objects.for_object(cycle)[:20] if manage else [],
            "problems": services.readiness_problems(cycle) if manage and cycle.is_draft else [],
        },
    )


@login_required
def cycle_participants(request, key):
    cycle = _visible_cycle(request, key)
    participations = participations_visible_to(request.user, cycle).select_related("unit")
    participations = participations.order_by("ranking_group", by_name("unit__name"))
    editable = can_manage_cycle(request.user, cycle) and cycle.is_draft
    return render(
        request,
        "cycles/participants.html",
        {
            "cycle": cycle,
            "participations": participations,
            "add_form": ParticipantsAddForm(kinds=services.participant_kinds(cycle))
            if editable
            else None,
            "can_edit": editable,
        },
    )


@login_required
@require_POST
def participants_add(request, key):
    cycle = _managed_cycle(request, key)
    form = ParticipantsAddForm(request.POST, kinds=services.participant_kinds(cycle))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("cycles:participants", cycle.key)
    try:
        units = services.units_to_add(cycle, form.cleaned_data["kind"], form.cleaned_data["codes"])
        added = services.add_participants(
            request.user,
            cycle,
            units,
            ranking_group=form.cleaned_data["ranking_group"],
            framework_variant=form.cleaned_data["framework_variant"],
        )
    except services.CycleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã thêm %(count)s đơn vị tham gia.") % {"count": added})
    return redirect("cycles:participants", cycle.key)


@login_required
@require_POST
def participants_remove(request, key, unit_pk):
    cycle = _managed_cycle(request, key)
    participation = get_object_or_404(cycle.participations.select_related("unit"), unit_id=unit_pk)
    try:
        services.remove_participant(request.user, cycle, participation.unit)
    except services.CycleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Đã bỏ %(unit)s khỏi kỳ đánh giá.") % {"unit": participation.unit}
        )
    return redirect("cycles:participants", cycle.key)


@login_required
def letterhead(request):
    """How the documents of the organiser's own index are headed and signed (its secretariat)."""
    organiser = request.user.unit if request.user.is_authenticated else None
    if organiser is None or not can_organise(request.user, organiser.pk):
        raise PermissionDenied
    current = organisers.letterhead_row(organiser)
    form = LetterheadForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_letterhead(request.user, organiser, form.cleaned_data)
        except services.CycleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu thể thức văn bản."))
            return redirect("cycles:letterhead")
    return render(request, "cycles/letterhead.html", {"form": form, "organiser": organiser})


@login_required
@require_POST
def participants_variant(request, key, unit_pk):
    """Score one participant by a named variant of its kind's framework (empty: the default)."""
    cycle = _managed_cycle(request, key)
    participation = get_object_or_404(cycle.participations.select_related("unit"), unit_id=unit_pk)
    variant = request.POST.get("variant", "")[:60]
    try:
        services.choose_framework_variant(request.user, cycle, participation.unit, variant)
    except services.CycleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(unit)s được chấm theo: %(variant)s.")
            % {
                "unit": participation.unit.display_name,
                "variant": variant.strip() or _("bộ tiêu chí chung"),
            },
        )
    return redirect("cycles:participants", cycle.key)


@login_required
def transition_preview(request, key):
    """What the move to the chosen state will do, with the button that confirms it (GET never writes)."""
    cycle = _managed_cycle(request, key, request.GET.get("to_state"))
    try:
        seen = transitions.preview(request.user, cycle, request.GET.get("to_state", ""))
    except services.CycleError as exc:
        messages.error(request, str(exc))
        return redirect("cycles:detail", cycle.key)
    return render(
        request,
        "cycles/transition_preview.html",
        {"cycle": cycle, "form": TransitionForm(initial={"to_state": seen["to_state"]}), **seen},
    )


@login_required
@require_POST
def cycle_transition(request, key):
    """Queue the confirmed move; without the confirmation field the old one-click POST is refused."""
    cycle = _managed_cycle(request, key, request.POST.get("to_state"))
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Yêu cầu chuyển trạng thái không hợp lệ."))
        return redirect("cycles:detail", cycle.key)
    to_state = form.cleaned_data["to_state"]
    try:
        job = transitions.request_transition(
            request.user,
            cycle,
            to_state,
            reason=form.cleaned_data["reason"],
            confirmed=form.cleaned_data["confirm"],
        )
    except services.CycleError as exc:
        messages.error(request, str(exc))
        if to_state in cycle.next_states():
            return redirect(
                f"{reverse('cycles:transition_preview', args=[cycle.key])}?to_state={to_state}"
            )
        return redirect("cycles:detail", cycle.key)
    return redirect("cycles:transition_job", cycle.key, job.pk)


@login_required
def transition_job(request, key, pk):
    """A move's progress and result; the fragment is polled by htmx while it runs."""
    # Who may make some move may look for its job; the job then says whether this one was theirs.
    cycle = _managed_cycle(request, key, CycleState.FINALISED)
    job = get_object_or_404(cycle.transition_jobs, pk=pk)
    if not can_manage_cycle(request.user, cycle, job.to_state):
        raise PermissionDenied
    template = "cycles/_transition_job.html" if request.htmx else "cycles/transition_job.html"
    return render(request, template, {"cycle": cycle, "job": job})


@login_required
@require_POST
def cycle_phase(request, key):
    cycle = _managed_cycle(request, key)
    form = PhaseForm(request.POST)
    if form.is_valid():
        try:
            services.set_phase(
                request.user,
                cycle,
                form.cleaned_data["kind"],
                form.cleaned_data["opens_at"],
                form.cleaned_data["closes_at"],
            )
        except services.CycleError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Đã cập nhật thời hạn."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("cycles:detail", cycle.key)
