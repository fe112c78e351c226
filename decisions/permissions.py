"""Who may do what with a decision or a catalog."""
from __future__ import annotations

from django.utils.translation import gettext_lazy

from core.bodies import decision_body_for
from core.models import Department, Role
from core.permissions import is_department_member, is_office

from .workflow import EDITABLE_STATES


def can_edit(user, decision) -> bool:
    """The 承办单位's staff move the decision through its own steps."""
    return is_department_member(user, decision.department_id)


def can_edit_draft(user, decision) -> bool:
    return can_edit(user, decision) and decision.status in EDITABLE_STATES


def decision_body_of(decision) -> Department | None:
    """The decision body whose decision it is (the body its 承办单位 works for); read once per object."""
    if not hasattr(decision, "_decision_body"):
        department = decision.department
        if department.level == Department.Level.CITY and not department.is_decision_body:
            decision._decision_body = None  # a city department: the city government decides
        else:
            decision._decision_body = decision_body_for(department)
    return decision._decision_body


def can_act_as_decision_body(user, decision=None) -> bool:
    """The decision body records meetings, Party reports, publication and its later acts
    (suspension, adjustment, termination): for the city government its office (政府办); for any
    other body (a district, a township, a department with its own catalog) that body's head —
    a decision's collective discussion is its own body's meeting."""
    body = decision_body_of(decision) if decision is not None else None
    if body is None or body.kind == Department.Kind.CITY:
        return is_office(user)
    return user.is_authenticated and user.department_id == body.pk and user.has_role(Role.HEAD)


def can_archive(user, decision) -> bool:
    """The 承办单位 or the office archives the record."""
    return can_edit(user, decision) or can_act_as_decision_body(user, decision)


def can_propose_catalog_item(user) -> bool:
    return is_department_member(user, user.department_id) if user.is_authenticated else False


def can_manage_catalog(user, body: Department | None = None) -> bool:
    """The city government's catalog: the government office (政府办). Any other decision body's
    (a district, a township, a department with its own catalog): that body's head (负责人)."""
    if body is None or body.kind == Department.Kind.CITY:
        return is_office(user)
    return (user.is_authenticated and user.department_id == body.pk and user.has_role(Role.HEAD))


def available_actions(user, decision) -> list[dict]:
    """The next steps this user may take, each with the Chinese reasons that
    still block it (from the same checks the transitions run)."""
    from core.workflow import mark_primary, unmet_prerequisites

    from .workflow import (
        PUBLISH_CHECKS,
        SUBMIT_FOR_REVIEW_CHECKS,
        check_catalog_link,
        check_has_content,
    )
    from .workflow import (
        DecisionStatus as S,
    )

    actions: list[dict] = []

    def add(name: str, label: str, blocked: list[str] | None = None, danger: bool = False) -> None:
        actions.append({"name": name, "label": label, "blocked": blocked or [], "danger": danger,
                        "hint": ACTION_HINTS.get(name, ""), "primary": False})

    status = decision.status
    if can_edit(user, decision):
        if status in EDITABLE_STATES:
            add("edit", "修改草案")
        if status == S.DRAFTING:
            add("start-procedures", "启动法定程序", unmet_prerequisites(decision, (check_has_content, check_catalog_link)))
        if status == S.CONSULTING:
            add("public-comment", "公开征求意见")
            add("hearing", "安排听证会")
        if status in (S.DRAFTING, S.CONSULTING):
            add("submit-for-review", "提交合法性审查", unmet_prerequisites(decision, SUBMIT_FOR_REVIEW_CHECKS))
        if status == S.LEGALITY_FAILED:
            add("revise", "修改后重新起草")
        if status in (S.EXECUTING, S.SUSPENDED, S.POST_EVALUATION):
            add("execution-report", "报告执行情况")
        if status == S.EXECUTING:
            add("complete", "执行完毕")
    if can_act_as_decision_body(user, decision):
        if status in (S.READY_FOR_DISCUSSION, S.DEFERRED):
            add("meeting", "记录集体讨论")
        if status == S.DECIDED:
            add("party-report", "记录向党委报告")
            add("publish", "公布决策", unmet_prerequisites(decision, PUBLISH_CHECKS))
        if status == S.EXECUTING:
            add("suspend", "暂停执行", danger=True)
            add("post-evaluation", "启动决策后评估")
        if status == S.SUSPENDED:
            add("resume", "恢复执行")
            add("adjust", "调整决策", danger=True)
            add("terminate", "停止执行", danger=True)
        if status == S.POST_EVALUATION:
            add("post-evaluation-conclude", "记录评估结论")
    if can_archive(user, decision) and status in (S.COMPLETED, S.TERMINATED, S.REJECTED):
        add("archive", "归档")
    return mark_primary(actions, PRIMARY_ORDER)


#: which step is the natural next one when several are open (the statutory order of 713号令)
PRIMARY_ORDER = ("start-procedures", "submit-for-review", "public-comment", "revise", "meeting", "publish",
                 "party-report", "execution-report", "resume", "post-evaluation-conclude", "archive")

#: one line under each step saying what it does and when
ACTION_HINTS = {
    "edit": gettext_lazy("修改决策草案、起草说明和所属目录事项。"),
    "start-procedures": gettext_lazy("草案成形后启动：按目录要求逐项履行公众参与、专家论证、风险评估等法定程序。"),
    "public-comment": gettext_lazy("向社会公开征求意见，期限一般不少于30日，截止前3日提醒。"),
    "hearing": gettext_lazy("涉及群众切身利益、争议较大的，组织听证会，材料至少提前7日送达。"),
    "submit-for-review": gettext_lazy("法定程序履行完毕后，送合法性审查（审查期限15个工作日）。"),
    "revise": gettext_lazy("合法性审查未通过：按审查意见修改草案，再次履行程序后重新送审。"),
    "execution-report": gettext_lazy("报告决策执行进展、存在问题和下一步安排。"),
    "complete": gettext_lazy("决策执行完毕后登记完成日期，之后可以归档。"),
    "meeting": gettext_lazy("合法性审查通过后，提交政府常务会议或全体会议集体讨论决定。"),
    "party-report": gettext_lazy("按规定向同级党委请示报告，并记录报告情况。"),
    "publish": gettext_lazy("决定作出后20个工作日内通过政府网站等渠道向社会公布。"),
    "suspend": gettext_lazy("执行中出现重大问题时暂停执行，须说明理由；公开页面同步显示。"),
    "post-evaluation": gettext_lazy("出现法定情形时委托评估机构开展决策后评估。"),
    "resume": gettext_lazy("暂停原因消除后恢复执行。"),
    "adjust": gettext_lazy("需要作出重大调整的，重新履行法定程序。"),
    "terminate": gettext_lazy("依法停止执行决策；停止后不能恢复。"),
    "post-evaluation-conclude": gettext_lazy("记录评估结论和处理建议。"),
    "archive": gettext_lazy("将决策全过程材料归档；归档后不能再修改。"),
}
