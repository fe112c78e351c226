"""The demo data loads the enforcement cases through the real services and leaves them in the
states the demo walks through; the public notices hold no resident ID in the clear."""
import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core.models import AuditEvent, User
from deadlines.models import LegalClock
from enforcement import masking
from enforcement.models import Case, OfficerCertificate, PublicNotice, RecordEntry
from enforcement.workflow import CaseStatus as C
from reviews.models import ReviewTask
from tests.api_support import api

pytestmark = pytest.mark.django_db


def case(title: str) -> Case:
    return Case.objects.get(title=title)


def clock(subject, rule: str) -> LegalClock:
    return LegalClock.objects.filter(content_type=ContentType.objects.get_for_model(type(subject)),
                                     object_id=subject.pk, rule=rule).order_by("-id").first()


def check_the_demo_accounts_are_listed_and_certified(demo):
    for username in ("demo_officer", "demo_officer2", "demo_enforcement_head"):
        assert username in demo
        user = User.objects.get(username=username)
        assert user.department.code == "hz-amr" and user.check_password("Huzhou#Demo2026")
        assert OfficerCertificate.objects.get(user=user).is_valid_on(dt.date(2026, 11, 27))
    assert OfficerCertificate.objects.get(user__username="demo_reviewer").legal_qualification
    assert OfficerCertificate.objects.filter(body__code="hz-eco").count() == 3
    expired = OfficerCertificate.objects.get(user__username="amr_officer_expired")
    assert not expired.is_valid_on(dt.date(2026, 11, 27))


def check_the_full_case_runs_from_the_clue_to_closing(demo):
    full = case("销售超过保质期食品案")
    assert (full.status, full.number, full.decision_number) == (C.CLOSED, "市市场监管局罚立〔2026〕1号", "湖市监罚〔2026〕58号")
    assert (full.opened_on, full.decided_on, full.served_on, full.paid_on, full.closed_on) == (
        dt.date(2026, 8, 4), dt.date(2026, 9, 9), dt.date(2026, 9, 10), dt.date(2026, 9, 22), dt.date(2026, 9, 24))
    assert (full.fine_amount, full.paid_amount, full.legal_review_passed) == (Decimal("50000"), Decimal("50000"), True)
    assert full.legal_review_grounds == ["hearing", "amount"]
    assert (full.hearing_on, full.hearing_chair.username) == (dt.date(2026, 9, 2), "demo_enforcement_head")
    assert [r.kind for r in full.records.all()] == ["inspection", "questioning", "seizure"]
    seizure = full.records.get(kind="seizure")
    assert seizure.has_audio_video and seizure.attachments.count() == 2
    assert clock(seizure, "enforcement.seizure").status == "stopped"
    decision = clock(full, "enforcement.case_decision")
    # opened 4 Aug: day 90 Mon 2 Nov; the hearing paused it 25 Aug – 2 Sep (9 days): Wed 11 Nov
    assert (decision.status, decision.due_on) == ("stopped", dt.date(2026, 11, 11))
    task = ReviewTask.objects.get(object_id=full.pk, kind="enforcement")
    assert (task.status, task.outcome, task.assigned_to.username) == ("done", "passed", "demo_reviewer")
    notice = full.notice
    assert (notice.published_on, notice.on_time, notice.party_masked) == (dt.date(2026, 9, 11), True, "陈**")
    assert "陈建国" not in notice.content and full.party_id_number not in notice.content


def check_an_open_case_is_past_its_day_ninety(demo):
    overdue = case("生产经营标签不符合规定的预包装食品案")
    decision = clock(overdue, "enforcement.case_decision")
    assert overdue.status == C.INVESTIGATING
    assert (decision.status, decision.due_on) == ("running", dt.date(2026, 11, 23))  # Sun 22 Nov rolled forward
    assert decision.due_on < dt.date(2026, 11, 27)


def check_the_same_company_is_inspected_by_two_bodies_within_thirty_days(demo):
    amr = case("生产经营标签不符合规定的预包装食品案")
    eco = case("超标排放水污染物案")
    assert eco.party_id_number == amr.party_id_number and eco.body.code == "hz-eco" != amr.body.code
    assert (eco.status, eco.number) == (C.INVESTIGATING, "市生态环境局罚立〔2026〕1号")
    assert 0 < (eco.opened_on - amr.opened_on).days <= 30


def check_a_decision_was_not_published_on_time(demo):
    late = case("未按规定公示食品经营许可证案")
    assert (late.status, late.outcome, late.paid_on) == (C.SERVED, "penalty", dt.date(2026, 11, 10))
    assert not PublicNotice.objects.filter(case=late).exists()
    publicity = clock(late, "enforcement.publicity_penalty")
    assert (publicity.status, publicity.due_on) == ("running", dt.date(2026, 11, 5))


def check_a_first_violation_is_not_punished_and_published(demo):
    first = case("网店未依法亮照经营案")
    assert (first.status, first.outcome, first.no_penalty_ground, first.fine_amount) == (
        C.CLOSED, "no_penalty", "first_violation", Decimal("0"))
    assert "首违不罚" in first.notice.content and first.notice.on_time
    assert first.notice.party_masked == "李**"


def check_a_case_waits_in_the_shared_review_queue(demo):
    waiting = case("经营未按规定注册的医疗器械案")
    assert (waiting.status, waiting.legal_review_grounds) == (C.LEGAL_REVIEW, ["amount"])
    task = ReviewTask.objects.get(object_id=waiting.pk, kind="enforcement")
    assert (task.status, task.assigned_to) == (ReviewTask.Status.OPEN, None)
    assert clock(waiting, "enforcement.hearing_request").status == "stopped"


def check_the_public_notices_hold_no_unmasked_id(demo):
    notices = PublicNotice.objects.all()
    assert notices.count() == 2
    for notice in notices:
        text = " ".join([notice.title, notice.party_masked, notice.id_masked, notice.content])
        assert not masking.contains_unmasked_id(text)
    with time_machine.travel("2026-11-27 10:00 +0800", tick=False):
        response = api().get(reverse("enforcement-api:public-notice-list"))
    assert response.json()["count"] == 2
    assert not masking.contains_unmasked_id(response.content.decode())


def check_every_demo_record_is_audited(demo):
    full = case("销售超过保质期食品案")
    actions = set(AuditEvent.objects.filter(object_type="enforcement.case", object_id=str(full.pk))
                  .values_list("action", flat=True))
    assert {"register_clue", "open", "record_entry", "notify", "request_hearing", "hold_hearing",
            "submit_for_legal_review", "pass_legal_review", "decide", "serve", "notice_publish", "payment",
            "close"} <= actions
    assert RecordEntry.objects.filter(case__body__code="hz-amr").count() == 9


def test_the_demo_loads_the_enforcement_cases_in_the_states_it_walks_through(demo):
    """One load (it takes a while) and every check of what it must contain."""
    check_the_demo_accounts_are_listed_and_certified(demo)
    check_the_full_case_runs_from_the_clue_to_closing(demo)
    check_an_open_case_is_past_its_day_ninety(demo)
    check_the_same_company_is_inspected_by_two_bodies_within_thirty_days(demo)
    check_a_decision_was_not_published_on_time(demo)
    check_a_first_violation_is_not_punished_and_published(demo)
    check_a_case_waits_in_the_shared_review_queue(demo)
    check_the_public_notices_hold_no_unmasked_id(demo)
    check_every_demo_record_is_audited(demo)
