"""Login, logout, password change and reset: Django's views with our form and templates."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone

from .forms import ThrottledAuthenticationForm
from .models import Notification


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


@login_required
def notifications(request):
    notes = Notification.objects.filter(user=request.user)[:100]
    unread = [n.pk for n in notes if n.read_at is None]
    Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return render(request, "accounts/notifications.html", {"notes": notes, "unread": set(unread)})
