"""The deadline rules of major decisions (domain.md §8, R1–R8), registered with
the shared deadline machinery. Numbers come from the policy table."""
from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from core.bodies import city_government
from core.models import Role
from deadlines import annual
from deadlines import services as deadline_services
from deadlines.rules import (
    ClockRule,
    register,
    review_task_recipients,
    users_with_roles,
)

CATALOG_ITEM = "decision.catalog_item_planned"      # R2
PUBLIC_COMMENT = "decision.public_comment"          # R3
HEARING_MATERIALS = "decision.hearing_materials"    # R4
LEGALITY_REVIEW = "decision.legality_review"        # R5
LEGALITY_REVIEW_MIN = "decision.legality_review_min"
PUBLICATION = "decision.publication"                # R6
EXECUTION_REPORT = "decision.execution_report"      # R7


def _department_staff(clock, subject):
    return users_with_roles(Role.STAFF, Role.HEAD, department_id=clock.department_id)


def _office():
    return users_with_roles(Role.OFFICE)


def _decision_url(decision) -> str:
    return reverse("decisions:detail", args=[decision.pk])


def _item_url(item) -> str:
    return f"{reverse('decisions:catalog-manage-year', args=[item.catalog.year])}?body={item.catalog.body.code}"


def _publication_recipients(clock, decision):
    return list(_office()) + list(users_with_roles(Role.HEAD, department_id=clock.department_id))


register(ClockRule(CATALOG_ITEM, "R2", _("目录事项计划完成"), CATALOG_ITEM, _department_staff, _item_url,
                   steps=("warn", "due"), pausable=False, extendable=False))
register(ClockRule(PUBLIC_COMMENT, "R3", _("公开征求意见截止"), PUBLIC_COMMENT, _department_staff, _decision_url,
                   steps=("warn", "due"), pausable=False, extendable=False))
register(ClockRule(HEARING_MATERIALS, "R4", _("听证材料送达"), HEARING_MATERIALS, _department_staff, _decision_url,
                   steps=("warn", "due", "overdue"), pausable=False, extendable=False))
register(ClockRule(LEGALITY_REVIEW, "R5", _("合法性审查"), LEGALITY_REVIEW, review_task_recipients,
                   lambda task: reverse("reviews:review-detail", args=[task.pk])))
register(ClockRule(PUBLICATION, "R6", _("决策公布"), PUBLICATION, _publication_recipients, _decision_url,
                   pausable=False))
register(ClockRule(EXECUTION_REPORT, "R7", _("执行情况报告"), EXECUTION_REPORT, _department_staff, _decision_url))


# ---------------------------------------------------------------- R1: the catalog's dates
def catalog_dates(today: dt.date) -> int:
    """1 Dec: departments propose next year's items; 1 Mar and 20 Mar: the year's catalog is
    not published yet and is due by 31 March (one reminder per person per date)."""
    from .models import Catalog

    moment = annual.at(today)
    if (today.month, today.day) == (12, 1):
        year = today.year + 1
        catalog = Catalog.objects.of(city_government(), year)
        people = list(users_with_roles(Role.STAFF, Role.HEAD, Role.OFFICE, Role.SUPERVISOR))
        return deadline_services.reminder_schedule(
            subject=catalog, rule="R1", step="collect", due_at=moment, recipients=people,
            title=_("【决策目录】请申报%(year)s年度重大行政决策事项") % {"year": year},
            body=_("%(year)s年度重大行政决策事项目录须经同级党委同意后于3月31日前向社会公布。请各承办单位及时申报事项。")
            % {"year": year},
            url=reverse("decisions:catalog-manage-year", args=[year]))
    if (today.month, today.day) in ((3, 1), (3, 20)):
        catalog = Catalog.objects.filter(body=city_government(), year=today.year).first()
        if catalog is not None and catalog.status == Catalog.Status.PUBLISHED:
            return 0
        if catalog is None:
            catalog = Catalog.objects.of(city_government(), today.year)
        people = list(users_with_roles(Role.OFFICE, Role.SUPERVISOR))
        return deadline_services.reminder_schedule(
            subject=catalog, rule="R1", step=f"publish-{today:%m%d}", due_at=moment, recipients=people,
            title=_("【决策目录】%(year)s年度目录尚未公布，应于3月31日前公布") % {"year": today.year},
            url=reverse("decisions:catalog-manage-year", args=[today.year]))
    return 0


annual.register_daily("decision_catalog_dates", catalog_dates)


# ---------------------------------------------------------------- R8: suggest a post-evaluation
def suggest_post_evaluation(*, decision, report) -> int:
    """An execution report says the decision's targets were missed: suggest a post-evaluation
    (713 Art. 36) to the decision body and to the supervisors."""
    people = list(_office()) + list(users_with_roles(Role.SUPERVISOR))
    return deadline_services.reminder_schedule(
        subject=decision, rule="R8", step=f"report-{report.pk}", due_at=report.created_at, recipients=people,
        title=_("【建议后评估】%(title)s：执行未达到预期目标") % {"title": decision.title},
        body=_("执行单位%(day)s报告：%(problems)s。可依《重大行政决策程序暂行条例》第三十六条组织决策后评估。")
        % {"day": report.reported_on, "problems": report.problems or _("未达到预期目标")},
        url=_decision_url(decision))


# ---------------------------------------------------------------- clocks following the lifecycle
def follow_transition(decision, *, source: str, actor) -> None:
    """Start, pause, resume and end the decision's clocks as its state changes (inside the transition)."""
    from .workflow import DecisionStatus as S

    target = decision.status
    if target == S.DECIDED:
        deadline_services.clock_start(subject=decision, rule=PUBLICATION, actor=actor,
                                      started_on=decision.decided_on, department=decision.department,
                                      label=_("决策公布：%(title)s") % {"title": decision.title})
    elif target == S.EXECUTING and source == S.DECIDED:
        deadline_services.clock_stop(subject=decision, rule=PUBLICATION, actor=actor, note=_("已公布"))
        start_execution_report_clock(decision, actor=actor, started_on=decision.published_at.date()
                                     if decision.published_at else None)
        if decision.catalog_item_id:
            deadline_services.clock_stop(subject=decision.catalog_item, rule=CATALOG_ITEM, actor=actor,
                                         note=_("决策已公布"))
    elif target == S.SUSPENDED:
        deadline_services.clock_pause_for(subject=decision, rule=EXECUTION_REPORT, actor=actor,
                                          reason=_("决策暂停执行"))
    elif source == S.SUSPENDED and target == S.EXECUTING:
        deadline_services.clock_resume_for(subject=decision, rule=EXECUTION_REPORT, actor=actor, note=_("恢复执行"))
    elif target == S.COMPLETED:
        deadline_services.clocks_stop_for(subject=decision, actor=actor, note=_("执行完毕"))
    elif target in (S.DRAFTING, S.REJECTED, S.TERMINATED, S.ARCHIVED):
        if target == S.REJECTED and decision.catalog_item_id:
            deadline_services.clock_stop(subject=decision.catalog_item, rule=CATALOG_ITEM, actor=actor,
                                         note=_("集体讨论决定不予通过"))
        deadline_services.clocks_cancel_for(subject=decision, actor=actor,
                                            note=_("决策状态变为%(state)s") % {"state": S(target).label})


def start_execution_report_clock(decision, *, actor, started_on=None) -> None:
    deadline_services.clock_start(subject=decision, rule=EXECUTION_REPORT, actor=actor, started_on=started_on,
                                  department=decision.department,
                                  label=_("执行情况报告：%(title)s") % {"title": decision.title})


def start_catalog_item_clock(item, *, actor) -> None:
    deadline_services.clock_start(subject=item, rule=CATALOG_ITEM, actor=actor, fixed_due_on=item.planned_completion,
                                  department=item.lead_department,
                                  label=_("目录事项计划完成：%(name)s") % {"name": item.name})
