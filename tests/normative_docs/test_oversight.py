"""有件必备、有备必审、有错必纠 made visible, and the statistics per issuer and year:
the lists, their counts per issuer, who may see them, and fixed query counts."""
import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse

from normative_docs import filing as filing_services
from normative_docs import oversight
from normative_docs.models import FilingRecord
from normative_docs.workflow import DocumentStatus as N
from tests import factories

pytestmark = pytest.mark.django_db
NOW = "2026-05-11"
FEW, MANY = 2, 12
ROWS = pytest.mark.parametrize("rows", [FEW, MANY], ids=["few", "many"])


#: Given with every filing; recorded only when the filing is late (rule N17).
LATE_REASON = "备案材料需补充征求意见采纳情况，延后报送。"


def on(day: str):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


class World:
    """People of two issuers (市发改委, 市自然资源和规划局) and of the filing body (市司法局)."""

    def __init__(self):
        self.staff = factories.staff("hz-drc")
        self.head = factories.normative_head("hz-drc")
        self.nrp_staff = factories.staff("hz-nrp")
        self.nrp_head = factories.normative_head("hz-nrp")
        self.legality_reviewer = factories.reviewer()
        self.filing_reviewer = factories.filing_reviewer()
        self.count = 0

    def published(self, day: str, *, nrp: bool = False, title: str = ""):
        self.count += 1
        staff, head = (self.nrp_staff, self.nrp_head) if nrp else (self.staff, self.head)
        with on(day):
            return factories.normative_document_in_state(
                N.PUBLISHED, staff_user=staff, head_user=head, reviewer_user=self.legality_reviewer,
                title=title or f"湖州市测试管理办法{self.count}", business_related=False)

    def file(self, document, day: str) -> FilingRecord:
        head = self.nrp_head if document.issuer.code == "hz-nrp" else self.head
        with on(day):
            return filing_services.filing_submit(actor=head, document_id=document.pk, report="备案报告。",
                                                 files=[factories.pdf_file()], late_reason=LATE_REASON)

    def accept(self, filing, day: str) -> FilingRecord:
        with on(day):
            return filing_services.filing_check(actor=self.filing_reviewer, filing_id=filing.pk, result="accept")

    def review(self, filing, day: str, outcome: str = "passed") -> FilingRecord:
        checklist = factories.normative_checklist()
        if outcome == "correction":
            checklist["authority"] = {"answer": "no", "note": "超越法定职权设定义务。"}
        with on(day):
            return filing_services.filing_review(actor=self.filing_reviewer, filing_id=filing.pk, outcome=outcome,
                                                 opinion="审查意见。", checklist=checklist)

    def corrected(self, filing, day: str) -> FilingRecord:
        head = self.nrp_head if filing.document.issuer.code == "hz-nrp" else self.head
        with on(day):
            return filing_services.filing_report_correction(actor=head, filing_id=filing.pk, outcome="kept",
                                                            report="经研究，保留并说明理由。")

    # the three kinds of problem, and the good cases
    def unfiled(self, **kwargs):
        return self.published("2026-03-02", **kwargs)  # filing due 2026-04-01

    def unreviewed(self, **kwargs):
        document = self.published("2026-03-02", **kwargs)
        return self.file(document, "2026-03-10")  # formal check due three working days later

    def open_correction(self, **kwargs):
        document = self.published("2026-02-02", **kwargs)
        filing = self.accept(self.file(document, "2026-02-10"), "2026-02-11")
        return self.review(filing, "2026-02-20", "correction")

    def in_order(self):
        document = self.published("2026-02-02")
        filing = self.accept(self.file(document, "2026-02-10"), "2026-02-11")
        return self.review(filing, "2026-02-20")


@pytest.fixture
def world(db):
    return World()


# ================================================================== the lists
def test_a_published_document_past_its_filing_deadline_is_listed_as_unfiled(world):
    late = world.unfiled()
    world.published("2026-05-04")  # due 2026-06-03: not yet late
    with on(NOW):
        rows = list(oversight.unfiled_overdue(user=world.filing_reviewer))
    assert [(d.pk, d.filing_due_on) for d in rows] == [(late.pk, dt.date(2026, 4, 1))]


def test_a_filed_document_is_not_listed_as_unfiled(world):
    filing = world.unreviewed()
    with on(NOW):
        assert list(oversight.unfiled_overdue(user=world.filing_reviewer)) == []
        assert [f.pk for f in oversight.unreviewed_overdue(user=world.filing_reviewer)] == [filing.pk]


def test_a_filing_within_its_review_period_is_not_listed_as_unreviewed(world):
    document = world.published("2026-04-20")
    world.accept(world.file(document, "2026-05-06"), "2026-05-07")  # review due 2026-06-06
    with on(NOW):
        assert list(oversight.unreviewed_overdue(user=world.filing_reviewer)) == []


def test_an_unchecked_filing_past_its_formal_check_is_listed_with_its_due_date(world):
    filing = world.unreviewed()
    with on(NOW):
        (row,) = oversight.unreviewed_overdue(user=world.filing_reviewer)
    assert (row.pk, row.status, row.clock_due_on) == (filing.pk, "submitted", dt.date(2026, 3, 13))


def test_an_open_correction_is_listed_until_the_issuer_reports(world):
    filing = world.open_correction()
    with on(NOW):
        (row,) = oversight.corrections_open(user=world.filing_reviewer)
        assert (row.pk, row.clock_due_on) == (filing.pk, dt.date(2026, 3, 23))  # 30 days end on a Sunday
    world.corrected(filing, "2026-03-20")
    with on(NOW):
        assert list(oversight.corrections_open(user=world.filing_reviewer)) == []


def test_counts_per_issuer_cover_the_three_lists(world):
    world.unfiled()
    world.unfiled()
    world.unreviewed()
    world.open_correction(nrp=True)
    world.unfiled(nrp=True)
    world.in_order()
    with on(NOW):
        counts = oversight.oversight_counts(user=world.filing_reviewer)
    assert [(c.name, c.unfiled, c.unreviewed, c.corrections) for c in counts] == [
        ("市发改委", 2, 1, 0), ("市自然资源和规划局", 1, 0, 1)]


def test_a_filing_body_sees_only_its_own_filings(world):
    world.unfiled()
    township_staff = factories.staff("wuxing-feiying")
    township_head = factories.normative_head("wuxing-feiying")
    with on("2026-03-02"):
        township = factories.normative_document_in_state(
            N.PUBLISHED, staff_user=township_staff, head_user=township_head,  # reviewed by 飞英司法所
            title="飞英街道老旧小区改造管理办法", business_related=False)
    district_reviewer = factories.filing_reviewer("wuxing")
    with on(NOW):
        assert [d.title for d in oversight.unfiled_overdue(user=district_reviewer)] == [township.title]
        assert township.pk not in [d.pk for d in oversight.unfiled_overdue(user=world.filing_reviewer)]
        assert len(oversight.unfiled_overdue(user=factories.supervisor())) == 2


# ================================================================== the page
def test_oversight_page_shows_the_three_lists(client, world):
    unfiled = world.unfiled()
    unreviewed = world.unreviewed()
    correction = world.open_correction(nrp=True)
    client.force_login(world.filing_reviewer)
    with on(NOW):
        response = client.get(reverse("normative_docs:oversight"))
    assert response.status_code == 200
    assert [d.pk for d in response.context["unfiled"]] == [unfiled.pk]
    assert [f.pk for f in response.context["unreviewed"]] == [unreviewed.pk]
    assert [f.pk for f in response.context["corrections"]] == [correction.pk]
    body = response.content.decode()
    assert unfiled.title in body and "40日" in body  # due 2026-04-01, 40 days before 2026-05-11


def test_oversight_page_filters_the_lists_by_issuer(client, world):
    world.unfiled()
    nrp = world.unfiled(nrp=True)
    client.force_login(world.filing_reviewer)
    with on(NOW):
        response = client.get(reverse("normative_docs:oversight"), {"issuer": nrp.issuer_id})
    assert [d.pk for d in response.context["unfiled"]] == [nrp.pk]
    assert len(response.context["counts"]) == 2


@pytest.mark.parametrize("who", ["supervisor", "office", "filing_reviewer"])
def test_supervisors_the_office_and_filing_reviewers_open_the_oversight_pages(client, db, who):
    make = {"supervisor": factories.supervisor, "office": factories.office, "filing_reviewer": factories.filing_reviewer}
    user = make[who]()
    client.force_login(user)
    assert client.get(reverse("normative_docs:oversight")).status_code == 200
    assert client.get(reverse("normative_docs:statistics")).status_code == 200


@pytest.mark.parametrize("who", ["staff", "head"])
def test_staff_get_403_on_the_oversight_pages(client, db, who):
    user = factories.staff("hz-drc") if who == "staff" else factories.normative_head("hz-drc")
    client.force_login(user)
    assert client.get(reverse("normative_docs:oversight")).status_code == 403
    assert client.get(reverse("normative_docs:statistics")).status_code == 403
    assert client.get(reverse("normative_docs:statistics"), {"format": "csv"}).status_code == 403


@ROWS
def test_oversight_page_query_count(client, world, django_assert_max_num_queries, rows):
    for n in range(rows):
        world.unfiled(nrp=bool(n % 2))
        world.unreviewed(nrp=bool(n % 2))
        world.open_correction(nrp=bool(n % 2))
    client.force_login(world.filing_reviewer)
    with on(NOW), django_assert_max_num_queries(14):
        response = client.get(reverse("normative_docs:oversight"))
    assert len(response.context["unfiled"]) == rows


# ================================================================== statistics
@pytest.fixture
def year_2026(world):
    """市发改委: 4 documents in 2026 (1 on time, 1 late, 1 not filed, 1 not yet due) and one correction
    requested and closed; 市自然资源和规划局: 1 document on time with a correction still open; one
    document of 2025 that does not count."""
    on_time = world.published("2026-02-02")
    filing = world.accept(world.file(on_time, "2026-02-10"), "2026-02-11")
    world.corrected(world.review(filing, "2026-02-20", "correction"), "2026-03-10")
    late = world.published("2026-01-05")
    world.file(late, "2026-03-02")  # due 2026-02-04
    world.unfiled()
    world.published("2026-05-04")
    world.open_correction(nrp=True)
    world.published("2025-06-02")
    return world


def test_statistics_count_each_issuers_year(year_2026):
    with on(NOW):
        stats = oversight.statistics_for_year(user=year_2026.filing_reviewer, year=2026)
    rows = [(r.name, r.issued, r.on_time, r.late, r.not_filed, r.pending, r.corrections_requested,
             r.corrections_closed) for r in stats.rows]
    assert rows == [("市发改委", 4, 1, 1, 1, 1, 1, 1), ("市自然资源和规划局", 1, 1, 0, 0, 0, 1, 0)]
    assert (stats.total.issued, stats.total.corrections_requested) == (5, 2)


def test_statistics_of_another_year_count_only_that_year(year_2026):
    with on(NOW):
        stats = oversight.statistics_for_year(user=year_2026.filing_reviewer, year=2025)
    assert [(r.name, r.issued, r.not_filed) for r in stats.rows] == [("市发改委", 1, 1)]


def test_frequent_problem_list_names_issuers_at_the_threshold(year_2026):
    with on(NOW):
        stats = oversight.statistics_for_year(user=year_2026.filing_reviewer, year=2026)
    assert oversight.FREQUENT_PROBLEM_THRESHOLD == 2
    assert [(r.name, r.problems) for r in stats.frequent] == [("市发改委", 3)]


def test_frequent_problem_threshold_is_configurable(year_2026, monkeypatch):
    monkeypatch.setattr(oversight, "FREQUENT_PROBLEM_THRESHOLD", 1)
    with on(NOW):
        stats = oversight.statistics_for_year(user=year_2026.filing_reviewer, year=2026)
    assert [r.name for r in stats.frequent] == ["市发改委", "市自然资源和规划局"]


def test_statistics_csv_download_opens_in_excel(client, year_2026):
    client.force_login(factories.supervisor())
    with on(NOW):
        response = client.get(reverse("normative_docs:statistics"), {"year": "2026", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="normative-statistics-2026.csv"'
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["制定机关", "发文数量", "按时报送备案", "逾期报送备案", "逾期未报送备案", "待报送（未到期）",
                       "提出纠正意见", "纠正办结", "问题合计"]
    assert rows[1:] == [["市发改委", "4", "1", "1", "1", "1", "1", "1", "3"],
                        ["市自然资源和规划局", "1", "1", "0", "0", "0", "1", "0", "1"],
                        ["合计", "5", "2", "1", "1", "1", "2", "1", "4"]]


def test_statistics_page_shows_the_notice_list(client, year_2026):
    client.force_login(year_2026.filing_reviewer)
    with on(NOW):
        response = client.get(reverse("normative_docs:statistics"), {"year": "2026"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "问题较多的单位" in body and "合计3件" in body


def test_statistics_year_defaults_to_this_year(client, year_2026):
    client.force_login(year_2026.filing_reviewer)
    with on(NOW):
        response = client.get(reverse("normative_docs:statistics"), {"year": "abc"})
    assert response.context["year"] == 2026


@ROWS
def test_statistics_page_query_count(client, world, django_assert_max_num_queries, rows):
    for n in range(rows):
        world.published("2026-03-02", nrp=bool(n % 2))
        world.open_correction(nrp=bool(n % 2))
    client.force_login(world.filing_reviewer)
    with on(NOW), django_assert_max_num_queries(6):
        response = client.get(reverse("normative_docs:statistics"))
    assert response.context["stats"].total.issued == 2 * rows
