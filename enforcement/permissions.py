"""Who may do what with an enforcement case."""
from __future__ import annotations

from django.utils.translation import gettext_lazy

from core.models import Role
from core.permissions import is_department_member, is_office, is_supervisor


def can_act_for_body(user, body_id) -> bool:
    """An officer (staff or head) of the enforcement body."""
    return is_department_member(user, body_id)


def can_register_clue(user) -> bool:
    """登记线索: an officer of an enforcement body, i.e. a member holding a certificate of it valid today."""
    from core.workdays import local_today

    from .models import OfficerCertificate

    today = local_today()
    return (can_act_for_body(user, user.department_id) if user.is_authenticated else False) and \
        OfficerCertificate.objects.filter(user=user, body_id=user.department_id, valid_from__lte=today,
                                          valid_until__gte=today).exists()


def can_decide_for_body(user, body_id) -> bool:
    """The body's head approves opening, pauses, decisions, revocation and closing."""
    return (user.is_authenticated and user.department_id == body_id and body_id is not None
            and user.has_role(Role.HEAD))


def can_reveal_personal_data(user, case) -> bool:
    """The body's head and the case's officers may see the party's full data (each time audited)."""
    if can_decide_for_body(user, case.body_id):
        return True
    return can_act_for_body(user, case.body_id) and case.officers.filter(pk=user.pk).exists()


def can_hold_hearing(user, case) -> bool:
    """记录听证: an officer of the body, or the hearing's appointed chair."""
    return can_act_for_body(user, case.body_id) or (case.hearing_chair_id is not None
                                                   and case.hearing_chair_id == user.pk)


def can_supervise(user) -> bool:
    return is_supervisor(user) or is_office(user)


def available_actions(user, case, *, clocks=None) -> list[dict]:
    """The next steps this user may take on the case (``name`` is the slug of
    ``enforcement:action``, or ``record-add``), each with the Chinese reasons that still
    block it. ``clocks`` (the case's open clocks, if loaded) tell pause from resume."""
    from core.workflow import mark_primary

    from .workflow import OPEN_STATES, Outcome
    from .workflow import CaseStatus as S

    actions: list[dict] = []

    def add(name: str, label: str, blocked: list[str] | None = None, danger: bool = False) -> None:
        actions.append({"name": name, "label": label, "blocked": blocked or [], "danger": danger,
                        "hint": ACTION_HINTS.get(name, "")})

    status = case.status
    officer, head = can_act_for_body(user, case.body_id), can_decide_for_body(user, case.body_id)
    if not officer:
        return actions
    notice = getattr(case, "notice", None)  # select_related by the detail selector
    if status == S.CLUE and head:
        add("open", "立案")
        add("decline", "不予立案", danger=True)
    if status in (S.INVESTIGATING, S.NOTIFIED, S.HEARING_REQUESTED, S.HEARING_HELD):
        add("record-add", "记录调查取证")
        add("recusal-request", "登记回避申请")
    if head and any(r.granted is None for r in case.recusals.all()):
        add("recusal-decide", "决定回避")
    if clocks is not None and any(c.rule in ("enforcement.preservation", "enforcement.seizure") for c in clocks):
        add("measure-conclude", "处理保存、扣押措施")
    if head and status in OPEN_STATES:
        paused = clocks is not None and any(c.rule == "enforcement.case_decision" and c.status == "paused"
                                            for c in clocks)
        running = clocks is None or any(c.rule == "enforcement.case_decision" and c.status == "running"
                                        for c in clocks)
        if running:
            add("pause", "中止办案期限")
        if paused or clocks is None:
            add("resume", "恢复办案期限")
    if status == S.INVESTIGATING:
        add("notify", "告知拟处罚决定")
    if status == S.NOTIFIED:
        add("hearing-request", "登记听证申请")
    if status == S.HEARING_REQUESTED:
        add("hearing-schedule", "安排听证")
        add("hearing-hold", "记录听证", ["请先安排听证。"] if case.hearing_on is None else [])
    if status in (S.INVESTIGATING, S.NOTIFIED, S.HEARING_HELD):
        add("submit-review", "送法制审核")
    if head and status in (S.INVESTIGATING, S.NOTIFIED, S.HEARING_HELD, S.READY_TO_DECIDE):
        add("decide", "作出决定")
    if status == S.DECIDED:
        add("serve", "登记送达")
    if status == S.SERVED and case.fine_amount > 0 and case.paid_on is None:
        add("payment", "登记罚款缴纳")
    if status in (S.DECIDED, S.SERVED, S.CLOSED) and case.outcome != Outcome.TRANSFER and notice is None:
        add("publish", "公开执法决定")
    if head and status in (S.DECIDED, S.SERVED):
        unpaid = case.fine_amount > 0 and case.paid_on is None
        add("close", "结案", ["罚款尚未缴纳，不能结案。"] if unpaid else [])
    if status == S.CLOSED:
        add("archive", "归档")
    if head and status in (S.DECIDED, S.SERVED, S.CLOSED):
        add("revoke", "撤销决定", danger=True)
    if status == S.REVOKED and notice is not None and notice.withdrawn_on is None:
        add("withdraw", "撤回公开信息", danger=True)
    from .services import legal_review_grounds

    review_pending = not case.legal_review_passed and (case.legal_review_required or bool(legal_review_grounds(case)))
    return mark_primary(actions, [n for n in PRIMARY_ORDER if review_pending or n != "submit-review"])


#: which step is the natural next one when several are open (the order of 行政处罚法 chapter 5)
#: (送法制审核 leads only while the case needs a legal review it has not passed)
PRIMARY_ORDER = ("open", "withdraw", "measure-conclude", "recusal-decide", "notify", "hearing-schedule",
                 "hearing-hold", "submit-review", "decide", "serve", "publish", "payment", "close", "archive",
                 "record-add", "hearing-request", "resume")

#: one line under each step saying what it does and when (the numbers are those of the policy table)
ACTION_HINTS = {
    "open": gettext_lazy("符合立案标准的及时立案；立案后90日内作出处罚决定。"),
    "decline": gettext_lazy("不符合立案条件的不予立案，须说明理由。"),
    "record-add": gettext_lazy("登记检查、询问、证据等执法过程记录，执法人员不少于两人。"),
    "recusal-request": gettext_lazy("当事人申请执法人员回避的，登记申请，由负责人决定。"),
    "recusal-decide": gettext_lazy("对回避申请作出决定；决定前调查不停止。"),
    "measure-conclude": gettext_lazy("先行登记保存的证据7个工作日内处理；查封、扣押不超过30日。"),
    "pause": gettext_lazy("出现法定中止情形时中止计算办案期限，须说明理由。"),
    "resume": gettext_lazy("中止情形消除后恢复计算办案期限。"),
    "notify": gettext_lazy("作出处罚决定前告知拟处罚的事实、理由、依据及陈述、申辩和听证权利。"),
    "hearing-request": gettext_lazy("当事人在告知后5个工作日内提出听证的，登记申请。"),
    "hearing-schedule": gettext_lazy("确定听证时间，至少提前7日通知当事人。"),
    "hearing-hold": gettext_lazy("记录听证情况和听证笔录。"),
    "submit-review": gettext_lazy("属于重大执法决定的，作出决定前送法制审核；未经审核或审核未通过的不得作出决定。"),
    "decide": gettext_lazy("调查终结后由负责人作出处罚、不予处罚或移送的决定。"),
    "serve": gettext_lazy("决定书在7个工作日内送达当事人，登记送达方式和日期。"),
    "payment": gettext_lazy("当事人自收到决定书15日内缴纳罚款；逾期每日加处3%。"),
    "publish": gettext_lazy("处罚决定7个工作日内、其他决定20个工作日内向社会公开。"),
    "close": gettext_lazy("决定执行完毕后结案；罚款未缴纳的不能结案。"),
    "archive": gettext_lazy("结案后将全过程记录归档，归档后不能修改。"),
    "revoke": gettext_lazy("决定有错误的依法撤销，须说明理由；已公开的须在3个工作日内撤回。"),
    "withdraw": gettext_lazy("决定被撤销后3个工作日内撤回已公开的信息并说明理由。"),
}

