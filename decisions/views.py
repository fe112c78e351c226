"""Pages of the 承办单位 and the government office: parse, call a selector or
a service, render or redirect."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.bodies import units_of_body
from core.exceptions import DomainError
from core.forms import call_service, with_confirmation
from core.keyset import keyset_page
from core.models import Department
from core.records import display_rows
from core.selectors import history_for
from core.workflow import linked
from deadlines.selectors import open_clocks_of, with_lights
from reviews.selectors import reviews_of

from . import forms, selectors, services
from .models import Catalog, CatalogAdjustment, Decision
from .permissions import (
    ACTION_HINTS,
    available_actions,
    can_act_as_decision_body,
    can_archive,
    can_edit,
    can_manage_catalog,
    can_propose_catalog_item,
)
from .procedures import PROCEDURE_FIELDS
from .workflow import Procedure, RiskLevel


def _decision_or_404(request, pk: int) -> Decision:
    try:
        return selectors.decision_get_for_user(user=request.user, decision_id=pk)
    except Decision.DoesNotExist:
        raise Http404


def decision_list(request):
    form = forms.DecisionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    filters = {**filters, "department": filters.get("department").pk if filters.get("department") else None}
    body_code = request.GET.get("body", "")
    body = Department.objects.filter(code=body_code, is_decision_body=True).first() if body_code else None
    if body is not None:  # the coverage table links here: the decisions of one decision body
        filters["units"] = units_of_body(body)
    page = keyset_page(request, selectors.decision_list_for_user(user=request.user, filters=filters))
    return render(request, "decisions/list.html", {"form": form, "page": page, "body": body})


def decision_detail(request, pk: int):
    decision = _decision_or_404(request, pk)
    records = {r.kind: r for r in decision.procedure_records.all() if r.round == decision.round}
    procedures = [
        {"kind": kind, "label": Procedure(kind).label, "record": records.get(kind),
         "rows": display_rows(PROCEDURE_FIELDS[Procedure(kind)], getattr(records.get(kind), "details", {}),
                              {"risk_level": lambda value: RiskLevel(value).label})}
        for kind in decision.required_procedures
    ]
    reviews = list(reviews_of(decision))
    open_reviews = [task for task in reviews if task.is_open]
    return render(request, "decisions/detail.html", {
        "decision": decision,
        "clocks": with_lights(open_clocks_of(decision, *open_reviews)),
        "procedures": procedures,
        "actions": linked(available_actions(request.user, decision),
                          lambda name: reverse(f"decisions:{name}", args=[decision.pk])),
        "timeline": history_for(decision).select_related("actor"),
        "reviews": reviews,
        "can_edit": can_edit(request.user, decision),
    })


def decision_create(request):
    if not can_propose_catalog_item(request.user):
        raise PermissionDenied
    items = selectors.catalog_items_for_decision(user=request.user)
    form = forms.DecisionCreateForm(request.POST or None, catalog_items=items)
    if request.method == "POST" and form.is_valid():
        ok, decision = call_service(form, lambda: services.decision_create(actor=request.user,
                                                                           data=form.service_data()))
        if ok:
            messages.success(request, _("决策事项已创建。"))
            return redirect("decisions:detail", pk=decision.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "decisions/form.html", {"form": form, "title": _("新建决策事项")}, status=status)


def decision_edit(request, pk: int):
    decision = _decision_or_404(request, pk)
    if not can_edit(request.user, decision):
        raise PermissionDenied
    form = forms.DecisionEditForm(request.POST or None, instance=decision, initial={"version": decision.version})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        ok, _decision = call_service(form, lambda: services.decision_update_draft(
            actor=request.user, decision_id=pk, version=form.cleaned_data["version"], data=data))
        if ok:
            messages.success(request, _("草案已保存。"))
            return redirect("decisions:detail", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "decisions/form.html", {"form": form, "title": _("修改草案"), "decision": decision},
                  status=status)


def procedure_record(request, pk: int, kind: str):
    decision = _decision_or_404(request, pk)
    if kind not in Procedure.values or kind not in decision.required_procedures:
        raise Http404
    if not can_edit(request.user, decision):
        raise PermissionDenied
    form_class = forms.procedure_form_class(kind)
    existing = decision.procedure_records.filter(kind=kind, round=decision.round).first()
    form = form_class(request.POST or None, request.FILES or None,
                      initial=(existing.details if existing else {}))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files = data.pop("files")
        skip_ground, skip_reason = data.pop("skip_ground"), data.pop("skip_reason")
        ok, _record = call_service(form, lambda: services.decision_record_procedure(
            actor=request.user, decision_id=pk, kind=kind, details=data, files=files, skip_ground=skip_ground,
            skip_reason=skip_reason))
        if ok:
            messages.success(request, _("已记录：%(name)s") % {"name": Procedure(kind).label})
            return redirect("decisions:detail", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "decisions/action.html", {
        "form": form, "decision": decision, "title": _("记录程序：%(name)s") % {"name": Procedure(kind).label},
        "multipart": True, "existing": existing,
    }, status=status)


class DecisionActionView(View):
    """One form, one service call. Subclasses name the form, the service and the message."""

    form_class: type = forms.NoteForm
    #: who may take this step: the same predicate the service checks
    may = staticmethod(can_edit)
    title = ""
    success_message = ""
    danger = False
    #: the step's name in ``permissions.ACTION_HINTS`` (its one-line explanation on the page)
    step = ""
    #: before a publication or an act that cannot be undone: (what becomes public, what cannot be undone);
    #: the form then needs its confirmation box ticked
    confirm: tuple[tuple, str] | None = None
    #: show a summary of the materials that will be sent (submitting for review)
    summary = False

    def get_form_class(self):
        return with_confirmation(self.form_class) if self.confirm else self.form_class

    def perform(self, request, pk: int, data: dict):  # pragma: no cover - abstract
        raise NotImplementedError

    def get_initial(self, decision) -> dict:
        return {}

    def get(self, request, pk: int):
        decision = _decision_or_404(request, pk)
        if not self.may(request.user, decision):
            raise PermissionDenied
        form = self.get_form_class()(initial=self.get_initial(decision))
        return self.render(request, decision, form)

    def post(self, request, pk: int):
        decision = _decision_or_404(request, pk)
        form = self.get_form_class()(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "confirmed"}
            ok, _result = call_service(form, lambda: self.perform(request, pk, data))
            if ok:
                messages.success(request, self.success_message)
                return redirect("decisions:detail", pk=pk)
        return self.render(request, decision, form, status=400)

    def render(self, request, decision, form, status: int = 200):
        context = {"form": form, "decision": decision, "title": _(self.title), "danger": self.danger,
                   "hint": ACTION_HINTS.get(self.step, ""), "confirm": self.confirm}
        if self.summary:
            context["summary"] = selectors.decision_submission_summary(decision=decision)
        return render(request, "decisions/action.html", context, status=status)


def _action(title, message, service, form_class=forms.NoteForm, danger=False, initial=None, may=can_edit, step="",
            confirm=None, summary=False, **fixed):
    """Declare an action view: its form's cleaned data become the service's keyword arguments."""

    def perform(self, request, pk, data):
        return service(actor=request.user, decision_id=pk, **fixed, **data)

    attrs = {"title": title, "success_message": message, "form_class": form_class, "danger": danger,
             "perform": perform, "may": staticmethod(may), "step": step, "confirm": confirm, "summary": summary}
    if initial:
        attrs["get_initial"] = lambda self, decision: initial()
    return type(f"{service.__name__}View", (DecisionActionView,), attrs)


def _today():
    from django.utils import timezone

    return {"reported_on": timezone.localdate(), "completed_on": timezone.localdate(), "held_on": timezone.localdate()}


StartProceduresView = _action("启动法定程序", "已启动法定程序。", services.decision_start_procedures,
                              step="start-procedures")
PublicCommentOpenView = _action("公开征求意见", "已公开征求意见，截止前3日将提醒。", services.decision_open_public_comment,
                                forms.PublicCommentOpenForm, initial=lambda: {"opened_on": _today()["held_on"]},
                                step="public-comment",
                                confirm=((gettext_lazy("征求意见稿（决策草案）和起草说明"),
                                          gettext_lazy("征求意见的起止日期和提交意见的方式")), ""))
HearingScheduleView = _action("安排听证会", "已安排听证会，材料送达期限已开始计时。", services.decision_schedule_hearing,
                              forms.HearingScheduleForm, step="hearing")
SubmitForReviewView = _action("提交合法性审查", "已提交合法性审查。", services.decision_submit_for_legality_review,
                              step="submit-for-review", summary=True)
ReviseView = _action("修改后重新起草", "已退回起草阶段。", services.decision_revise, step="revise")
PartyReportView = _action("记录向同级党委请示报告", "已记录党委报告情况。", services.decision_record_party_report,
                          forms.PartyReportForm, initial=_today, may=can_act_as_decision_body, step="party-report")
PublishView = _action("公布决策", "决策已公布。", services.decision_publish, forms.PublishForm,
                      may=can_act_as_decision_body, step="publish",
                      confirm=((gettext_lazy("决策标题、文件编号、承办单位、决策日期和发布日期"),
                                gettext_lazy("决策主要内容和决策文本"),
                                gettext_lazy("法定程序履行情况、集体讨论情况和公众意见采纳情况"),
                                gettext_lazy("政府信息公开目录信息（索引号、主题分类等）")),
                               gettext_lazy("公布后不能撤回；之后的执行、暂停和调整情况也将在公开页面显示。")))
ExecutionReportView = _action("报告执行情况", "已报告执行情况。", services.decision_report_execution,
                              forms.ExecutionReportForm, initial=_today, step="execution-report")
SuspendView = _action("暂停执行", "决策已暂停执行。", services.decision_suspend, forms.ReasonForm, danger=True,
                      may=can_act_as_decision_body, step="suspend",
                      confirm=((gettext_lazy("决策的当前状态（暂停执行）"),), ""))
ResumeView = _action("恢复执行", "决策已恢复执行。", services.decision_resume, forms.ReasonForm,
                     may=can_act_as_decision_body, step="resume")
AdjustView = _action("调整决策（重新履行法定程序）", "决策已进入调整程序。", services.decision_adjust, forms.ReasonForm,
                     danger=True, may=can_act_as_decision_body, step="adjust",
                     confirm=((), gettext_lazy("调整后须重新履行法定程序，之前的程序记录保留但不再作为本轮依据。")))
TerminateView = _action("停止执行", "决策已停止执行。", services.decision_terminate, forms.ReasonForm, danger=True,
                        may=can_act_as_decision_body, step="terminate",
                        confirm=((gettext_lazy("决策的当前状态（停止执行）"),), gettext_lazy("停止执行后不能恢复。")))
PostEvaluationStartView = _action("启动决策后评估", "已启动决策后评估。", services.decision_start_post_evaluation,
                                  forms.PostEvaluationStartForm, may=can_act_as_decision_body, step="post-evaluation")
PostEvaluationConcludeView = _action("记录评估结论", "已记录评估结论。", services.decision_conclude_post_evaluation,
                                     forms.PostEvaluationConcludeForm, may=can_act_as_decision_body,
                                     step="post-evaluation-conclude")
CompleteView = _action("执行完毕", "已标记执行完毕。", services.decision_complete_execution, forms.CompleteForm,
                       initial=_today, step="complete")
ArchiveView = _action("归档", "决策材料已归档。", services.decision_archive, may=can_archive, step="archive",
                      confirm=((), gettext_lazy("归档后决策及其全部材料不能再修改。")))


class MeetingView(DecisionActionView):
    form_class = forms.MeetingForm
    step = "meeting"
    may = staticmethod(can_act_as_decision_body)
    title = "记录集体讨论"
    success_message = "已记录集体讨论情况。"

    def get_initial(self, decision):
        return {"held_on": _today()["held_on"], "head_name": "市长"}

    def perform(self, request, pk, data):
        return services.decision_record_meeting(actor=request.user, decision_id=pk, data=data)


# ------------------------------------------------------------------ catalog management
def _catalog_body(request, own: Department | None = None) -> Department:
    """The decision body whose catalog the page is about (``?body=<code>``), by default the one
    the user manages or works for (``own``, when already known)."""
    code = request.GET.get("body") or request.POST.get("body")
    if code:
        if own is not None and own.code == code:
            return own
        body = Department.objects.filter(code=code, is_decision_body=True).first()
        if body is None:
            raise Http404
        return body
    return own or services.catalog_body(actor=request.user)


def _manage_url(year: int, body: Department) -> str:
    return f"{reverse('decisions:catalog-manage-year', args=[year])}?body={body.code}"


def catalog_manage(request, year: int | None = None):
    from django.utils import timezone

    year = year or timezone.localdate().year
    own = services.catalog_body(actor=request.user)
    body = _catalog_body(request, own)
    catalog, items = selectors.catalog_for_management(user=request.user, year=year, body=body)
    context = {
        "year": year, "catalog": catalog, "items": items, "body": body,
        "adjustments": selectors.catalog_adjustments_for_management(user=request.user, year=year, body=body),
        "years": sorted(set(Catalog.objects.filter(body=body).values_list("year", flat=True))
                        | {year, timezone.localdate().year + 1}, reverse=True),
        "can_manage": can_manage_catalog(request.user, body),
        "can_propose": can_propose_catalog_item(request.user) and own == body,
    }
    if context["can_manage"] and catalog is not None:
        proposed = items.filter(status="proposed")
        context["compile_form"] = forms.CatalogCompileForm(items=proposed, initial={"included": proposed})
        context["consent_form"] = forms.PartyConsentForm(initial={
            "consent_on": timezone.localdate(),
            **({} if body.kind == Department.Kind.CITY else {"note": _("经同级党委会议同意")})})
        context["publish_form"] = with_confirmation(forms.CatalogPublishForm)()
    return render(request, "decisions/catalog_manage.html", context)


def _catalog_post(request, year: int, form, call):
    if form.is_valid():
        try:
            call(form)
        except DomainError as error:
            for message in error.messages:
                messages.error(request, message)
        except Catalog.DoesNotExist:
            raise Http404
        else:
            return True
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return False


def catalog_item_propose(request, year: int):
    if not can_propose_catalog_item(request.user):
        raise PermissionDenied
    form = forms.CatalogItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, item = call_service(form, lambda: services.catalog_item_propose(actor=request.user, year=year,
                                                                            data=form.cleaned_data))
        if ok:
            messages.success(request, _("目录事项已申报。"))
            return redirect(_manage_url(year, item.catalog.body))
    status = 400 if request.method == "POST" else 200
    return render(request, "decisions/form.html", {"form": form, "title": _("申报%(year)s年度目录事项") % {"year": year}},
                  status=status)


def catalog_compile(request, year: int):
    body = _catalog_body(request)
    if request.method != "POST":
        return redirect(_manage_url(year, body))
    _c, items = selectors.catalog_for_management(user=request.user, year=year, body=body)
    form = forms.CatalogCompileForm(request.POST, items=items.filter(status="proposed"))
    if _catalog_post(request, year, form, lambda f: services.catalog_compile(
            actor=request.user, year=year, included_ids=[i.pk for i in f.cleaned_data["included"]],
            note=f.cleaned_data["note"], body_id=body.pk)):
        messages.success(request, _("目录已汇总。"))
    return redirect(_manage_url(year, body))


def catalog_party_consent(request, year: int):
    body = _catalog_body(request)
    if request.method == "POST" and _catalog_post(
            request, year, forms.PartyConsentForm(request.POST),
            lambda f: services.catalog_record_party_consent(actor=request.user, year=year, body_id=body.pk,
                                                            **f.cleaned_data)):
        messages.success(request, _("已记录党委同意情况。"))
    return redirect(_manage_url(year, body))


def catalog_publish(request, year: int):
    body = _catalog_body(request)
    if request.method == "POST" and _catalog_post(
            request, year, with_confirmation(forms.CatalogPublishForm)(request.POST),
            lambda f: services.catalog_publish(actor=request.user, year=year, body_id=body.pk,
                                               document_number=f.cleaned_data["document_number"])):
        messages.success(request, _("目录已公布。"))
    return redirect(_manage_url(year, body))


def catalog_adjustment_propose(request, year: int):
    if not can_propose_catalog_item(request.user):
        raise PermissionDenied
    items = selectors.catalog_items_for_decision(user=request.user).filter(catalog__year=year)
    form = forms.CatalogAdjustmentForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        item = form.cleaned_data.get("item")
        try:
            ok, adjustment = call_service(form, lambda: services.catalog_adjustment_propose(
                actor=request.user, year=year, kind=form.cleaned_data["kind"], reason=form.cleaned_data["reason"],
                item_id=item.pk if item else None, data=data))
        except Catalog.DoesNotExist:
            raise Http404
        if ok:
            messages.success(request, _("调整申请已提交政府办审核。"))
            return redirect(_manage_url(year, adjustment.catalog.body))
    status = 400 if request.method == "POST" else 200
    return render(request, "decisions/form.html", {"form": form, "title": _("申请调整%(year)s年度目录") % {"year": year}},
                  status=status)


def catalog_adjustment_decide(request, pk: int):
    adjustment = CatalogAdjustment.objects.filter(pk=pk).select_related("catalog", "catalog__body").first()
    if adjustment is None or not can_manage_catalog(request.user, adjustment.catalog.body):
        raise Http404
    if request.method == "POST" and _catalog_post(
            request, adjustment.catalog.year, forms.AdjustmentDecideForm(request.POST),
            lambda f: services.catalog_adjustment_decide(actor=request.user, adjustment_id=pk,
                                                         approve=f.cleaned_data["approve"], note=f.cleaned_data["note"])):
        messages.success(request, _("目录调整已处理。"))
    return redirect(_manage_url(adjustment.catalog.year, adjustment.catalog.body))
