"""The administrator's calendar page (/work/calendar/): reading a notice,
who may use it, and what an import or correction does to running clocks."""
import datetime as dt

import pytest
import time_machine
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from core.calendar_import import decode_upload, parse_days, rows_as_text
from core.models import AuditEvent, CalendarDay, CalendarYear, Department, Role
from deadlines import rules, services
from deadlines.models import DeadlinePolicy, LegalClock, Unit
from tests import factories
from workbench.context_processors import calendar_warning

pytestmark = pytest.mark.django_db

D = dt.date
URL = "/work/calendar/"
SOURCE_2027 = "国办发明电〔2026〕9号"
# A made-up 2027 notice: 1-1 (Fri) off; 2-6 (Sat)..2-12 (Fri) off; Sat 2-20 works.
NOTICE_2027 = "\n".join([
    "2027-01-01,休,元旦",
    *[f"2027-02-{day:02d},休,春节" for day in range(6, 13)],
    "2027-02-20,班,春节调休上班",
])


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


@pytest.fixture
def admin_user(db):
    return factories.UserFactory(username="sysadmin", department=factories.department("hz-justice"),
                                 roles=[Role.ADMIN])


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def probe_rule():
    """A throwaway rule reading a policy row created here: 10 working days, warned 2 working days before."""
    DeadlinePolicy.objects.create(code="test.calendar_probe", name="测试期限", length=10, unit=Unit.WORKING_DAYS,
                                  kind="statutory", warn_before=2, source="测试依据", effective_from=D(2020, 1, 1))
    rule = rules.register(rules.ClockRule(code="test.calendar_probe", reminder="R0", label="测试期限",
                                          policy="test.calendar_probe", recipients=lambda clock, subject: [],
                                          url=lambda subject: ""))
    yield rule
    rules.RULES.pop(rule.code, None)


def start_probe_clock(rule, started_on: dt.date) -> LegalClock:
    return services.clock_start(subject=Department.objects.get(code="hz-drc"), rule=rule.code, actor=None,
                                started_on=started_on)


# ================================================================== parsing
def test_parse_reads_every_accepted_spelling():
    text = ("2027-01-01,休,元旦\n"
            "2027-02-08\trest\t春节\n"
            "2027-02-09，0，春节\n"  # full-width commas, as typed with a Chinese keyboard
            "\n"
            "2027-02-20,班,春节调休上班\n"
            "2027-02-21\tWORK\n"
            "2027-02-13,1")
    parsed = parse_days(text, year=2027)
    assert parsed.errors == []
    assert parsed.rows == [
        (D(2027, 1, 1), False, "元旦"), (D(2027, 2, 8), False, "春节"), (D(2027, 2, 9), False, "春节"),
        (D(2027, 2, 20), True, "春节调休上班"), (D(2027, 2, 21), True, ""), (D(2027, 2, 13), True, ""),
    ]


def test_parse_names_each_bad_date_with_its_line():
    parsed = parse_days("2027-01-01,休,元旦\n2027-02-30,休,春节\n元旦,休", year=2027)
    assert parsed.errors == [
        "第2行：日期“2027-02-30”无法识别，应写作2027-01-01。",
        "第3行：日期“元旦”无法识别，应写作2027-01-01。",
    ]


def test_parse_refuses_an_unknown_type():
    parsed = parse_days("2027-01-01,放假,元旦", year=2027)
    assert parsed.errors == ["第1行：类型“放假”无法识别，应为“休”或“班”。"]


def test_parse_refuses_a_weekday_marked_as_working():
    parsed = parse_days("2027-01-01,休,元旦\n2027-01-04,班,调休", year=2027)
    assert parsed.errors == ["第2行：2027-01-04是周一至周五，本来就是工作日，不能登记为调休上班。"]


def test_parse_refuses_a_day_of_another_year():
    parsed = parse_days("2026-01-01,休,元旦", year=2027)
    assert parsed.errors == ["第1行：2026-01-01不属于2027年。"]


def test_parse_refuses_a_duplicate_day():
    parsed = parse_days("2027-01-01,休,元旦\n2027-02-08,休,春节\n2027-01-01,休,元旦", year=2027)
    assert parsed.errors == ["第3行：2027-01-01与第1行重复。"]


def test_parse_keeps_a_comma_inside_the_name():
    assert parse_days("2027-01-01,休,元旦,新年", year=2027).rows == [(D(2027, 1, 1), False, "元旦,新年")]


def test_parse_refuses_a_weekend_holiday_without_a_name():
    parsed = parse_days("2027-02-06,休", year=2027)
    assert parsed.errors == ["第1行：2027-02-06是周末，登记为休息日时须写明节日名称。"]


def test_parse_refuses_empty_input():
    assert parse_days("\n  \n", year=2027).errors == ["没有读到任何日期，请每行填写一天，如：2027-01-01,休,元旦"]


def test_parse_reads_a_csv_file_with_bom_and_header():
    data = "\ufeff日期,类型,名称\r\n2027-01-01,休,元旦\r\n2027-02-20,班,春节调休上班\r\n".encode()
    parsed = parse_days(decode_upload(data), year=2027)
    assert (parsed.errors, parsed.rows) == ([], [(D(2027, 1, 1), False, "元旦"), (D(2027, 2, 20), True, "春节调休上班")])


def test_decode_refuses_a_file_that_is_not_utf8():
    with pytest.raises(ValueError, match="不是UTF-8编码"):
        decode_upload("2027-01-01,休,元旦".encode("gbk"))


def test_loaded_rows_written_back_as_text_parse_to_the_same_rows():
    rows = list(CalendarDay.objects.filter(date__year=2026).values_list("date", "is_workday", "name"))
    assert parse_days(rows_as_text(rows), year=2026).rows == rows


# ================================================================== who may use the page
def test_administrator_sees_the_loaded_years_and_a_years_days(admin_client):
    response = admin_client.get(URL, {"year": "2026"})
    assert response.status_code == 200
    years = {y.year: y for y in response.context["years"]}
    assert sorted(years) == list(range(2020, 2027))
    assert (years[2026].holidays, years[2026].makeup) == (33, 6)
    page = response.content.decode()
    assert "2026-02-14" in page and "春节调休上班" in page


def test_superuser_may_use_the_page(client):
    client.force_login(factories.UserFactory(roles=[], is_superuser=True))
    assert client.get(reverse("deadlines:calendar")).status_code == 200


@pytest.mark.parametrize("make", [factories.staff, factories.reviewer, factories.office, factories.supervisor])
def test_other_roles_get_403(client, make):
    client.force_login(make())
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"year": "2027", "source": SOURCE_2027, "days": NOTICE_2027}).status_code == 403
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_correct_link_prefills_the_form_with_the_loaded_year(admin_client):
    form = admin_client.get(URL, {"year": "2026", "correct": "1"}).context["form"]
    assert form.initial["year"] == 2026
    assert "2026-02-14,班,春节调休上班" in form.initial["days"]


def test_page_query_count_is_fixed(admin_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        admin_client.get(URL, {"year": "2026", "correct": "1"})


# ================================================================== importing and correcting
def test_importing_2027_gives_a_pending_clock_its_due_date(client, admin_user, probe_rule):
    # Mon 12-21 + 10 WD: 12-22..12-25 WD1-4, 12-28..12-31 WD5-8, Fri 1-1 off, 1-2/1-3 weekend,
    # Mon 1-4 WD9, Tue 1-5 WD10; warning 2 WD before: 1-4, then 12-31
    with time_machine.travel("2026-12-22 10:00 +0800", tick=False):
        clock = start_probe_clock(probe_rule, D(2026, 12, 21))
        assert (clock.calendar_pending, clock.due_on) == (True, None)
        client.force_login(admin_user)
        response = client.post(URL, {"year": "2027", "source": SOURCE_2027, "days": NOTICE_2027}, follow=True)

    assert "已载入2027年：8个节假日、1个调休上班日；重新计算期限1个" in response.content.decode()
    clock.refresh_from_db()
    assert (clock.calendar_pending, clock.due_on, clock.warn_on) == (False, D(2027, 1, 5), D(2026, 12, 31))
    assert CalendarYear.objects.get(year=2027).source == SOURCE_2027
    imported = AuditEvent.objects.get(action="calendar_import")
    assert (imported.actor_id, imported.details["holidays"], imported.details["makeup_workdays"]) == (
        admin_user.pk, 8, 1)
    recomputed = AuditEvent.objects.get(action="clock_recompute")
    assert (recomputed.details["due_before"], recomputed.details["due_after"]) == (None, "2027-01-05")


def test_a_csv_upload_with_bom_is_imported(admin_client):
    upload = SimpleUploadedFile("2027.csv", ("\ufeff日期,类型,名称\r\n" + NOTICE_2027.replace("\n", "\r\n")).encode(),
                                content_type="text/csv")
    response = admin_client.post(URL, {"year": "2027", "source": SOURCE_2027, "file": upload})
    assert response.status_code == 302
    assert CalendarDay.objects.filter(date__year=2027).count() == 9


def test_a_bad_line_imports_nothing_and_names_the_line(admin_client):
    response = admin_client.post(URL, {"year": "2027", "source": SOURCE_2027,
                                       "days": NOTICE_2027 + "\n2027-03-32,休,错"})
    assert response.status_code == 400
    assert "第10行：日期“2027-03-32”无法识别" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not AuditEvent.objects.filter(event_type="calendar").exists()


def test_source_is_required(admin_client):
    response = admin_client.post(URL, {"year": "2027", "source": "", "days": NOTICE_2027})
    assert response.status_code == 400
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_pasting_and_uploading_at_once_is_refused(admin_client):
    upload = SimpleUploadedFile("2027.csv", NOTICE_2027.encode(), content_type="text/csv")
    response = admin_client.post(URL, {"year": "2027", "source": SOURCE_2027, "days": NOTICE_2027, "file": upload})
    assert "请粘贴日期或上传文件，二者选其一。" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def _2026_with_may_20_off() -> str:
    rows = list(CalendarDay.objects.filter(date__year=2026).values_list("date", "is_workday", "name"))
    return rows_as_text(rows) + "\n2026-05-20,休,测试更正"


def test_correcting_2026_without_a_reason_changes_nothing(admin_client, probe_rule):
    clock = start_probe_clock(probe_rule, D(2026, 5, 11))
    before = list(CalendarDay.objects.filter(date__year=2026).values_list("date", "is_workday", "name"))
    source = CalendarYear.objects.get(year=2026).source

    response = admin_client.post(URL, {"year": "2026", "source": "国办发明电〔2025〕7号", "days": _2026_with_may_20_off()})

    assert response.status_code == 400
    assert "2026年日历已载入；更正时须说明理由。" in response.content.decode()
    assert list(CalendarDay.objects.filter(date__year=2026).values_list("date", "is_workday", "name")) == before
    assert CalendarYear.objects.get(year=2026).source == source
    clock.refresh_from_db()
    assert clock.due_on == D(2026, 5, 25)
    assert not AuditEvent.objects.filter(event_type="calendar").exists()


def test_correcting_2026_moves_a_running_clock_and_audits_it(admin_client, probe_rule):
    # Mon 5-11 + 10 WD: 5-12..5-15 WD1-4, 5-18..5-22 WD5-9, Mon 5-25 WD10.
    # With Wed 5-20 off: 5-18, 5-19, 5-21, 5-22 WD5-8, 5-25 WD9, Tue 5-26 WD10.
    clock = start_probe_clock(probe_rule, D(2026, 5, 11))
    assert (clock.due_on, clock.warn_on) == (D(2026, 5, 25), D(2026, 5, 21))

    response = admin_client.post(URL, {"year": "2026", "source": "国办发明电〔2025〕7号", "reason": "补登临时调整",
                                       "days": _2026_with_may_20_off()}, follow=True)

    assert "已更正2026年：34个节假日、6个调休上班日（变动1天）；重新计算期限1个" in response.content.decode()
    clock.refresh_from_db()
    assert (clock.due_on, clock.warn_on) == (D(2026, 5, 26), D(2026, 5, 22))
    corrected = AuditEvent.objects.get(action="calendar_correct")
    assert (corrected.reason, corrected.details["changed_days"]) == ("补登临时调整", ["2026-05-20"])
    recomputed = AuditEvent.objects.get(action="clock_recompute")
    assert (recomputed.details["due_before"], recomputed.details["due_after"]) == ("2026-05-25", "2026-05-26")


# ================================================================== admin and banner
def _request_as(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_django_admin_shows_the_calendar_read_only_with_a_link_to_the_page(client):
    superuser = factories.UserFactory(roles=[], is_superuser=True, is_staff=True)
    client.force_login(superuser)
    response = client.get(reverse("admin:core_calendarday_changelist"))
    assert response.status_code == 200
    assert reverse("deadlines:calendar") in response.content.decode()
    assert client.get(reverse("admin:core_calendaryear_add")).status_code == 403
    for model in (CalendarDay, CalendarYear):
        model_admin, request = admin.site._registry[model], _request_as(superuser)
        assert not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
                    or model_admin.has_delete_permission(request))


@time_machine.travel("2026-12-01 09:00 +0800", tick=False)
def test_banner_value_names_the_missing_year_for_administrators_only(admin_user, staff_user,
                                                                      django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert calendar_warning(_request_as(admin_user))["calendar_missing_year"] == 2027
    with django_assert_max_num_queries(0):
        assert calendar_warning(_request_as(staff_user))["calendar_missing_year"] is None


@time_machine.travel("2026-11-30 09:00 +0800", tick=False)
def test_banner_value_is_empty_before_december(admin_user, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):  # the parked e-mail count only
        assert calendar_warning(_request_as(admin_user))["calendar_missing_year"] is None
