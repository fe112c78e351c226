"""The annual statistics report: the numbers of a constructed year per body and area, the
charts, CSV and XLSX downloads, the office's publication freezing the data, and the public pages."""
import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from core.exceptions import DomainError, InvalidState, NotPermitted
from core.models import AuditEvent
from enforcement import masking, reports, services
from enforcement.models import AnnualReport
from enforcement.workflow import CaseStatus as C
from tests import factories

pytestmark = pytest.mark.django_db
NOW = "2026-05-11"
AFTER = "2027-01-11"  # the 2026 report may be published once 2026 has ended
URL = "/enforcement/reports/"


def on(day: str):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


class Body:
    def __init__(self, code: str):
        self.officer = factories.enforcement_officer(code)
        self.colleague = factories.enforcement_officer(code)
        self.head = factories.enforcement_officer(code, head=True)

    def case(self, target: str, day: str, **kwargs):
        with on(day):
            return factories.case_in_state(target, officer=self.officer, colleague=self.colleague,
                                           head_user=self.head, **kwargs)

    def decide(self, case, day: str, outcome: str, **kwargs):
        with on(day):
            return services.case_decide(actor=self.head, case_id=case.pk, outcome=outcome, **kwargs)


@pytest.fixture
def year_2026():
    """市场监管局 (amr): 4 opened, 3 penalties (one revoked), 55,000 yuan, 1 review of 1, 1 of 2
    on time. 生态环境局 (eco): 3 opened (one environment), 1 no penalty without the review its
    complexity needs, 1 transfer, 1 hearing, 0 of 1 published on time. One 2025 case."""
    amr, eco = Body("hz-amr"), Body("hz-eco")
    on_time = amr.case(C.DECIDED, "2026-02-02", seed=1, fine="5000")
    with on("2026-02-03"):
        services.case_publish_notice(actor=amr.officer, case_id=on_time.pk)
    amr.case(C.DECIDED, "2026-03-02", seed=2, fine="50000")           # legal review passed; never published
    amr.case(C.INVESTIGATING, "2026-04-01", seed=3)
    revoked = amr.case(C.DECIDED, "2026-01-05", seed=4, fine="3000")
    with on("2026-01-06"):
        services.case_revoke(actor=amr.head, case_id=revoked.pk, reason="复议决定撤销。")
    amr.case(C.DECIDED, "2025-06-02", seed=5, fine="7000")            # another year
    complex_case = eco.case(C.INVESTIGATING, "2026-03-02", seed=6, complex_case=True, key_area="environment")
    eco.decide(complex_case, "2026-03-10", "no_penalty", no_penalty_ground="minor",
               reason="违法行为轻微并已及时改正，没有造成危害后果。")
    transfer = eco.case(C.INVESTIGATING, "2026-03-02", seed=7)
    eco.decide(transfer, "2026-03-12", "transfer", reason="涉嫌犯罪，移送公安机关。")
    heard = eco.case(C.NOTIFIED, "2026-04-01", seed=8)
    chair = factories.enforcement_officer("hz-eco")
    with on("2026-04-02"):
        services.case_request_hearing(actor=eco.officer, case_id=heard.pk, requested_on=dt.date(2026, 4, 2))
    with on("2026-04-03"):
        services.case_schedule_hearing(actor=eco.officer, case_id=heard.pk, hearing_on=dt.date(2026, 4, 15),
                                       notice_on=dt.date(2026, 4, 3), chair_id=chair.pk)
    with on("2026-04-15"):
        services.case_hold_hearing(actor=chair, case_id=heard.pk, record="当事人陈述申辩意见。")
    return amr, eco


def by_name(rows, name):
    return next(r for r in rows if r["name"] == name)


COUNTS = ("opened", "penalty", "no_penalty", "transfer", "fines", "hearings", "review_required", "reviewed",
          "review_rate", "publicity_due", "publicity_on_time", "publicity_rate")


def numbers(row) -> tuple:
    return tuple(row[k] for k in COUNTS)


def test_the_numbers_of_a_constructed_year(year_2026):
    with on(NOW):
        data = reports.annual_statistics(year=2026)
    names = [r["name"] for r in data["bodies"]]
    amr_name, eco_name = names[0] if "市场" in names[0] else names[1], names[1] if "市场" in names[0] else names[0]
    assert numbers(by_name(data["bodies"], amr_name)) == (4, 3, 0, 0, "55000.00", 0, 1, 1, 100.0, 2, 1, 50.0)
    assert numbers(by_name(data["bodies"], eco_name)) == (3, 0, 1, 1, "0.00", 1, 1, 0, 0.0, 1, 0, 0.0)
    assert numbers(data["total"]) == (7, 3, 1, 1, "55000.00", 1, 2, 1, 50.0, 3, 1, 33.3)
    areas = {r["key"]: r for r in data["areas"]}
    assert areas["food_drug"]["opened"] == 6 and areas["environment"]["opened"] == 1
    assert areas["education"]["opened"] == 0 and areas["education"]["review_rate"] is None
    assert len(data["areas"]) == 10


def test_other_years_are_not_counted(year_2026):
    with on(NOW):
        data = reports.annual_statistics(year=2025)
    assert numbers(data["total"])[:5] == (1, 1, 0, 0, "7000.00")


# ---------------------------------------------------------------- the page
def test_report_page_shows_tables_and_accessible_svg_charts(client, supervisor_user, year_2026):
    client.force_login(supervisor_user)
    with on(NOW):
        response = client.get(URL, {"year": 2026})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('<svg class="chart" role="img" aria-label="') == 3
    assert "各执法主体罚没金额：" in body and "55,000元" in body
    assert "<script" not in body.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<table>" in body and "33.3%" in body


def test_bar_chart_escapes_labels_and_scales_bars():
    svg = reports.bar_chart(title="图<1>", items=[("<b>甲</b>", 10), ("乙", 5)], unit="件")
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert 'width="210.0"' in svg and 'width="105.0"' in svg
    assert 'aria-label="图&lt;1&gt;：&lt;b&gt;甲&lt;/b&gt; 10件；乙 5件"' in svg


def test_chart_figures_are_grouped_by_thousands_never_in_exponents():
    svg = reports.bar_chart(title="罚没", items=[("甲", 1250000.0), ("乙", 12.5)], unit="元")
    assert "1,250,000元" in svg and "12.5元" in svg and "e+" not in svg
    assert ">625,000</text>" in svg  # the middle tick


def test_a_count_chart_has_no_half_tick_between_zero_and_an_odd_maximum():
    odd = reports.bar_chart(title="立案", items=[("甲", 1), ("乙", 0)], unit="件")
    even = reports.bar_chart(title="立案", items=[("甲", 4), ("乙", 1)], unit="件")
    assert ">0.5</text>" not in odd and ">1</text>" in odd
    assert ">2</text>" in even  # the middle tick where it is a whole count


def test_a_long_bars_value_is_written_inside_it_so_that_it_never_runs_off_the_chart():
    svg = reports.bar_chart(title="罚没", items=[("甲", 1250000.0), ("乙", 12.5)], unit="元")
    assert '<text x="366.0" y="35.0" text-anchor="end" fill="#ffffff"' in svg  # the bar ends at 370
    assert '<text x="164.0" y="61.0" text-anchor="start" fill="#1f2328"' in svg


@pytest.mark.parametrize("who", ["staff", "officer", "reviewer"])
def test_others_than_supervisors_and_the_office_get_403(client, db, who):
    user = {"staff": factories.staff, "officer": factories.enforcement_officer,
            "reviewer": factories.legal_reviewer}[who]()
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"format": "csv"}).status_code == 403
    assert client.get(URL, {"format": "xlsx"}).status_code == 403


def test_anonymous_gets_no_report_download(client, db):
    for export in ("csv", "xlsx"):
        response = client.get(URL, {"format": export})
        assert response.status_code in (302, 403)
        assert "attachment" not in response.get("Content-Disposition", "")


def test_csv_download_has_a_bom_and_both_tables(client, office_user, year_2026):
    client.force_login(office_user)
    with on(NOW):
        response = client.get(URL, {"year": 2026, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="enforcement-statistics-2026.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == ["2026年度行政执法统计"]
    assert rows[2] == ["按执法主体"] and rows[3][:2] == ["名称", "立案数"]
    total = next(r for r in rows if r and r[0] == "合计")
    assert total[1:] == ["7", "3", "1", "1", "55000.00", "1", "2", "1", "50.0%", "3", "1", "33.3%"]
    assert ["按重点领域"] in rows
    assert not masking.contains_unmasked_id(text)


def test_xlsx_download_opens_with_openpyxl(client, supervisor_user, year_2026):
    client.force_login(supervisor_user)
    with on(NOW):
        response = client.get(URL, {"year": 2026, "format": "xlsx"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["按执法主体", "按重点领域"]
    sheet = workbook["按执法主体"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("名称", "立案数", "给予行政处罚")
    total = rows[-1]
    assert total[0] == "合计" and total[1] == 7 and Decimal(str(total[5])) == Decimal("55000")
    assert total[9] == pytest.approx(0.5) and sheet.cell(row=len(rows), column=10).number_format == "0.0%"
    areas = list(workbook["按重点领域"].iter_rows(values_only=True))
    assert len(areas) == 11 and areas[1][0] == "食品药品" and areas[1][1] == 6


# ---------------------------------------------------------------- publication
def test_office_publishes_and_the_data_is_frozen(client, office_user, year_2026):
    amr, _eco = year_2026
    with on(AFTER):
        report = reports.report_publish(actor=office_user, year=2026)
    assert report.published_on == dt.date(2027, 1, 11) and report.approved_by == office_user
    assert report.data["total"]["opened"] == 7
    event = AuditEvent.objects.get(action="annual_report_publish")
    assert event.object_id == str(report.pk) and event.details["year"] == 2026

    amr.case(C.DECIDED, "2026-05-12", seed=40, fine="9000")   # a later case of the same year

    with on("2026-05-12"):
        assert reports.annual_statistics(year=2026)["total"]["opened"] == 8
        public = client.get(reverse("enforcement_reports:detail", args=[2026]))
    assert AnnualReport.objects.get(year=2026).data["total"]["opened"] == 7
    assert public.context["data"]["total"]["opened"] == 7
    assert public.context["data"]["total"]["fines"] == "55000.00"
    main = public.content.decode().split("<main", 1)[1]
    assert "55000" not in main and "<dd>55,000.00</dd>" in main  # amounts grouped by thousands, tables too


def test_a_year_is_published_once(office_user, db):
    with on(AFTER):
        reports.report_publish(actor=office_user, year=2026)
        with pytest.raises(InvalidState, match="2026年度统计年报已于2027年1月11日公布"):
            reports.report_publish(actor=office_user, year=2026)


def test_a_future_year_cannot_be_published(office_user, db):
    with on(NOW), pytest.raises(DomainError, match="只能公布本年度及以前年度的统计年报"):
        reports.report_publish(actor=office_user, year=2027)


def test_a_year_is_published_only_after_it_ends(office_user, db):
    with on("2026-12-06"), pytest.raises(DomainError, match="2026年度尚未结束，统计年报在2027年1月1日起方可公布"):
        reports.report_publish(actor=office_user, year=2026)
    assert not AnnualReport.objects.exists()
    with on("2027-01-01"):
        assert reports.report_publish(actor=office_user, year=2026).published_on == dt.date(2027, 1, 1)


@pytest.mark.parametrize("who", ["supervisor", "head"])
def test_only_the_office_publishes(db, who):
    user = factories.supervisor() if who == "supervisor" else factories.enforcement_officer(head=True)
    with on(AFTER), pytest.raises(NotPermitted, match="统计年报由政府办批准后公布"):
        reports.report_publish(actor=user, year=2026)
    assert not AnnualReport.objects.exists()


def test_publish_through_the_page(client, office_user, supervisor_user, db):
    with on(AFTER):
        client.force_login(supervisor_user)
        assert client.post(URL, {"year": 2026, "confirmed": "1"}).status_code == 403
    assert not AnnualReport.objects.exists()
    with on(AFTER):
        client.force_login(office_user)
        page = client.get(URL, {"year": 2026})
        unconfirmed = client.post(URL, {"year": 2026})
        assert not AnnualReport.objects.exists()
        response = client.post(URL, {"year": 2026, "confirmed": "1"})
        again = client.post(URL, {"year": 2026, "confirmed": "1"})
    assert "批准并公布2026年度统计年报" in page.content.decode()
    assert unconfirmed.status_code == 400 and "请先确认" in unconfirmed.content.decode()
    assert response.status_code == 302 and response["Location"] == f"{URL}?year=2026"
    assert AnnualReport.objects.get(year=2026).published_on == dt.date(2027, 1, 11)
    assert again.status_code == 400 and "不能重复公布" in again.content.decode()


# ---------------------------------------------------------------- public pages
def test_public_index_lists_only_published_years(client, office_user, db):
    AnnualReport.objects.create(year=2025, data={})
    with on(AFTER):
        reports.report_publish(actor=office_user, year=2026)
    response = client.get(reverse("enforcement_reports:index"))
    assert response.status_code == 200
    assert [r.year for r in response.context["reports"]] == [2026]


def test_public_gets_404_for_an_unpublished_year(client, db):
    AnnualReport.objects.create(year=2025, data={"total": {}})
    hidden = client.get(reverse("enforcement_reports:detail", args=[2025]))
    missing = client.get(reverse("enforcement_reports:detail", args=[2031]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_public_report_holds_no_personal_data(client, office_user, year_2026):
    with on(AFTER):
        reports.report_publish(actor=office_user, year=2026)
    body = client.get(reverse("enforcement_reports:detail", args=[2026])).content.decode()
    assert "2026年行政执法统计年报" in body and 'role="img"' in body
    assert not masking.contains_unmasked_id(body)
    for seed in range(1, 9):
        resident_id = factories.valid_resident_id(seed)
        assert resident_id not in body and resident_id[:6] + "********" not in body
    assert "张" not in body and "13812345678" not in body


# ---------------------------------------------------------------- query counts
@pytest.mark.parametrize("rows", [1, 4], ids=["few", "many"])
def test_report_page_query_count(client, supervisor_user, django_assert_max_num_queries, rows):
    amr, eco = Body("hz-amr"), Body("hz-eco")
    for n in range(rows):
        amr.case(C.DECIDED, "2026-03-02", seed=n + 1)
        eco.case(C.INVESTIGATING, "2026-03-02", seed=n + 50)
    client.force_login(supervisor_user)
    with on(NOW), django_assert_max_num_queries(8):
        response = client.get(URL, {"year": 2026})
    assert response.context["data"]["total"]["opened"] == 2 * rows
