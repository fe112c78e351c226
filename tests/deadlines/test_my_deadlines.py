"""我的期限: the person's open deadlines grouped by urgency (overdue, this week, this month, later —
the later ones folded), filterable by kind of work and responsible unit, 50 a page. A legality review's
deadline is the review unit's: it shows in its reviewers' 我的期限 (not the submitter's), and when overdue
it is charged to the review unit with a named 责任人 — the reviewer once claimed, else the unit's head."""
import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from core.models import Role
from deadlines.models import LegalClock
from decisions.workflow import DecisionStatus
from reviews import services as review_services
from reviews.models import ReviewTask
from tests import factories
from tests.deadlines.conftest import NOW

pytestmark = pytest.mark.django_db
URL = reverse("workbench:my-deadlines")


def group_of(html: str, key: str) -> str:
    match = re.search(rf'data-testid="group-{key}".*?(</section>|</details>)', html, re.S)
    return match.group(0) if match else ""


def test_deadlines_are_grouped_by_urgency_with_the_later_ones_folded(client, make_clock, staff_user):
    with time_machine.travel(NOW, tick=False):
        for label, due in (("逾期事项", dt.date(2026, 5, 8)), ("本周事项", dt.date(2026, 5, 15)),
                           ("本月事项", dt.date(2026, 5, 28)), ("以后事项", dt.date(2031, 6, 30))):
            make_clock(department=staff_user.department, fixed_due_on=due, label=label)
        client.force_login(staff_user)
        html = client.get(URL).content.decode()
    assert "逾期事项" in group_of(html, "overdue") and "本周事项" in group_of(html, "week")
    assert "本月事项" in group_of(html, "month")
    later = group_of(html, "later")
    assert later.startswith('data-testid="group-later"><summary>') and "以后事项" in later  # folded: <details>


def test_the_list_is_paged_and_filtered_with_a_fixed_number_of_queries(
        client, make_clock, staff_user, django_assert_max_num_queries):
    with time_machine.travel(NOW, tick=False):
        for n in range(55):
            make_clock(department=staff_user.department, fixed_due_on=dt.date(2026, 6, 1) + dt.timedelta(days=n))
        client.force_login(staff_user)
        with django_assert_max_num_queries(14):
            first = client.get(URL, {"department": staff_user.department_id})
        next_page = re.search(r'rel="next" href="\?([^"]+)"', first.content.decode()).group(1).replace("&amp;", "&")
        second = client.get(f"{URL}?{next_page}")
        other = client.get(URL, {"department": staff_user.department_id, "kind": "enforcement"})
    assert first.content.decode().count('href="/work/deadlines/') == 50
    assert second.content.decode().count('href="/work/deadlines/') == 5
    assert other.status_code == 200 and 'href="/work/deadlines/' not in other.content.decode()


@pytest.fixture
def review(db):
    with time_machine.travel(NOW, tick=False):
        decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW)
    task = ReviewTask.objects.get(object_id=decision.pk, status=ReviewTask.Status.OPEN)
    return decision, task


def test_a_review_deadline_is_the_review_units_and_shows_in_its_reviewers_deadlines(client, review):
    decision, task = review
    clock = LegalClock.objects.get(object_id=task.pk, content_type__model="reviewtask")
    reviewer = factories.reviewer_for(decision.department)
    assert clock.department_id == task.review_unit_id != decision.department_id
    with time_machine.travel(NOW, tick=False):
        client.force_login(reviewer)
        mine = client.get(URL).content.decode()
        only_reviews = client.get(URL, {"kind": "reviews"}).content.decode()
        only_decisions = client.get(URL, {"kind": "decisions"}).content.decode()
        client.force_login(decision.created_by)
        submitter = client.get(URL).content.decode()
    assert clock.label in mine and clock.label in only_reviews and clock.label not in only_decisions
    assert clock.label not in submitter


def test_an_overdue_review_is_charged_to_the_review_unit_with_a_named_person(client, review):
    decision, task = review
    clock = LegalClock.objects.get(object_id=task.pk, content_type__model="reviewtask")
    lead = factories.UserFactory(department=task.review_unit, roles=[Role.REVIEWER, Role.HEAD], full_name="赵科长")
    reviewer = factories.reviewer_for(decision.department, full_name="王审查")
    supervisor = factories.supervisor()
    late = clock.due_on + dt.timedelta(days=3)
    with time_machine.travel(f"{late} 10:00 +0800", tick=False):
        client.force_login(supervisor)
        unclaimed = client.get(reverse("deadlines:overdue")).content.decode()
        review_services.review_task_claim(task_id=task.pk, actor=reviewer)
        claimed = client.get(reverse("deadlines:overdue")).content.decode()
    row = re.search(rf"{re.escape(clock.label)}.*?</tr>", unclaimed, re.S).group(0)
    assert task.review_unit.short_name in row or task.review_unit.name in row
    assert lead.full_name in row and "单位负责人" in row
    assert "王审查" in re.search(rf"{re.escape(clock.label)}.*?</tr>", claimed, re.S).group(0)
