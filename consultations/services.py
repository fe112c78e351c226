"""One function per action on a consultation: opening it (from the subject's own
open-public-comment service), the public's comment, moderation, disposition and the
published 意见采纳情况说明. Each is atomic and audited."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import ratelimit
from core.audit import record_event
from core.exceptions import DomainError, InvalidState
from core.models import User
from deadlines.models import OutboxEmail
from deadlines.services import notify

from .models import Consultation, ConsultationStatus, PublicComment
from .permissions import can_manage

BODY_MIN_LENGTH, BODY_MAX_LENGTH = 5, 5000
#: At most this many comments per client (IP digest) per hour, across consultations.
RATE_LIMIT, RATE_WINDOW = 5, 3600
#: The same text on the same consultation within this time is a duplicate.
DUPLICATE_WINDOW = dt.timedelta(hours=24)
MAX_LINKS = 2
_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone
Status, Disposition = PublicComment.Status, PublicComment.Disposition


def ip_hash(address: str) -> str:
    """A keyed digest of the client address: enough to count and compare, not to recover it."""
    return hmac.new(settings.SECRET_KEY.encode(), (address or "unknown").encode(), hashlib.sha256).hexdigest()


def _tracking_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _i in range(10))


def _rate_key(client_hash: str) -> str:
    return f"consultations:comment-rate:{client_hash}"


# ================================================================== opening
def consultation_open(*, actor: User, subject, opens_on: dt.date, closes_on: dt.date, channel: str,
                      explanation: str = "") -> Consultation:
    """Called inside the subject's open-public-comment service (which has locked the subject and
    checked its rules): the page for this round, with the subject's draft text and explanation.
    Opening the same round again moves the dates of the existing page and keeps its comments."""
    if not can_manage(actor, subject):
        raise PermissionDenied
    from decisions.models import Decision

    is_decision = isinstance(subject, Decision)
    draft_text = (subject.draft_text or subject.summary) if is_decision else subject.body
    department_id = subject.department_id if is_decision else subject.drafting_department_id
    values = {
        "title": subject.title, "draft_text": draft_text,
        "explanation": (explanation or subject.explanation or "").strip(), "channel": channel.strip(),
        "opens_on": opens_on, "closes_on": closes_on, "department_id": department_id,
    }
    content_type = ContentType.objects.get_for_model(subject)
    consultation = (Consultation.objects.select_for_update()
                    .filter(content_type=content_type, object_id=subject.pk, round=subject.round).first())
    if consultation is not None and consultation.summary_published_at:
        raise InvalidState(_("本轮征求意见的采纳情况已经公布，不能再次开启。"))
    if consultation is None:
        consultation = Consultation.objects.create(content_type=content_type, object_id=subject.pk,
                                                   round=subject.round, opened_by=actor, **values)
    else:
        for field, value in values.items():
            setattr(consultation, field, value)
        consultation.save()
    record_event(actor=actor, event_type="consultation", obj=consultation, action="consultation_open",
                 action_label=_("发布征求意见"), details={"opens_on": opens_on, "closes_on": closes_on,
                                                        "channel": channel, "subject": subject.pk})
    return consultation


# ================================================================== the public's comment
def _check_comment(consultation: Consultation, body: str, name: str, email: str, contact: str,
                   client_hash: str, now: dt.datetime) -> None:
    status = consultation.status_on(timezone.localdate(now))
    if status == ConsultationStatus.NOT_STARTED:
        raise InvalidState(_("征求意见尚未开始，开始日期为%(day)s。")
                           % {"day": f"{consultation.opens_on.year}年{consultation.opens_on.month}月"
                                     f"{consultation.opens_on.day}日"}, code="not_open")
    if status != ConsultationStatus.OPEN:
        raise InvalidState(_("征求意见已于%(closing)s截止，不再接收意见。") % {"closing": consultation.closing_time},
                           code="closed")
    if len(body) < BODY_MIN_LENGTH:
        raise DomainError(_("意见内容过短，请至少填写%(n)s个字。") % {"n": BODY_MIN_LENGTH}, code="body_too_short")
    if len(body) > BODY_MAX_LENGTH:
        raise DomainError(_("意见内容不能超过%(n)s字。") % {"n": BODY_MAX_LENGTH}, code="body_too_long")
    if len(name) > 100 or len(contact) > 100:
        raise DomainError(_("姓名和其他联系方式各不超过100字。"), code="too_long")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(_("电子邮箱格式不正确。"), code="invalid_email")
    links = _LINK.findall(body)
    if len(links) > MAX_LINKS or sum(len(link) for link in links) * 2 > len(body):
        raise DomainError(_("意见内容中的链接过多，请直接写明意见。"), code="spam")
    if ratelimit.is_limited(_rate_key(client_hash), limit=RATE_LIMIT):
        raise DomainError(_("提交过于频繁：每小时最多提交%(n)s条意见，请稍后再试。") % {"n": RATE_LIMIT},
                          code="rate_limited")
    if consultation.comments.filter(body=body, submitted_at__gte=now - DUPLICATE_WINDOW).exists():
        raise DomainError(_("相同内容的意见已经提交过，请勿重复提交。"), code="duplicate")


@transaction.atomic
def comment_submit(*, consultation_id: int, body: str, name: str = "", email: str = "", contact: str = "",
                   client_address: str) -> PublicComment:
    """Anyone comments on an open, public consultation, without an account. The honeypot is
    the page's business; the window, length, links, duplicates and rate limit are checked here."""
    consultation = (Consultation.objects.public().select_related("content_type", "opened_by")
                    .filter(pk=consultation_id).first())
    if consultation is None:
        raise Consultation.DoesNotExist
    body, name = (body or "").strip(), (name or "").strip()
    email, contact = (email or "").strip(), (contact or "").strip()
    client_hash, now = ip_hash(client_address), timezone.now()
    _check_comment(consultation, body, name, email, contact, client_hash, now)
    comment = PublicComment.objects.create(consultation=consultation, body=body, name=name, email=email,
                                           contact=contact, submitted_at=now, ip_hash=client_hash,
                                           tracking_code=_tracking_code())
    ratelimit.count(_rate_key(client_hash), window=RATE_WINDOW)
    record_event(actor=None, event_type="consultation", obj=comment, action="comment_submit",
                 action_label=_("收到公众意见"), details={"consultation": consultation.pk})
    notify(recipients=[consultation.opened_by], title=_("收到公众意见，待审核：%(title)s") % {"title": consultation.title},
           body=body[:500], url=reverse("consultations:manage", args=[consultation.pk]))
    return comment


def comment_track(*, consultation_id: int, code: str) -> PublicComment:
    """The commenter's own comment by its tracking code, or PublicComment.DoesNotExist."""
    code = (code or "").strip().upper()
    comment = (PublicComment.objects.select_related("consultation")
               .filter(consultation__in=Consultation.objects.public(), consultation_id=consultation_id,
                       tracking_code=code).first())
    if comment is None or not secrets.compare_digest(comment.tracking_code.encode(), code.encode()):
        raise PublicComment.DoesNotExist
    return comment


# ================================================================== the drafting unit
def _lock_comment(comment_id: int, actor: User) -> PublicComment:
    comment = (PublicComment.objects.select_for_update(of=("self",)).select_related("consultation")
               .get(pk=comment_id))
    if not can_manage(actor, comment.consultation):
        raise PermissionDenied
    if comment.consultation.summary_published_at:
        raise InvalidState(_("采纳情况已经公布，不能再修改。"))
    return comment


@transaction.atomic
def comment_moderate(*, actor: User, comment_id: int, approve: bool, reason: str = "") -> PublicComment:
    """Show a comment on the public page, or keep it off with a reason (可以更正，直至公布采纳情况)."""
    comment = _lock_comment(comment_id, actor)
    reason = (reason or "").strip()
    if not approve and not reason:
        raise DomainError(_("不予公开的，请填写理由。"), code="reason_required")
    if len(reason) > 300:
        raise DomainError(_("理由不超过300字。"), code="too_long")
    source = comment.status
    comment.status = Status.APPROVED if approve else Status.REJECTED
    comment.moderation_reason = "" if approve else reason
    comment.moderated_at, comment.moderated_by = timezone.now(), actor
    if not approve:  # a comment kept off the page gets no disposition
        comment.disposition, comment.disposition_reason, comment.disposed_at, comment.disposed_by = "", "", None, None
    comment.save()
    record_event(actor=actor, event_type="consultation", obj=comment, action="comment_moderate",
                 action_label=_("公开意见") if approve else _("意见不予公开"), source_state=source,
                 target_state=comment.status, reason=reason)
    return comment


@transaction.atomic
def comment_dispose(*, actor: User, comment_id: int, disposition: str, reason: str = "") -> PublicComment:
    """After closing, the drafting unit says whether the comment was adopted, and why not."""
    comment = _lock_comment(comment_id, actor)
    if comment.consultation.status != ConsultationStatus.CLOSED:
        raise InvalidState(_("征求意见截止（%(closing)s）后方可答复意见采纳情况。")
                           % {"closing": comment.consultation.closing_time})
    if comment.status == Status.REJECTED:
        raise InvalidState(_("不予公开的意见无需答复采纳情况。"))
    if disposition not in Disposition.values:
        raise DomainError(_("请选择采纳情况。"), code="disposition_required")
    reason = (reason or "").strip()
    if disposition != Disposition.ADOPTED and not reason:
        raise DomainError(_("部分采纳或不予采纳的，请说明理由。"), code="reason_required")
    if len(reason) > 2000:
        raise DomainError(_("理由不超过2000字。"), code="too_long")
    comment.disposition, comment.disposition_reason = disposition, reason
    comment.disposed_at, comment.disposed_by = timezone.now(), actor
    comment.save()
    record_event(actor=actor, event_type="consultation", obj=comment, action="comment_dispose",
                 action_label=_("答复意见采纳情况"), target_state=disposition, reason=reason)
    return comment


def _email_body(comment: PublicComment, consultation: Consultation, url: str) -> str:
    greeting = _("%(name)s：") % {"name": comment.name} if comment.name else _("您好：")
    if comment.status == Status.REJECTED:
        answer = _("您的意见未予公开，理由：%(reason)s") % {"reason": comment.moderation_reason}
    else:
        answer = _("采纳情况：%(disposition)s。%(reason)s") % {
            "disposition": comment.get_disposition_display(), "reason": comment.disposition_reason}
    lines = [greeting, "",
             _("您对“%(title)s”提出的意见（查询码%(code)s）已有答复。") % {"title": consultation.title,
                                                                "code": comment.tracking_code},
             answer, "", _("意见采纳情况说明：%(url)s") % {"url": url}, "",
             _("——法治湖州·依法行政平台（本邮件由系统自动发送，请勿直接回复。）")]
    return "\n".join(lines)


def outstanding(comments) -> tuple[int, int]:
    """What still stands before the summary: comments awaiting moderation, and approved ones
    without a disposition (the management page shows the same two numbers)."""
    pending = sum(1 for c in comments if c.status == Status.PENDING)
    undisposed = sum(1 for c in comments if c.status == Status.APPROVED and not c.disposition)
    return pending, undisposed


@transaction.atomic
def consultation_publish_summary(*, actor: User, consultation_id: int, summary: str) -> Consultation:
    """Publish the 意见采纳情况说明 with every comment's disposition, and queue one e-mail to
    each commenter who left an address (once: the outbox key is per comment)."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation_id)
    if not can_manage(actor, consultation):
        raise PermissionDenied
    if consultation.summary_published_at:
        raise InvalidState(_("采纳情况已经公布。"))
    if consultation.status != ConsultationStatus.CLOSED:
        raise InvalidState(_("征求意见截止（%(closing)s）后方可公布采纳情况。") % {"closing": consultation.closing_time})
    summary = (summary or "").strip()
    if not summary:
        raise DomainError(_("请填写意见采纳情况说明。"), code="summary_required")
    comments = list(consultation.comments.select_for_update().order_by("submitted_at", "id"))
    pending, undisposed = outstanding(comments)
    if pending:
        raise InvalidState(_("尚有%(n)s条意见未审核，请先审核。") % {"n": pending}, code="comments_pending")
    if undisposed:
        raise InvalidState(_("尚有%(n)s条意见未答复采纳情况，请先逐条答复。") % {"n": undisposed},
                           code="comments_undisposed")
    consultation.summary, consultation.summary_published_at = summary, timezone.now()
    consultation.summary_published_by = actor
    consultation.save(update_fields=["summary", "summary_published_at", "summary_published_by", "updated_at"])
    url = f"{settings.SITE_URL.rstrip('/')}{reverse('consultations:detail', args=[consultation.pk])}"
    now = timezone.now()
    OutboxEmail.objects.bulk_create([
        OutboxEmail(idempotency_key=f"consultation-comment:{c.pk}:answer", to_address=c.email, next_attempt_at=now,
                    subject=(_("[法治湖州] 您的意见已有答复：%(title)s") % {"title": consultation.title})[:300],
                    body=_email_body(c, consultation, url))
        for c in comments if c.email
    ], ignore_conflicts=True)
    record_event(actor=actor, event_type="consultation", obj=consultation, action="consultation_publish_summary",
                 action_label=_("公布意见采纳情况"), reason=summary,
                 details={"comments": len(comments), "emails": sum(1 for c in comments if c.email)})
    return consultation
