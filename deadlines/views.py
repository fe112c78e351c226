"""Pages of the deadline machinery: a clock with how its due date was computed,
the overdue list for supervision, the notification centre and reminder settings.

Views parse input, call a selector or a service, and render or redirect; the
rules (who may pause, extend, ...) live in ``deadlines.services``."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import DomainError
from core.keyset import keyset_page
from core.workdays import WorkCalendar, local_today

from . import forms, rules, selectors, services
from .models import LegalClock
from .permissions import can_approve_extension, can_manage_clock

PAGE_SIZE = 20


# ---------------------------------------------------------------- one clock
def _clock_or_404(request, pk: int) -> LegalClock:
    try:
        return selectors.clock_visible_to(request.user, pk)
    except LegalClock.DoesNotExist:
        raise Http404


def _subject_url(clock: LegalClock) -> str:
    definition = rules.RULES.get(clock.rule)
    subject = clock.subject
    if definition is None or subject is None:
        return ""
    try:
        return definition.url(subject)
    except Exception:
        return ""


def _clock_page(request, clock: LegalClock, *, pause_form=None, resume_form=None, extend_form=None, status=200):
    user = request.user
    definition = rules.RULES.get(clock.rule)
    running = clock.status == LegalClock.Status.RUNNING
    paused = clock.status == LegalClock.Status.PAUSED
    may_pause = bool(definition and definition.pausable and running and can_manage_clock(user, clock))
    may_resume = bool(paused and can_manage_clock(user, clock))
    may_extend = bool(definition and definition.extendable and clock.is_open and not clock.extension_length
                      and clock.fixed_due_on is None and can_approve_extension(user, clock))
    clock.light = selectors.light_for(clock, calendar=WorkCalendar())
    return render(request, "deadlines/clock_detail.html", {
        "clock": clock,
        "rule": definition,
        "subject_url": _subject_url(clock),
        "explanation": services.explain(clock),
        "pauses": list(clock.pauses.all()),
        # A submitted form is shown again with its errors, even when the refusal was that it is not allowed.
        "pause_form": pause_form or (forms.ClockPauseForm() if may_pause else None),
        "resume_form": resume_form or (forms.ClockResumeForm() if may_resume else None),
        "extend_form": extend_form or (forms.ClockExtendForm() if may_extend else None),
    }, status=status)


def clock_detail(request, pk: int):
    return _clock_page(request, _clock_or_404(request, pk))


def _clock_action(request, pk: int, form_class, form_name: str, call, success: str):
    """POST of one clock form: validate, call the service, show its refusal in Chinese on the page."""
    _clock_or_404(request, pk)  # what the user may not see is a 404
    form = form_class(request.POST)
    status = 400
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except LegalClock.DoesNotExist:
            raise Http404
        except DomainError as error:
            for message in error.messages:
                form.add_error(None, message)
            status = error.http_status
        else:
            messages.success(request, success)
            return redirect("deadlines:clock-detail", pk=pk)
    # Reload: the service ran in a rolled-back transaction and may have touched the instance.
    return _clock_page(request, _clock_or_404(request, pk), status=status, **{form_name: form})


@require_POST
def clock_pause(request, pk: int):
    return _clock_action(request, pk, forms.ClockPauseForm, "pause_form", lambda data: services.clock_pause(
        clock_id=pk, actor=request.user, paused_on=data["paused_on"], reason_kind=data["reason_kind"],
        reason=data["reason"]), _("期限已中止，恢复前不再计算。"))


@require_POST
def clock_resume(request, pk: int):
    return _clock_action(request, pk, forms.ClockResumeForm, "resume_form", lambda data: services.clock_resume(
        clock_id=pk, actor=request.user, resumed_on=data["resumed_on"], note=data["note"]),
        _("期限已恢复计算，到期日已重新计算。"))


@require_POST
def clock_extend(request, pk: int):
    return _clock_action(request, pk, forms.ClockExtendForm, "extend_form", lambda data: services.clock_extend(
        clock_id=pk, actor=request.user, length=data["length"], reason=data["reason"]),
        _("已批准延长期限，到期日已重新计算。"))


# ---------------------------------------------------------------- supervision
def overdue_list(request):
    """All overdue open clocks across departments (督办), for supervisors, the office and administrators."""
    form = forms.OverdueFilterForm(request.GET or None)
    clocks = selectors.overdue_clocks(request.user, form.filters())  # PermissionDenied -> 403
    page = keyset_page(request, clocks, per_page=PAGE_SIZE)
    page.object_list = selectors.with_responsible(selectors.with_lights(page.object_list))
    return render(request, "deadlines/overdue_list.html", {"form": form, "page": page, "today": local_today()})


# ---------------------------------------------------------------- notification centre
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    notes = selectors.notifications_for(request.user, unread_only=unread_only)
    page = keyset_page(request, notes, per_page=PAGE_SIZE)
    return render(request, "deadlines/notification_list.html", {"page": page, "unread_only": unread_only})


def _back_to_notifications(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect("deadlines:notifications")


@require_POST
def notification_read(request, pk: int):
    # Only the actor's own rows are touched; someone else's id changes nothing.
    services.notifications_mark_read(actor=request.user, ids=[pk])
    return _back_to_notifications(request)


@require_POST
def notification_read_all(request):
    count = services.notifications_mark_read(actor=request.user)
    messages.success(request, _("已将%(n)s条消息标为已读。") % {"n": count})
    return _back_to_notifications(request)


# ---------------------------------------------------------------- settings
def calendar_feed_url(token: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('calendar-feed', args=[token])}"


def notification_settings(request):
    preference = services.preference_for(request.user)
    form = forms.PreferenceForm(request.POST or None, initial={"email_mode": preference.email_mode})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.preference_update(actor=request.user, email_mode=form.cleaned_data["email_mode"])
            except DomainError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("提醒设置已保存。"))
                return redirect("deadlines:notification-settings")
    return render(request, "deadlines/notification_settings.html", {
        "form": form, "preference": preference, "feed_url": calendar_feed_url(preference.calendar_token),
    }, status=status)


@require_POST
def calendar_token_reset(request):
    services.calendar_token_reset(actor=request.user)
    messages.success(request, _("订阅地址已重置，原地址即时失效；请在日历软件中改用新地址订阅。"))
    return redirect("deadlines:notification-settings")
