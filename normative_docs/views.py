"""Pages of the drafting unit and the issuer (制定机关): parse, call a selector or a
service, render or redirect. Filing review, oversight and suggestions have their own modules."""
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

from core.exceptions import DomainError
from core.forms import with_confirmation
from core.keyset import keyset_page
from core.records import display_rows
from core.selectors import history_for
from core.workdays import local_today
from core.workflow import linked
from deadlines.selectors import open_clocks_of, with_lights
from reviews.selectors import reviews_of

from . import forms, historical, selectors, services, similarity
from .models import NormativeDocument
from .permissions import (
    ACTION_HINTS,
    available_actions,
    can_act_as_issuer,
    can_draft,
    can_propose,
)
from .procedures import PROCEDURE_FIELDS
from .workflow import (
    EDITABLE_STATES,
    DocumentStatus,
    Procedure,
    required_procedures_for,
)

S = DocumentStatus
#: While drafting and under review, the page shows published documents on the same subject.
RELATED_PANEL_STATES = (S.PROPOSED, S.DRAFTING, S.CONSULTING, S.LEGALITY_REVIEW)
RELATED_LIMIT = 5


def _document_or_404(request, pk: int) -> NormativeDocument:
    try:
        return selectors.document_get_for_user(user=request.user, document_id=pk)
    except NormativeDocument.DoesNotExist:
        raise Http404


def _call(form, call) -> tuple[bool, object, int]:
    """One service call for a page: a refusal puts its Chinese messages on the form and
    answers with the error's status (400, 403 for NotPermitted, 409 for a stale or
    wrong state); a document that is not visible is a 404."""
    try:
        return True, call(), 200
    except NormativeDocument.DoesNotExist:
        raise Http404
    except DomainError as error:
        for message in error.messages:
            form.add_error(None, message)
        return False, None, error.http_status


def related_documents(*, title: str, body: str = "", exclude_id: int | None = None) -> list:
    """Published documents on the same subject, as (document, score) pairs."""
    if not (title or body).strip():
        return []
    return similarity.related_documents(title=title, body=body, exclude_id=exclude_id, limit=RELATED_LIMIT)


# ------------------------------------------------------------------ list and proposal
def document_list(request):
    form = forms.DocumentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = keyset_page(request, selectors.document_list_for_user(user=request.user, filters=filters))
    return render(request, "normative_docs/list.html", {
        "form": form, "page": page, "can_propose": can_propose(request.user),
        "can_register_historical": selectors.may_register_historical(request.user)})


def document_propose(request):
    """动议. "查找同类文件" shows the published documents on the same subject before anything is saved."""
    if not can_propose(request.user):
        raise PermissionDenied
    issuers = selectors.issuers_for(user=request.user)
    form = forms.DocumentProposeForm(request.POST or None, issuers=issuers,
                                     initial={"issuer": request.user.department_id})
    status, related, looked_up = 200, [], False
    if request.method == "POST":
        title = request.POST.get("title", "").strip()
        related, looked_up = related_documents(title=title, body=request.POST.get("reason", "")), bool(title)
        if "lookup" in request.POST:
            # Only looking: keep what was typed, without complaining about what is not typed yet.
            typed = {**request.POST.dict(), **{name: name in request.POST
                                               for name in ("business_related", "major_rights_impact")}}
            form = forms.DocumentProposeForm(issuers=issuers, initial=typed)
        else:
            status = 400
            if form.is_valid():
                ok, document, status = _call(form, lambda: services.document_propose(
                    actor=request.user, data=form.service_data()))
                if ok:
                    messages.success(request, _("已动议，请开始起草。"))
                    return redirect("normative_docs:detail", pk=document.pk)
    return render(request, "normative_docs/propose.html", {
        "form": form, "title": _("动议制定规范性文件"), "related": related, "looked_up": looked_up,
    }, status=status)


def historical_register(request):
    """历史文件登记 by the filing body: a document issued before the portal."""
    issuers = selectors.historical_issuers_for(user=request.user)
    if not issuers.exists():
        raise PermissionDenied
    form = forms.HistoricalDocumentForm(request.POST or None, request.FILES or None, issuers=issuers,
                                        initial={"status": "valid"})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            ok, document, status = _call(form, lambda: historical.historical_register(
                actor=request.user, **historical.historical_input(form.service_data())))
            if ok:
                messages.success(request, _("已登记历史文件%(number)s。") % {"number": document.number})
                return redirect("normative_docs:detail", pk=document.pk)
    return render(request, "normative_docs/historical_form.html", {"form": form}, status=status)


# ------------------------------------------------------------------ detail
def _timeline(document: NormativeDocument) -> list:
    return list(history_for(document).select_related("actor"))


def document_detail(request, pk: int):
    document = _document_or_404(request, pk)
    records = {r.kind: r for r in document.procedures.all() if r.round == document.round}
    required = required_procedures_for(document)
    procedures = [
        {"kind": kind, "label": Procedure(kind).label, "record": records.get(kind), "required": kind in required,
         "rows": display_rows(PROCEDURE_FIELDS[Procedure(kind)], getattr(records.get(kind), "details", {}))}
        for kind in [*required, *(k for k in Procedure.values if k in records and k not in required)]
    ]
    optional = [(k, Procedure(k).label) for k in Procedure.values if k not in required and k not in records]
    reviews = list(reviews_of(document))
    open_reviews = [task for task in reviews if task.is_open]
    related = (related_documents(title=document.title, body=document.body, exclude_id=document.pk)
               if document.status in RELATED_PANEL_STATES else None)
    drafter = can_draft(request.user, document)
    return render(request, "normative_docs/detail.html", {
        "document": document,
        "clocks": with_lights(open_clocks_of(document, *open_reviews)),
        "procedures": procedures,
        "optional_procedures": optional,
        "may_record": drafter and document.status in (S.DRAFTING, S.CONSULTING),
        "actions": linked(available_actions(request.user, document), lambda name: reverse(
            f"normative_docs:{name}" if name in ("edit", "filing-submit") else "normative_docs:action",
            args=[pk] if name in ("edit", "filing-submit") else [pk, name])),
        "timeline": _timeline(document),
        "reviews": reviews,
        "related": related,
        "replaces": list(document.changes_made.all()),
        "changed_by": list(document.changed_by.all()),
        "filings": list(document.filings.all()),
        "public_status": document.get_public_status_display(),
    })


# ------------------------------------------------------------------ drafting
def document_edit(request, pk: int):
    document = _document_or_404(request, pk)
    if not can_draft(request.user, document):
        raise PermissionDenied
    form = forms.DocumentEditForm(request.POST or None, instance=document, initial={"version": document.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            ok, _document, status = _call(form, lambda: services.document_update_draft(
                actor=request.user, document_id=pk, version=form.cleaned_data["version"], data=form.service_data()))
            if ok:
                messages.success(request, _("草案已保存。"))
                return redirect("normative_docs:detail", pk=pk)
    related = related_documents(title=document.title, body=document.body, exclude_id=document.pk) \
        if document.status in EDITABLE_STATES else None
    return render(request, "normative_docs/form.html", {
        "form": form, "title": _("修改草案"), "document": document, "related": related}, status=status)


def procedure_record(request, pk: int, kind: str):
    document = _document_or_404(request, pk)
    if kind not in Procedure.values:
        raise Http404
    if not can_draft(request.user, document):
        raise PermissionDenied
    existing = next((r for r in document.procedures.all() if r.kind == kind and r.round == document.round), None)
    form = forms.procedure_form_class(kind)(request.POST or None, request.FILES or None,
                                            initial=(existing.details if existing else {}))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            files = data.pop("files")
            ok, _record, status = _call(form, lambda: services.document_record_procedure(
                actor=request.user, document_id=pk, kind=kind, details=data, files=files))
            if ok:
                messages.success(request, _("已记录：%(name)s") % {"name": Procedure(kind).label})
                return redirect("normative_docs:detail", pk=pk)
    return render(request, "normative_docs/action.html", {
        "form": form, "document": document, "title": _("记录程序：%(name)s") % {"name": Procedure(kind).label},
        "multipart": True, "existing": existing,
    }, status=status)


# ------------------------------------------------------------------ actions
def _may_start_new_version(user, document) -> bool:
    return can_draft(user, document) or can_act_as_issuer(user, document)


@dataclass(frozen=True)
class Action:
    """One step on the document: its form, who may take it (the predicate the service
    checks) and the service; the form's data become the service's keyword arguments."""

    title: str
    message: str
    service: Callable
    form_class: type = forms.NoteForm
    may: Callable = can_draft
    danger: bool = False
    initial: Callable[[NormativeDocument], dict] = field(default=lambda document: {})
    form_kwargs: Callable[[NormativeDocument], dict] = field(default=lambda document: {})
    #: where to go afterwards: the document, or (new-version) the new draft
    goes_to_result: bool = False
    #: before a publication: (what becomes public, what cannot be undone); the form then needs
    #: its confirmation box ticked (``core.forms.with_confirmation``), as for decisions
    confirm: tuple[tuple, str] | None = None

    def form(self) -> type:
        return with_confirmation(self.form_class) if self.confirm else self.form_class

    def data(self, form) -> dict:
        data = form.service_data() if hasattr(form, "service_data") else dict(form.cleaned_data)
        data.pop("confirmed", None)
        return data


def _today_initial(*names: str) -> Callable[[NormativeDocument], dict]:
    return lambda document: {name: local_today() for name in names}


ACTIONS: dict[str, Action] = {
    "start-drafting": Action(gettext_lazy("开始起草"), gettext_lazy("已开始起草。"), services.document_start_drafting),
    "start-procedures": Action(gettext_lazy("开始调研论证、征求意见"), gettext_lazy("已进入调研论证、征求意见阶段。"),
                               services.document_start_procedures),
    "public-comment": Action(gettext_lazy("公开征求意见"), gettext_lazy("已公开征求意见，截止日期已开始计时。"),
                             services.document_open_public_comment, forms.PublicCommentOpenForm,
                             initial=_today_initial("opened_on")),
    "submit-for-review": Action(gettext_lazy("送请合法性审核"), gettext_lazy("已送请合法性审核。"),
                                services.document_submit_for_legality_review),
    "revise": Action(gettext_lazy("修改后重新起草"), gettext_lazy("已退回起草阶段。"), services.document_revise),
    "link": Action(gettext_lazy("设置立改废关系"), gettext_lazy("已设置立改废关系。"), services.document_link,
                   forms.LinkForm, form_kwargs=lambda document: {
                       "candidates": selectors.link_candidates(document=document)}),
    "deliberate": Action(gettext_lazy("记录集体审议"), gettext_lazy("已记录集体审议结果。"), services.document_deliberate,
                         forms.DeliberateForm, may=can_act_as_issuer, initial=_today_initial("held_on")),
    "register": Action(gettext_lazy("统一登记编号"), gettext_lazy("已统一登记编号。"), services.document_register,
                       forms.ConfirmForm, may=can_act_as_issuer),
    "publish": Action(gettext_lazy("公布"), gettext_lazy("文件已公布，报送备案期限已开始计时。"), services.document_publish,
                      forms.PublishForm, may=can_act_as_issuer, initial=_today_initial("published_on"),
                      confirm=((gettext_lazy("文件标题、文号、制定机关、成文日期、公布日期和施行日期"),
                                gettext_lazy("文件正文、起草说明和附件"),
                                gettext_lazy("有效期和政府信息公开目录信息（索引号、主题分类等）")),
                               gettext_lazy("公布后不能撤回，报送备案期限随即开始计算；修改须起草新版本或废止。"))),
    "repeal": Action(gettext_lazy("废止"), gettext_lazy("文件已废止。"), services.document_repeal, forms.RepealForm,
                     may=can_act_as_issuer, danger=True),
    "new-version": Action(gettext_lazy("重新公布（起草新版本）"), gettext_lazy("已创建新版本草案，公布后将替代原文件。"),
                          services.document_start_new_version, forms.ConfirmForm, may=_may_start_new_version,
                          goes_to_result=True),
}


def document_action(request, pk: int, action: str):
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    document = _document_or_404(request, pk)
    if not spec.may(request.user, document):
        raise PermissionDenied
    form_class = spec.form()
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, **spec.form_kwargs(document))
        status = 400
        if form.is_valid():
            ok, result, status = _call(form, lambda: spec.service(actor=request.user, document_id=pk,
                                                                  **spec.data(form)))
            if ok:
                messages.success(request, str(spec.message))
                return redirect("normative_docs:detail", pk=result.pk if spec.goes_to_result else pk)
    else:
        form = form_class(initial=spec.initial(document), **spec.form_kwargs(document))
    return render(request, "normative_docs/action.html", {
        "form": form, "document": document, "title": spec.title, "danger": spec.danger, "action": action,
        "confirm": spec.confirm, "hint": ACTION_HINTS.get(action, ""),
        "summary": (selectors.document_submission_summary(document=document) if action == "submit-for-review"
                    else None),
    }, status=status)


# ------------------------------------------------------------------ side-by-side diff
def document_diff(request, pk: int, other_pk: int):
    """This document (right) against another version (left), e.g. the one it replaces or amends."""
    try:
        document, other = selectors.document_pair_for_user(user=request.user, document_id=pk, other_id=other_pk)
    except NormativeDocument.DoesNotExist:
        raise Http404
    rows = similarity.side_by_side(other.body, document.body)
    return render(request, "normative_docs/diff.html", {
        "document": document, "other": other, "rows": rows,
        "changed": sum(1 for r in rows if r["kind"] != "equal"),
        "detail_url": reverse("normative_docs:detail", args=[pk]),
    })
