"""The public library of normative documents (规范性文件库): no account needed. Reads only
``NormativeDocument.objects.public()``; what is not public is a 404, the same as a missing id.
Anyone may send a review suggestion (审查建议) and follow its answer."""
from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.disclosure import disclosure_context
from core.docx import CONTENT_TYPE as DOCX_TYPE
from core.docx import document_docx
from core.forms import call_service
from core.keyset import keyset_page
from core.models import Department
from core.ratelimit import client_key
from core.services import attachment_path

from . import suggestions
from .models import NormativeDocument, ReviewSuggestion
from .selectors import (  # noqa: F401  (the public library's reads live in selectors)
    LIST_COLUMNS,
    PUBLIC_ATTACHMENT_PURPOSE,
    library_attachments,
    library_chain,
    library_get,
    library_list,
    public_status_q,
)
from .similarity import side_by_side
from .workflow import PublicStatus


# ================================================================== forms
class LibrarySearchForm(forms.Form):
    q = forms.CharField(label=_lazy("标题或文号"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _lazy("如：科技创新 或 湖政规〔2024〕3号")}))
    issuer = forms.ModelChoiceField(label=_lazy("制定机关"), required=False, queryset=Department.objects.none(),
                                    empty_label=_lazy("全部"))
    status = forms.ChoiceField(label=_lazy("时效性"), required=False,
                               choices=[("", _lazy("全部"))] + PublicStatus.choices)
    year = forms.IntegerField(label=_lazy("公布年度"), required=False, min_value=1949, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = Department.objects.filter(
            pk__in=NormativeDocument.objects.public().values("issuer_id")).order_by("sort_order", "id")


class SuggestionForm(forms.Form):
    name = forms.CharField(label=_lazy("姓名或名称"), required=False, max_length=100)
    contact = forms.CharField(label=_lazy("联系方式"), required=False, max_length=100,
                              help_text=_lazy("选填；留下电话或邮箱，便于联系核实。"))
    content = forms.CharField(label=_lazy("审查建议"), max_length=suggestions.CONTENT_MAX_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_lazy("请写明认为文件哪些内容违法或者不适当，以及理由。"))
    #: Honeypot: hidden from people, filled in by robots.
    homepage = forms.CharField(label=_lazy("请勿填写此项"), required=False,
                               widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))


class TrackForm(forms.Form):
    number = forms.CharField(label=_lazy("建议编号"), max_length=40,
                             widget=forms.TextInput(attrs={"placeholder": _lazy("审建〔2026〕1号")}))
    code = forms.CharField(label=_lazy("查询码"), max_length=40)


# ================================================================== pages
@login_not_required
def library_index(request):
    form = LibrarySearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = keyset_page(request, library_list(filters=filters))
    return render(request, "normative_docs/public/list.html", {"form": form, "page": page})


def _public_or_404(pk: int) -> NormativeDocument:
    try:
        return library_get(document_id=pk)
    except NormativeDocument.DoesNotExist:
        raise Http404


def _detail(request, document: NormativeDocument, form: SuggestionForm, status: int = 200):
    changed, changed_by = library_chain(document)
    return render(request, "normative_docs/public/detail.html", {
        "document": document, "attachments": library_attachments(document), "changed": changed,
        "changed_by": changed_by, "form": form, **disclosure_context(request, document),
    }, status=status)


@login_not_required
def library_detail(request, pk: int):
    return _detail(request, _public_or_404(pk), SuggestionForm())


@login_not_required
def library_diff(request, pk: int, other_pk: int):
    first, second = _public_or_404(pk), _public_or_404(other_pk)
    old, new = sorted((first, second), key=lambda d: (d.published_on, d.pk))
    return render(request, "normative_docs/public/diff.html", {
        "document": first, "old": old, "new": new, "rows": side_by_side(old.body, new.body),
    })


@login_not_required
def library_original(request, pk: int):
    """原文下载: the published text as a Word document, with its 文号 and title; what is not public is 404."""
    document = _public_or_404(pk)
    data = document_docx(title=document.title, number=document.number, body=document.body)
    filename = f"{document.number}{document.title}.docx" if document.number else f"{document.title}.docx"
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=filename, content_type=DOCX_TYPE)


@login_not_required
def library_attachment(request, pk: int, attachment_pk: int):
    document = _public_or_404(pk)
    attachment = document.attachments.filter(pk=attachment_pk, purpose=PUBLIC_ATTACHMENT_PURPOSE).first()
    if attachment is None:
        raise Http404
    return FileResponse(attachment_path(attachment).open("rb"), as_attachment=True,
                        filename=attachment.original_name, content_type=attachment.content_type_name)


@login_not_required
def suggestion_submit(request, pk: int):
    """The form alone on GET (also on the detail page); on POST the honeypot, then the service."""
    document = _public_or_404(pk)
    if request.method != "POST":
        return render(request, "normative_docs/public/suggest.html", {"document": document, "form": SuggestionForm()})
    form = SuggestionForm(request.POST)
    if form.is_valid():
        if form.cleaned_data["homepage"]:
            form.add_error(None, _("提交未成功，请刷新页面后重试。"))
        else:
            ok, suggestion = call_service(form, lambda: suggestions.suggestion_submit(
                document_id=document.pk, name=form.cleaned_data["name"], contact=form.cleaned_data["contact"],
                content=form.cleaned_data["content"], client_key=client_key(request)))
            if ok:
                messages.success(request, _("审查建议已提交，编号%(number)s，查询码%(code)s。请妥善保存，凭编号和查询码查看办理情况。")
                                 % {"number": suggestion.number, "code": suggestion.tracking_code})
                return redirect(f"{reverse('library:suggestion-track', args=[suggestion.number])}"
                                f"?code={suggestion.tracking_code}")
    return _detail(request, document, form, status=400)


@login_not_required
def suggestion_lookup(request):
    form = TrackForm(request.GET or None)
    if form.is_valid():
        return redirect(f"{reverse('library:suggestion-track', args=[form.cleaned_data['number'].strip()])}"
                        f"?code={form.cleaned_data['code'].strip()}")
    return render(request, "normative_docs/public/suggestion_lookup.html", {"form": form})


@login_not_required
def suggestion_track(request, number: str):
    """Without a code: ask for it. With a wrong code: 404, the same as a missing number."""
    code = request.GET.get("code", "").strip()
    if not code:
        form = TrackForm(initial={"number": number})
        return render(request, "normative_docs/public/suggestion_lookup.html", {"form": form})
    try:
        suggestion = suggestions.suggestion_track(number=number, code=code)
    except ReviewSuggestion.DoesNotExist:
        raise Http404
    return render(request, "normative_docs/public/suggestion_track.html", {"suggestion": suggestion})
