"""The working-day rules (domain.md §5) in the rulebook: how every period is counted."""
from __future__ import annotations

from django.utils.translation import gettext_noop

from core.rulebook import Kind, Rule, register

W = "tests/core/test_workdays.py::"

register(
    Rule("W1", "W1", gettext_noop("行政处罚法中“二日、三日、五日、七日”按工作日计算，不含法定节假日；其他期间按自然日"),
         gettext_noop("《中华人民共和国行政处罚法》第八十五条"), Kind.DEADLINE, "deadlines.services.clock_start",
         "tests/enforcement/test_services.py::test_a_hearing_request_within_five_working_days_is_accepted",
         policies=("enforcement.hearing_request", "enforcement.service", "enforcement.payment")),
    Rule("W3", "W3", gettext_noop("重大行政决策“7个工作日”按工作日，“30日”“7日前”按自然日"),
         gettext_noop("《重大行政决策程序暂行条例》第十五条、第十六条、第二十六条"), Kind.DEADLINE, "deadlines.services.clock_start",
         "tests/decisions/test_reminders.py::test_opening_a_public_comment_starts_a_clock_to_its_closing_day_with_a_"
         "warning_three_days_before", policies=("decision.public_comment", "decision.legality_review_min")),
    Rule("W5", "W5", gettext_noop("工作日按国务院办公厅公布的法定节假日和调休安排计算"), gettext_noop("《全国年节及纪念日放假办法》；国务院办公厅年度放假通知"),
         Kind.DEADLINE, "core.workdays.add_working_days", W + "test_is_workday_knows_holidays_and_make_up_days"),
    Rule("W7", "W7", gettext_noop("未载入节假日安排的年度不按周一至周五推算：期限等待日历载入"), gettext_noop("国务院办公厅年度放假通知"),
         Kind.REFUSED, "core.workdays.add_working_days", W + "test_adding_working_days_into_an_unknown_year_is_refused"),
)
