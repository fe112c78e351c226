"""Pages of administrative contracts under /contracts/ (namespace ``contracts``): the register per
body, drafting, one contract with its next steps, and the annual clean-up."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.bodies import decision_body_for
from core.exceptions import DomainError
from core.forms import call_service
from core.keyset import keyset_page
from core.models import Department
from core.selectors import history_for
from deadlines.selectors import open_clocks_of, with_lights
from reviews.selectors import reviews_of

from . import forms, selectors, services
from .models import Contract, ContractMilestone
from .permissions import can_draft, can_edit, can_keep_register
from .workflow import AttachmentKind, ContractStatus

S = ContractStatus


def contract_list(request):
    code = request.GET.get("body", "")
    body = Department.objects.filter(code=code, is_decision_body=True).first() if code else None
    status = request.GET.get("status", "")
    status = status if status in S.values else ""
    contracts = selectors.contract_list_for_user(user=request.user, body=body, status=status or None)
    page = keyset_page(request, contracts)
    own_body = decision_body_for(request.user.department) if request.user.department_id else None
    return render(request, "contracts/list.html", {
        "page": page, "bodies": selectors.register_bodies(user=request.user), "statuses": S.choices,
        "filters": {"body": code, "status": status}, "body": body, "can_draft": can_draft(request.user),
        "cleanups": selectors.cleanups_of(body=body) if body else [],
        "cleanup_form": forms.CleanupForm(initial={"year": timezone.localdate().year - 1,
                                                   "done_on": timezone.localdate()})
        if body and can_keep_register(request.user, body) else None,
        "own_body": own_body,
    })


def contract_new(request):
    if not can_draft(request.user):
        raise Http404
    form = forms.ContractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, contract = call_service(form, lambda: services.contract_draft(actor=request.user, data=form.cleaned_data))
        if ok:
            messages.success(request, _("合同已起草。"))
            return redirect("contracts:detail", pk=contract.pk)
    return render(request, "contracts/form.html", {"form": form, "title": _("起草行政合同")},
                  status=400 if request.method == "POST" else 200)


def _get(request, pk: int) -> Contract:
    try:
        return selectors.contract_get_for_user(user=request.user, contract_id=pk)
    except Contract.DoesNotExist:
        raise Http404


def contract_detail(request, pk: int):
    contract = _get(request, pk)
    editable = can_edit(request.user, contract)
    today = timezone.localdate()
    kinds = dict(AttachmentKind.choices)
    files = [(kinds.get(attachment.purpose, _("附件")), attachment) for attachment in contract.attachments.all()]
    return render(request, "contracts/detail.html", {
        "contract": contract, "can_edit": editable, "history": history_for(contract), "files": files,
        "upload_form": forms.AttachmentForm() if editable else None,
        "reviews": reviews_of(contract), "clocks": with_lights(open_clocks_of(contract)),
        "forms": {
            "submit": forms.NoteForm() if editable and contract.status == S.DRAFTING else None,
            "revise": forms.NoteForm() if editable and contract.status == S.REVIEW_FAILED else None,
            "sign": forms.SignForm(initial={"signed_on": today})
            if editable and (contract.status == S.REVIEWED
                             or (contract.status == S.DRAFTING and not contract.review_required)) else None,
            "milestone": forms.MilestoneForm() if editable and contract.status in (S.DRAFTING, S.REVIEWED,
                                                                                    S.PERFORMING) else None,
            "record": forms.RecordForm(initial={"occurred_on": today})
            if editable and contract.status in (S.PERFORMING, S.TERMINATED, S.COMPLETED) else None,
            "file": forms.FileForm(initial={"filed_on": today})
            if editable and contract.signed_on and not contract.filed_on else None,
            "terminate": forms.EndForm(initial={"ended_on": today}) if editable and contract.status == S.PERFORMING
            else None,
            "complete": forms.EndForm(initial={"ended_on": today}) if editable and contract.status == S.PERFORMING
            else None,
            "done": forms.MilestoneDoneForm(initial={"done_on": today}) if editable else None,
        },
    })


def contract_edit(request, pk: int):
    contract = _get(request, pk)
    if not can_edit(request.user, contract) or contract.status != S.DRAFTING:
        raise Http404
    form = forms.ContractForm(request.POST or None, instance=contract)
    if request.method == "POST" and form.is_valid():
        ok, _contract = call_service(form, lambda: services.contract_update(
            actor=request.user, contract_id=pk, data=form.cleaned_data))
        if ok:
            messages.success(request, _("合同已修改。"))
            return redirect("contracts:detail", pk=pk)
    return render(request, "contracts/form.html", {"form": form, "title": _("修改合同")},
                  status=400 if request.method == "POST" else 200)


#: action -> (form class, service call, success message)
ACTIONS = {
    "submit": (forms.NoteForm, lambda user, pk, data: services.contract_submit_for_legality_review(
        actor=user, contract_id=pk, note=data["note"]), "已送请合法性审查。"),
    "revise": (forms.NoteForm, lambda user, pk, data: services.contract_revise(
        actor=user, contract_id=pk, note=data["note"]), "已退回起草。"),
    "sign": (forms.SignForm, lambda user, pk, data: services.contract_sign(actor=user, contract_id=pk, **data),
             "合同已签订。"),
    "milestone": (forms.MilestoneForm, lambda user, pk, data: services.contract_add_milestone(
        actor=user, contract_id=pk, **data), "已增加履行节点。"),
    "record": (forms.RecordForm, lambda user, pk, data: services.contract_record(actor=user, contract_id=pk, **data),
               "已记录。"),
    "file": (forms.FileForm, lambda user, pk, data: services.contract_file(actor=user, contract_id=pk, **data),
             "已记录备案。"),
    "terminate": (forms.EndForm, lambda user, pk, data: services.contract_terminate(
        actor=user, contract_id=pk, ended_on=data["ended_on"], reason=data["reason"]), "合同已解除。"),
    "complete": (forms.EndForm, lambda user, pk, data: services.contract_complete(
        actor=user, contract_id=pk, ended_on=data["ended_on"]), "已记录履行完毕。"),
}


def contract_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    contract = _get(request, pk)
    if request.method != "POST":
        return redirect("contracts:detail", pk=pk)
    if not can_edit(request.user, contract):
        raise PermissionDenied  # seen (a reviewer, a supervisor) but not theirs to act on
    form_class, call, message = ACTIONS[action]
    form = form_class(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        ok, _result = call_service(form, lambda: call(request.user, contract.pk, data))
        if ok:
            messages.success(request, _(message))
            return redirect("contracts:detail", pk=pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("contracts:detail", pk=pk)


def contract_upload(request, pk: int):
    """合同文本 and 合同附件: the contracting unit uploads; the files are checked by the shared checks."""
    contract = _get(request, pk)
    if request.method != "POST":
        return redirect("contracts:detail", pk=pk)
    if not can_edit(request.user, contract):
        raise PermissionDenied  # seen (a reviewer, a supervisor) but not theirs to act on
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        ok, stored = call_service(form, lambda: services.contract_attach(
            actor=request.user, contract_id=contract.pk, kind=form.cleaned_data["kind"],
            files=form.cleaned_data["files"]))
        if ok:
            messages.success(request, ngettext("已上传 %(n)s 个文件。", "已上传 %(n)s 个文件。", len(stored))
                             % {"n": len(stored)})
            return redirect("contracts:detail", pk=pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("contracts:detail", pk=pk)


def milestone_done(request, pk: int):
    milestone = ContractMilestone.objects.filter(pk=pk, contract__in=Contract.objects.visible_to(request.user)).first()
    if milestone is None:
        raise Http404
    form = forms.MilestoneDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_complete_milestone(actor=request.user, milestone_id=pk, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("履行节点已完成。"))
    return redirect("contracts:detail", pk=milestone.contract_id)


def cleanup_record(request, code: str):
    body = Department.objects.filter(code=code, is_decision_body=True).first()
    if body is None or not can_keep_register(request.user, body):
        raise Http404
    form = forms.CleanupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_cleanup_record(actor=request.user, body_id=body.pk, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已记录合同年度清理。"))
    return redirect(f"{redirect('contracts:list').url}?body={body.code}")
