"""Writes of the legality review queue: open, claim, assign and decide a review task.
The lifecycles register what a review's outcome does to its object (and who may review it)."""
from __future__ import annotations

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import rulebook
from core.audit import record_event
from core.bodies import review_unit_for
from core.exceptions import CalendarYearUnknown, Conflict, DomainError, NotPermitted
from core.models import User
from core.permissions import is_review_lead, is_reviewer
from core.workdays import add_working_days, local_today
from deadlines.services import (
    clock_start,
    clocks_reassign_for,
    clocks_stop_for,
    day_label,
    policy_length,
)

from .checklist import checklist_for
from .models import ReviewTask
from .permissions import can_claim_review, can_decide_review
from .selectors import review_tasks_visible_to

#: kind -> function(task=..., actor=...) applying a review's outcome to its object.
REVIEW_OUTCOME_HANDLERS: dict[str, Callable] = {}


def register_review_outcome_handler(kind: str, handler: Callable) -> None:
    REVIEW_OUTCOME_HANDLERS[kind] = handler


#: kind -> function(user, task) returning a Chinese reason why the user may not review it, or None.
REVIEW_QUALIFICATION_CHECKS: dict[str, Callable] = {}


def register_review_qualification_check(kind: str, check: Callable) -> None:
    REVIEW_QUALIFICATION_CHECKS[kind] = check


#: kind -> the rulebook rule a conclusion before the earliest date answers to (a reason is required).
REVIEW_EARLY_RULES: dict[str, str] = {}


def register_review_early_rule(kind: str, rule: str) -> None:
    REVIEW_EARLY_RULES[kind] = rule


#: Outcomes that conclude the review; returning for supplements may come at any time (713 Art. 26).
CONCLUDING_OUTCOMES = (ReviewTask.Outcome.PASSED, ReviewTask.Outcome.PASSED_WITH_CHANGES, ReviewTask.Outcome.FAILED)


def _early_reason(task: ReviewTask, *, actor: User, outcome: str, early_reason: str) -> str:
    """A conclusion before the earliest date (the minimum review time of the policy table) only
    with a reason, recorded on the reviewed object's trail and listed for the supervisors."""
    today = local_today()
    if outcome not in CONCLUDING_OUTCOMES or task.earliest_decision_on is None or today >= task.earliest_decision_on:
        return ""
    code = REVIEW_EARLY_RULES.get(task.kind)
    if code is None:
        return (early_reason or "").strip()
    minimum = policy_length(f"{task.kind}.legality_review_min", task.submitted_on)
    return rulebook.reason_given(code, obj=task.subject or task, actor=actor, reason=early_reason,
                                 days=minimum, earliest=day_label(task.earliest_decision_on),
                                 submitted=day_label(task.submitted_on), review_task=task.pk)


def _check_qualification(user: User, task: ReviewTask) -> None:
    check = REVIEW_QUALIFICATION_CHECKS.get(task.kind)
    reason = check(user, task) if check else None
    if reason:
        raise NotPermitted(reason)


# ---------------------------------------------------------------- review queue
def review_task_open(*, obj, kind: str, title: str, department, submitted_by, note: str,
                     min_policy: str, clock_rule: str, review_unit=None) -> ReviewTask:
    """Open a review task and start its clock: the earliest conclusion date comes from the
    ``min_policy`` row, the due date from the clock of ``clock_rule`` (both in the policy table).
    When the calendar does not know a year yet the dates stay empty until it is loaded. The task
    goes to ``review_unit``, by default the review unit of the submitting unit's body (市司法局,
    the district's 司法局, the township's 司法所)."""
    today = local_today()
    review_unit = review_unit or review_unit_for(department)
    try:
        earliest = add_working_days(today, policy_length(min_policy, today))
    except CalendarYearUnknown:
        earliest = None
    try:
        with transaction.atomic():
            task = ReviewTask.objects.create(
                content_type=ContentType.objects.get_for_model(type(obj)),
                object_id=obj.pk,
                kind=kind,
                title=title[:300],
                department=department,
                review_unit=review_unit,
                submitted_by=submitted_by,
                submitted_on=today,
                earliest_decision_on=earliest,
                submission_note=note,
            )
    except IntegrityError as error:
        raise Conflict(_("该事项已有进行中的合法性审查。")) from error
    # the review's clock is the review unit's to keep (its reviewer once claimed), not the submitter's
    clock = clock_start(subject=task, rule=clock_rule, actor=submitted_by, started_on=today,
                        department=review_unit or department, label=_("合法性审查：%(title)s") % {"title": title})
    task.due_on = clock.due_on
    task.save(update_fields=["due_on"])
    return task


def _review_clocks_follow(task: ReviewTask, *, actor: User | None = None, done: bool = False) -> None:
    if done:
        clocks_stop_for(subject=task, actor=actor, note=task.get_outcome_display())
    else:
        clocks_reassign_for(subject=task, assignee=task.assigned_to)


def _lock_task(task_id: int, actor, *, include_claimed: bool = False) -> ReviewTask:
    tasks = review_tasks_visible_to(user=actor)
    if include_claimed and is_reviewer(actor):
        # A reviewer who lost the race for a task must learn who won it, not get "not found".
        tasks = tasks | ReviewTask.objects.filter(status=ReviewTask.Status.CLAIMED)
    return tasks.select_for_update(of=("self",)).get(pk=task_id)


@transaction.atomic
def review_task_claim(*, task_id: int, actor: User) -> ReviewTask:
    task = _lock_task(task_id, actor, include_claimed=True)
    if not is_reviewer(actor):
        raise NotPermitted(_("只有合法性审查人员可以认领审查任务。"))
    if task.status == ReviewTask.Status.DONE:
        raise Conflict(_("该审查任务已办结。"))
    if task.assigned_to_id is not None:
        if task.assigned_to_id == actor.pk:
            return task
        raise Conflict(_("该审查任务已由%(name)s认领。") % {"name": task.assigned_to.display_name})
    if not can_claim_review(actor, task):
        if task.submitted_by_id == actor.pk:
            raise NotPermitted(_("不得审查本人报送的事项。"))
        raise NotPermitted(_("该事项由%(unit)s审查。") % {"unit": task.review_unit})
    _check_qualification(actor, task)
    task.assigned_to = actor
    task.status = ReviewTask.Status.CLAIMED
    task.save(update_fields=["assigned_to", "status", "updated_at"])
    _review_clocks_follow(task)
    record_event(actor=actor, event_type="review", obj=task.subject, action="review_claim",
                 action_label=_("认领合法性审查"), details={"review_task": task.pk})
    return task


@transaction.atomic
def review_task_assign(*, task_id: int, actor: User, assignee_id: int) -> ReviewTask:
    task = _lock_task(task_id, actor)
    if not is_review_lead(actor):
        raise NotPermitted(_("只有审查机构负责人可以分派审查任务。"))
    if task.status == ReviewTask.Status.DONE:
        raise Conflict(_("该审查任务已办结。"))
    assignee = User.objects.filter(pk=assignee_id, is_active=True).first()
    if assignee is None or not can_claim_review(assignee, task):
        raise DomainError(_("所选人员不能承担该审查任务（须为本审查机构的审查人员且不是报送人）。"), code="invalid_assignee")
    _check_qualification(assignee, task)
    task.assigned_to = assignee
    task.status = ReviewTask.Status.CLAIMED
    task.save(update_fields=["assigned_to", "status", "updated_at"])
    _review_clocks_follow(task)
    record_event(actor=actor, event_type="review", obj=task.subject, action="review_assign",
                 action_label=_("分派合法性审查"), details={"review_task": task.pk, "assignee": assignee.username})
    return task


def validate_checklist(kind: str, answers: dict, outcome: str) -> list[str]:
    errors = []
    passing = outcome in (ReviewTask.Outcome.PASSED, ReviewTask.Outcome.PASSED_WITH_CHANGES)
    for key, label, basis in checklist_for(kind):
        answer = (answers.get(key) or {}).get("answer", "")
        if answer not in ("yes", "no", "na"):
            errors.append(_("审查要点“%(label)s”尚未作答（%(basis)s）") % {"label": label, "basis": basis})
        elif answer == "no" and passing:
            errors.append(_("审查要点“%(label)s”不符合，不能作出通过的结论") % {"label": label})
    return errors


@rulebook.records_refusals
@transaction.atomic
def review_task_decide(*, task_id: int, actor: User, outcome: str, opinion: str, checklist: dict,
                       early_reason: str = "") -> ReviewTask:
    """Record the reviewer's conclusion and apply it to the reviewed object; before the earliest
    conclusion date only with ``early_reason`` (rules D19-early, N8-early, E8-early).
    Two reviewers acting at once: the row lock lets exactly one through."""
    task = _lock_task(task_id, actor)
    if task.status == ReviewTask.Status.DONE:
        raise Conflict(_("该审查任务已由其他人员办结，请刷新页面。"))
    if not can_decide_review(actor, task):
        raise NotPermitted(_("只能对分派给本人的审查任务作出结论，且不得审查本人报送的事项。"))
    if outcome not in ReviewTask.Outcome.values:
        raise DomainError(_("请选择审查结论。"), code="invalid_outcome")
    if not opinion.strip():
        raise DomainError(_("请填写审查意见。"), code="opinion_required")
    errors = validate_checklist(task.kind, checklist, outcome)
    if errors:
        raise DomainError(errors[0], details=errors, code="checklist_incomplete")
    task.early_reason = _early_reason(task, actor=actor, outcome=outcome, early_reason=early_reason)
    task.outcome = outcome
    task.opinion = opinion
    task.checklist = checklist
    task.status = ReviewTask.Status.DONE
    task.decided_at = timezone.now()
    task.save(update_fields=["outcome", "opinion", "checklist", "early_reason", "status", "decided_at", "updated_at"])
    _review_clocks_follow(task, actor=actor, done=True)
    REVIEW_OUTCOME_HANDLERS[task.kind](task=task, actor=actor)
    return task
