"""Pages of township legal affairs and the adviser registry under /legal-affairs/."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.forms import call_service
from core.keyset import keyset_page
from core.models import Department

from . import forms, selectors, services
from .models import LegalAdviser


def _keeps(user) -> bool:
    return user.department_id is not None and services.can_keep_records(user, user.department)


def meetings(request):
    only_gaps = request.GET.get("gaps") == "1"
    page = keyset_page(request, selectors.meetings_for(user=request.user, legal_without_sifasuo=only_gaps,
                                                        township=request.GET.get("township", "")[:40]))
    can_record = (_keeps(request.user) and request.user.department.kind == Department.Kind.TOWNSHIP)
    form = forms.MeetingForm(request.POST or None, initial={"held_on": timezone.localdate()}) if can_record else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            ok, _meeting = call_service(form, lambda: services.meeting_record(actor=request.user,
                                                                              data=form.cleaned_data))
            if ok:
                messages.success(request, _("已记录党政联席会议。"))
                return redirect("legal_affairs:meetings")
    return render(request, "legal_affairs/meetings.html", {"page": page, "form": form, "only_gaps": only_gaps},
                  status=400 if request.method == "POST" else 200)


def advisers(request):
    form = forms.AdviserForm(request.POST or None) if _keeps(request.user) else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            ok, adviser = call_service(form, lambda: services.adviser_register(actor=request.user,
                                                                               data=form.cleaned_data))
            if ok:
                messages.success(request, _("已登记法律顾问。"))
                return redirect("legal_affairs:adviser", pk=adviser.pk)
    page = keyset_page(request, selectors.advisers_for(user=request.user, body=request.GET.get("body", "")[:40]))
    return render(request, "legal_affairs/advisers.html", {"page": page, "form": form, "today": timezone.localdate()},
                  status=400 if request.method == "POST" else 200)


def adviser_detail(request, pk: int):
    try:
        adviser = selectors.adviser_get(user=request.user, adviser_id=pk)
    except LegalAdviser.DoesNotExist:
        raise Http404
    opinion_form = forms.OpinionForm(request.POST if request.POST.get("form") == "opinion" else None,
                                     initial={"given_on": timezone.localdate()})
    evaluation_form = forms.EvaluationForm(request.POST if request.POST.get("form") == "evaluation" else None,
                                           initial={"year": timezone.localdate().year - 1})
    if request.method == "POST":
        form = opinion_form if request.POST.get("form") == "opinion" else evaluation_form
        if form.is_valid():
            data = form.cleaned_data
            if form is opinion_form:
                call = lambda: services.opinion_attach(actor=request.user, adviser_id=pk, **data)  # noqa: E731
            else:
                call = lambda: services.adviser_evaluate(actor=request.user, adviser_id=pk, **data)  # noqa: E731
            try:
                ok, _result = call_service(form, call)
            except ObjectDoesNotExist:  # the subject is not found or not visible to this user
                form.add_error("object_id", _("未找到该事项，或您无权查看。"))
                ok = False
            if ok:
                messages.success(request, _("已保存。"))
                return redirect("legal_affairs:adviser", pk=pk)
    return render(request, "legal_affairs/adviser_detail.html", {
        "adviser": adviser, "opinions": selectors.opinions_of_adviser(adviser),
        "opinion_form": opinion_form, "evaluation_form": evaluation_form,
    }, status=400 if request.method == "POST" else 200)


def public_lawyers(request):
    form = forms.PublicLawyerForm(request.POST or None) if _keeps(request.user) else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            ok, _lawyer = call_service(form, lambda: services.public_lawyer_register(actor=request.user,
                                                                                    data=form.cleaned_data))
            if ok:
                messages.success(request, _("已登记公职律师。"))
                return redirect("legal_affairs:public-lawyers")
    page = keyset_page(request, selectors.public_lawyers_for(user=request.user, body=request.GET.get("body", "")[:40]))
    return render(request, "legal_affairs/public_lawyers.html", {"page": page, "form": form},
                  status=400 if request.method == "POST" else 200)
