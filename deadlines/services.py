"""Writes of the deadline machinery: clocks, policy, calendar corrections,
reminders, notifications and the e-mail outbox.

Lifecycle services call ``clock_start``/``clock_stop`` inside their own
transaction, so a transition, its audit event, its clock and its reminder rows
commit together or not at all.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import rulebook
from core.audit import record_event
from core.exceptions import (
    CalendarYearUnknown,
    Conflict,
    DomainError,
    InvalidState,
    NotPermitted,
)
from core.models import CalendarDay, CalendarYear, Role, User
from core.workdays import WorkCalendar, local_today

from . import engine, rules
from .models import (
    ClockPause,
    DeadlinePolicy,
    LegalClock,
    Notification,
    NotificationPreference,
    OutboxEmail,
    Reminder,
    new_calendar_token,
)
from .permissions import can_approve_extension, can_manage_clock, is_administrator

log = logging.getLogger(__name__)
DATABASE_ERRORS = (OperationalError, InterfaceError)

#: A reminder claimed this many times without being delivered is set aside for an administrator.
REMINDER_MAX_ATTEMPTS = 5
#: An e-mail that failed this many times is parked for an administrator.
EMAIL_MAX_ATTEMPTS = 6
#: The local hour at which a day's reminders go out.
REMINDER_HOUR = 9


# ---------------------------------------------------------------- policy
def policy_in_force(code: str, on: dt.date) -> DeadlinePolicy:
    policy = DeadlinePolicy.objects.filter(code=code, effective_from__lte=on).order_by("-effective_from").first()
    if policy is None:
        raise DomainError(_("期限规则“%(code)s”在%(day)s尚无生效版本，请系统管理员在期限规则表中配置。")
                          % {"code": code, "day": on}, code="policy_missing")
    return policy


POLICY_FIELDS = ("code", "name", "length", "unit", "kind", "warn_before", "source", "effective_from", "note")


@transaction.atomic
def policy_save(*, actor: User, policy: DeadlinePolicy, changed: Iterable[str] = ()) -> DeadlinePolicy:
    """Create or change a policy row (administrators only), audited with the old and new values.
    Clocks already running keep the values they copied when they started."""
    if not is_administrator(actor):
        raise NotPermitted(_("只有系统管理员可以修改期限规则。"))
    if not policy.source.strip():
        raise DomainError(_("请写明期限规则的依据（法律文件及条款）。"), code="source_required")
    before = {}
    existing = policy.pk is not None
    if existing:
        old = DeadlinePolicy.objects.select_for_update().get(pk=policy.pk)
        before = {name: getattr(old, name) for name in POLICY_FIELDS if getattr(old, name) != getattr(policy, name)}
    policy.full_clean()
    policy.save()
    record_event(actor=actor, event_type="policy", obj=policy, action="policy_change" if existing else "policy_create",
                 action_label=_("修改期限规则") if existing else _("新增期限规则"),
                 details={"code": policy.code, "before": before,
                          "after": {name: getattr(policy, name) for name in (before if existing else POLICY_FIELDS)}})
    return policy


def policy_length(code: str, on: dt.date | None = None) -> int:
    return policy_in_force(code, on or local_today()).length


# ---------------------------------------------------------------- clocks
def _subject_ref(subject) -> tuple[ContentType, int]:
    return ContentType.objects.get_for_model(type(subject)), subject.pk


def open_clock(subject, rule: str) -> LegalClock | None:
    content_type, object_id = _subject_ref(subject)
    return (LegalClock.objects.select_for_update()
            .filter(content_type=content_type, object_id=object_id, rule=rule,
                    status__in=[LegalClock.Status.RUNNING, LegalClock.Status.PAUSED]).first())


def lateness(subject, rule: str, on: dt.date | None = None) -> tuple[LegalClock, int] | None:
    """(the open clock of ``rule``, days past its due date) when acting on ``on`` is late; None
    when on time, when no clock runs, or while it is paused or waits for the calendar."""
    clock = open_clock(subject, rule)
    on = on or local_today()
    if clock is None or clock.status != LegalClock.Status.RUNNING or clock.due_on is None or on <= clock.due_on:
        return None
    return clock, (on - clock.due_on).days


def late_reason(subject, rule: str, *, gate: str, actor: User | None, reason: str, obj=None,
                on: dt.date | None = None) -> str:
    """Acting after the due date of ``subject``'s clock of ``rule`` needs a reason under the
    rulebook's ``gate`` (refused without one; recorded with one). Returns the reason, or ""
    when the act is on time."""
    late = lateness(subject, rule, on)
    if late is None:
        return ""
    clock, days_late = late
    return rulebook.reason_given(gate, obj=obj or subject, actor=actor, reason=reason,
                                 period=period_label(clock.length, clock.unit), due=day_label(clock.due_on),
                                 days_late=days_late)


def day_label(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def period_label(length: int | None, unit: str) -> str:
    """A period as the law writes it: 90日, 7个工作日, 24个月."""
    words = {"calendar_days": _("日"), "working_days": _("个工作日"), "months": _("个月")}
    return f"{length}{words.get(unit, '')}" if length is not None else ""


def _apply_computation(clock: LegalClock, calendar: WorkCalendar | None = None) -> None:
    try:
        result = engine.compute(engine.ClockInput.of(clock), calendar)
    except CalendarYearUnknown:
        clock.due_on = clock.warn_on = None
        clock.calendar_pending = True
        return
    clock.calendar_pending = False
    clock.due_on, clock.warn_on = (None, None) if result.paused else (result.due_on, result.warn_on)


def _after_due_change(clock: LegalClock) -> None:
    """Let the subject mirror the due date when it keeps one (e.g. the review queue's 审查期限)."""
    hook = getattr(clock.subject, "clock_due_changed", None)
    if hook is not None:
        hook(clock)


def explain(clock: LegalClock) -> engine.Computation:
    """How the clock's due date was computed, step by step (for the page)."""
    try:
        return engine.compute(engine.ClockInput.of(clock))
    except CalendarYearUnknown as error:
        result = engine.Computation()
        result.steps.append(str(error))
        return result


def clock_start(*, subject, rule: str, actor: User | None, started_on: dt.date | None = None,
                fixed_due_on: dt.date | None = None, department=None, assignee: User | None = None,
                label: str = "") -> LegalClock:
    """Start the clock of ``rule`` for ``subject``; an open clock of the same rule is replaced."""
    definition = rules.get(rule)
    started_on = started_on or local_today()
    previous = open_clock(subject, rule)
    if previous is not None:
        _end(previous, status=LegalClock.Status.CANCELLED, actor=actor, note=_("重新起算"))
    clock = LegalClock(
        rule=rule, label=(label or f"{definition.label}：{subject}")[:300], department=department, assignee=assignee,
        started_on=started_on, fixed_due_on=fixed_due_on, kind="advisory", source="",
    )
    clock.content_type, clock.object_id = _subject_ref(subject)
    if definition.policy:
        policy = policy_in_force(definition.policy, started_on)
        clock.policy = policy
        clock.length, clock.unit, clock.kind = policy.length, policy.unit, policy.kind
        clock.warn_before, clock.source = policy.warn_before, policy.source
    if fixed_due_on is not None and not clock.unit:
        clock.unit = "calendar_days"
    _apply_computation(clock)
    clock.save()
    record_event(actor=actor, event_type="clock", obj=subject, action="clock_start",
                 action_label=_("开始计时：%(label)s") % {"label": definition.label},
                 details={"clock": clock.pk, "rule": rule, "started_on": started_on, "due_on": clock.due_on,
                          "length": clock.length, "unit": clock.unit, "source": clock.source})
    reminders_sync(clock)
    return clock


def clock_reassign(*, subject, rule: str, assignee: User | None) -> LegalClock | None:
    """The person responsible changed (a reviewer claimed or was assigned the task): remind the new one."""
    clock = open_clock(subject, rule)
    if clock is not None and clock.assignee_id != (assignee.pk if assignee else None):
        clock.assignee = assignee
        clock.save(update_fields=["assignee", "updated_at"])
        reminders_sync(clock)
    return clock


def clocks_reassign_for(*, subject, assignee: User | None) -> int:
    content_type, object_id = _subject_ref(subject)
    clocks = list(LegalClock.objects.select_for_update().filter(
        content_type=content_type, object_id=object_id, status__in=[LegalClock.Status.RUNNING, LegalClock.Status.PAUSED]))
    for clock in clocks:
        clock_reassign(subject=subject, rule=clock.rule, assignee=assignee)
    return len(clocks)


def clocks_stop_for(*, subject, actor: User | None, note: str = "") -> int:
    content_type, object_id = _subject_ref(subject)
    clocks = list(LegalClock.objects.select_for_update().filter(
        content_type=content_type, object_id=object_id, status__in=[LegalClock.Status.RUNNING, LegalClock.Status.PAUSED]))
    for clock in clocks:
        _end(clock, status=LegalClock.Status.STOPPED, actor=actor, note=note)
    return len(clocks)


def clock_stop(*, subject, rule: str, actor: User | None, note: str = "") -> LegalClock | None:
    """The step the clock measures is done: stop it and drop its pending reminders."""
    clock = open_clock(subject, rule)
    if clock is not None:
        _end(clock, status=LegalClock.Status.STOPPED, actor=actor, note=note)
    return clock


def clocks_cancel_for(*, subject, actor: User | None, note: str) -> int:
    content_type, object_id = _subject_ref(subject)
    clocks = list(LegalClock.objects.select_for_update().filter(
        content_type=content_type, object_id=object_id,
        status__in=[LegalClock.Status.RUNNING, LegalClock.Status.PAUSED]))
    for clock in clocks:
        _end(clock, status=LegalClock.Status.CANCELLED, actor=actor, note=note)
    return len(clocks)


def _end(clock: LegalClock, *, status: str, actor, note: str) -> None:
    note = str(note)
    clock.status = status
    clock.ended_on = local_today()
    clock.ended_note = note[:300]
    clock.save(update_fields=["status", "ended_on", "ended_note", "updated_at"])
    reminders_sync(clock)
    record_event(actor=actor, event_type="clock", obj=clock.subject, action=f"clock_{status}",
                 action_label=_("期限结束：%(label)s（%(status)s）") % {"label": clock.label, "status": clock.get_status_display()},
                 reason=note, details={"clock": clock.pk, "rule": clock.rule, "due_on": clock.due_on})


def _lock_clock(clock_id: int) -> LegalClock:
    return LegalClock.objects.select_for_update().get(pk=clock_id)


@transaction.atomic
def clock_pause(*, clock_id: int, actor: User, paused_on: dt.date, reason_kind: str, reason: str) -> LegalClock:
    clock = _lock_clock(clock_id)
    if not can_manage_clock(actor, clock):
        raise NotPermitted(_("无权中止该期限。"))
    return _pause(clock, actor=actor, paused_on=paused_on, reason_kind=reason_kind, reason=reason)


@transaction.atomic
def clock_resume(*, clock_id: int, actor: User, resumed_on: dt.date, note: str = "") -> LegalClock:
    clock = _lock_clock(clock_id)
    if not can_manage_clock(actor, clock):
        raise NotPermitted(_("无权恢复该期限。"))
    return _resume(clock, actor=actor, resumed_on=resumed_on, note=note)


def clock_pause_for(*, subject, rule: str, actor: User, reason: str,
                    reason_kind: str = ClockPause.Reason.OTHER) -> LegalClock | None:
    """Pause the open clock of ``rule`` as part of a transition the caller already authorised."""
    clock = open_clock(subject, rule)
    if clock is None or clock.status != LegalClock.Status.RUNNING:
        return clock
    return _pause(clock, actor=actor, paused_on=local_today(), reason_kind=reason_kind, reason=reason)


def clock_resume_for(*, subject, rule: str, actor: User, note: str = "") -> LegalClock | None:
    clock = open_clock(subject, rule)
    if clock is None or clock.status != LegalClock.Status.PAUSED:
        return clock
    return _resume(clock, actor=actor, resumed_on=local_today(), note=note)


def _pause(clock: LegalClock, *, actor: User, paused_on: dt.date, reason_kind: str, reason: str) -> LegalClock:
    if not rules.get(clock.rule).pausable:
        raise DomainError(_("该期限依法不适用中止。"), code="not_pausable")
    if clock.status != LegalClock.Status.RUNNING:
        raise InvalidState(_("只有计时中的期限可以中止。"))
    if reason_kind not in ClockPause.Reason.values or not reason.strip():
        raise DomainError(_("请选择中止事由并写明具体情况。"), code="reason_required")
    if paused_on < clock.started_on or paused_on > local_today():
        raise DomainError(_("中止日期应在起算日期之后、且不晚于今天。"), code="invalid_date")
    last = clock.pauses.exclude(resumed_on=None).order_by("-resumed_on").first()
    if last and paused_on < last.resumed_on:
        raise DomainError(_("中止日期不能早于上次恢复计算的日期。"), code="invalid_date")
    ClockPause.objects.create(clock=clock, paused_on=paused_on, reason_kind=reason_kind, reason=reason,
                              paused_by=actor)
    return _save_change(clock, actor=actor, status=LegalClock.Status.PAUSED, action="clock_pause",
                        label=_("期限中止"), reason=reason, details={"paused_on": paused_on, "reason_kind": reason_kind})


def _resume(clock: LegalClock, *, actor: User, resumed_on: dt.date, note: str) -> LegalClock:
    pause = clock.pauses.filter(resumed_on=None).first()
    if clock.status != LegalClock.Status.PAUSED or pause is None:
        raise InvalidState(_("该期限未处于中止状态。"))
    if resumed_on < pause.paused_on or resumed_on > local_today():
        raise DomainError(_("恢复日期应不早于中止日期、且不晚于今天。"), code="invalid_date")
    pause.resumed_on = resumed_on
    pause.save(update_fields=["resumed_on"])
    return _save_change(clock, actor=actor, status=LegalClock.Status.RUNNING, action="clock_resume",
                        label=_("期限恢复计算"), reason=note, details={"resumed_on": resumed_on})


@transaction.atomic
def clock_extend(*, clock_id: int, actor: User, length: int, reason: str) -> LegalClock:
    """Extend once, with a reason; ``actor`` is the approver."""
    clock = _lock_clock(clock_id)
    if not can_approve_extension(actor, clock):
        raise NotPermitted(_("延长期限须由责任单位负责人或政府办批准。"))
    if not rules.get(clock.rule).extendable or clock.fixed_due_on is not None:
        raise DomainError(_("该期限不适用延长。"), code="not_extendable")
    if not clock.is_open:
        raise InvalidState(_("该期限已结束，不能延长。"))
    if clock.extension_length:
        raise Conflict(_("该期限已经延长过一次，不得再次延长。"))
    if length <= 0 or length > (clock.length or 0):
        raise DomainError(_("延长的期限应大于0且不超过原期限。"), code="invalid_length")
    if not reason.strip():
        raise DomainError(_("请写明延长期限的理由。"), code="reason_required")
    clock.extension_length, clock.extension_reason, clock.extension_approved_by = length, reason, actor
    return _save_change(clock, actor=actor, status=clock.status, action="clock_extend", label=_("延长期限"),
                        reason=reason, details={"length": length, "unit": clock.unit})


def _save_change(clock: LegalClock, *, actor, status: str, action: str, label: str, reason: str,
                 details: dict) -> LegalClock:
    before = clock.due_on
    clock.status = status
    _apply_computation(clock)
    clock.save()
    _after_due_change(clock)
    record_event(actor=actor, event_type="clock", obj=clock.subject, action=action,
                 action_label=f"{label}：{clock.label}", reason=reason,
                 details={"clock": clock.pk, "rule": clock.rule, "due_before": before, "due_after": clock.due_on,
                          **details})
    reminders_sync(clock)
    return clock


# ---------------------------------------------------------------- calendar
def _check_admin(actor: User) -> None:
    if not is_administrator(actor):
        raise NotPermitted(_("只有系统管理员可以维护工作日历。"))


def calendar_validate_days(year: int, days: Iterable[tuple[dt.date, bool, str]]) -> list[tuple[dt.date, bool, str]]:
    """Check a year's exceptions: each in the year, a holiday on a weekday or a make-up day on a weekend."""
    clean, seen = [], set()
    for day, is_workday, name in days:
        if day.year != year:
            raise DomainError(_("%(day)s不属于%(year)s年。") % {"day": day, "year": year}, code="wrong_year")
        if day in seen:
            raise DomainError(_("%(day)s重复出现。") % {"day": day}, code="duplicate_day")
        seen.add(day)
        weekend = day.weekday() >= 5
        if is_workday and not weekend:
            raise DomainError(_("%(day)s是工作日，不必登记为调休上班日。") % {"day": day}, code="not_weekend")
        if not is_workday and weekend and not name.strip():
            raise DomainError(_("%(day)s是周末，登记为休息日时须写明节日名称。") % {"day": day}, code="name_required")
        clean.append((day, is_workday, name.strip() or (_("调休上班") if is_workday else _("休息"))))
    if not any(not w for _d, w, _n in clean):
        raise DomainError(_("未登记任何法定节假日，请核对国务院办公厅通知。"), code="no_holidays")
    return sorted(clean)


@transaction.atomic
def calendar_year_import(*, actor: User, year: int, source: str, days: Iterable[tuple[dt.date, bool, str]],
                         reason: str = "") -> dict:
    """Load or correct one year's holidays and make-up working days, then recompute running clocks."""
    _check_admin(actor)
    if not source.strip():
        raise DomainError(_("请填写依据（国务院办公厅关于节假日安排的通知文号）。"), code="source_required")
    clean = calendar_validate_days(year, days)
    existing = CalendarYear.objects.select_for_update().filter(year=year).first()
    if existing and not reason.strip():
        raise DomainError(_("%(year)s年日历已载入；更正时须说明理由。") % {"year": year}, code="reason_required")
    before = dict(CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday"))
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create([CalendarDay(date=d, is_workday=w, name=n) for d, w, n in clean])
    CalendarYear.objects.update_or_create(year=year, defaults={"source": source.strip()})
    after = {d: w for d, w, _n in clean}
    changed = sorted(d for d in set(before) | set(after) if before.get(d) != after.get(d))
    calendar_year = CalendarYear.objects.get(year=year)
    record_event(actor=actor, event_type="calendar", obj=calendar_year,
                 action="calendar_correct" if existing else "calendar_import",
                 action_label=_("更正工作日历") if existing else _("导入工作日历"), reason=reason,
                 details={"year": year, "source": source, "holidays": sum(1 for _d, w, _n in clean if not w),
                          "makeup_workdays": sum(1 for _d, w, _n in clean if w),
                          "changed_days": [d.isoformat() for d in changed]})
    recomputed = clocks_recompute(actor=actor, reason=_("%(year)s年工作日历变更") % {"year": year})
    return {"year": year, "days": len(clean), "changed_days": len(changed), "clocks_changed": recomputed}


def clocks_recompute(*, actor: User | None, reason: str) -> int:
    """Recompute every open clock; audit each one whose dates changed. Returns how many changed."""
    changed = 0
    calendar = WorkCalendar()
    clocks = (LegalClock.objects.select_for_update()
              .filter(status__in=[LegalClock.Status.RUNNING, LegalClock.Status.PAUSED])
              .prefetch_related("pauses").order_by("pk"))
    for clock in clocks:
        before = (clock.due_on, clock.warn_on, clock.calendar_pending)
        _apply_computation(clock, calendar)
        if (clock.due_on, clock.warn_on, clock.calendar_pending) == before:
            continue
        clock.save(update_fields=["due_on", "warn_on", "calendar_pending", "updated_at"])
        _after_due_change(clock)
        record_event(actor=actor, event_type="clock", obj=clock.subject, action="clock_recompute",
                     action_label=_("重新计算期限：%(label)s") % {"label": clock.label}, reason=reason,
                     details={"clock": clock.pk, "rule": clock.rule, "due_before": before[0], "due_after": clock.due_on})
        reminders_sync(clock)
        changed += 1
    return changed


def calendar_missing_next_year(today: dt.date | None = None) -> int | None:
    """From 1 December, next year when its holiday notice is not loaded yet."""
    today = today or local_today()
    if (today.month, today.day) < (12, 1):
        return None
    year = today.year + 1
    return None if CalendarYear.objects.filter(year=year).exists() else year


# ---------------------------------------------------------------- reminders
def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(REMINDER_HOUR)))


STEP_TITLES = {
    "warn": "【即将到期】",
    "due": "【今日到期】",
    "overdue": "【已逾期】",
}


def _clock_moments(clock: LegalClock) -> list[tuple[str, dt.datetime, str]]:
    if not clock.is_open or clock.status == LegalClock.Status.PAUSED or clock.due_on is None:
        return []
    definition = rules.get(clock.rule)
    days = {"warn": clock.warn_on, "due": clock.due_on, "overdue": clock.due_on + dt.timedelta(days=1)}
    moments = []
    today = local_today()
    for step in definition.steps:
        day = days.get(step)
        if day is None or day < today or (step == "warn" and day >= clock.due_on):
            continue
        body = _("%(label)s，到期日%(due)s24时（%(source)s）。") % {
            "label": clock.label, "due": engine.fmt(clock.due_on), "source": clock.source or _("指定日期")}
        moments.append((step, _moment(day), body))
    return moments


def reminders_sync(clock: LegalClock) -> None:
    """Make the clock's pending reminders match its current dates and recipients."""
    now = timezone.now()
    pending = Reminder.objects.filter(clock=clock, sent_at__isnull=True, cancelled_at__isnull=True)
    moments = _clock_moments(clock)
    if not moments:
        pending.update(cancelled_at=now)
        return
    definition = rules.get(clock.rule)
    subject = clock.subject
    recipients = list(definition.recipients(clock, subject))
    url = definition.url(subject)
    wanted = set()
    for step, due_at, body in moments:
        for person in recipients:
            key = (step, due_at, person.pk)
            wanted.add(key)
            reminder, created = Reminder.objects.get_or_create(
                content_type_id=clock.content_type_id, object_id=clock.object_id, rule=clock.rule, step=step,
                due_at=due_at, recipient=person,
                defaults={"clock": clock, "title": f"{STEP_TITLES[step]}{clock.label}"[:300], "body": body, "url": url},
            )
            if not created and reminder.sent_at is None and (reminder.cancelled_at or reminder.clock_id != clock.pk):
                reminder.cancelled_at, reminder.clock, reminder.body = None, clock, body
                reminder.save(update_fields=["cancelled_at", "clock", "body"])
    for reminder in pending:
        if (reminder.step, reminder.due_at, reminder.recipient_id) not in wanted:
            reminder.cancelled_at = now
            reminder.save(update_fields=["cancelled_at"])


def reminder_schedule(*, subject, rule: str, step: str, due_at: dt.datetime, recipients: Iterable[User],
                      title: str, body: str = "", url: str = "") -> int:
    """A reminder that is not tied to a clock (annual dates, events). Idempotent per recipient."""
    content_type, object_id = _subject_ref(subject)
    created = 0
    for person in recipients:
        _reminder, was_created = Reminder.objects.get_or_create(
            content_type=content_type, object_id=object_id, rule=rule, step=step, due_at=due_at, recipient=person,
            defaults={"title": title[:300], "body": body, "url": url})
        created += was_created
    return created


def _email_mode(user: User) -> str:
    pref = getattr(user, "notification_preference", None)
    return pref.email_mode if pref else NotificationPreference.EmailMode.EACH


def reminders_deliver_due(*, now: dt.datetime | None = None, batch: int = 200) -> int:
    """Deliver due reminders exactly once: each reminder's notification (and e-mail
    outbox row) is created in the transaction that marks it sent. Returns how many.

    Every claim is counted first, in its own transaction, so a reminder that keeps killing its
    worker stops after REMINDER_MAX_ATTEMPTS. Reminders claimed before without an outcome (their
    worker died) or whose batch failed are delivered one per transaction, so one bad row cannot
    hold up the others; one at the limit is parked with its error, logged and shown to the
    administrators (``reminder_retry`` sends it again)."""
    now = now or timezone.now()
    _park_exhausted_reminders(now)
    with transaction.atomic():
        rows = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, cancelled_at__isnull=True, parked_at__isnull=True, due_at__lte=now,
                    attempts__lt=REMINDER_MAX_ATTEMPTS)
            .order_by("due_at", "pk").values_list("pk", "clock_id", "recipient_id", "attempts")[:batch]
        )
        # After an outage several steps of one clock may be due at once ("即将到期", "今日到期",
        # "已逾期"): only the latest is worth sending; the earlier ones are superseded.
        latest = {}
        for pk, clock_id, recipient_id, _attempts in rows:
            if clock_id is not None:
                latest[(clock_id, recipient_id)] = pk
        superseded = {pk for pk, clock_id, recipient_id, _attempts in rows
                      if clock_id is not None and latest[(clock_id, recipient_id)] != pk}
        Reminder.objects.filter(pk__in=superseded).update(cancelled_at=now)
        fresh = [pk for pk, _c, _r, attempts in rows if pk not in superseded and attempts == 0]
        suspects = [pk for pk, _c, _r, attempts in rows if pk not in superseded and attempts > 0]
        Reminder.objects.filter(pk__in=fresh).update(attempts=F("attempts") + 1)
    delivered = 0
    if fresh:
        try:
            delivered += _deliver_reminders(fresh, now)
        except DATABASE_ERRORS:
            raise
        except Exception:
            log.warning("reminder batch of %s failed; delivering them one by one", len(fresh), exc_info=True)
            delivered += sum(_deliver_reminder_alone(pk, now, counted=True) for pk in fresh)
    delivered += sum(_deliver_reminder_alone(pk, now, counted=False) for pk in suspects)
    return delivered


def _deliver_reminder_alone(pk: int, now: dt.datetime, *, counted: bool) -> int:
    if not counted:
        Reminder.objects.filter(pk=pk).update(attempts=F("attempts") + 1)
    try:
        return _deliver_reminders([pk], now)
    except DATABASE_ERRORS:
        raise
    except Exception as error:
        log.exception("reminder %s could not be delivered", pk)
        Reminder.objects.filter(pk=pk).update(last_error=f"{type(error).__name__}: {error}"[:2000])
        _park_exhausted_reminders(now)
        return 0


def _deliver_reminders(pks: list[int], now: dt.datetime) -> int:
    with transaction.atomic():
        due = list(
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=pks, sent_at__isnull=True, cancelled_at__isnull=True)
            .select_related("recipient", "recipient__notification_preference")
        )
        notifications, emails = [], []
        for reminder in due:
            reminder.sent_at = now
            notifications.append(Notification(recipient=reminder.recipient, reminder=reminder, title=reminder.title,
                                              body=reminder.body, url=reminder.url,
                                              level="danger" if reminder.step == "overdue" else "warning"))
            person = reminder.recipient
            if person.email and _email_mode(person) == NotificationPreference.EmailMode.EACH:
                emails.append(OutboxEmail(
                    idempotency_key=f"reminder:{reminder.pk}", recipient=person, to_address=person.email,
                    subject=f"[法治湖州] {reminder.title}"[:300], body=_reminder_email_body(reminder),
                    next_attempt_at=now))
        Notification.objects.bulk_create(notifications)
        OutboxEmail.objects.bulk_create(emails, ignore_conflicts=True)
        Reminder.objects.bulk_update(due, ["sent_at"])
    return len(due)


def _park_exhausted_reminders(now: dt.datetime) -> int:
    """Reminders at the attempt limit and still undelivered: set aside with their error, logged,
    and the administrators told (once per sweep that parks any)."""
    with transaction.atomic():
        exhausted = list(Reminder.objects.select_for_update(skip_locked=True).filter(
            sent_at__isnull=True, cancelled_at__isnull=True, parked_at__isnull=True,
            attempts__gte=REMINDER_MAX_ATTEMPTS).only("pk", "title", "attempts", "last_error"))
        for reminder in exhausted:
            reminder.parked_at = now
            reminder.last_error = reminder.last_error or _("投递时工作进程异常退出（已尝试%(n)s次，未留下错误信息）") % {
                "n": reminder.attempts}
            log.error("reminder %s parked after %s attempts: %s", reminder.pk, reminder.attempts, reminder.last_error)
        Reminder.objects.bulk_update(exhausted, ["parked_at", "last_error"])
        if exhausted:
            _alert_administrators(
                title=_("有%(n)s条期限提醒投递失败，已搁置") % {"n": len(exhausted)},
                body=_("最近的错误：%(error)s。请在后台“提醒”中查看错误并重新投递。") % {"error": exhausted[-1].last_error},
                url=reverse("admin:deadlines_reminder_changelist") + "?parked=yes")
    return len(exhausted)


def _alert_administrators(*, title: str, body: str, url: str) -> None:
    notify(recipients=list(administrators()), title=title, body=body, url=url, level="danger")


@transaction.atomic
def reminder_retry(*, actor: User, reminder_id: int) -> Reminder:
    """An administrator delivers a parked reminder again (after fixing the cause)."""
    if not is_administrator(actor):
        raise NotPermitted(_("只有系统管理员可以重新投递提醒。"))
    reminder = Reminder.objects.select_for_update().get(pk=reminder_id)
    if reminder.parked_at is None or reminder.sent_at is not None:
        raise InvalidState(_("只有投递失败已搁置的提醒可以重新投递。"))
    error = reminder.last_error
    reminder.parked_at, reminder.attempts, reminder.last_error = None, 0, ""
    reminder.save(update_fields=["parked_at", "attempts", "last_error"])
    record_event(actor=actor, event_type="reminder", obj=reminder, action="reminder_retry",
                 action_label=_("重新投递搁置的提醒"), details={"recipient": reminder.recipient_id, "error": error})
    return reminder


def _absolute(url: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{url}" if url.startswith("/") else url


def _reminder_email_body(reminder: Reminder) -> str:
    name = reminder.recipient.display_name
    lines = [f"{name}：", "", reminder.title, reminder.body]
    if reminder.url:
        lines += ["", _("办理入口：%(url)s") % {"url": _absolute(reminder.url)}]
    lines += ["", _("——法治湖州·依法行政平台（本邮件由系统自动发送，请勿直接回复；可在“提醒设置”中改为每日汇总或关闭邮件。）")]
    return "\n".join(lines)


# ---------------------------------------------------------------- notifications
def notify(*, recipients: Iterable[User], title: str, body: str = "", url: str = "", level: str = "info") -> int:
    rows = [Notification(recipient=p, title=title[:300], body=body, url=url, level=level) for p in recipients]
    Notification.objects.bulk_create(rows)
    return len(rows)


def notifications_mark_read(*, actor: User, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notifications read (all of them when ``ids`` is None)."""
    rows = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


def preference_for(user: User) -> NotificationPreference:
    pref, _created = NotificationPreference.objects.get_or_create(user=user)
    return pref


def preference_update(*, actor: User, email_mode: str) -> NotificationPreference:
    if email_mode not in NotificationPreference.EmailMode.values:
        raise DomainError(_("请选择邮件提醒方式。"), code="invalid_email_mode")
    pref = preference_for(actor)
    if email_mode == NotificationPreference.EmailMode.DIGEST and pref.email_mode != email_mode:
        # Messages from before the switch were handled under the old choice; the digest starts from now.
        Notification.objects.filter(recipient=actor, digested_at__isnull=True).update(digested_at=timezone.now())
    pref.email_mode = email_mode
    pref.save(update_fields=["email_mode"])
    return pref


def calendar_token_reset(*, actor: User) -> NotificationPreference:
    """A new secret for the personal calendar feed; the old address stops working at once."""
    pref = preference_for(actor)
    pref.calendar_token = new_calendar_token()
    pref.calendar_token_reset_at = timezone.now()
    pref.save(update_fields=["calendar_token", "calendar_token_reset_at"])
    record_event(actor=actor, event_type="security", obj=actor, action="calendar_token_reset",
                 action_label=_("重置日历订阅地址"))
    return pref


# ---------------------------------------------------------------- e-mail
def digests_build(*, today: dt.date | None = None) -> int:
    """One digest e-mail per person who chose the daily digest, covering notifications not yet digested."""
    today = today or local_today()
    now = timezone.now()
    built = 0
    people = User.objects.filter(is_active=True, notification_preference__email_mode=NotificationPreference.EmailMode.DIGEST
                                 ).exclude(email="")
    for person in people:
        with transaction.atomic():
            items = list(Notification.objects.select_for_update(skip_locked=True)
                         .filter(recipient=person, digested_at__isnull=True).order_by("created_at", "pk"))
            if not items:
                continue
            lines = [f"{person.display_name}：", "", _("您有%(n)s条新的期限提醒和消息：") % {"n": len(items)}, ""]
            for n, item in enumerate(items, 1):
                lines.append(f"{n}. {item.title}")
                if item.body:
                    lines.append(f"   {item.body}")
                if item.url:
                    lines.append(f"   {_absolute(item.url)}")
            lines += ["", _("——法治湖州·依法行政平台（每日汇总；可在“提醒设置”中更改。）")]
            _email, created = OutboxEmail.objects.get_or_create(
                idempotency_key=f"digest:{person.pk}:{today.isoformat()}",
                defaults={"recipient": person, "to_address": person.email,
                          "subject": _("[法治湖州] %(day)s 期限提醒汇总（%(n)s条）") % {"day": today.isoformat(), "n": len(items)},
                          "body": "\n".join(lines), "next_attempt_at": now})
            if created:  # today's digest already went out: these wait for tomorrow's instead of being lost
                Notification.objects.filter(pk__in=[i.pk for i in items]).update(digested_at=now)
                built += 1
    return built


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=min(2 ** attempts, 240))


#: A claimed e-mail is reserved this long for its sender; after it, a worker that died is presumed.
EMAIL_LEASE = dt.timedelta(minutes=5)
#: E-mails claimed per short transaction.
EMAIL_CHUNK = 20
#: One sweep sends until the outbox is empty or this many seconds have passed (below the task's
#: soft time limit); beat starts the next one, so sending is continuous, over one SMTP connection.
OUTBOX_TIME_BUDGET = 50.0


def outbox_send_due(*, now: dt.datetime | None = None, limit: int | None = None,
                    budget: float = OUTBOX_TIME_BUDGET) -> dict:
    """Send due e-mails until none is left (or ``limit`` were handled, or ``budget`` seconds
    passed). Each one is claimed (attempt counted, leased) in a short transaction before it is
    sent and marked sent right after, so a worker killed mid-send costs one attempt of the
    messages it held, never a lost or endless message. Failures back off; at EMAIL_MAX_ATTEMPTS
    a message is parked with its error, logged and shown to the administrators."""
    counts = {"sent": 0, "failed": 0, "parked": _park_abandoned_emails(now or timezone.now())}
    started, handled = time.monotonic(), 0
    smtp = None
    try:
        while time.monotonic() - started < budget and (limit is None or handled < limit):
            moment = now or timezone.now()
            claimed = _claim_emails(moment, EMAIL_CHUNK if limit is None else min(EMAIL_CHUNK, limit - handled))
            if not claimed:
                break
            for email in claimed:
                handled += 1
                try:
                    smtp = smtp or get_connection(fail_silently=False)
                    EmailMessage(subject=email.subject, body=email.body, to=[email.to_address], connection=smtp,
                                 headers={**(email.headers or {}), "X-Idempotency-Key": email.idempotency_key,
                                          "Message-ID": f"<{email.idempotency_key.replace(':', '.')}@huzhou-rule>"}
                                 ).send(fail_silently=False)
                except Exception as error:
                    parked = _email_failed(email, moment, f"{type(error).__name__}: {error}")
                    counts["parked" if parked else "failed"] += 1
                    if smtp is not None:
                        smtp.close()
                        smtp = None  # a fresh connection for the next message
                else:
                    OutboxEmail.objects.filter(pk=email.pk).update(
                        status=OutboxEmail.Status.SENT, sent_at=timezone.now(), last_error="")
                    counts["sent"] += 1
    finally:
        if smtp is not None:
            smtp.close()
    return counts


def _claim_emails(now: dt.datetime, chunk: int) -> list[OutboxEmail]:
    """Count an attempt and lease up to ``chunk`` due e-mails. A message tried before goes alone,
    so one that crashes its worker cannot take the others' attempts with it."""
    with transaction.atomic():
        due = list(OutboxEmail.objects.select_for_update(skip_locked=True)
                   .filter(status=OutboxEmail.Status.PENDING, next_attempt_at__lte=now,
                           attempts__lt=EMAIL_MAX_ATTEMPTS)
                   .order_by("next_attempt_at", "pk")[:chunk])
        claimed = [email for email in due if email.attempts == 0] or due[:1]
        for email in claimed:
            email.attempts += 1
            email.next_attempt_at = now + EMAIL_LEASE
        OutboxEmail.objects.bulk_update(claimed, ["attempts", "next_attempt_at"])
    return claimed


def _email_failed(email: OutboxEmail, now: dt.datetime, error: str) -> bool:
    """Record a failed send; True when the message is parked."""
    email.last_error = error[:2000]
    if email.attempts >= EMAIL_MAX_ATTEMPTS:
        email.status = OutboxEmail.Status.PARKED
        log.error("outbox e-mail %s parked after %s attempts: %s", email.pk, email.attempts, error)
        _alert_administrators(title=_("有邮件发送失败，已搁置：%(subject)s") % {"subject": email.subject[:100]},
                              body=_("收件人 %(to)s；错误：%(error)s。请在后台“待发邮件”中重新发送。") % {
                                  "to": email.to_address, "error": email.last_error},
                              url=reverse("admin:deadlines_outboxemail_changelist") + "?status__exact=parked")
    else:
        email.next_attempt_at = now + _backoff(email.attempts)
        log.warning("outbox e-mail %s failed (attempt %s): %s", email.pk, email.attempts, error)
    email.save(update_fields=["status", "next_attempt_at", "last_error"])
    return email.status == OutboxEmail.Status.PARKED


def _park_abandoned_emails(now: dt.datetime) -> int:
    """Messages whose every attempt ended with the worker gone (the lease ran out at the limit)."""
    parked = 0
    with transaction.atomic():
        for email in (OutboxEmail.objects.select_for_update(skip_locked=True)
                      .filter(status=OutboxEmail.Status.PENDING, attempts__gte=EMAIL_MAX_ATTEMPTS,
                              next_attempt_at__lte=now)):
            _email_failed(email, now, email.last_error or _("发送时工作进程异常退出（已尝试%(n)s次，未留下错误信息）") % {
                "n": email.attempts})
            parked += 1
    return parked


@transaction.atomic
def outbox_retry(*, actor: User, email_id: int) -> OutboxEmail:
    """An administrator sends a parked e-mail again (after fixing the address or the server)."""
    if not is_administrator(actor):
        raise NotPermitted(_("只有系统管理员可以重发邮件。"))
    email = OutboxEmail.objects.select_for_update().get(pk=email_id)
    if email.status != OutboxEmail.Status.PARKED:
        raise InvalidState(_("只有发送失败已搁置的邮件可以重发。"))
    email.status, email.attempts, email.next_attempt_at = OutboxEmail.Status.PENDING, 0, timezone.now()
    email.save(update_fields=["status", "attempts", "next_attempt_at"])
    record_event(actor=actor, event_type="email", obj=email, action="email_retry", action_label=_("重发搁置邮件"),
                 details={"to": email.to_address, "key": email.idempotency_key})
    return email


def administrators() -> Iterable[User]:
    return rules.users_with_roles(Role.ADMIN)
