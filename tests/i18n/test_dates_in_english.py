"""Dates read naturally in each language: 2026年12月31日 / 31 December 2026, and a comment
period's end stays unambiguous in both (the whole closing day, Beijing time)."""
import datetime as dt

from django.template import Context, Template
from django.utils import translation

from core.feeds import closing_time

DAY = dt.date(2026, 12, 31)


def test_a_closing_time_is_the_end_of_the_closing_day_in_either_language():
    with translation.override("zh-hans"):
        assert closing_time(DAY) == "2026年12月31日24时"
    with translation.override("en"):
        assert closing_time(DAY) == "24:00 on 31 December 2026"


def test_public_templates_format_dates_for_the_reader():
    template = Template('{% load i18n %}{{ day|date:_("Y年n月j日") }} {{ day|date:_("Y年n月") }}')
    with translation.override("zh-hans"):
        assert template.render(Context({"day": DAY})) == "2026年12月31日 2026年12月"
    with translation.override("en"):
        assert template.render(Context({"day": DAY})) == "31 December 2026 December 2026"
