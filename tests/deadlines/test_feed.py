"""The personal calendar feed (/calendar/<token>.ics): written by hand per RFC 5545,
read back here with the real ``icalendar`` parser."""
import datetime as dt

import icalendar
import pytest
import time_machine
from django.urls import reverse

from deadlines import feeds, services
from deadlines.models import LegalClock
from tests import factories
from tests.deadlines.conftest import (
    ADVISORY_RULE,
    ADVISORY_SOURCE,
    NOW,
    STATUTORY_RULE,
    STATUTORY_SOURCE,
    TODAY,
)

D = dt.date
UTC = dt.UTC


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def feed_url(user) -> str:
    return reverse("calendar-feed", args=[services.preference_for(user).calendar_token])


def parsed(response) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(response.content)


def events_by_uid(response) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in parsed(response).walk("VEVENT")}


# ================================================================== access
def test_the_feed_needs_no_login(client, make_clock, staff_user):
    make_clock(department=staff_user.department)
    response = client.get(feed_url(staff_user))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_an_unknown_token_is_404(client, db):
    assert client.get(reverse("calendar-feed", args=["no-such-token"])).status_code == 404


def test_an_inactive_users_feed_is_404(client, make_clock, staff_user):
    make_clock(department=staff_user.department)
    url = feed_url(staff_user)
    staff_user.is_active = False
    staff_user.save(update_fields=["is_active"])
    assert client.get(url).status_code == 404


def test_resetting_the_token_retires_the_old_address(client, staff_user):
    old = feed_url(staff_user)
    assert client.get(old).status_code == 200
    services.calendar_token_reset(actor=staff_user)
    assert client.get(old).status_code == 404
    assert client.get(feed_url(staff_user)).status_code == 200


def test_the_reset_button_retires_the_old_address(client, staff_user):
    old = feed_url(staff_user)
    client.force_login(staff_user)
    client.post(reverse("deadlines:calendar-token-reset"))
    client.logout()
    assert client.get(old).status_code == 404


def test_the_feed_refuses_post(client, staff_user):
    assert client.post(feed_url(staff_user)).status_code == 405


# ================================================================== content
def test_one_event_per_open_dated_clock_of_mine(client, make_clock, staff_user, other_staff_user, reviewer_user):
    mine = make_clock(department=staff_user.department)
    advisory = make_clock(department=staff_user.department, rule=ADVISORY_RULE)
    paused = make_clock(department=staff_user.department, started_on=D(2026, 5, 6))
    services.clock_pause(clock_id=paused.pk, actor=staff_user, paused_on=TODAY, reason_kind="hearing", reason="听证")
    pending = make_clock(department=staff_user.department, started_on=D(2026, 12, 21))
    stopped = make_clock(department=staff_user.department)
    services.clock_stop(subject=stopped.subject, rule=STATUTORY_RULE, actor=staff_user)
    make_clock(department=other_staff_user.department)
    make_clock(department=staff_user.department, assignee=reviewer_user)
    assert LegalClock.objects.get(pk=pending.pk).due_on is None
    events = events_by_uid(client.get(feed_url(staff_user)))
    assert set(events) == {f"clock-{mine.pk}@huzhou-rule", f"clock-{advisory.pk}@huzhou-rule"}


def test_an_event_is_all_day_on_the_due_date(client, make_clock, staff_user, settings):
    settings.SITE_URL = "https://fzhz.example.gov.cn"
    clock = make_clock(department=staff_user.department, label="某项目行政许可审查")
    event = events_by_uid(client.get(feed_url(staff_user)))[f"clock-{clock.pk}@huzhou-rule"]
    assert event.decoded("DTSTART") == D(2026, 5, 25)
    assert event.decoded("DTEND") == D(2026, 5, 26)
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert str(event["SUMMARY"]) == "【法定期限】某项目行政许可审查"
    url = f"https://fzhz.example.gov.cn/work/deadlines/{clock.pk}/"
    assert str(event["URL"]) == url
    description = str(event["DESCRIPTION"])
    assert STATUTORY_SOURCE in description and url in description
    assert "到期日：2026年5月25日（星期一）24时" in description


def test_a_warning_day_becomes_an_alarm_at_nine(client, make_clock, staff_user):
    clock = make_clock(department=staff_user.department)
    event = events_by_uid(client.get(feed_url(staff_user)))[f"clock-{clock.pk}@huzhou-rule"]
    alarm, = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    # 20 May 2026 09:00 in Huzhou is 01:00 UTC.
    assert alarm.decoded("TRIGGER") == dt.datetime(2026, 5, 20, 1, 0, tzinfo=UTC)


def test_no_alarm_without_a_warning_day(client, make_clock, staff_user):
    clock = make_clock(department=staff_user.department, rule=ADVISORY_RULE)
    event = events_by_uid(client.get(feed_url(staff_user)))[f"clock-{clock.pk}@huzhou-rule"]
    assert str(event["SUMMARY"]).startswith("【服务承诺】")
    assert ADVISORY_SOURCE in str(event["DESCRIPTION"])
    assert event.walk("VALARM") == []


def test_a_reviewers_feed_holds_the_clocks_assigned_to_them(client, make_clock, staff_user, reviewer_user):
    assigned = make_clock(department=staff_user.department, assignee=reviewer_user)
    make_clock(department=staff_user.department)
    assert set(events_by_uid(client.get(feed_url(reviewer_user)))) == {f"clock-{assigned.pk}@huzhou-rule"}


def test_uids_are_stable_across_fetches(client, make_clock, staff_user):
    make_clock(department=staff_user.department)
    first = set(events_by_uid(client.get(feed_url(staff_user))))
    assert set(events_by_uid(client.get(feed_url(staff_user)))) == first


LONG_LABEL = ("关于湖州市南太湖新区长东片区城市更新改造项目国有土地上房屋征收补偿方案,"
              "以及配套安置房建设、交通组织;教育设施布局\\调整的重大行政决策合法性审查\n（第二轮）")


def test_a_long_chinese_summary_is_folded_and_round_trips(client, make_clock, staff_user):
    clock = make_clock(department=staff_user.department, label=LONG_LABEL)
    response = client.get(feed_url(staff_user))
    raw = response.content
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines)  # every line ends with CRLF, no bare LF
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # something was folded
    for line in lines:
        line.decode("utf-8")  # no character split across a fold
    event = events_by_uid(response)[f"clock-{clock.pk}@huzhou-rule"]
    assert str(event["SUMMARY"]) == f"【法定期限】{LONG_LABEL}"


def test_the_calendar_has_the_required_properties(client, staff_user):
    calendar = parsed(client.get(feed_url(staff_user)))
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == feeds.PRODID
    assert calendar.walk("VEVENT") == []


@pytest.mark.parametrize("rows", [3, 30], ids=["few", "many"])
def test_feed_query_count(client, make_clock, staff_user, django_assert_max_num_queries, rows):
    for n in range(rows):
        make_clock(department=staff_user.department, started_on=TODAY - dt.timedelta(days=n))
    url = feed_url(staff_user)
    with django_assert_max_num_queries(2):  # preference with its user, clocks
        response = client.get(url)
    assert len(parsed(response).walk("VEVENT")) == rows


# ================================================================== the text rules themselves
@pytest.mark.parametrize(("value", "escaped"), [
    ("a,b", "a\\,b"), ("a;b", "a\\;b"), ("a\\b", "a\\\\b"), ("a\nb", "a\\nb"), ("a\r\nb", "a\\nb"),
    ("依据：《条例》第十五条，第二款；", "依据：《条例》第十五条，第二款；"),  # full-width punctuation is not special
])
def test_text_escaping(value, escaped):
    assert feeds.escape_text(value) == escaped


def test_folding_keeps_lines_within_75_octets_and_characters_whole():
    line = "SUMMARY:" + "期" * 60 + "abc"
    folded = feeds.fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if i else part for i, part in enumerate(parts)) == line


def test_a_short_line_is_not_folded():
    assert feeds.fold("VERSION:2.0") == "VERSION:2.0"


def test_the_feed_lists_the_departments_clocks_for_a_head(client, make_clock, head_user):
    clock = make_clock(department=head_user.department)
    assert set(events_by_uid(client.get(feed_url(head_user)))) == {f"clock-{clock.pk}@huzhou-rule"}


def test_an_unrelated_user_has_an_empty_feed(client, make_clock, staff_user):
    make_clock(department=staff_user.department)
    stranger = factories.supervisor()
    assert parsed(client.get(feed_url(stranger))).walk("VEVENT") == []
