"""Who may do what with a normative document."""
from __future__ import annotations

from django.utils.translation import gettext_lazy

from core.models import Department, Role
from core.permissions import is_department_member, is_office, is_reviewer


def can_draft(user, document) -> bool:
    """The drafting unit's staff carry the draft through its procedures."""
    return is_department_member(user, document.drafting_department_id)


def can_propose(user) -> bool:
    return user.is_authenticated and is_department_member(user, user.department_id)


def can_act_as_issuer(user, document) -> bool:
    """The issuer (制定机关) deliberates, registers, publishes, files and repeals: its head,
    or the government office when the issuer is a people's government."""
    if document.issuer.kind in (Department.Kind.CITY, Department.Kind.DISTRICT, Department.Kind.TOWNSHIP) \
            and is_office(user):
        return True
    return (user.is_authenticated and user.department_id == document.issuer_id
            and bool({Role.HEAD, Role.OFFICE} & set(user.roles)))


def can_handle_filing(user, filing) -> bool:
    """The filing body's reviewers check and review filings (备案审查)."""
    return is_reviewer(user) and user.department_id == filing.filing_body_id


def can_register_historical(user, issuer: Department) -> bool:
    """历史文件登记: the reviewers of the body the issuer files with (备案审查机关)."""
    return is_reviewer(user) and user.department_id == filing_body_for(issuer).pk


def filing_body_for(issuer: Department) -> Department:
    """Townships and streets file with their district or county government; everyone else
    with the city's justice bureau (市司法局) acting for the city government."""
    if issuer.kind == Department.Kind.TOWNSHIP and issuer.parent_id:
        return issuer.parent
    return Department.objects.get(code="hz-justice")


def available_actions(user, document) -> list[dict]:
    """The next steps this user may take on the document, each with the Chinese reasons
    that still block it (from the same checks the transitions run). ``name`` is the
    action slug of ``normative_docs:action`` (or ``edit`` / ``filing-submit``)."""
    from core.workflow import mark_primary, unmet_prerequisites

    from .workflow import (
        EDITABLE_STATES,
        SUBMIT_FOR_REVIEW_CHECKS,
        Procedure,
        check_has_body,
        required_procedures_for,
    )
    from .workflow import (
        DocumentStatus as S,
    )

    actions: list[dict] = []

    def add(name: str, label: str, blocked: list[str] | None = None, danger: bool = False) -> None:
        actions.append({"name": name, "label": label, "blocked": blocked or [], "danger": danger,
                        "hint": ACTION_HINTS.get(name, "")})

    status = document.status
    drafter, issuer = can_draft(user, document), can_act_as_issuer(user, document)
    if drafter:
        if status in EDITABLE_STATES:
            add("edit", "修改草案")
        if status == S.PROPOSED:
            add("start-drafting", "开始起草")
        if status == S.DRAFTING:
            add("start-procedures", "开始调研论证、征求意见", unmet_prerequisites(document, (check_has_body,)))
        if status == S.CONSULTING and Procedure.PUBLIC_COMMENT in required_procedures_for(document):
            add("public-comment", "公开征求意见")
        if status in (S.DRAFTING, S.CONSULTING):
            add("submit-for-review", "送请合法性审核", unmet_prerequisites(document, SUBMIT_FOR_REVIEW_CHECKS))
        if status in EDITABLE_STATES:
            add("link", "设置立改废关系")
        if status == S.LEGALITY_FAILED:
            add("revise", "修改后重新起草")
    if issuer:
        if status == S.READY_FOR_DELIBERATION:
            add("deliberate", "记录集体审议")
        if status == S.DELIBERATED:
            add("register", "统一登记编号")
        if status == S.REGISTERED:
            add("publish", "公布")
        if status == S.PUBLISHED and not any(f.status != "returned" for f in document.filings.all()):
            add("filing-submit", "报送备案")
        if status in (S.PUBLISHED, S.AMENDED):
            add("repeal", "废止", danger=True)
    if (drafter or issuer) and status in (S.PUBLISHED, S.AMENDED, S.EXPIRED):
        add("new-version", "重新公布（起草新版本）")
    return mark_primary(actions, PRIMARY_ORDER)


#: which step is the natural next one when several are open (the order of 浙江省行政规范性文件管理办法)
PRIMARY_ORDER = ("start-drafting", "start-procedures", "public-comment", "submit-for-review", "revise", "deliberate",
                 "register", "publish", "filing-submit")

#: one line under each step saying what it does and when (the numbers are those of the policy table)
ACTION_HINTS = {
    "edit": gettext_lazy("修改草案正文、起草说明和基本信息。"),
    "start-drafting": gettext_lazy("列入制定计划后开始起草，草案和起草说明可随时修改。"),
    "start-procedures": gettext_lazy("草案成形后开展调研论证、公平竞争审查并征求意见。"),
    "public-comment": gettext_lazy("向社会公开征求意见：涉企文件一般不少于30日，其他不少于7个工作日。"),
    "submit-for-review": gettext_lazy("程序履行完毕后送司法行政部门合法性审核（一般不少于5个、不超过15个工作日）。"),
    "link": gettext_lazy("写明本文件修改或废止的已有文件，公布时一并更新其效力状态。"),
    "revise": gettext_lazy("合法性审核未通过：按审核意见修改，再次履行程序后重新送审。"),
    "deliberate": gettext_lazy("审核通过后提交制定机关常务会议或办公会议集体审议。"),
    "register": gettext_lazy("集体审议通过后统一登记、统一编号，取得文号。"),
    "publish": gettext_lazy("登记后向社会公布；未经公布的不得作为行政管理依据。"),
    "filing-submit": gettext_lazy("公布后按期报送备案（乡镇、街道15日内，其他30日内）。"),
    "repeal": gettext_lazy("文件不再适用时废止，须说明理由；废止后不能恢复。"),
    "new-version": gettext_lazy("需要修改已公布的文件时，起草新版本并重新履行制定程序。"),
}
