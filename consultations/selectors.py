"""Every read of consultations and comments, public and inside."""
from __future__ import annotations

import datetime as dt

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from core.workdays import local_today

from .models import Consultation, PublicComment

LIST_COLUMNS = ("id", "title", "opens_on", "closes_on", "summary_published_at", "channel", "content_type__app_label",
                "content_type__model", "department__name")


def public_consultation_list(*, today: dt.date | None = None) -> QuerySet[Consultation]:
    """Public consultations: open ones first (closing soonest first), then those not yet open,
    then closed ones (latest first); with the number of comments shown on each page."""
    today = today or local_today()
    rank = Case(
        When(Q(summary_published_at__isnull=True, opens_on__lte=today, closes_on__gte=today), then=Value(0)),
        When(Q(summary_published_at__isnull=True, opens_on__gt=today), then=Value(1)),
        default=Value(2), output_field=IntegerField())
    soonest = Case(When(Q(opens_on__lte=today, closes_on__gte=today), then="closes_on"), default=None)
    return (Consultation.objects.public().select_related("content_type", "department").only(*LIST_COLUMNS)
            .annotate(rank=rank, soonest=soonest,
                      approved_count=Count("comments", filter=Q(comments__status=PublicComment.Status.APPROVED)))
            .order_by("rank", "soonest", "-closes_on", "-id"))


def public_consultation_open_list(*, today: dt.date | None = None) -> QuerySet[Consultation]:
    """Open today, the soonest closing first (the Atom feed)."""
    today = today or local_today()
    return (Consultation.objects.public().open_on(today).select_related("content_type", "department")
            .order_by("closes_on", "id"))


def public_consultation_get(*, consultation_id: int) -> Consultation:
    """Raises Consultation.DoesNotExist for what is not public."""
    return Consultation.objects.public().select_related("content_type", "department").get(pk=consultation_id)


def public_comments(consultation: Consultation) -> QuerySet[PublicComment]:
    """Approved comments only, and only the columns the public may read (never contact details)."""
    return (consultation.comments.filter(status=PublicComment.Status.APPROVED)
            .only("id", "consultation_id", "body", "name", "submitted_at", "disposition", "disposition_reason")
            .order_by("submitted_at", "id"))


def consultations_for_subject(subject, *, public: bool = False) -> list[Consultation]:
    """The consultations of one decision or document, newest round first."""
    from django.contrib.contenttypes.models import ContentType

    rows = Consultation.objects.public() if public else Consultation.objects.all()
    return list(rows.filter(content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk)
                .only("id", "round", "title", "opens_on", "closes_on", "summary_published_at").order_by("-round"))


def comments_for_management(consultation: Consultation) -> QuerySet[PublicComment]:
    return consultation.comments.select_related("moderated_by", "disposed_by").order_by("submitted_at", "id")

