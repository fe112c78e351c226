"""Pages of the account policy (core/accounts.py): enrolling and giving the second factor,
changing the password, and the lockouts an administrator lifts."""
from __future__ import annotations

import base64

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import accounts, admin_duties
from .exceptions import DomainError
from .models import Role, User


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("动态验证码"), max_length=8,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
                           help_text=gettext_lazy("认证器应用（如 FreeOTP、Google Authenticator、微信小程序“腾讯身份验证器”）显示的 6 位数字。"))


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse_lazy("workbench:my-work")


def two_factor_setup(request):
    """Enrol a TOTP authenticator: the key is shown once (text and otpauth:// address); the device
    counts only after the first correct code."""
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = request.user
    if accounts.has_confirmed_device(user):
        return redirect("account-2fa-verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
        user=user, name=_("认证器"), confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            accounts.security_event(action="otp_enrolled", label=_("启用双因素认证"), actor=user)
            messages.success(request, _("双因素认证已启用。"))
            return redirect(_next(request))
        accounts.security_event(action="otp_failed", label=_("双因素验证码错误"), actor=user, details={"step": "setup"})
        form.add_error("code", _("验证码不正确，请核对认证器上的当前数字。"))
    key = base64.b32encode(device.bin_key).decode()
    return render(request, "registration/two_factor_setup.html", {
        "form": form, "key": " ".join(key[i:i + 4] for i in range(0, len(key), 4)), "uri": device.config_url,
        "next": request.GET.get("next", "")}, status=400 if form.errors else 200)


def two_factor_verify(request):
    """The second step of the login: the current code of the enrolled authenticator."""
    from django_otp import login as otp_login

    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = accounts.verify_totp(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            accounts.security_event(action="otp_verified", label=_("双因素验证通过"), actor=request.user)
            return redirect(_next(request))
        accounts.security_event(action="otp_failed", label=_("双因素验证码错误"), actor=request.user,
                                details={"step": "login"})
        form.add_error("code", _("验证码不正确或已使用过，请输入认证器上的下一个数字。"))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": request.GET.get("next", "")},
                  status=400 if form.errors else 200)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("workbench:my-work")

    def form_valid(self, form):
        response = super().form_valid(form)
        accounts.security_event(action="password_changed", label=_("修改密码"), actor=self.request.user)
        messages.success(self.request, _("密码已修改。"))
        return response


# ---------------------------------------------------------------- lockouts (security administrator)
def can_unlock(user) -> bool:
    return admin_duties.is_security_admin(user)


class UnlockForm(forms.Form):
    username = forms.CharField(required=False, max_length=150)
    address = forms.GenericIPAddressField(required=False)


def lockouts(request):
    """The accounts and addresses locked out now, and the unlock (audited)."""
    from axes.models import AccessAttempt

    if not can_unlock(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = UnlockForm(request.POST)
        if form.is_valid() and (form.cleaned_data["username"] or form.cleaned_data["address"]):
            accounts.unlock(actor=request.user, username=form.cleaned_data["username"],
                            address=form.cleaned_data["address"] or "")
            messages.success(request, _("已解除锁定。"))
            return redirect("account-lockouts")
        messages.error(request, _("请指定要解锁的账号或地址。"))
    attempts = AccessAttempt.objects.order_by("-attempt_time")[:200]
    return render(request, "registration/lockouts.html", {"attempts": attempts,
                                                          "limit": accounts.settings.HUZHOU_LOCKOUT_FAILURES})


# ---------------------------------------------------------------- 三员分立
class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(label=gettext_lazy("角色"), choices=Role.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)


def roles(request, user_id: int | None = None):
    """The security administrator's page: every account's roles, and changing one account's roles."""
    if not admin_duties.is_security_admin(request.user):
        raise PermissionDenied
    person = User.objects.filter(pk=user_id).first() if user_id else None
    form = RolesForm(request.POST or None, initial={"roles": person.roles} if person else None)
    if person is not None and request.method == "POST" and form.is_valid():
        try:
            admin_duties.user_roles_set(actor=request.user, user_id=person.pk, roles=form.cleaned_data["roles"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("角色已修改。"))
            return redirect("account-roles")
    users = User.objects.select_related("department").order_by("username").only(
        "username", "full_name", "roles", "is_active", "department__name")[:500]
    return render(request, "registration/roles.html", {"users": users, "person": person, "form": form},
                  status=400 if form.errors else 200)


def two_factor_reset(request, user_id: int):
    if request.method != "POST":
        return redirect("account-roles-edit", user_id=user_id)
    try:
        admin_duties.two_factor_reset(actor=request.user, user_id=user_id)
    except User.DoesNotExist:
        from django.http import Http404

        raise Http404
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已重置双因素认证，该用户下次登录时重新启用。"))
    return redirect("account-roles-edit", user_id=user_id)


def security_log(request):
    """The audit administrator's page: logins, failures, lockouts, second factor, tokens, role changes,
    reveals — newest first, 50 at a time."""
    before = request.GET.get("before", "")
    rows = admin_duties.security_log(actor=request.user, before_seq=int(before) if before.isdigit() else None,
                                     action=request.GET.get("action", "")[:60],
                                     username=request.GET.get("username", "")[:150])
    return render(request, "registration/security_log.html", {
        "rows": rows, "more": len(rows) == admin_duties.SECURITY_LOG_PAGE, "last_seq": rows[-1].seq if rows else "",
        "action": request.GET.get("action", ""), "username": request.GET.get("username", "")})
