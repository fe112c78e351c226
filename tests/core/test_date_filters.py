"""|moment writes a date and time as the reader's language and zone write it, kept once per minute."""
import datetime as dt
import zoneinfo

from django.utils import timezone, translation

from core.templatetags.huzhou import moment

UTC_NOON = dt.datetime(2026, 3, 28, 6, 30, 59, tzinfo=dt.UTC)


def test_moment_in_chinese_and_english():
    with translation.override("zh-hans"):
        assert moment(UTC_NOON) == '<time class="date" datetime="2026-03-28T14:30+08:00">2026年3月28日 14:30</time>'
    with translation.override("en"):
        assert moment(UTC_NOON) == '<time class="date" datetime="2026-03-28T14:30+08:00">28 March 2026, 14:30</time>'


def test_the_same_instant_in_another_zone_shows_that_zones_time():
    with translation.override("zh-hans"):
        assert "14:30" in moment(UTC_NOON)
        with timezone.override(zoneinfo.ZoneInfo("Europe/Berlin")):
            assert moment(UTC_NOON) == ('<time class="date" datetime="2026-03-28T07:30+01:00">'
                                        "2026年3月28日 07:30</time>")


def test_another_minute_is_another_moment_and_seconds_do_not_count():
    with translation.override("zh-hans"):
        assert moment(UTC_NOON.replace(second=1)) == moment(UTC_NOON)
        assert "14:31" in moment(UTC_NOON + dt.timedelta(minutes=1))
        assert moment(None) == "" and "2026年3月28日" in moment(dt.date(2026, 3, 28))
