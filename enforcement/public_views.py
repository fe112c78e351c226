"""The public enforcement pages (执法公示), no account needed: 事前公开 (bodies, powers,
certified officers, procedures, remedies, inspection lists) and 事后公开 (published
decisions). Every read goes through ``enforcement.publicity``; what is not public is a 404,
the same as a missing id.

A withdrawn notice (decision revoked or changed, 行政处罚法 Art. 48) answers **410 Gone**
until the end of its original publicity period, with its title, decision number, body and
the withdrawal statement only — never the content or the party — so that whoever follows
an old link learns that and why it was withdrawn. It is not in the list. After the period
it is a 404 like any expired notice.
"""
from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _lazy

from core.disclosure import disclosure_context
from core.keyset import keyset_page
from core.models import Department
from core.workdays import local_today

from . import publicity
from .models import PublicNotice

NOTICES_PER_PAGE = 20


class NoticeFilterForm(forms.Form):
    body = forms.ModelChoiceField(label=_lazy("执法主体"), required=False, queryset=Department.objects.none(),
                                  empty_label=_lazy("全部"))
    year = forms.TypedChoiceField(label=_lazy("公开年度"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = publicity.notice_bodies(today=today)
        self.fields["year"].choices = [("", _lazy("全部"))] + [
            (year, _lazy("%(year)s年") % {"year": year}) for year in publicity.notice_years(today=today)]


@login_not_required
def body_list(request):
    return render(request, "enforcement/public/body_list.html", {"bodies": publicity.public_bodies()})


@login_not_required
def body_detail(request, pk: int):
    try:
        info = publicity.public_body_get(body_id=pk)
    except Department.DoesNotExist:
        raise Http404
    return render(request, "enforcement/public/body_detail.html", {"info": info, "body": info.body})


@login_not_required
def notice_list(request):
    today = local_today()
    form = NoticeFilterForm(request.GET or None, today=today)
    filters = form.cleaned_data if form.is_valid() else {}
    body = filters.get("body")
    notices = publicity.notice_list(body_id=body.pk if body else None, year=filters.get("year"), today=today)
    page = keyset_page(request, notices, per_page=NOTICES_PER_PAGE)
    return render(request, "enforcement/public/notice_list.html", {"form": form, "page": page})


@login_not_required
def notice_detail(request, pk: int):
    try:
        notice = publicity.notice_get(notice_id=pk)
    except PublicNotice.DoesNotExist:
        raise Http404
    if notice.withdrawn_on:
        return render(request, "enforcement/public/notice_withdrawn.html", {"notice": notice}, status=410)
    return render(request, "enforcement/public/notice_detail.html", {"notice": notice,
                                                                     **disclosure_context(request, notice)})
