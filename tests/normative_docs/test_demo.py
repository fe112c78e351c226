"""The demo data loads through the real services and leaves the normative documents in the
states the demo walks through; the oversight lists and statistics are not empty."""
import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from core.models import User
from deadlines.models import LegalClock
from normative_docs import oversight
from normative_docs.models import (
    CleanupRound,
    DocumentRelation,
    FilingRecord,
    NormativeDocument,
    ReviewSuggestion,
)
from normative_docs.workflow import DocumentStatus as N
from reviews.models import ReviewTask

pytestmark = pytest.mark.django_db


def document(title: str, **filters) -> NormativeDocument:
    return NormativeDocument.objects.filter(title=title, **filters).order_by("-id").first()


def check_the_provisional_measures_of_2024_show_expired_in_the_library():
    provisional = document("湖州市价格监测工作暂行办法")
    assert (provisional.number, provisional.published_on, provisional.valid_until) == (
        "湖发改规〔2024〕1号", dt.date(2024, 6, 3), dt.date(2026, 6, 2))
    assert provisional.status == N.EXPIRED
    assert provisional.get_public_status_display() == "失效"


def check_the_2024_document_runs_five_years_and_passed_its_filing_review():
    investment = document("湖州市政府投资项目管理办法")
    assert (investment.number, investment.valid_until) == ("湖发改规〔2024〕2号", dt.date(2030, 1, 9))
    assert investment.get_public_status_display() == "有效"
    filing = FilingRecord.objects.get(document=investment)
    assert (filing.status, filing.on_time) == ("passed", True)
    assert ReviewSuggestion.objects.filter(document=investment).count() == 1


def check_a_new_version_replaces_the_old_document():
    old, new = NormativeDocument.objects.filter(title="湖州市粮食应急保障管理办法").order_by("id")
    assert old.status == N.REPEALED and new.status == N.PUBLISHED
    assert DocumentRelation.objects.filter(newer=new, older=old, kind="replaces").exists()
    assert FilingRecord.objects.get(document=new).status == "submitted"


def check_one_document_is_under_correction_and_one_is_not_filed():
    storage = document("湖州市新型储能项目建设管理办法")
    assert FilingRecord.objects.get(document=storage).status == "correction_requested"
    inspection = document("湖州市重点建设项目稽察办法")
    assert inspection.status == N.PUBLISHED and not inspection.filings.exists()


def check_one_document_is_in_the_shared_review_queue_and_one_open_for_comment():
    energy = document("湖州市固定资产投资项目节能审查实施办法")
    assert energy.status == N.LEGALITY_REVIEW
    task = ReviewTask.objects.get(object_id=energy.pk, kind=ReviewTask.Kind.NORMATIVE_DOCUMENT)
    assert task.status == ReviewTask.Status.OPEN and task.assigned_to_id is None
    low_altitude = document("湖州市低空经济产业发展扶持办法")
    assert low_altitude.status == N.CONSULTING
    clock = LegalClock.objects.get(object_id=low_altitude.pk, rule="normative.public_comment_business")
    assert (clock.status, clock.due_on) == ("running", dt.date(2026, 12, 17))


def check_the_2025_clean_up_is_published_with_its_next_clock():
    round_ = CleanupRound.objects.get()
    assert round_.published_on == dt.date(2025, 12, 22)
    assert sorted(round_.entries.values_list("result", flat=True)) == ["amend", "valid", "valid"]
    assert LegalClock.objects.get(rule="normative.cleanup").fixed_due_on == dt.date(2027, 12, 22)


def check_the_oversight_lists_and_statistics_are_not_empty(client):
    with time_machine.travel("2026-11-27 10:00 +0800", tick=False):
        reviewer = User.objects.get(username="demo_reviewer")
        assert [d.title for d in oversight.unfiled_overdue(user=reviewer)] == ["湖州市重点建设项目稽察办法"]
        assert [f.document.title for f in oversight.unreviewed_overdue(user=reviewer)] == ["湖州市粮食应急保障管理办法"]
        assert [f.document.title for f in oversight.corrections_open(user=reviewer)] == ["湖州市新型储能项目建设管理办法"]
        stats = oversight.statistics_for_year(user=reviewer, year=2026)
        (drc,) = [row for row in stats.rows if row.name == "市发改委"]
        assert (drc.issued, drc.on_time, drc.not_filed, drc.corrections_requested) == (3, 2, 1, 1)
        assert [row.name for row in stats.frequent] == ["市发改委"]
        client.force_login(reviewer)
        assert client.get(reverse("normative_docs:oversight")).status_code == 200


def test_the_demo_loads_the_states_the_demo_walks_through(demo, client):
    """One load (it takes a while) and every check of what it must contain."""
    check_the_provisional_measures_of_2024_show_expired_in_the_library()
    check_the_2024_document_runs_five_years_and_passed_its_filing_review()
    check_a_new_version_replaces_the_old_document()
    check_one_document_is_under_correction_and_one_is_not_filed()
    check_one_document_is_in_the_shared_review_queue_and_one_open_for_comment()
    check_the_2025_clean_up_is_published_with_its_next_clock()
    check_the_oversight_lists_and_statistics_are_not_empty(client)


def test_a_second_run_changes_nothing(demo):
    count = NormativeDocument.objects.count()
    out = StringIO()
    with time_machine.travel("2026-11-27 10:00 +0800", tick=False):
        call_command("load_demo_data", stdout=out)
    assert "演示数据已存在" in out.getvalue()
    assert NormativeDocument.objects.count() == count
