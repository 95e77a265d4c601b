"""API tokens: their owner sees and revokes their own, the secretariat everyone's (accounts/tokens.py).

Only what identifies a token is shown (name, the first 8 characters, dates), never the secret, which is
not kept. A token the user may not see is a 404, as for sessions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import tokens
from .permissions import is_secretariat, tokens_visible_to


def _visible_token(request, pk: int):
    token = tokens_visible_to(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token


def _state(token, now) -> str:
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at <= now:
        return "expired"
    return "active"


@login_required
def token_list(request):
    everyone = is_secretariat(request.user)
    rows = tokens_visible_to(request.user)
    if everyone and request.GET.get("all") != "1":
        rows = rows.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    now = timezone.now()
    for token in page.object_list:
        token.state = _state(token, now)
    return render(
        request,
        "accounts/api_tokens.html",
        {"page": page, "everyone": everyone, "show_all": request.GET.get("all") == "1"},
    )


@login_required
def token_revoke(request, pk: int):
    """GET: what revoking will do; POST: revoke."""
    token = _visible_token(request, pk)
    if request.method == "POST":
        if tokens.revoke(token, request.user):
            messages.success(
                request,
                _("Đã thu hồi khoá API “%(name)s”: từ giờ mọi yêu cầu dùng khoá này bị từ chối.")
                % {"name": token.name},
            )
        else:
            messages.info(request, _("Khoá API này đã được thu hồi trước đó."))
        return redirect("accounts:tokens")
    token.state = _state(token, timezone.now())
    return render(request, "accounts/api_token_revoke.html", {"token": token})
