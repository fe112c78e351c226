"""Demo consultations, after the decision and normative document demos have opened their
comment periods: the open decision draft gets comments (two approved, one awaiting review),
and the earliest closed normative draft gets answered comments and a published summary."""
from __future__ import annotations

import datetime as dt

from core.models import User
from core.workdays import local_today
from decisions.demo import on

from . import services
from .models import Consultation, PublicComment

D = PublicComment.Disposition
OPEN_COMMENTS = [
    ("建议在园区规划中预留人才公寓和配套学校用地，方便企业引进人才。", "周女士", "zhou@example.com", True),
    ("建议明确园区企业入驻的产业准入标准和亩均税收要求，避免低效用地。", "", "", True),
    ("希望园区建设期间做好周边道路交通组织，减少对居民出行的影响。", "吴先生", "", False),
]
CLOSED_COMMENTS = [
    ("建议将适用范围扩大到区县设立的科技企业孵化器。", "湖州某科技有限公司", "ops@example.com", D.ADOPTED, ""),
    ("建议取消申请奖励须提供第三方审计报告的要求，减轻企业负担。", "钱先生", "qian@example.com", D.PARTLY_ADOPTED,
     "对奖励金额50万元以下的，不再要求第三方审计报告；50万元以上的仍须提供，以保障财政资金安全。"),
    ("建议对所有企业一律给予研发费用全额补助。", "", "", D.NOT_ADOPTED,
     "全额补助超出本市财政承受能力，且与省级政策口径不一致，未予采纳。"),
]


def _day(day: dt.date) -> str:
    return day.isoformat()


def _drafter(consultation: Consultation) -> User:
    return User.objects.get(pk=consultation.subject.created_by_id)


def load() -> None:
    today = local_today()
    open_one = (Consultation.objects.filter(content_type__model="decision", closes_on__gte=today)
                .order_by("closes_on").first())
    if open_one is not None:
        staff = _drafter(open_one)
        for i, (body, name, email, approve) in enumerate(OPEN_COMMENTS):
            with on(_day(min(open_one.opens_on + dt.timedelta(days=i + 1), today))):
                comment = services.comment_submit(consultation_id=open_one.pk, body=body, name=name, email=email,
                                                  client_address=f"192.0.2.{10 + i}")
                if approve:
                    services.comment_moderate(actor=staff, comment_id=comment.pk, approve=True)
    closed_one = (Consultation.objects.filter(content_type__model="normativedocument", closes_on__lt=today,
                                              summary_published_at__isnull=True)
                  .order_by("closes_on", "id").first())
    if closed_one is None:
        return
    staff = _drafter(closed_one)
    comments = []
    for i, (body, name, email, _disposition, _reason) in enumerate(CLOSED_COMMENTS):
        with on(_day(closed_one.opens_on + dt.timedelta(days=i + 1))):
            comments.append(services.comment_submit(consultation_id=closed_one.pk, body=body, name=name, email=email,
                                                    client_address=f"192.0.2.{20 + i}"))
    with on(_day(closed_one.closes_on + dt.timedelta(days=1))):
        for comment, (_body, _name, _email, disposition, reason) in zip(comments, CLOSED_COMMENTS):
            services.comment_moderate(actor=staff, comment_id=comment.pk, approve=True)
            services.comment_dispose(actor=staff, comment_id=comment.pk, disposition=disposition, reason=reason)
        services.consultation_publish_summary(
            actor=staff, consultation_id=closed_one.pk,
            summary="征求意见期间共收到社会公众意见3条，采纳1条，部分采纳1条，不予采纳1条。对未采纳的意见已逐条说明理由。")
