"""The consultation's lifecycle through its services: opened with the subject, commented on by
the public while open, moderated and answered by the drafting unit, summarised once."""
import datetime as dt
import hashlib

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from consultations import services
from consultations.models import Consultation, ConsultationStatus, PublicComment
from core.exceptions import DomainError
from core.models import AuditEvent
from deadlines.models import Notification, OutboxEmail
from decisions import services as decision_services
from tests import factories

from .conftest import AFTER_CLOSING, CLOSES, OPENS, open_decision_consultation

D = PublicComment.Disposition
A, P, N = D.ADOPTED, D.PARTLY_ADOPTED, D.NOT_ADOPTED


def comment(consultation, body="建议将第三条中的申请期限由10日延长至15日，方便企业准备材料。", address="203.0.113.7",
            **kwargs) -> PublicComment:
    return services.comment_submit(consultation_id=consultation.pk, body=body, client_address=address, **kwargs)


def approved_comments(consultation_pk, staff_user, *dispositions_to_come):
    """One approved comment (with an e-mail address) per disposition the test will give it."""
    comments = []
    for i, _disposition in enumerate(dispositions_to_come):
        c = comment(Consultation.objects.get(pk=consultation_pk), body=f"第{i + 1}条意见：建议增加对小微企业的扶持条款。",
                    email=f"citizen{i}@example.com")
        services.comment_moderate(actor=staff_user, comment_id=c.pk, approve=True)
        comments.append(c)
    return comments


# ================================================================== opening
def test_opening_a_decision_comment_period_creates_its_consultation_with_the_draft(consultation):
    decision = consultation.subject
    assert (consultation.title, consultation.draft_text, consultation.opens_on, consultation.closes_on) == (
        decision.title, decision.draft_text, OPENS, CLOSES)
    assert consultation.department_id == decision.department_id
    assert consultation.status == ConsultationStatus.OPEN
    assert consultation.closing_time == "2026年6月10日24时"


def test_opening_a_document_comment_period_creates_its_consultation_with_body_and_explanation(document_consultation):
    document = document_consultation.subject
    assert document_consultation.draft_text == document.body
    assert document_consultation.explanation == "起草依据和主要内容说明。"
    assert document_consultation.channel == "电子邮件：fzb@huzhou.gov.cn"


def test_reopening_the_same_round_moves_the_dates_of_the_same_consultation(consultation, staff_user):
    decision_services.decision_open_public_comment(actor=staff_user, decision_id=consultation.object_id,
                                                   opened_on=OPENS, closes_on=dt.date(2026, 6, 20), channel="湖州日报")
    assert Consultation.objects.filter(object_id=consultation.object_id).count() == 1
    assert Consultation.objects.get(pk=consultation.pk).closes_on == dt.date(2026, 6, 20)


def test_opening_is_audited(consultation):
    assert AuditEvent.objects.filter(action="consultation_open", object_id=consultation.pk).exists()


# ================================================================== the public's comment
def test_a_comment_while_open_is_saved_pending_with_a_tracking_code_and_a_hashed_address(consultation):
    saved = comment(consultation, name="王先生", email="wang@example.com")
    assert saved.status == PublicComment.Status.PENDING
    assert len(saved.tracking_code) == 10
    assert "203.0.113.7" not in saved.ip_hash and len(saved.ip_hash) == 64
    # keyed: the plain digest of the address (which anyone could compute for every address) is not stored
    assert saved.ip_hash != hashlib.sha256(b"203.0.113.7").hexdigest()


def test_the_opener_is_notified_of_a_comment_awaiting_review(consultation, staff_user):
    saved = comment(consultation)
    notification = Notification.objects.get(recipient=staff_user)
    assert notification.title == f"收到公众意见，待审核：{consultation.title}"
    assert notification.url == f"/consultations/manage/{consultation.pk}/"
    assert saved.body in notification.body


def test_a_comment_after_the_closing_moment_is_refused_and_nothing_is_saved(consultation):
    with time_machine.travel(AFTER_CLOSING, tick=False):
        with pytest.raises(DomainError, match="^征求意见已于2026年6月10日24时截止，不再接收意见。$"):
            comment(consultation)
    assert not PublicComment.objects.exists()


def test_a_comment_in_the_last_minute_of_the_closing_day_is_accepted(consultation):
    with time_machine.travel("2026-06-10 23:59 +0800", tick=False):
        assert comment(consultation).pk


def test_the_sixth_comment_within_an_hour_from_one_address_is_refused(consultation):
    for i in range(services.RATE_LIMIT):
        comment(consultation, body=f"第{i}条意见：建议明确办理时限。")
    with pytest.raises(DomainError, match="^提交过于频繁：每小时最多提交5条意见，请稍后再试。$"):
        comment(consultation, body="第六条意见：建议明确办理时限。")
    assert comment(consultation, body="另一位市民的意见：建议明确办理时限。", address="198.51.100.1").pk
    assert PublicComment.objects.count() == services.RATE_LIMIT + 1


@pytest.mark.parametrize(("body", "message"), [
    ("好", "意见内容过短，请至少填写5个字。"),
    ("看这里 http://spam.example/a http://spam.example/b http://spam.example/c", "意见内容中的链接过多，请直接写明意见。"),
    ("优惠 https://casino.example/win-big-today", "意见内容中的链接过多，请直接写明意见。"),
    ("x" * 5001, "意见内容不能超过5000字。"),
])
def test_spam_and_bad_bodies_are_refused_with_a_clear_message(consultation, body, message):
    with pytest.raises(DomainError) as refused:
        comment(consultation, body=body)
    assert refused.value.message == message
    assert not PublicComment.objects.exists()


def test_the_same_text_twice_is_refused_as_a_duplicate(consultation):
    comment(consultation)
    with pytest.raises(DomainError, match="^相同内容的意见已经提交过，请勿重复提交。$"):
        comment(consultation, address="198.51.100.1")
    assert PublicComment.objects.count() == 1


def test_a_bad_email_address_is_refused(consultation):
    with pytest.raises(DomainError, match="^电子邮箱格式不正确。$"):
        comment(consultation, email="not-an-address")


def test_a_withheld_decision_takes_no_comments(staff_user):
    withheld = open_decision_consultation(staff_user, disclosure="withheld", withheld_reason="涉及国家秘密，依法不予公开。")
    with pytest.raises(Consultation.DoesNotExist):
        comment(withheld)


# ================================================================== moderation
def test_drafting_staff_approve_a_comment(consultation, staff_user):
    saved = comment(consultation)
    services.comment_moderate(actor=staff_user, comment_id=saved.pk, approve=True)
    assert PublicComment.objects.get(pk=saved.pk).status == PublicComment.Status.APPROVED
    assert AuditEvent.objects.filter(action="comment_moderate", object_id=saved.pk).exists()


def test_rejecting_a_comment_needs_a_reason(consultation, staff_user):
    saved = comment(consultation)
    with pytest.raises(DomainError, match="^不予公开的，请填写理由。$"):
        services.comment_moderate(actor=staff_user, comment_id=saved.pk, approve=False)
    services.comment_moderate(actor=staff_user, comment_id=saved.pk, approve=False, reason="含有他人个人信息。")
    assert PublicComment.objects.get(pk=saved.pk).moderation_reason == "含有他人个人信息。"


def test_staff_of_another_department_may_not_moderate(consultation, other_staff_user):
    saved = comment(consultation)
    with pytest.raises(PermissionDenied):
        services.comment_moderate(actor=other_staff_user, comment_id=saved.pk, approve=True)
    assert PublicComment.objects.get(pk=saved.pk).status == PublicComment.Status.PENDING


def test_the_document_drafting_unit_moderates_its_consultation(document_consultation, staff_user, other_staff_user):
    saved = comment(document_consultation)
    with pytest.raises(PermissionDenied):
        services.comment_moderate(actor=other_staff_user, comment_id=saved.pk, approve=True)
    services.comment_moderate(actor=staff_user, comment_id=saved.pk, approve=True)


# ================================================================== disposition
def test_a_comment_cannot_be_answered_before_closing(consultation, staff_user):
    saved = approved_comments(consultation.pk, staff_user, A)[0]
    with pytest.raises(DomainError, match="^征求意见截止（2026年6月10日24时）后方可答复意见采纳情况。$"):
        services.comment_dispose(actor=staff_user, comment_id=saved.pk, disposition=A)


@pytest.mark.parametrize("disposition", [P, N])
def test_partly_or_not_adopted_needs_a_reason(consultation, staff_user, disposition):
    saved = approved_comments(consultation.pk, staff_user, disposition)[0]
    with time_machine.travel(AFTER_CLOSING, tick=False):
        with pytest.raises(DomainError, match="^部分采纳或不予采纳的，请说明理由。$"):
            services.comment_dispose(actor=staff_user, comment_id=saved.pk, disposition=disposition)
        services.comment_dispose(actor=staff_user, comment_id=saved.pk, disposition=disposition, reason="与上位法不一致。")
    assert PublicComment.objects.get(pk=saved.pk).disposition == disposition


def test_adopted_needs_no_reason(consultation, staff_user):
    saved = approved_comments(consultation.pk, staff_user, A)[0]
    with time_machine.travel(AFTER_CLOSING, tick=False):
        services.comment_dispose(actor=staff_user, comment_id=saved.pk, disposition=A)


def test_staff_of_another_department_may_not_answer(consultation, staff_user, other_staff_user):
    saved = approved_comments(consultation.pk, staff_user, A)[0]
    with time_machine.travel(AFTER_CLOSING, tick=False):
        with pytest.raises(PermissionDenied):
            services.comment_dispose(actor=other_staff_user, comment_id=saved.pk, disposition=A)


# ================================================================== the summary
def test_the_summary_is_refused_while_a_comment_has_no_disposition(consultation, staff_user):
    first, _second = approved_comments(consultation.pk, staff_user, A, N)
    with time_machine.travel(AFTER_CLOSING, tick=False):
        services.comment_dispose(actor=staff_user, comment_id=first.pk, disposition=A)
        with pytest.raises(DomainError, match="^尚有1条意见未答复采纳情况，请先逐条答复。$"):
            services.consultation_publish_summary(actor=staff_user, consultation_id=consultation.pk, summary="共2条。")
    assert not Consultation.objects.get(pk=consultation.pk).summary_published_at
    assert not OutboxEmail.objects.exists()


def test_the_summary_is_refused_while_a_comment_awaits_moderation(consultation, staff_user):
    comment(consultation)
    with time_machine.travel(AFTER_CLOSING, tick=False):
        with pytest.raises(DomainError, match="^尚有1条意见未审核，请先审核。$"):
            services.consultation_publish_summary(actor=staff_user, consultation_id=consultation.pk, summary="共1条。")


def test_the_summary_is_refused_before_closing_and_without_text(consultation, staff_user):
    with pytest.raises(DomainError, match="^征求意见截止（2026年6月10日24时）后方可公布采纳情况。$"):
        services.consultation_publish_summary(actor=staff_user, consultation_id=consultation.pk, summary="共0条。")
    with time_machine.travel(AFTER_CLOSING, tick=False):
        with pytest.raises(DomainError, match="^请填写意见采纳情况说明。$"):
            services.consultation_publish_summary(actor=staff_user, consultation_id=consultation.pk, summary=" ")


def test_publishing_the_summary_queues_one_email_per_commenter_with_an_address(consultation, staff_user):
    answered = approved_comments(consultation.pk, staff_user, A, N)
    comment(consultation, body="没有留邮箱的市民意见：建议延长公示期。", address="198.51.100.9")
    kept_off = comment(consultation, body="含个人信息的意见：请联系张三13800000000。", email="kept@example.com",
                       address="198.51.100.10")
    services.comment_moderate(actor=staff_user, comment_id=kept_off.pk, approve=False, reason="含有他人个人信息。")
    with time_machine.travel(AFTER_CLOSING, tick=False):
        no_email = PublicComment.objects.get(email="", status=PublicComment.Status.PENDING)
        services.comment_moderate(actor=staff_user, comment_id=no_email.pk, approve=True)
        services.comment_dispose(actor=staff_user, comment_id=no_email.pk, disposition=A)
        services.comment_dispose(actor=staff_user, comment_id=answered[0].pk, disposition=A)
        services.comment_dispose(actor=staff_user, comment_id=answered[1].pk, disposition=N, reason="超出本决策范围。")
        services.consultation_publish_summary(actor=staff_user, consultation_id=consultation.pk,
                                              summary="共收到意见4条，采纳2条，不予采纳1条，1条不予公开。")
        with pytest.raises(DomainError, match="^采纳情况已经公布。$"):
            services.consultation_publish_summary(actor=staff_user, consultation_id=consultation.pk, summary="再次")

    emails = {e.to_address: e for e in OutboxEmail.objects.all()}
    assert sorted(emails) == ["citizen0@example.com", "citizen1@example.com", "kept@example.com"]
    assert "采纳情况：不予采纳。超出本决策范围。" in emails["citizen1@example.com"].body
    assert f"/consultations/{consultation.pk}/" in emails["citizen1@example.com"].body
    assert "您的意见未予公开，理由：含有他人个人信息。" in emails["kept@example.com"].body
    assert Consultation.objects.get(pk=consultation.pk).status == ConsultationStatus.SUMMARY_PUBLISHED


def test_after_the_summary_nothing_can_be_changed(consultation, staff_user):
    saved = approved_comments(consultation.pk, staff_user, A)[0]
    with time_machine.travel(AFTER_CLOSING, tick=False):
        services.comment_dispose(actor=staff_user, comment_id=saved.pk, disposition=A)
        services.consultation_publish_summary(actor=staff_user, consultation_id=consultation.pk, summary="采纳1条。")
        with pytest.raises(DomainError, match="^采纳情况已经公布，不能再修改。$"):
            services.comment_dispose(actor=staff_user, comment_id=saved.pk, disposition=N, reason="改变主意。")


def test_staff_of_another_department_may_not_publish_the_summary(consultation, other_staff_user):
    with time_machine.travel(AFTER_CLOSING, tick=False):
        with pytest.raises(PermissionDenied):
            services.consultation_publish_summary(actor=other_staff_user, consultation_id=consultation.pk,
                                                  summary="共0条。")


def test_an_office_user_is_not_the_drafting_unit(consultation):
    with pytest.raises(PermissionDenied):
        services.comment_moderate(actor=factories.office(), comment_id=comment(consultation).pk, approve=True)
