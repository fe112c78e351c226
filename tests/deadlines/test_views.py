"""The deadline pages: 我的期限 on 我的工作, a clock's page with its forms, the
overdue list for supervision, the notification centre, the reminder settings, the
header badge and the traffic lights.

Dates are hand-counted from the official 2026 calendar (劳动节 5-1..5-5, 上班 5-9;
清明 4-4..4-6); today is Monday 11 May 2026."""
import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Department
from core.workdays import WorkCalendar
from deadlines import selectors, services
from deadlines.models import (
    ClockPause,
    LegalClock,
    Notification,
    NotificationPreference,
)
from tests import factories
from tests.deadlines.conftest import (
    ADVISORY_RULE,
    ADVISORY_SOURCE,
    NOW,
    STATUTORY_RULE,
    STATUTORY_SOURCE,
    TODAY,
)
from workbench.views import MY_WORK_ROWS

D = dt.date
FEW, MANY = 3, 30
ROWS = pytest.mark.parametrize("rows", [FEW, MANY], ids=["few", "many"])


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def detail_url(clock) -> str:
    return reverse("deadlines:clock-detail", args=[clock.pk])


def refreshed(clock) -> LegalClock:
    return LegalClock.objects.get(pk=clock.pk)


def light(clock):
    return selectors.light_for(refreshed(clock), today=TODAY, calendar=WorkCalendar())


# ================================================================== traffic lights
def test_a_clock_started_today_is_green_with_working_days_left(make_clock, staff_user):
    clock = make_clock(department=staff_user.department)
    assert (clock.due_on, clock.warn_on) == (D(2026, 5, 25), D(2026, 5, 20))
    assert light(clock) == selectors.Light("green", "正常", 10, "剩余10个工作日")


def test_a_clock_past_its_warning_day_is_amber(make_clock, staff_user):
    # 4-28, 4-29, 4-30, (劳动节), 5-6, 5-7, 5-8, 5-9 (调休上班), 5-11, 5-12, 5-13; warning 3 WD before: 5-9.
    clock = make_clock(department=staff_user.department, started_on=D(2026, 4, 27))
    assert (clock.due_on, clock.warn_on) == (D(2026, 5, 13), D(2026, 5, 9))
    assert light(clock) == selectors.Light("amber", "即将到期", 2, "剩余2个工作日")


def test_a_clock_due_today_is_amber(make_clock, staff_user):
    clock = make_clock(department=staff_user.department, rule=ADVISORY_RULE, started_on=D(2026, 4, 11))
    assert clock.due_on == TODAY
    assert light(clock) == selectors.Light("amber", "今日到期", 0, "今日到期")


def test_an_overdue_clock_is_red_and_counts_calendar_days(make_clock, staff_user):
    # Due: 4-2, 4-3, (清明 4-4..4-6), 4-7 … 4-10, 4-13 … 4-16. Past it: 15 working days (5-9 调休上班 counts).
    clock = make_clock(department=staff_user.department, started_on=D(2026, 4, 1))
    assert clock.due_on == D(2026, 4, 16)
    assert light(clock) == selectors.Light("red", "已逾期", -15, "已逾期25日")


def test_a_calendar_day_clock_counts_calendar_days_left(make_clock, staff_user):
    clock = make_clock(department=staff_user.department, rule=ADVISORY_RULE)
    assert light(clock) == selectors.Light("green", "正常", 30, "剩余30日")


def test_a_paused_clock_is_grey(make_clock, staff_user):
    clock = make_clock(department=staff_user.department, started_on=D(2026, 5, 6))
    services.clock_pause(clock_id=clock.pk, actor=staff_user, paused_on=TODAY, reason_kind="supplement",
                         reason="通知当事人补正材料")
    assert light(clock) == selectors.Light("grey", "已中止", None, "已中止")


def test_a_clock_waiting_for_next_years_calendar_is_grey(make_clock, staff_user):
    clock = make_clock(department=staff_user.department, started_on=D(2026, 12, 21))
    assert clock.calendar_pending and clock.due_on is None
    assert light(clock) == selectors.Light("grey", "待载入日历", None, "待载入日历")


def test_lights_for_a_list_share_one_calendar(make_clock, staff_user, django_assert_num_queries):
    for started in (D(2026, 4, 1), D(2026, 4, 27), TODAY, D(2026, 5, 6)):
        make_clock(department=staff_user.department, started_on=started)
    clocks = list(selectors.deadlines_for(staff_user))
    with django_assert_num_queries(2):  # the year 2026 is loaded once: CalendarYear, CalendarDay
        selectors.with_lights(clocks, today=TODAY)


# ================================================================== 我的工作: 我的期限
def test_my_work_lists_the_departments_unassigned_deadlines(client, make_clock, staff_user, other_staff_user):
    clock = make_clock(department=staff_user.department, label="审查某项目")
    make_clock(department=other_staff_user.department, label="他单位事项")
    client.force_login(staff_user)
    response = client.get(reverse("workbench:my-work"))
    assert [c.pk for c in response.context["deadlines"]] == [clock.pk]
    html = response.content.decode()
    assert "我的期限" in html and "他单位事项" not in html
    assert detail_url(clock) in html
    assert "剩余10个工作日" in html and "2026-05-25" in html and STATUTORY_SOURCE in html


def test_my_work_lists_a_reviewers_assigned_deadlines(client, make_clock, staff_user, reviewer_user):
    assigned = make_clock(department=staff_user.department, assignee=reviewer_user)
    make_clock(department=staff_user.department)
    client.force_login(reviewer_user)
    response = client.get(reverse("workbench:my-work"))
    assert [c.pk for c in response.context["deadlines"]] == [assigned.pk]


def test_staff_do_not_list_a_clock_assigned_to_someone_else(make_clock, staff_user, reviewer_user):
    make_clock(department=staff_user.department, assignee=reviewer_user)
    assert list(selectors.deadlines_for(staff_user)) == []


def test_my_deadlines_leave_out_finished_clocks_and_put_undated_ones_last(make_clock, staff_user):
    pending = make_clock(department=staff_user.department, started_on=D(2026, 12, 21))
    soon = make_clock(department=staff_user.department, started_on=D(2026, 4, 27))
    done = make_clock(department=staff_user.department)
    services.clock_stop(subject=done.subject, rule=STATUTORY_RULE, actor=staff_user, note="已办结")
    assert [c.pk for c in selectors.deadlines_for(staff_user)] == [soon.pk, pending.pk]


def test_my_work_shows_its_clocks_without_a_query_per_row(client, make_clock, staff_user):
    """我的工作 reads its clocks' own columns only (MY_WORK_CLOCK_COLUMNS): what the table and the lights show."""
    make_clock(department=staff_user.department, assignee=staff_user, label="本人的期限")
    client.force_login(staff_user)
    client.get(reverse("workbench:my-work"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("workbench:my-work"))
    clocks = [make_clock(department=staff_user.department, started_on=day, label=f"单位期限{day.day}")
              for day in (D(2026, 4, 27), D(2026, 4, 29), D(2026, 5, 6), D(2026, 12, 21))]
    with CaptureQueriesContext(connection) as five:
        html = client.get(reverse("workbench:my-work")).content.decode()
    assert len(five.captured_queries) == len(one.captured_queries)
    assert "本人的期限" in html and all(f"单位期限{c.started_on.day}" in html for c in clocks)
    assert f'href="{reverse("deadlines:clock-detail", args=[clocks[0].pk])}"' in html
    row = render_to_string("deadlines/_clock_table.html", {
        "clocks": selectors.with_lights(selectors.deadlines_for(staff_user)), "user": staff_user})
    shown = render_to_string("deadlines/_clock_table.html", {
        "clocks": selectors.with_lights(selectors.soonest_deadlines_for(staff_user, 10)), "user": staff_user})
    assert shown == row  # the same table as from the full rows


def test_my_work_reads_the_same_soonest_deadlines_as_the_full_list(make_clock, staff_user, reviewer_user,
                                                                  other_staff_user):
    """我的工作 reads its rows as two index-ordered branches joined by a UNION (0023): for every cut,
    the same clocks in the same order as the one-condition list — the person's own clocks (also of
    another department) interleaved with the department's unassigned ones, undated ones last."""
    mine_elsewhere = make_clock(department=other_staff_user.department, assignee=staff_user,
                                started_on=D(2026, 4, 28))
    mine = make_clock(department=staff_user.department, assignee=staff_user, started_on=D(2026, 5, 6))
    unassigned = [make_clock(department=staff_user.department, started_on=day)
                  for day in (D(2026, 4, 27), D(2026, 4, 29), D(2026, 5, 6), D(2026, 12, 21))]
    make_clock(department=staff_user.department, assignee=reviewer_user)  # someone else's
    make_clock(department=other_staff_user.department)  # another department's
    done = make_clock(department=staff_user.department, started_on=D(2026, 4, 20))
    services.clock_stop(subject=done.subject, rule=STATUTORY_RULE, actor=staff_user, note="已办结")
    full = [c.pk for c in selectors.deadlines_for(staff_user)]
    assert sorted(full) == sorted([mine_elsewhere.pk, mine.pk] + [c.pk for c in unassigned])
    assert full[-1] == unassigned[-1].pk  # undated: last
    for limit in range(1, len(full) + 2):
        assert [c.pk for c in selectors.soonest_deadlines_for(staff_user, limit)] == full[:limit]
    # a reviewer without department duties reads only their own branch
    assert selectors.soonest_deadlines_for(other_staff_user, 10) == list(selectors.deadlines_for(other_staff_user))


@ROWS
def test_my_work_query_count_with_deadlines(client, make_clock, staff_user, django_assert_max_num_queries, rows):
    for n in range(rows):
        make_clock(department=staff_user.department, started_on=TODAY - dt.timedelta(days=n))
    client.force_login(staff_user)
    # session, user, department decisions, normative documents, deadlines, calendar year + days, unread badge,
    # header department
    with django_assert_max_num_queries(9):
        response = client.get(reverse("workbench:my-work"))
    assert len(response.context["deadlines"]) == min(rows, MY_WORK_ROWS)


# ================================================================== the clock page
def test_clock_page_explains_how_the_due_date_was_computed(client, make_clock, staff_user):
    clock = make_clock(department=staff_user.department, started_on=D(2026, 4, 27), label="测试审查事项")
    client.force_login(staff_user)
    response = client.get(detail_url(clock))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("测试审查事项", "测试办结：10个工作日", "10个工作日", STATUTORY_SOURCE, "法定期限", "2026年4月27日",
                 "2026年5月13日", f'href="/test-subjects/{clock.object_id}/"'):
        assert text in html, text
    steps = response.context["explanation"].steps
    assert "起算：2026年4月27日（星期一），自次日开始计算。" in steps
    assert "跳过法定节假日：5月1日至5月5日劳动节，共5天。" in steps
    assert "计入调休上班日：2026年5月9日（星期六）劳动节调休上班。" in steps
    assert steps[-1] == "到期日：2026年5月13日（星期三）24时。"
    for step in steps:
        assert step in html


def test_an_advisory_clock_says_service_commitment(client, make_clock, staff_user):
    clock = make_clock(department=staff_user.department, rule=ADVISORY_RULE)
    client.force_login(staff_user)
    html = client.get(detail_url(clock)).content.decode()
    assert "服务承诺" in html and ADVISORY_SOURCE in html


def test_staff_of_another_department_gets_404(client, make_clock, staff_user, other_staff_user):
    clock = make_clock(department=staff_user.department)
    client.force_login(other_staff_user)
    assert client.get(detail_url(clock)).status_code == 404


def test_reviewer_opens_a_clock_assigned_to_them(client, make_clock, staff_user, reviewer_user):
    clock = make_clock(department=staff_user.department, assignee=reviewer_user)
    client.force_login(reviewer_user)
    response = client.get(detail_url(clock))
    assert response.status_code == 200
    assert response.context["pause_form"] is None and response.context["extend_form"] is None


def test_another_reviewer_gets_404(client, make_clock, staff_user, reviewer_user, second_reviewer):
    clock = make_clock(department=staff_user.department, assignee=reviewer_user)
    client.force_login(second_reviewer)
    assert client.get(detail_url(clock)).status_code == 404


def test_a_table_of_clocks_links_to_a_clocks_page_only_for_those_it_opens_for(
        client, make_clock, staff_user, other_staff_user, reviewer_user, second_reviewer, supervisor_user):
    clocks = [make_clock(department=staff_user.department),
              make_clock(department=staff_user.department, assignee=reviewer_user),
              make_clock(department=reviewer_user.department)]  # the review unit's, nobody's yet
    for reader in (staff_user, other_staff_user, reviewer_user, second_reviewer, supervisor_user):
        client.force_login(reader)
        html = render_to_string("deadlines/_clock_table.html", {"clocks": clocks, "user": reader})
        for clock in clocks:
            opens = client.get(detail_url(clock)).status_code == 200
            assert (f'href="{detail_url(clock)}"' in html) == opens, (reader.username, clock.label, opens)


def test_supervisor_reads_any_clock_without_action_forms(client, make_clock, staff_user, supervisor_user):
    clock = make_clock(department=staff_user.department)
    client.force_login(supervisor_user)
    response = client.get(detail_url(clock))
    assert response.status_code == 200
    ctx = response.context
    assert (ctx["pause_form"], ctx["resume_form"], ctx["extend_form"]) == (None, None, None)
    assert "clock-pause" not in response.content.decode()


def test_staff_see_pause_but_not_extension(client, make_clock, staff_user):
    clock = make_clock(department=staff_user.department)
    client.force_login(staff_user)
    response = client.get(detail_url(clock))
    assert response.context["pause_form"] is not None
    assert response.context["extend_form"] is None
    assert reverse("deadlines:clock-extend", args=[clock.pk]) not in response.content.decode()


def test_head_sees_the_extension_form(client, make_clock, head_user):
    clock = make_clock(department=head_user.department)
    client.force_login(head_user)
    assert client.get(detail_url(clock)).context["extend_form"] is not None


# ------------------------------------------------------------------ pause / resume / extend
def pause_data(**overrides) -> dict:
    return {"pause-reason_kind": "supplement", "pause-reason": "书面通知当事人补正材料", "pause-paused_on": "2026-05-11",
            **overrides}


def test_staff_pause_a_clock(client, make_clock, staff_user):
    clock = make_clock(department=staff_user.department, started_on=D(2026, 5, 6))
    client.force_login(staff_user)
    response = client.post(reverse("deadlines:clock-pause", args=[clock.pk]), pause_data())
    assert response.status_code == 302 and response["Location"] == detail_url(clock)
    clock = refreshed(clock)
    assert clock.status == LegalClock.Status.PAUSED and clock.due_on is None
    pause = ClockPause.objects.get(clock=clock)
    assert (pause.paused_on, pause.reason_kind, pause.paused_by) == (TODAY, "supplement", staff_user)
    page = client.get(detail_url(clock))
    assert page.context["resume_form"] is not None and "已中止" in page.content.decode()


def test_pause_without_a_reason_changes_nothing(client, make_clock, staff_user):
    clock = make_clock(department=staff_user.department)
    client.force_login(staff_user)
    response = client.post(reverse("deadlines:clock-pause", args=[clock.pk]), pause_data(**{"pause-reason": ""}))
    assert response.status_code == 400
    assert response.context["pause_form"].errors["reason"]
    assert refreshed(clock).status == LegalClock.Status.RUNNING
    assert not ClockPause.objects.exists()


def test_pause_in_the_future_is_refused_in_chinese(client, make_clock, staff_user):
    clock = make_clock(department=staff_user.department)
    client.force_login(staff_user)
    response = client.post(reverse("deadlines:clock-pause", args=[clock.pk]),
                           pause_data(**{"pause-paused_on": "2026-05-20"}))
    assert response.status_code == 400
    assert response.context["pause_form"].non_field_errors() == ["中止日期应在起算日期之后、且不晚于今天。"]
    assert "中止日期应在起算日期之后、且不晚于今天。" in response.content.decode()
    clock = refreshed(clock)
    assert (clock.status, clock.due_on) == (LegalClock.Status.RUNNING, D(2026, 5, 25))
    assert not ClockPause.objects.exists()


def test_a_clock_whose_rule_forbids_pausing_refuses(client, make_clock, staff_user):
    clock = make_clock(department=staff_user.department, rule=ADVISORY_RULE)
    client.force_login(staff_user)
    response = client.post(reverse("deadlines:clock-pause", args=[clock.pk]), pause_data())
    assert response.status_code == 400
    assert response.context["pause_form"].non_field_errors() == ["该期限依法不适用中止。"]
    assert refreshed(clock).status == LegalClock.Status.RUNNING


def test_pause_of_another_departments_clock_is_404(client, make_clock, staff_user, other_staff_user):
    clock = make_clock(department=staff_user.department)
    client.force_login(other_staff_user)
    assert client.post(reverse("deadlines:clock-pause", args=[clock.pk]), pause_data()).status_code == 404
    assert refreshed(clock).status == LegalClock.Status.RUNNING


def test_a_reviewer_cannot_pause_their_clock(client, make_clock, staff_user, reviewer_user):
    clock = make_clock(department=staff_user.department, assignee=reviewer_user)
    client.force_login(reviewer_user)
    response = client.post(reverse("deadlines:clock-pause", args=[clock.pk]), pause_data())
    assert response.status_code == 403
    assert "无权中止该期限。" in response.content.decode()
    assert refreshed(clock).status == LegalClock.Status.RUNNING


def test_clock_forms_accept_post_only(client, make_clock, staff_user):
    clock = make_clock(department=staff_user.department)
    client.force_login(staff_user)
    for name in ("clock-pause", "clock-resume", "clock-extend"):
        assert client.get(reverse(f"deadlines:{name}", args=[clock.pk])).status_code == 405


def test_clock_forms_require_the_csrf_token(make_clock, staff_user):
    clock = make_clock(department=staff_user.department)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    assert client.post(reverse("deadlines:clock-pause", args=[clock.pk]), pause_data()).status_code == 403
    assert refreshed(clock).status == LegalClock.Status.RUNNING


def test_staff_resume_a_paused_clock(client, make_clock, staff_user):
    # 5-7, 5-8, 5-9 (调休上班) counted; paused on 5-9, resumed on 5-11: 5-10 and 5-11 do not count.
    clock = make_clock(department=staff_user.department, started_on=D(2026, 5, 6))
    services.clock_pause(clock_id=clock.pk, actor=staff_user, paused_on=D(2026, 5, 9), reason_kind="hearing",
                         reason="组织听证")
    client.force_login(staff_user)
    response = client.post(reverse("deadlines:clock-resume", args=[clock.pk]),
                           {"resume-resumed_on": "2026-05-11", "resume-note": "听证结束"})
    assert response.status_code == 302
    clock = refreshed(clock)
    # 7 working days left after 5-11: 5-12 … 5-15, 5-18, 5-19, 5-20.
    assert (clock.status, clock.due_on) == (LegalClock.Status.RUNNING, D(2026, 5, 20))
    assert ClockPause.objects.get(clock=clock).resumed_on == TODAY


def test_resume_without_a_date_changes_nothing(client, make_clock, staff_user):
    clock = make_clock(department=staff_user.department, started_on=D(2026, 5, 6))
    services.clock_pause(clock_id=clock.pk, actor=staff_user, paused_on=TODAY, reason_kind="hearing", reason="听证")
    client.force_login(staff_user)
    response = client.post(reverse("deadlines:clock-resume", args=[clock.pk]), {"resume-resumed_on": ""})
    assert response.status_code == 400
    assert refreshed(clock).status == LegalClock.Status.PAUSED


def test_resume_of_a_running_clock_is_refused(client, make_clock, staff_user):
    clock = make_clock(department=staff_user.department)
    client.force_login(staff_user)
    response = client.post(reverse("deadlines:clock-resume", args=[clock.pk]), {"resume-resumed_on": "2026-05-11"})
    assert response.status_code == 409
    assert "该期限未处于中止状态。" in response.content.decode()


def test_head_extends_a_clock(client, make_clock, head_user):
    clock = make_clock(department=head_user.department)
    client.force_login(head_user)
    response = client.post(reverse("deadlines:clock-extend", args=[clock.pk]),
                           {"extend-length": "5", "extend-reason": "案情复杂，需补充调查"})
    assert response.status_code == 302
    clock = refreshed(clock)
    # 15 working days from 5-11: 5-25 + 5-26 … 5-29, 6-1.
    assert (clock.extension_length, clock.extension_approved_by, clock.due_on) == (5, head_user, D(2026, 6, 1))
    html = client.get(detail_url(clock)).content.decode()
    assert "经批准延长5个工作日。" in html and "案情复杂，需补充调查" in html


def test_staff_cannot_extend(client, make_clock, staff_user):
    clock = make_clock(department=staff_user.department)
    client.force_login(staff_user)
    response = client.post(reverse("deadlines:clock-extend", args=[clock.pk]),
                           {"extend-length": "5", "extend-reason": "案情复杂"})
    assert response.status_code == 403
    assert "延长期限须由责任单位负责人或政府办批准。" in response.content.decode()
    clock = refreshed(clock)
    assert (clock.extension_length, clock.due_on) == (0, D(2026, 5, 25))


def test_extension_with_a_bad_length_changes_nothing(client, make_clock, head_user):
    clock = make_clock(department=head_user.department)
    client.force_login(head_user)
    response = client.post(reverse("deadlines:clock-extend", args=[clock.pk]),
                           {"extend-length": "0", "extend-reason": "案情复杂"})
    assert response.status_code == 400 and response.context["extend_form"].errors["length"]
    response = client.post(reverse("deadlines:clock-extend", args=[clock.pk]),
                           {"extend-length": "11", "extend-reason": "案情复杂"})
    assert response.status_code == 400
    assert response.context["extend_form"].non_field_errors() == ["延长的期限应大于0且不超过原期限。"]
    assert refreshed(clock).extension_length == 0


def test_a_second_extension_is_refused(client, make_clock, head_user):
    clock = make_clock(department=head_user.department)
    services.clock_extend(clock_id=clock.pk, actor=head_user, length=3, reason="第一次延长")
    client.force_login(head_user)
    assert client.get(detail_url(clock)).context["extend_form"] is None
    response = client.post(reverse("deadlines:clock-extend", args=[clock.pk]),
                           {"extend-length": "2", "extend-reason": "再次延长"})
    assert response.status_code == 409
    assert "该期限已经延长过一次，不得再次延长。" in response.content.decode()
    assert refreshed(clock).extension_length == 3


# ================================================================== supervision: overdue list
def overdue_in(make_clock, code: str, **kwargs) -> LegalClock:
    return make_clock(department=factories.department(code), started_on=D(2026, 4, 1), **kwargs)


def test_supervisor_sees_overdue_clocks_across_departments(client, make_clock, supervisor_user):
    late_drc = overdue_in(make_clock, "hz-drc")
    late_nrp = overdue_in(make_clock, "hz-nrp")
    make_clock(department=factories.department("hz-drc"))  # not due yet
    client.force_login(supervisor_user)
    response = client.get(reverse("deadlines:overdue"))
    assert response.status_code == 200
    assert {c.pk for c in response.context["page"]} == {late_drc.pk, late_nrp.pk}
    html = response.content.decode()
    assert "已逾期25日" in html and detail_url(late_nrp) in html


@pytest.mark.parametrize("who", ["office_user", "admin_user"])
def test_office_and_administrators_see_the_overdue_list(client, make_clock, request, who):
    overdue_in(make_clock, "hz-drc")
    client.force_login(request.getfixturevalue(who))
    assert len(client.get(reverse("deadlines:overdue")).context["page"]) == 1


@pytest.mark.parametrize("who", ["staff_user", "reviewer_user", "head_user"])
def test_others_get_403_on_the_overdue_list(client, db, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("deadlines:overdue")).status_code == 403


def test_overdue_list_filters_by_department_rule_and_kind(client, make_clock, supervisor_user):
    drc = overdue_in(make_clock, "hz-drc")
    nrp = overdue_in(make_clock, "hz-nrp")
    advisory = make_clock(department=factories.department("hz-nrp"), rule=ADVISORY_RULE, started_on=D(2026, 3, 1))
    client.force_login(supervisor_user)
    url = reverse("deadlines:overdue")

    def shown(**params):
        return {c.pk for c in client.get(url, params).context["page"]}

    assert shown() == {drc.pk, nrp.pk, advisory.pk}
    assert shown(department=Department.objects.get(code="hz-nrp").pk) == {nrp.pk, advisory.pk}
    assert shown(rule=ADVISORY_RULE) == {advisory.pk}
    assert shown(kind="statutory") == {drc.pk, nrp.pk}
    assert shown(kind="advisory", department=Department.objects.get(code="hz-drc").pk) == set()


def test_overdue_list_is_paginated(client, make_clock, supervisor_user):
    for _ in range(23):
        overdue_in(make_clock, "hz-drc")
    client.force_login(supervisor_user)
    first = client.get(reverse("deadlines:overdue"))
    assert len(first.context["page"]) == 20 and 'rel="next"' in first.content.decode()
    second = client.get(reverse("deadlines:overdue") + "?" + first.context["page"].next_query)
    assert len(second.context["page"]) == 3 and 'rel="prev"' in second.content.decode()


@ROWS
def test_overdue_list_query_count(client, make_clock, supervisor_user, django_assert_max_num_queries, rows):
    for n in range(rows):
        overdue_in(make_clock, "hz-drc" if n % 2 else "hz-nrp",
                   assignee=factories.staff("hz-drc") if n % 3 == 0 else None)
    client.force_login(supervisor_user)
    # session, user, header department, unread badge, count, page, calendar year + days, departments (filter),
    # the heads named as 责任人 of unassigned clocks
    with django_assert_max_num_queries(10):
        response = client.get(reverse("deadlines:overdue"))
    assert len(response.context["page"]) == min(rows, 20)


# ================================================================== notification centre
def notes_for(user, count: int, **kwargs) -> list[Notification]:
    return Notification.objects.bulk_create(
        [Notification(recipient=user, title=f"【即将到期】事项{n}", body="请及时办理。", url="/work/", **kwargs)
         for n in range(count)])


def test_notification_centre_lists_only_my_notifications(client, staff_user, other_staff_user):
    notes_for(staff_user, 2)
    Notification.objects.create(recipient=other_staff_user, title="别人的消息")
    client.force_login(staff_user)
    response = client.get(reverse("deadlines:notifications"))
    assert response.status_code == 200
    assert {n.recipient_id for n in response.context["page"]} == {staff_user.pk}
    assert "别人的消息" not in response.content.decode()


def test_notification_centre_can_show_unread_only(client, staff_user):
    notes_for(staff_user, 2)
    notes_for(staff_user, 1, read_at=timezone.now())
    client.force_login(staff_user)
    assert len(client.get(reverse("deadlines:notifications"), {"unread": "1"}).context["page"]) == 2


def test_mark_one_notification_read(client, staff_user):
    first, second = notes_for(staff_user, 2)
    client.force_login(staff_user)
    response = client.post(reverse("deadlines:notification-read", args=[first.pk]))
    assert response.status_code == 302
    assert Notification.objects.get(pk=first.pk).read_at is not None
    assert Notification.objects.get(pk=second.pk).read_at is None


def test_marking_someone_elses_notification_changes_nothing(client, staff_user, other_staff_user):
    theirs = Notification.objects.create(recipient=other_staff_user, title="别人的消息")
    client.force_login(staff_user)
    client.post(reverse("deadlines:notification-read", args=[theirs.pk]))
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_mark_all_read_touches_only_my_notifications(client, staff_user, other_staff_user):
    notes_for(staff_user, 3)
    theirs = Notification.objects.create(recipient=other_staff_user, title="别人的消息")
    client.force_login(staff_user)
    response = client.post(reverse("deadlines:notifications-read-all"), follow=True)
    assert "已将3条消息标为已读。" in response.content.decode()
    assert not Notification.objects.filter(recipient=staff_user, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_mark_read_redirects_only_to_this_site(client, staff_user):
    note, = notes_for(staff_user, 1)
    client.force_login(staff_user)
    response = client.post(reverse("deadlines:notification-read", args=[note.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("deadlines:notifications")
    response = client.post(reverse("deadlines:notification-read", args=[note.pk]),
                           {"next": "/work/notifications/?page=2"})
    assert response["Location"] == "/work/notifications/?page=2"


def test_mark_read_accepts_post_only(client, staff_user):
    note, = notes_for(staff_user, 1)
    client.force_login(staff_user)
    assert client.get(reverse("deadlines:notification-read", args=[note.pk])).status_code == 405
    assert client.get(reverse("deadlines:notifications-read-all")).status_code == 405
    assert Notification.objects.get(pk=note.pk).read_at is None


@ROWS
def test_notification_centre_query_count(client, staff_user, django_assert_max_num_queries, rows):
    notes_for(staff_user, rows)
    client.force_login(staff_user)
    with django_assert_max_num_queries(6):  # session, user, header department, unread badge, count, page
        response = client.get(reverse("deadlines:notifications"))
    assert len(response.context["page"]) == min(rows, 20)


# ================================================================== header: badge and calendar warning
def test_header_shows_the_unread_count(client, staff_user, other_staff_user):
    notes_for(staff_user, 3)
    notes_for(staff_user, 2, read_at=timezone.now())
    notes_for(other_staff_user, 4)
    client.force_login(staff_user)
    html = client.get(reverse("workbench:my-work")).content.decode()
    assert f'<a class="inbox" href="{reverse("deadlines:notifications")}">消息 <span class="count"' in html
    assert 'aria-label="3条未读">3</span>' in html


def test_the_unread_count_is_the_count_of_the_unread_notifications(staff_user, other_staff_user):
    from deadlines.selectors import notifications_for, unread_count

    notes_for(staff_user, 3)
    notes_for(staff_user, 2, read_at=timezone.now())
    notes_for(other_staff_user, 4)
    assert unread_count(staff_user) == notifications_for(staff_user, unread_only=True).count() == 3
    assert unread_count(other_staff_user) == 4


def test_header_has_no_badge_when_all_is_read(client, staff_user):
    notes_for(staff_user, 2, read_at=timezone.now())
    client.force_login(staff_user)
    html = client.get(reverse("workbench:my-work")).content.decode()
    assert ">消息</a>" in html and 'class="count"' not in html


def test_anonymous_pages_do_not_count_notifications(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("public:home"))
    assert response.status_code == 200 and "消息" not in response.content.decode()
    assert not any("deadlines_notification" in q["sql"] for q in queries.captured_queries)


def test_the_badge_costs_one_query(client, staff_user):
    notes_for(staff_user, 5)
    client.force_login(staff_user)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("deadlines:notification-settings"))
    counts = [q["sql"] for q in queries.captured_queries
              if "deadlines_notification" in q["sql"] and "COUNT" in q["sql"].upper()]
    assert len(counts) == 1


def render_base(user, **context) -> str:
    request = RequestFactory().get("/work/")
    request.user = user
    return render_to_string("base.html", context, request=request)


def test_administrators_are_warned_when_next_years_calendar_is_missing(admin_user):
    html = render_base(admin_user, calendar_missing_year=2027)
    assert "2027年节假日安排尚未载入，跨年期限暂无法计算" in html
    assert f'href="{reverse("deadlines:calendar")}"' in html


def test_others_are_not_shown_the_calendar_warning(staff_user, supervisor_user):
    for user in (staff_user, supervisor_user):
        assert "节假日安排尚未载入" not in render_base(user, calendar_missing_year=2027)


def test_from_the_first_of_december_administrators_see_the_warning_on_every_page(client, admin_user, staff_user):
    with time_machine.travel("2026-12-01 09:00 +0800", tick=False):
        client.force_login(admin_user)
        html = client.get(reverse("workbench:my-work")).content.decode()
        assert "2027年节假日安排尚未载入，跨年期限暂无法计算" in html
        assert f'href="{reverse("deadlines:calendar")}"' in html
        client.force_login(staff_user)
        assert "节假日安排尚未载入" not in client.get(reverse("workbench:my-work")).content.decode()


def test_no_calendar_warning_when_the_year_is_loaded(admin_user):
    assert "节假日安排尚未载入" not in render_base(admin_user, calendar_missing_year=None)


# ================================================================== reminder settings
def test_settings_show_the_absolute_feed_address(client, staff_user, settings):
    settings.SITE_URL = "https://fzhz.example.gov.cn/"
    client.force_login(staff_user)
    response = client.get(reverse("deadlines:notification-settings"))
    token = NotificationPreference.objects.get(user=staff_user).calendar_token
    assert response.context["feed_url"] == f"https://fzhz.example.gov.cn/calendar/{token}.ics"
    assert response.context["feed_url"] in response.content.decode()


def test_change_the_email_mode(client, staff_user):
    client.force_login(staff_user)
    response = client.post(reverse("deadlines:notification-settings"), {"email_mode": "digest"})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=staff_user).email_mode == "digest"


def test_an_unknown_email_mode_changes_nothing(client, staff_user):
    client.force_login(staff_user)
    response = client.post(reverse("deadlines:notification-settings"), {"email_mode": "sms"})
    assert response.status_code == 400
    assert NotificationPreference.objects.get(user=staff_user).email_mode == "each"


def test_reset_the_feed_address(client, staff_user):
    client.force_login(staff_user)
    old = services.preference_for(staff_user).calendar_token
    response = client.post(reverse("deadlines:calendar-token-reset"), follow=True)
    new = NotificationPreference.objects.get(user=staff_user).calendar_token
    assert new != old
    html = response.content.decode()
    assert f"/calendar/{new}.ics" in html and old not in html and "原地址即时失效" in html


def test_reset_accepts_post_only(client, staff_user):
    client.force_login(staff_user)
    old = services.preference_for(staff_user).calendar_token
    assert client.get(reverse("deadlines:calendar-token-reset")).status_code == 405
    assert NotificationPreference.objects.get(user=staff_user).calendar_token == old


def test_pages_require_login(client, make_clock, staff_user):
    clock = make_clock(department=staff_user.department)
    for url in (detail_url(clock), reverse("deadlines:overdue"), reverse("deadlines:notifications"),
                reverse("deadlines:notification-settings")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url

