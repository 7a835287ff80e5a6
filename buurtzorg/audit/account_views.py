"""Login-security pages: two-factor set-up, the code step after the password, changing the
password, and logging out."""

import base64
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from buurtzorg.audit import services
from buurtzorg.audit.forms import OtpTokenForm
from buurtzorg.audit.twofactor import OTP_NONE, OTP_STATE_KEY, OTP_VERIFY, otp_required_for
from buurtzorg.forms import add_service_errors


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    hosts = {request.get_host()}
    if url_has_allowed_host_and_scheme(url, hosts, require_https=request.is_secure()):
        return url
    return "/"


@require_http_methods(["GET", "POST"])
@login_required
def otp_verify_page(request: HttpRequest) -> HttpResponse:
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.otp_code_check(user=request.user, token=form.cleaned_data["token"])
        if device is None:
            form.add_error("token", services.OTP_TOKEN_WRONG)
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    context = {"form": form, "next": _next_url(request)}
    return render(request, "registration/otp_verify.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def otp_setup_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = OtpTokenForm(request.POST or None)
    action = request.POST.get("action")
    if request.method == "POST" and action == "start":
        services.otp_device_start(user=user)
        return redirect(request.get_full_path())
    if request.method == "POST" and action in ("confirm", "remove") and form.is_valid():
        try:
            if action == "confirm":
                device = services.otp_device_confirm(user=user, token=form.cleaned_data["token"])
            else:
                services.otp_device_remove(user=user, token=form.cleaned_data["token"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if action == "confirm":
                otp_login(request, device)
                request.session[OTP_STATE_KEY] = OTP_VERIFY
                messages.success(request, _("Two-factor login is on."))
                return redirect(_next_url(request))
            request.session[OTP_STATE_KEY] = OTP_NONE
            messages.success(request, _("Two-factor login is off."))
            return redirect(request.path)
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    context = {
        "form": form,
        "enabled": user_has_device(user, confirmed=True),
        "required": otp_required_for(user),
        "pending": pending,
        "next": _next_url(request),
    }
    if pending is not None:
        # The QR code is our own SVG of the otpauth:// URL (no user text in it).
        context["qr_svg"] = mark_safe(  # noqa: S308
            segno.make(pending.config_url, error="m").svg_inline(scale=4, title="QR code")
        )
        context["secret"] = base64.b32encode(pending.bin_key).decode()
    return render(request, "registration/otp_setup.html", context)


class LogoutPage(auth_views.LogoutView):
    """Django's logout, which also deletes her API tokens: signing out ends every way in."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            services.api_tokens_revoke(user=request.user)
        return super().post(request, *args, **kwargs)


class PasswordChangePage(auth_views.PasswordChangeView):
    """Self-service password change for every signed-in person (Django's view and form: the
    old password, then the new one twice, checked by AUTH_PASSWORD_VALIDATORS). Her session
    stays signed in; her API tokens are deleted, since they came from the old password."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("audit:password-change-done")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        services.api_tokens_revoke(user=form.user)
        return response


class PasswordChangeDonePage(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"
