"""Review suggestions (审查建议): anyone may send one about a published document from
the public library; it gets a number and a tracking code, and the filing body
(备案审查机关) answers it."""
from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from core import ratelimit
from core.audit import record_event
from core.exceptions import DomainError, InvalidState
from core.models import Role, User
from core.permissions import is_reviewer, is_supervisor
from core.sequences import next_in_sequence
from core.workdays import local_today
from deadlines.services import notify

from .models import NormativeDocument, ReviewSuggestion, SuggestionSequence

CONTENT_MAX_LENGTH = 5000
#: At most this many suggestions per client (IP address) per hour.
RATE_LIMIT, RATE_WINDOW = 5, 3600
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


def suggestion_number(year: int, seq: int) -> str:
    return f"审建〔{year}〕{seq}号"


def _next_number(year: int) -> str:
    """The year's next number, gap-free and never reused (a counter row locked until commit,
    advanced past published numbers after a restore)."""
    return suggestion_number(year, next_in_sequence(SuggestionSequence, year=year))


def _tracking_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _i in range(10))


def _rate_key(client_key: str) -> str:
    return f"normative:suggestion-rate:{client_key}"


def filing_body_reviewers(document: NormativeDocument) -> QuerySet[User]:
    return User.objects.filter(is_active=True, department_id=document.filing_body_id,
                               roles__contains=[Role.REVIEWER])


@transaction.atomic
def suggestion_submit(*, document_id: int, name: str, contact: str, content: str,
                      client_key: str) -> ReviewSuggestion:
    """Anyone sends a written review suggestion about a public document. The honeypot
    is the page's business; the rate limit (per client, usually the IP) is here."""
    document = NormativeDocument.objects.public().filter(pk=document_id).first()
    if document is None:
        raise DomainError(_("只能对已公布的规范性文件提出审查建议。"), code="document_not_public")
    content = (content or "").strip()
    if not content:
        raise DomainError(_("请填写审查建议的内容。"), code="content_required")
    if len(content) > CONTENT_MAX_LENGTH:
        raise DomainError(_("审查建议不能超过%(n)s字。") % {"n": CONTENT_MAX_LENGTH}, code="content_too_long")
    name, contact = (name or "").strip(), (contact or "").strip()
    if len(name) > 100 or len(contact) > 100:
        raise DomainError(_("姓名和联系方式各不超过100字。"), code="too_long")
    key = _rate_key(client_key or "unknown")
    if ratelimit.is_limited(key, limit=RATE_LIMIT):
        raise DomainError(_("提交过于频繁：每小时最多提交%(n)s条审查建议，请稍后再试。") % {"n": RATE_LIMIT},
                          code="rate_limited")
    suggestion = ReviewSuggestion.objects.create(
        number=_next_number(local_today().year), tracking_code=_tracking_code(), document=document, name=name, contact=contact, content=content)
    ratelimit.count(key, window=RATE_WINDOW)
    record_event(actor=None, event_type="suggestion", obj=suggestion, action="suggestion_submit",
                 action_label=_("收到审查建议"), details={"document": document.pk, "number": suggestion.number})
    notify(recipients=filing_body_reviewers(document),
           title=_("收到审查建议%(number)s：%(doc)s") % {"number": suggestion.number, "doc": document},
           body=content[:500], url=reverse("normative_docs:suggestion-detail", args=[suggestion.pk]))
    return suggestion


def can_answer_suggestion(user, suggestion: ReviewSuggestion) -> bool:
    """Reviewers of the document's filing body answer."""
    return is_reviewer(user) and user.department_id == suggestion.document.filing_body_id


def suggestions_for_user(user) -> QuerySet[ReviewSuggestion]:
    """Supervisors see every suggestion, reviewers those about documents filed with their body."""
    if not user.is_authenticated or not (is_supervisor(user) or is_reviewer(user)):
        raise PermissionDenied
    suggestions = ReviewSuggestion.objects.select_related("document", "document__issuer")
    if is_supervisor(user):
        return suggestions
    return suggestions.filter(Q(document__filing_body_id=user.department_id))


@transaction.atomic
def suggestion_answer(*, actor: User, suggestion_id: int, answer: str) -> ReviewSuggestion:
    suggestion = (ReviewSuggestion.objects.select_for_update(of=("self",)).select_related("document")
                  .get(pk=suggestion_id))
    if not can_answer_suggestion(actor, suggestion):
        raise PermissionDenied
    answer = (answer or "").strip()
    if not answer:
        raise DomainError(_("请填写答复内容。"), code="answer_required")
    if len(answer) > CONTENT_MAX_LENGTH:
        raise DomainError(_("答复不能超过%(n)s字。") % {"n": CONTENT_MAX_LENGTH}, code="answer_too_long")
    if suggestion.status == ReviewSuggestion.Status.ANSWERED:
        raise InvalidState(_("该审查建议已经答复。"))
    source = suggestion.status
    suggestion.status, suggestion.answer = ReviewSuggestion.Status.ANSWERED, answer
    suggestion.answered_on, suggestion.answered_by = local_today(), actor
    suggestion.save(update_fields=["status", "answer", "answered_on", "answered_by", "updated_at"])
    record_event(actor=actor, event_type="suggestion", obj=suggestion, action="suggestion_answer",
                 action_label=_("答复审查建议"), source_state=source, target_state=suggestion.status, reason=answer)
    return suggestion


def suggestion_track(*, number: str, code: str) -> ReviewSuggestion:
    """The public tracking page: the number and its code, or ReviewSuggestion.DoesNotExist."""
    suggestion = (ReviewSuggestion.objects.select_related("document", "document__issuer")
                  .filter(number=number, document__in=NormativeDocument.objects.public()).first())
    if suggestion is None or not secrets.compare_digest(suggestion.tracking_code.encode(),
                                                        (code or "").strip().upper().encode()):
        raise ReviewSuggestion.DoesNotExist
    return suggestion
