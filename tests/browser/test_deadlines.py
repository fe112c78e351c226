"""Deadlines in a real browser: a reviewer sees the review's due date on 我的工作,
opens it and reads how the National Day holiday and the make-up Saturday were
counted; the reminder arrives in the notification centre; the review unit (whose
deadline it is) pauses the clock while the submitting department supplements its material."""
import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from deadlines import services as deadline_services
from deadlines.models import LegalClock
from decisions.workflow import DecisionStatus
from reviews import services as review_services
from reviews.models import ReviewTask
from tests import factories
from tests.browser.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_review_deadline_explains_itself_reminds_and_pauses(page, live_server):
    with time_machine.travel("2026-09-29 10:00 +0800", tick=False):
        staff = factories.staff("hz-drc", username="d_staff", full_name="张承办")
        reviewer = factories.reviewer(username="d_reviewer", full_name="王审查")
        decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW, staff_user=staff,
                                               title="湖州市促进民营经济高质量发展若干政策")
        task = ReviewTask.objects.get(object_id=decision.pk)
        review_services.review_task_claim(task_id=task.pk, actor=reviewer)

    with time_machine.travel("2026-10-12 10:00 +0800", tick=True):
        # The 5th working day after submission (Sep 30, Oct 8, 9, the make-up Sat Oct 10, Oct 12): the warning.
        assert deadline_services.reminders_deliver_due() >= 1

        login(page, live_server, "d_reviewer")
        deadlines = page.locator("table.deadlines")
        expect(deadlines).to_contain_text("合法性审查：湖州市促进民营经济高质量发展若干政策")
        expect(deadlines).to_contain_text("2026年10月26日")
        expect(deadlines).to_contain_text("剩余10个工作日")
        expect(page.locator("a.inbox .count")).to_have_text("1")

        deadlines.get_by_role("link", name="合法性审查：湖州市促进民营经济高质量发展若干政策").click()
        explanation = page.get_by_test_id("explanation")
        expect(explanation).to_contain_text("10月1日至10月7日国庆节")
        expect(explanation).to_contain_text("2026年10月10日（星期六）")
        expect(explanation).to_contain_text("到期日：2026年10月26日（星期一）24时")

        page.locator("a.inbox").click()
        expect(page.get_by_role("heading", name="消息中心")).to_be_visible()
        expect(page.locator("main")).to_contain_text("【即将到期】合法性审查")
        page.get_by_role("button", name="全部标为已读").click()
        expect(page.locator("a.inbox .count")).to_have_count(0)
        page.get_by_role("button", name="退出").click()

        # The review unit pauses its clock while the submitter supplements its material; bad input first.
        login(page, live_server, "d_reviewer")
        clock = LegalClock.objects.get(rule="decision.legality_review", object_id=task.pk)
        page.goto(f"{live_server.url}/work/deadlines/{clock.pk}/")
        page.get_by_role("button", name="中止").click()
        expect(page.locator("main")).to_contain_text("该字段是必填项")
        assert LegalClock.objects.get(pk=clock.pk).status == "running"
        page.get_by_label("中止事由").select_option(label="当事人补正材料")
        page.get_by_label("具体情况").fill("审查机构要求补充风险评估报告。")
        page.get_by_role("button", name="中止").click()
        expect(page.locator("main")).to_contain_text("已中止")
        paused = LegalClock.objects.get(pk=clock.pk)
        assert (paused.status, paused.due_on) == ("paused", None)
        assert paused.pauses.get().paused_on == dt.date(2026, 10, 12)
