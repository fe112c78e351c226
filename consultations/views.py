"""Consultation pages: the public list, page, comment form and tracking page (no account),
and the drafting unit's management page (moderation, disposition, summary)."""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import call_service, with_confirmation
from core.keyset import keyset_page
from core.ratelimit import client_key

from . import selectors, services
from .forms import CommentForm, DisposeForm, ModerateForm, SummaryForm, TrackForm
from .models import Consultation, ConsultationStatus, PublicComment
from .permissions import can_manage, visible_subject

PAGE_SIZE = 20
COMMENTS_PAGE_SIZE = 50


# ================================================================== public
@login_not_required
def consultation_list(request):
    page = keyset_page(request, selectors.public_consultation_list(), per_page=PAGE_SIZE)
    return render(request, "consultations/list.html", {"page": page})


def _public_or_404(pk: int) -> Consultation:
    try:
        return selectors.public_consultation_get(consultation_id=pk)
    except Consultation.DoesNotExist:
        raise Http404


def _detail(request, consultation: Consultation, form: CommentForm, status: int = 200):
    comments = keyset_page(request, selectors.public_comments(consultation), per_page=COMMENTS_PAGE_SIZE)
    return render(request, "consultations/detail.html", {
        "consultation": consultation, "form": form, "comments": comments, "page": comments,
        "state": consultation.status, "S": ConsultationStatus,
    }, status=status)


@login_not_required
def consultation_detail(request, pk: int):
    return _detail(request, _public_or_404(pk), CommentForm())


@login_not_required
def comment_submit(request, pk: int):
    """The form with the page on GET; on POST the honeypot here, every other rule in the
    service; a refusal saves nothing."""
    consultation = _public_or_404(pk)
    if request.method != "POST":
        return _detail(request, consultation, CommentForm())
    form = CommentForm(request.POST)
    if form.is_valid():
        if form.cleaned_data["homepage"]:
            form.add_error(None, _("提交未成功，请刷新页面后重试。"))
        else:
            data = form.cleaned_data
            ok, comment = call_service(form, lambda: services.comment_submit(
                consultation_id=consultation.pk, body=data["body"], name=data["name"], email=data["email"],
                contact=data["contact"], client_address=client_key(request)))
            if ok:
                messages.success(request, _("意见已提交，查询码%(code)s。请妥善保存，凭查询码查看审核和采纳情况。")
                                 % {"code": comment.tracking_code})
                track = reverse("consultations:track", args=[pk])
                return redirect(f"{track}?{urlencode({'code': comment.tracking_code})}")
    return _detail(request, consultation, form, status=400)


@login_not_required
def comment_track(request, pk: int):
    """Without a code: ask for it. With a wrong code: 404, the same as a missing one."""
    consultation = _public_or_404(pk)
    code = request.GET.get("code", "").strip()
    if not code:
        return render(request, "consultations/track.html", {"consultation": consultation, "form": TrackForm()})
    try:
        comment = services.comment_track(consultation_id=consultation.pk, code=code)
    except PublicComment.DoesNotExist:
        raise Http404
    return render(request, "consultations/track.html", {"consultation": consultation, "comment": comment})


# ================================================================== the drafting unit
def _managed(request, pk: int) -> tuple[Consultation, bool]:
    """404 unless the user may see the subject inside; the flag says whether they may act."""
    consultation = Consultation.objects.select_related("content_type", "department").filter(pk=pk).first()
    subject = visible_subject(request.user, consultation) if consultation else None
    if subject is None:
        raise Http404
    consultation.subject = subject
    may = can_manage(request.user, subject)
    if request.method == "POST" and not may:
        raise PermissionDenied
    return consultation, may


def _manage_page(request, consultation: Consultation, may: bool, *, errors=None, status: int = 200,
                 summary_form=None):
    comments = list(selectors.comments_for_management(consultation))
    closed = consultation.status == ConsultationStatus.CLOSED
    pending, undisposed = services.outstanding(comments)
    rows = [{"comment": c, "moderate": ModerateForm(prefix=f"m{c.pk}"),
             "dispose": DisposeForm(prefix=f"d{c.pk}", initial={"disposition": c.disposition,
                                                               "reason": c.disposition_reason})}
            for c in comments]
    return render(request, "consultations/manage.html", {
        "consultation": consultation, "subject": consultation.subject, "rows": rows, "may": may, "closed": closed,
        "summary_form": summary_form or with_confirmation(SummaryForm)(initial={"summary": consultation.summary}),
        "errors": errors or [],
        "S": ConsultationStatus, "pending": pending, "undisposed": undisposed,
    }, status=status)


def consultation_manage(request, pk: int):
    consultation, may = _managed(request, pk)
    return _manage_page(request, consultation, may)


def _act(request, pk: int, form_class, prefix: str | None, call, success: str, comment_pk: int | None = None):
    consultation, may = _managed(request, pk)
    if comment_pk is not None and not consultation.comments.filter(pk=comment_pk).exists():
        raise Http404
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        ok, _result = call_service(form, lambda: call(form.cleaned_data))
        if ok:
            messages.success(request, success)
            return redirect("consultations:manage", pk=pk)
    errors = [str(e) for e in form.non_field_errors()] + [
        f"{form.fields[name].label}：{error}" for name, field_errors in form.errors.items() if name != "__all__"
        for error in field_errors]
    return _manage_page(request, consultation, may, errors=errors, status=400,
                        summary_form=form if "summary" in form.fields else None)


@require_POST
def comment_moderate(request, pk: int, comment_pk: int):
    return _act(request, pk, ModerateForm, f"m{comment_pk}", lambda data: services.comment_moderate(
        actor=request.user, comment_id=comment_pk, approve=data["approve"], reason=data["reason"]),
                _("已保存审核结果。"), comment_pk=comment_pk)


@require_POST
def comment_dispose(request, pk: int, comment_pk: int):
    return _act(request, pk, DisposeForm, f"d{comment_pk}", lambda data: services.comment_dispose(
        actor=request.user, comment_id=comment_pk, disposition=data["disposition"], reason=data["reason"]),
                _("已保存采纳情况。"), comment_pk=comment_pk)


@require_POST
def summary_publish(request, pk: int):
    return _act(request, pk, with_confirmation(SummaryForm), None, lambda data: services.consultation_publish_summary(
        actor=request.user, consultation_id=pk, summary=data["summary"]),
                _("已公布意见采纳情况说明，留有电子邮箱的意见人将收到通知。"))
