"""Self-service password reset (Django's PasswordResetView family) and the administrators'
unlock page.

The reset mails a one-time link (settings.EMAIL_BACKEND: the console in development) and
answers the same whether or not the address has an account, so the form tells no one who
works here. The new password passes AUTH_PASSWORD_VALIDATORS (buurtzorg.passwords among
them) like any other. Setting it ends her other sessions (Django's session hash) and deletes
her API tokens, as a password change does: they came from the old password.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from buurtzorg.access import role_required
from buurtzorg.audit import services, unlock
from buurtzorg.roles import Role


class PasswordResetPage(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("audit:password-reset-done")


class PasswordResetDonePage(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmPage(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("audit:password-reset-complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        services.api_tokens_revoke(user=form.user)
        return response


class PasswordResetCompletePage(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


@require_GET
@role_required(Role.ADMIN)
def lockout_list_page(request: HttpRequest) -> HttpResponse:
    context = {
        "lockouts": unlock.lockout_list(),
        "lockout_limit": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/lockout_list.html", context)


@require_POST
@role_required(Role.ADMIN)
def lockout_lift_page(request: HttpRequest, attempt_id: int) -> HttpResponse:
    try:
        lifted = unlock.lockout_lift(
            actor=request.user, attempt_id=attempt_id, kind=request.POST.get("kind", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Unlocked: %(value)s.") % {"value": lifted.value})
    return redirect("audit:lockout-list")
