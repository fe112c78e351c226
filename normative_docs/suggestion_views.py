"""Review suggestions (审查建议) inside: the filing body's reviewers read and answer the
suggestions about documents filed with them; supervisors read all of them."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.forms import call_service
from core.keyset import keyset_page

from . import suggestions
from .models import ReviewSuggestion


class SuggestionFilterForm(forms.Form):
    status = forms.ChoiceField(label=_lazy("状态"), required=False,
                               choices=[("", _lazy("全部"))] + ReviewSuggestion.Status.choices)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_lazy("答复"), max_length=suggestions.CONTENT_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 6}))


def suggestion_list(request):
    rows = suggestions.suggestions_for_user(request.user)  # PermissionDenied (403) for the others
    form = SuggestionFilterForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["status"]:
        rows = rows.filter(status=form.cleaned_data["status"])
    page = keyset_page(request, rows.order_by("-created_at", "-id"))
    return render(request, "normative_docs/suggestion_list.html", {"form": form, "page": page})


def suggestion_detail(request, pk: int):
    suggestion = suggestions.suggestions_for_user(request.user).filter(pk=pk).first()
    if suggestion is None:
        raise Http404
    can_answer = suggestions.can_answer_suggestion(request.user, suggestion)
    if request.method == "POST" and not can_answer:
        raise PermissionDenied
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _result = call_service(form, lambda: suggestions.suggestion_answer(
            actor=request.user, suggestion_id=suggestion.pk, answer=form.cleaned_data["answer"]))
        if ok:
            messages.success(request, _("已答复审查建议%(number)s。") % {"number": suggestion.number})
            return redirect("normative_docs:suggestion-detail", pk=suggestion.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "normative_docs/suggestion_detail.html", {
        "suggestion": suggestion, "form": form, "can_answer": can_answer,
    }, status=status)
