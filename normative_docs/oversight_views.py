"""Pages of the filing bodies and supervisors: 有件必备、有备必审、有错必纠 made visible,
the statistics per issuer and year, and the 2-yearly clean-up."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import ConfirmForm, call_service
from core.keyset import keyset_page
from core.workdays import local_today

from . import cleanup
from . import oversight as selectors
from .models import CleanupRound
from .selectors import document_pages_for
from .workflow import CleanupResult

PAGE_SIZE = 20


# ---------------------------------------------------------------- oversight
def _page(request, queryset, param: str):
    return keyset_page(request, queryset, per_page=PAGE_SIZE, param=param)


def oversight(request):
    """Three lists with counts per issuer: not filed in time, not reviewed in time, corrections open."""
    if not selectors.can_view_oversight(request.user):
        raise PermissionDenied
    today = local_today()
    try:
        issuer_id = int(request.GET.get("issuer") or 0) or None
    except ValueError:
        issuer_id = None
    counts = selectors.oversight_counts(user=request.user, today=today)
    unfiled = _page(request, selectors.unfiled_overdue(user=request.user, today=today, issuer_id=issuer_id),
                    "unfiled_page")
    for document in unfiled:
        document.days_overdue = (today - document.filing_due_on).days if document.filing_due_on else None
    unreviewed = _page(request, selectors.unreviewed_overdue(user=request.user, today=today, issuer_id=issuer_id),
                       "unreviewed_page")
    for filing in unreviewed:
        filing.days_overdue = (today - filing.clock_due_on).days if filing.clock_due_on else None
    corrections = _page(request, selectors.corrections_open(user=request.user, issuer_id=issuer_id),
                        "corrections_page")
    for filing in corrections:
        filing.is_overdue = bool(filing.clock_due_on and filing.clock_due_on < today)
    issuer_name = next((c.name for c in counts if c.issuer_id == issuer_id), "") if issuer_id else ""
    return render(request, "normative_docs/oversight.html", {
        "today": today, "counts": counts, "issuer_id": issuer_id, "issuer_name": issuer_name,
        "unfiled": unfiled, "unreviewed": unreviewed, "corrections": corrections,
        "totals": {"unfiled": sum(c.unfiled for c in counts), "unreviewed": sum(c.unreviewed for c in counts),
                   "corrections": sum(c.corrections for c in counts)},
    })


# ---------------------------------------------------------------- statistics
class YearForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)


def statistics(request):
    """Per issuer and year; ``?format=csv`` downloads the table (UTF-8 with BOM, for Excel)."""
    if not selectors.can_view_oversight(request.user):
        raise PermissionDenied
    today = local_today()
    form = YearForm(request.GET or None, initial={"year": today.year})
    year = form.cleaned_data["year"] if form.is_valid() else today.year
    stats = selectors.statistics_for_year(user=request.user, year=year, today=today)
    if request.GET.get("format") == "csv":
        response = HttpResponse(selectors.statistics_csv(stats), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="normative-statistics-{year}.csv"'
        return response
    return render(request, "normative_docs/statistics.html", {
        "form": form, "year": year, "stats": stats, "today": today,
        "years": list(range(today.year, today.year - 6, -1)),
    })


# ---------------------------------------------------------------- clean-up
class CleanupStartForm(forms.Form):
    issuer = forms.ModelChoiceField(label=gettext_lazy("制定机关"), queryset=None)
    title = forms.CharField(label=gettext_lazy("清理名称"), max_length=200, required=False,
                            help_text=gettext_lazy("留空则为“某机关某年行政规范性文件全面清理”。"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = cleanup.issuers_managed_by(user)


class CleanupResultForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(label=gettext_lazy("清理结果"), choices=[("", "—"), *CleanupResult.choices])
    note = forms.CharField(label=gettext_lazy("说明"), max_length=300, required=False)


def cleanup_list(request):
    rounds = keyset_page(request, cleanup.cleanup_list(), per_page=PAGE_SIZE)
    issuers = cleanup.issuers_managed_by(request.user)
    form = None
    if request.method == "POST":
        form = CleanupStartForm(request.POST, user=request.user)
        if not issuers.exists():
            raise PermissionDenied
        if form.is_valid():
            ok, round_ = call_service(form, lambda: cleanup.cleanup_start(
                actor=request.user, issuer_id=form.cleaned_data["issuer"].pk, title=form.cleaned_data["title"]))
            if ok:
                messages.success(request, _("已启动全面清理，请逐件填写清理结果。"))
                return redirect("normative_docs:cleanup-detail", pk=round_.pk)
    elif issuers.exists():
        form = CleanupStartForm(user=request.user)
    status = 400 if request.method == "POST" else 200
    return render(request, "normative_docs/cleanup_list.html", {"page": rounds, "form": form}, status=status)


def cleanup_detail(request, pk: int):
    """Readable by anyone logged in; the issuer's head or office sets results and publishes (POST)."""
    try:
        round_, entries = cleanup.cleanup_get(round_id=pk)
    except CleanupRound.DoesNotExist:
        raise Http404
    may_manage = cleanup.can_manage_cleanup(request.user, round_.issuer) and not round_.published_on
    form, publish_form = CleanupResultForm(), ConfirmForm()
    if request.method == "POST":
        if not cleanup.can_manage_cleanup(request.user, round_.issuer):
            raise PermissionDenied
        if request.POST.get("action") == "publish":
            form = publish_form = ConfirmForm(request.POST)
            ok = form.is_valid() and call_service(form, lambda: cleanup.cleanup_publish(actor=request.user,
                                                                                      round_id=pk))[0]
            if ok:
                messages.success(request, _("清理结果已公布。"))
                return redirect("normative_docs:cleanup-detail", pk=pk)
        else:
            form = CleanupResultForm(request.POST)
            if form.is_valid():
                entry_id = form.cleaned_data["entry"]
                if not any(e.pk == entry_id for e in entries):
                    raise Http404
                ok, _entry = call_service(form, lambda: cleanup.cleanup_set_result(
                    actor=request.user, entry_id=entry_id, result=form.cleaned_data["result"],
                    note=form.cleaned_data["note"]))
                if ok:
                    messages.success(request, _("已保存清理结果。"))
                    return redirect("normative_docs:cleanup-detail", pk=pk)
        round_, entries = cleanup.cleanup_get(round_id=pk)
    pages = document_pages_for(user=request.user, document_ids=[e.document_id for e in entries])
    for entry in entries:  # a link only where the document's page opens for this person
        entry.document_page = pages.get(entry.document_id, "")
    groups = [{"result": value, "label": label, "entries": [e for e in entries if e.result == value]}
              for value, label in CleanupResult.choices]
    status = 400 if request.method == "POST" else 200
    return render(request, "normative_docs/cleanup_detail.html", {
        "round": round_, "entries": entries, "groups": groups, "may_manage": may_manage, "form": form,
        "publish_form": publish_form,
        "result_choices": CleanupResult.choices, "missing": sum(1 for e in entries if not e.result),
    }, status=status)

