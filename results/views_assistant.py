"""The assistant's page (a question, its answer with its figures) and the secretariat's log."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from .assistant import answer, engine
from .forms import AssistantForm
from .models import AssistantQuestion
from .permissions import can_read_assistant_log, may_ask_assistant

LOG_PAGE = 50


@login_required
def assistant(request):
    if not may_ask_assistant(request.user):
        raise PermissionDenied
    reply = None
    form = AssistantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reply = engine.ask(request.user, form.cleaned_data["question"])
    context = {
        "form": form,
        "reply": reply,
        "examples": answer.EXAMPLES,
        "log": can_read_assistant_log(request.user),
    }
    return render(request, "results/assistant.html", context)


@login_required
def assistant_log(request):
    if not can_read_assistant_log(request.user):
        raise PermissionDenied
    entries = AssistantQuestion.objects.select_related("asker")
    page = Paginator(entries, LOG_PAGE).get_page(request.GET.get("page"))
    return render(request, "results/assistant_log.html", {"page": page})
