"""Who may do what with an enforcement case."""
from __future__ import annotations

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
    from .workflow import OPEN_STATES, Outcome
    from .workflow import CaseStatus as S

    actions: list[dict] = []

    def add(name: str, label: str, blocked: list[str] | None = None, danger: bool = False) -> None:
        actions.append({"name": name, "label": label, "blocked": blocked or [], "danger": danger})

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
    return actions

