"""Pages of an enforcement body's officers and heads (and the read-only supervisors):
parse, call a selector or a service, render or redirect. Personal data appear masked;
the full values only through the audited reveal."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from core.exceptions import DomainError
from core.forms import with_confirmation
from core.keyset import keyset_page
from core.selectors import history_for
from core.workdays import local_today
from core.workflow import linked
from deadlines.selectors import open_clocks_of, with_lights
from reviews.selectors import reviews_of

from . import forms, masking, reminders, selectors, services
from .models import AudioVideoRule, Case, Recusal
from .permissions import (
    ACTION_HINTS,
    available_actions,
    can_act_for_body,
    can_decide_for_body,
    can_hold_hearing,
    can_register_clue,
    can_reveal_personal_data,
)
from .workflow import (
    REVIEW_GROUNDS,
    CaseStatus,
    EnforcementWay,
    NoPenaltyGround,
    PenaltyType,
    RecordKind,
)

S = CaseStatus
PAGE_SIZE = 20


def _case_or_404(request, pk: int) -> Case:
    try:
        return selectors.case_get_for_user(user=request.user, case_id=pk)
    except Case.DoesNotExist:
        raise Http404


def _call(form, call) -> tuple[bool, object, int]:
    """One service call for a page: a refusal puts its Chinese messages on the form and
    answers with the error's status (400, 403 for NotPermitted, 409 for a wrong state);
    a case that is not visible is a 404."""
    try:
        return True, call(), 200
    except (Case.DoesNotExist, Recusal.DoesNotExist):
        raise Http404
    except DomainError as error:
        for message in error.messages:
            form.add_error(None, message)
        return False, None, error.http_status


def _forbidden(request, message: str, case: Case | None = None):
    return render(request, "enforcement/forbidden.html", {"message": message, "case": case}, status=403)


def _labels(choices, values) -> list[str]:
    labels = dict(choices)
    return [str(labels.get(v, v)) for v in values]


# ------------------------------------------------------------------ list and clue
def case_list(request):
    form = forms.CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = keyset_page(request, selectors.case_list_for_user(user=request.user, filters=filters), per_page=PAGE_SIZE)
    for case in page:
        case.party_display = masking.mask_name(case.party_name, case.party_type)
    return render(request, "enforcement/list.html", {
        "form": form, "page": page, "can_register": can_register_clue(request.user)})


def case_register(request):
    """登记线索 by an officer of the body."""
    if not can_register_clue(request.user):
        raise PermissionDenied
    form = forms.ClueForm(request.POST or None, initial={"clue_received_on": local_today()})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            ok, case, status = _call(form, lambda: services.case_register_clue(actor=request.user,
                                                                               data=form.service_data()))
            if ok:
                messages.success(request, _("线索已登记，待负责人审批立案。"))
                return redirect("enforcement:detail", pk=case.pk)
    return render(request, "enforcement/form.html", {"form": form, "title": _("登记案件线索")}, status=status)


# ------------------------------------------------------------------ detail
def _payment(case: Case, clocks) -> dict | None:
    """What the party owes: the fine and, once late, the 3 % daily surcharge (capped at the fine)."""
    if case.fine_amount <= 0 or case.status not in (S.SERVED, S.CLOSED, S.ARCHIVED):
        return None
    if case.paid_on:
        return {"paid": True, "paid_on": case.paid_on, "amount": case.paid_amount,
                "surcharge": max(case.paid_amount - case.fine_amount, 0)}
    clock = next((c for c in clocks if c.rule == reminders.PAYMENT), None)
    owed = services.amount_owed(case, local_today(), clock=clock)
    extra = owed - case.fine_amount
    return {"paid": False, "due_on": services.payment_due_on(case, clock), "surcharge": extra,
            "owed": owed, "late": bool(extra)}


def _timeline(case: Case) -> list:
    events = list(history_for(case).select_related("actor"))
    for event in events:
        event.reason_masked = masking.mask_text(event.reason)
    return events


def case_detail(request, pk: int):
    case = _case_or_404(request, pk)
    reviews = list(reviews_of(case))
    records = list(case.records.all())
    for entry in records:
        entry.summary_masked = masking.mask_text(entry.summary)
    held = [e for e in records if e.kind in (RecordKind.PRESERVATION, RecordKind.SEIZURE)]
    clocks = with_lights(open_clocks_of(case, *[t for t in reviews if t.is_open], *held))
    officers = []
    for officer in case.officers.all():
        certificate = next((c for c in officer.enforcement_certificates.all() if c.body_id == case.body_id), None)
        officers.append({"user": officer, "certificate": certificate})
    may_reveal = can_reveal_personal_data(request.user, case)
    grounds = case.legal_review_grounds or services.legal_review_grounds(case)
    notice = getattr(case, "notice", None)
    return render(request, "enforcement/detail.html", {
        "case": case,
        "party": {
            "name": case.party_name if may_reveal else masking.mask_name(case.party_name, case.party_type),
            "id_number": masking.mask_id(case.party_id_number, staff=True),
            "phone": masking.mask_phone(case.party_phone),
            "address": masking.mask_address(case.party_address),
        },
        "may_reveal": may_reveal,
        "reveal_form": forms.RevealForm() if may_reveal else None,
        "facts": masking.mask_text(case.facts),
        "hearing_record": masking.mask_text(case.hearing_record),
        "ways": _labels(EnforcementWay.choices, case.ways),
        "officers": officers,
        "records": records,
        "recusals": list(case.recusals.all()),
        "proposed_penalty_types": _labels(PenaltyType.choices, case.proposed_penalty_types),
        "penalty_types": _labels(PenaltyType.choices, case.penalty_types),
        "no_penalty_ground": NoPenaltyGround(case.no_penalty_ground).label if case.no_penalty_ground else "",
        "grounds": [str(REVIEW_GROUNDS[g]) for g in grounds if g in REVIEW_GROUNDS],
        "reviews": reviews,
        "payment": _payment(case, clocks),
        "notice": notice,
        "clocks": clocks,
        "actions": linked(available_actions(request.user, case, clocks=clocks), lambda name: reverse(
            "enforcement:record-add", args=[case.pk]) if name == "record-add" else reverse(
            "enforcement:action", args=[case.pk, name])),
        "timeline": _timeline(case),
        "today": local_today(),
    })


# ------------------------------------------------------------------ full-process record
def record_add(request, pk: int):
    case = _case_or_404(request, pk)
    if not can_act_for_body(request.user, case.body_id):
        return _forbidden(request, _("只有本机关执法人员可以记录调查取证。"), case)
    officers = selectors.certified_officers(body_id=case.body_id, on=local_today())
    form = forms.RecordForm(request.POST or None, request.FILES or None, officers=officers,
                            initial={"officers": [o.pk for o in case.officers.all()]})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            ok, _entry, status = _call(form, lambda: services.case_add_record(
                actor=request.user, case_id=pk, **form.service_data()))
            if ok:
                messages.success(request, _("已记录：%(kind)s") % {"kind": RecordKind(form.cleaned_data["kind"]).label})
                return redirect("enforcement:detail", pk=pk)
    return render(request, "enforcement/action.html", {
        "form": form, "case": case, "title": _("记录调查取证"), "multipart": True, "hint": ACTION_HINTS["record-add"],
        "audio_video_kinds": _labels(RecordKind.choices, AudioVideoRule.objects.values_list("kind", flat=True)),
    }, status=status)


# ------------------------------------------------------------------ personal data
@never_cache
def reveal(request, pk: int):
    """查看完整信息: a permission, a stated reason and an audit event for every reveal;
    the page is never cached."""
    case = _case_or_404(request, pk)
    if not can_reveal_personal_data(request.user, case):
        return _forbidden(request, _("无权查看完整的个人信息。"), case)
    form = forms.RevealForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            ok, values, status = _call(form, lambda: services.reveal_personal_data(
                actor=request.user, case_id=pk, reason=form.cleaned_data["reason"]))
            if ok:
                return render(request, "enforcement/reveal.html", {"case": case, "values": values})
    if status == 403:
        return _forbidden(request, _("无权查看完整的个人信息。"), case)
    return render(request, "enforcement/action.html", {
        "form": form, "case": case, "title": _("查看完整个人信息")}, status=status)


# ------------------------------------------------------------------ actions
@dataclass(frozen=True)
class Action:
    """One step on the case: its form, who may take it (the predicate the service checks,
    with the service's Chinese refusal) and the service call."""

    title: str
    message: str
    call: Callable  # (actor, case_id, data) -> result
    form_class: type = forms.NoteForm
    head: bool = False
    refusal: str = ""
    danger: bool = False
    may: Callable | None = None
    initial: Callable[[Case], dict] = field(default=lambda case: {})
    form_kwargs: Callable[[Case], dict] = field(default=lambda case: {})
    #: before a publication: (what becomes public, what cannot be undone); the form then needs
    #: its confirmation box ticked (``core.forms.with_confirmation``), as for decisions
    confirm: tuple[tuple, str] | None = None

    def form(self) -> type:
        return with_confirmation(self.form_class) if self.confirm else self.form_class

    def allowed(self, user, case: Case) -> bool:
        if self.may is not None:
            return self.may(user, case)
        if self.head:
            return can_decide_for_body(user, case.body_id)
        return can_act_for_body(user, case.body_id)

    def data(self, form) -> dict:
        data = form.service_data() if hasattr(form, "service_data") else dict(form.cleaned_data)
        data.pop("confirmed", None)
        return data


def _today(*names: str) -> Callable[[Case], dict]:
    return lambda case: {name: local_today() for name in names}


def _certified(case: Case) -> dict:
    return {"officers": selectors.certified_officers(body_id=case.body_id, on=local_today())}


def _service(function, **fixed) -> Callable:
    return lambda actor, case_id, data: function(actor=actor, case_id=case_id, **fixed, **data)


ACTIONS: dict[str, Action] = {
    "open": Action(gettext_lazy("立案"), gettext_lazy("已立案，案件办理期限开始计算。"), _service(services.case_open),
                   forms.OpenForm, head=True, refusal=gettext_lazy("立案须经执法机关负责人批准。"),
                   form_kwargs=_certified),
    "decline": Action(gettext_lazy("不予立案"), gettext_lazy("已决定不予立案。"), _service(services.case_decline),
                      forms.ReasonForm, head=True, refusal=gettext_lazy("不予立案须经执法机关负责人批准。"), danger=True),
    "recusal-request": Action(gettext_lazy("登记回避申请"), gettext_lazy("已登记回避申请，待负责人决定。"),
                              _service(services.case_request_recusal), forms.RecusalRequestForm,
                              form_kwargs=lambda case: {"officers": case.officers.all()}),
    "recusal-decide": Action(gettext_lazy("决定回避"), gettext_lazy("已作出回避决定。"),
                             lambda actor, case_id, data: services.case_decide_recusal(actor=actor, **data),
                             forms.RecusalDecideForm, head=True, refusal=gettext_lazy("回避由执法机关负责人决定。"),
                             form_kwargs=lambda case: {
                                 "recusals": Recusal.objects.filter(case=case, granted__isnull=True)
                                 .select_related("officer"),
                                 "officers": selectors.certified_officers(body_id=case.body_id, on=local_today())}),
    "measure-conclude": Action(gettext_lazy("处理保存、扣押措施"), gettext_lazy("已作出处理决定，相应期限已结束。"),
                               _service(services.case_conclude_measure), forms.MeasureConcludeForm,
                               form_kwargs=lambda case: {"entries": case.records.filter(
                                   kind__in=["preservation", "seizure"]).order_by("happened_at")}),
    "pause": Action(gettext_lazy("中止办案期限"), gettext_lazy("案件办理期限已中止。"), _service(services.case_pause),
                    forms.PauseForm, head=True, refusal=gettext_lazy("中止案件办理期限须经执法机关负责人批准。")),
    "resume": Action(gettext_lazy("恢复办案期限"), gettext_lazy("案件办理期限已恢复计算。"), _service(services.case_resume),
                     head=True, refusal=gettext_lazy("恢复案件办理期限须经执法机关负责人批准。")),
    "notify": Action(gettext_lazy("告知拟作出的行政处罚决定"), gettext_lazy("已告知，当事人享有陈述、申辩和要求听证的权利。"),
                     _service(services.case_notify), forms.NotifyForm,
                     initial=lambda case: {"facts": case.facts, "fine": case.proposed_fine}),
    "hearing-request": Action(gettext_lazy("登记听证申请"), gettext_lazy("已登记听证申请，案件办理期限在听证期间中止。"),
                              _service(services.case_request_hearing), forms.HearingRequestForm,
                              initial=_today("requested_on")),
    "hearing-schedule": Action(gettext_lazy("安排听证"), gettext_lazy("已安排听证。"),
                               _service(services.case_schedule_hearing), forms.HearingScheduleForm,
                               initial=_today("notice_on"),
                               form_kwargs=lambda case: {"chairs": selectors.body_users(body_id=case.body_id)}),
    "hearing-hold": Action(gettext_lazy("记录听证"), gettext_lazy("已记录听证，案件办理期限恢复计算。"),
                           _service(services.case_hold_hearing), forms.HearingHoldForm, may=can_hold_hearing),
    "submit-review": Action(gettext_lazy("送法制审核"), gettext_lazy("已送法制审核。"),
                            _service(services.case_submit_for_legal_review)),
    "decide": Action(gettext_lazy("作出决定"), gettext_lazy("已作出决定，请在七个工作日内送达并公开。"),
                     _service(services.case_decide), forms.DecideForm, head=True,
                     refusal=gettext_lazy("行政处罚决定由执法机关负责人作出。"),
                     initial=lambda case: {"penalty_types": case.proposed_penalty_types, "fine": case.proposed_fine},
                     form_kwargs=lambda case: {"records": case.records.order_by("happened_at", "id")}),
    "serve": Action(gettext_lazy("登记送达"), gettext_lazy("已登记送达。"), _service(services.case_serve),
                    forms.ServeForm, initial=_today("served_on")),
    "payment": Action(gettext_lazy("登记罚款缴纳"), gettext_lazy("已登记罚款缴纳。"),
                      _service(services.case_record_payment), forms.PaymentForm,
                      initial=lambda case: {"paid_on": local_today(), "amount": case.fine_amount}),
    "publish": Action(gettext_lazy("公开执法决定"), gettext_lazy("执法决定已在公示网站公开（个人信息已脱敏）。"),
                      _service(services.case_publish_notice), forms.PublishForm,
                      confirm=((gettext_lazy("上方所示的公开内容（当事人的个人信息已脱敏）"),),
                               gettext_lazy("公开后即向社会公开；如需撤回，须另行办理撤回并说明理由。"))),
    "revoke": Action(gettext_lazy("撤销决定"), gettext_lazy("决定已撤销；已公开的信息须在三个工作日内撤回。"),
                     _service(services.case_revoke), forms.ReasonForm, head=True,
                     refusal=gettext_lazy("撤销、变更决定由执法机关负责人作出。"), danger=True),
    "withdraw": Action(gettext_lazy("撤回公开信息"), gettext_lazy("已撤回公开信息。"),
                       _service(services.notice_withdraw), forms.WithdrawForm, danger=True),
    "close": Action(gettext_lazy("结案"), gettext_lazy("已结案。"), _service(services.case_close), head=True,
                    refusal=gettext_lazy("结案须经执法机关负责人批准。")),
    "archive": Action(gettext_lazy("归档"), gettext_lazy("案卷已归档。"), _service(services.case_archive),
                      forms.ConfirmForm),
}


def case_action(request, pk: int, action: str):
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    case = _case_or_404(request, pk)
    if not spec.allowed(request.user, case):
        member = can_act_for_body(request.user, case.body_id)
        return _forbidden(request, str(spec.refusal if member and spec.refusal else _("您无权办理本案的此项操作。")), case)
    form_class = spec.form()
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, **spec.form_kwargs(case))
        status = 400
        if form.is_valid():
            ok, _result, status = _call(form, lambda: spec.call(request.user, pk, spec.data(form)))
            if ok:
                messages.success(request, str(spec.message))
                return redirect("enforcement:detail", pk=pk)
    else:
        form = form_class(initial=spec.initial(case), **spec.form_kwargs(case))
    preview = None
    if action == "publish" and case.outcome and case.decided_on:
        preview = services.notice_content(case)
    return render(request, "enforcement/action.html", {
        "form": form, "case": case, "title": spec.title, "danger": spec.danger, "action": action,
        "preview": preview, "confirm": spec.confirm, "hint": ACTION_HINTS.get(action, ""),
    }, status=status)
