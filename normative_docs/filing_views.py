"""Pages of the filing review (备案审查): the issuer files a published document and
reports corrections; the filing body's reviewers check, review and request corrections.
Views parse, call one selector or service, render or redirect."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.forms import MultipleFileField, call_service
from core.keyset import keyset_page
from core.selectors import history_for
from deadlines.selectors import open_clocks_of, with_lights
from reviews.checklist import ANSWER_CHOICES, checklist_for
from reviews.forms import ReviewDecisionForm

from . import filing as filing_services
from .filing_selectors import filing_get_for_user, filing_queue_for
from .models import FilingRecord, NormativeDocument
from .permissions import can_act_as_issuer, can_handle_filing
from .workflow import CorrectionOutcome, FilingStatus

F = FilingStatus

#: The queue's tabs, in the order of the procedure (有件必备、有备必审、有错必纠).
QUEUE_TABS = (F.SUBMITTED, F.INCOMPLETE, F.UNDER_REVIEW, F.CORRECTION_REQUESTED, F.CORRECTED, F.PASSED, F.RETURNED)


# ================================================================== forms
class FilingSubmitForm(forms.Form):
    report = forms.CharField(label=_lazy("备案报告"), widget=forms.Textarea(attrs={"rows": 6}),
                             help_text=_lazy("制定依据、起草说明、征求意见、公平竞争审查和合法性审核情况。"))
    files = MultipleFileField(label=_lazy("备案材料"), required=False,
                              help_text=_lazy("文件正式文本、起草说明、合法性审核意见等（PDF、Word、图片）。"))
    late_reason = forms.CharField(label=_lazy("逾期报送的理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=_lazy("超过报送备案期限时必填，监督人员可见。"))


class FilingCheckForm(forms.Form):
    result = forms.ChoiceField(label=_lazy("形式审查结果"), widget=forms.RadioSelect, choices=[
        ("accept", _lazy("材料齐全，予以登记")), ("incomplete", _lazy("材料不全，通知补正（5个工作日内）")),
        ("out_of_scope", _lazy("不属于备案范围，退回"))])
    note = forms.CharField(label=_lazy("形式审查意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_lazy("材料不全或不予登记的，须写明理由。"))


class FilingSupplementForm(forms.Form):
    note = forms.CharField(label=_lazy("补正说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_lazy("补正材料"), required=False)


class FilingReviewForm(ReviewDecisionForm):
    """The checklist of the legality review (N2, N19), one answer and note per item, then the conclusion."""

    outcome = forms.ChoiceField(label=_lazy("审查结论"), choices=[
        ("", "—"), ("passed", _lazy("审查通过")), ("correction", _lazy("提出纠正意见"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, kind="normative_document", **kwargs)


class FilingCorrectionForm(forms.Form):
    outcome = forms.ChoiceField(label=_lazy("纠正结果"), choices=[("", "—"), *CorrectionOutcome.choices])
    report = forms.CharField(label=_lazy("纠正情况报告"), widget=forms.Textarea(attrs={"rows": 5}))


# ================================================================== helpers
def _filing_or_404(request, pk: int) -> FilingRecord:
    try:
        return filing_get_for_user(user=request.user, filing_id=pk)
    except FilingRecord.DoesNotExist:
        raise Http404


def _issuer_may(user, filing: FilingRecord) -> bool:
    return can_act_as_issuer(user, filing.document)


#: slug -> (title, success message, form class, who may, service call from (request, filing, form))
FILING_ACTIONS = {
    "check": (_lazy("形式审查"), _lazy("形式审查结果已记录。"), FilingCheckForm, can_handle_filing,
              lambda request, pk, form: filing_services.filing_check(
                  actor=request.user, filing_id=pk, result=form.cleaned_data["result"],
                  note=form.cleaned_data["note"])),
    "supplement": (_lazy("补正备案材料"), _lazy("补正材料已报送，等待形式审查。"), FilingSupplementForm, _issuer_may,
                   lambda request, pk, form: filing_services.filing_supplement(
                       actor=request.user, filing_id=pk, note=form.cleaned_data["note"],
                       files=form.cleaned_data["files"])),
    "review": (_lazy("备案审查"), _lazy("审查结论已记录。"), FilingReviewForm, can_handle_filing,
               lambda request, pk, form: filing_services.filing_review(
                   actor=request.user, filing_id=pk, outcome=form.cleaned_data["outcome"],
                   opinion=form.cleaned_data["opinion"], checklist=form.checklist())),
    "correction": (_lazy("报告纠正情况"), _lazy("纠正情况已报告。"), FilingCorrectionForm, _issuer_may,
                   lambda request, pk, form: filing_services.filing_report_correction(
                       actor=request.user, filing_id=pk, outcome=form.cleaned_data["outcome"],
                       report=form.cleaned_data["report"])),
}

#: Which action the filing's status allows next.
NEXT_ACTIONS = {F.SUBMITTED: "check", F.INCOMPLETE: "supplement", F.UNDER_REVIEW: "review",
                F.CORRECTION_REQUESTED: "correction"}


def available_filing_actions(user, filing: FilingRecord) -> list[dict]:
    slug = NEXT_ACTIONS.get(filing.status)
    if slug is None or not FILING_ACTIONS[slug][3](user, filing):
        return []
    url = reverse("normative_docs:filing-action", args=[filing.pk, slug])
    return [{"name": slug, "label": FILING_ACTIONS[slug][0], "hint": FILING_HINTS[slug], "url": url,
             "blocked": [], "danger": False, "primary": True}]


#: one line under each filing step saying what it does and when (the numbers are those of the policy table)
FILING_HINTS = {
    "check": _lazy("收到报备后3个工作日内进行形式审查：材料齐全的予以登记，不齐全的通知补正。"),
    "supplement": _lazy("按形式审查意见在5个工作日内补正备案材料。"),
    "review": _lazy("逐项审查是否超越权限、与上位法抵触、规定不适当或违反法定程序，作出审查结论。"),
    "correction": _lazy("收到纠正意见后30日内自行纠正，并报告纠正情况。"),
}


def _checklist_rows(filing: FilingRecord) -> list[dict]:
    labels = dict(ANSWER_CHOICES)
    rows = []
    for key, label, basis in checklist_for("normative_document"):
        answer = (filing.checklist.get(key) or {})
        rows.append({"label": label, "basis": basis, "answer": answer.get("answer", ""),
                     "answer_label": labels.get(answer.get("answer", ""), "—"), "note": answer.get("note", "")})
    return rows


# ================================================================== pages
def filing_submit(request, pk: int):
    """报送备案: the issuer's head (or the government office) sends the report and the materials."""
    try:
        document = NormativeDocument.objects.visible_to(request.user).select_related("issuer", "filing_body").get(pk=pk)
    except NormativeDocument.DoesNotExist:
        raise Http404
    if not can_act_as_issuer(request.user, document):
        raise PermissionDenied
    form = FilingSubmitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        ok, filing = call_service(form, lambda: filing_services.filing_submit(
            actor=request.user, document_id=pk, report=form.cleaned_data["report"], files=form.cleaned_data["files"],
            late_reason=form.cleaned_data["late_reason"]))
        if ok:
            if filing.on_time:
                messages.success(request, _("已报送备案。"))
            else:
                messages.warning(request, _("已报送备案；已超过报送备案期限，记为逾期报送（理由已记录）。"))
            return redirect("normative_docs:filing-detail", pk=filing.pk)
    return render(request, "normative_docs/filing_form.html", {
        "form": form, "document": document, "title": _("报送备案"), "multipart": True,
        "clocks": with_lights(open_clocks_of(document)),
    }, status=400 if request.method == "POST" else 200)


def filing_queue(request):
    """The filing body's work: filings by status, with counts; supervisors see every body's."""
    status = request.GET.get("status") or ""
    filings, counts = filing_queue_for(user=request.user, status=status)
    page = keyset_page(request, filings)
    tabs = [{"status": s.value, "label": s.label, "count": counts.get(s.value, 0)} for s in QUEUE_TABS]
    return render(request, "normative_docs/filing_queue.html", {
        "page": page, "tabs": tabs, "status": status if status in F.values else "",
        "total": sum(counts.values()),
    })


def filing_detail(request, pk: int):
    filing = _filing_or_404(request, pk)
    document = filing.document
    events = [e for e in history_for(document).select_related("actor")
              if e.event_type == "filing" and (e.details or {}).get("filing") == filing.pk]
    return render(request, "normative_docs/filing_detail.html", {
        "filing": filing, "document": document,
        "clocks": with_lights(open_clocks_of(filing, document)),
        "checklist": _checklist_rows(filing) if filing.checklist else [],
        "actions": available_filing_actions(request.user, filing),
        "timeline": events,
    })


def filing_action(request, pk: int, action: str):
    if action not in FILING_ACTIONS:
        raise Http404
    title, message, form_class, may, perform = FILING_ACTIONS[action]
    filing = _filing_or_404(request, pk)
    if not may(request.user, filing):
        raise PermissionDenied
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        ok, _result = call_service(form, lambda: perform(request, pk, form))
        if ok:
            messages.success(request, str(message))
            return redirect("normative_docs:filing-detail", pk=pk)
    return render(request, "normative_docs/filing_form.html", {
        "form": form, "document": filing.document, "filing": filing, "title": title,
        "multipart": action == "supplement", "checklist_form": action == "review", "hint": FILING_HINTS[action],
    }, status=400 if request.method == "POST" else 200)
