"""政府信息公开目录信息: every published public item carries an 索引号 unique per publishing
body and year, with 发布机构, 成文日期, 发布日期, 文件编号 and 公开方式 above its text, and a
printable view without the site's navigation."""
import datetime as dt
import re
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.disclosure import disclosure_register, register_published
from core.models import DisclosureRecord, DisclosureSequence
from decisions import services as decision_services
from decisions.models import Catalog, Decision
from decisions.workflow import DecisionStatus, Disclosure
from normative_docs.workflow import DocumentStatus
from tests import factories
from tests.enforcement.test_public import notice_row, published_notice

pytestmark = pytest.mark.django_db

INDEX_NUMBER = re.compile(r"^[A-Z0-9-]+/\d{4}-\d{5}$")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


def record_of(subject) -> DisclosureRecord | None:
    return DisclosureRecord.objects.filter(object_id=subject.pk,
                                           content_type__model=subject._meta.model_name).first()


def catalogs(n: int, first_year: int = 2001) -> list[Catalog]:
    """Cheap distinct subjects for the allocator."""
    return [factories.CatalogFactory(year=first_year + i) for i in range(n)]


def published_catalog_through_services(office_user) -> Catalog:
    catalog = factories.CatalogFactory(year=2026)
    item = factories.CatalogItemFactory(catalog=catalog, status="proposed", number=None)
    decision_services.catalog_compile(actor=office_user, year=2026, included_ids=[item.pk])
    decision_services.catalog_record_party_consent(actor=office_user, year=2026, consent_on=dt.date(2026, 3, 1),
                                                   note="市委常委会同意")
    return decision_services.catalog_publish(actor=office_user, year=2026, document_number="湖政发〔2026〕1号")


# ================================================================== 索引号
def test_index_numbers_are_gap_free_per_body_and_year_in_the_documented_form():
    city, justice = factories.department("huzhou"), factories.department("hz-justice")
    subjects = catalogs(4)
    numbers = [disclosure_register(subject=s, body=city if i < 3 else justice,
                                   published_on=dt.date(2026, 5, 11)).index_number
               for i, s in enumerate(subjects)]
    assert numbers == ["HUZHOU/2026-00001", "HUZHOU/2026-00002", "HUZHOU/2026-00003", "HZ-JUSTICE/2026-00001"]
    assert all(INDEX_NUMBER.match(n) for n in numbers)


def test_the_serial_restarts_at_one_in_a_new_year():
    body = factories.department("hz-amr")
    first, second, third = catalogs(3)
    disclosure_register(subject=first, body=body, published_on=dt.date(2026, 12, 30))
    disclosure_register(subject=second, body=body, published_on=dt.date(2026, 12, 31))
    record = disclosure_register(subject=third, body=body, published_on=dt.date(2027, 1, 4))
    assert record.index_number == "HZ-AMR/2027-00001"
    assert record_of(second).index_number == "HZ-AMR/2026-00002"


def test_registering_again_keeps_the_index_number_and_uses_no_serial():
    body = factories.department("huzhou")
    subject, other = catalogs(2)
    first = disclosure_register(subject=subject, body=body, document_number="湖政发〔2026〕1号")
    again = disclosure_register(subject=subject, body=body, document_number="湖政发〔2026〕9号")
    assert again.pk == first.pk and again.index_number == first.index_number
    assert again.document_number == "湖政发〔2026〕1号"  # what was fixed at publication stays
    assert disclosure_register(subject=other, body=body).index_number == "HUZHOU/2026-00002"
    assert DisclosureSequence.objects.get(body=body, year=2026).last == 2


@pytest.mark.django_db(transaction=True)
def test_two_publications_at_the_same_moment_get_different_consecutive_serials():
    body = factories.department("hz-drc")
    subjects = catalogs(2)
    barrier, results, errors = threading.Barrier(2), [], []

    def publish(subject):
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                results.append(disclosure_register(subject=subject, body=body).serial)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(s,)) for s in subjects]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert sorted(results) == [1, 2]
    assert DisclosureSequence.objects.get(body=body, year=2026).last == 2


# ================================================================== the publication services register
def test_publishing_a_decision_registers_it_and_republishing_keeps_the_number(office_user):
    decision = factories.decision_in_state(DecisionStatus.EXECUTING)
    record = record_of(decision)
    assert record.body.code == "huzhou"  # the decision body, not the 承办单位
    assert record.written_on == decision.decided_on
    assert record.published_on == timezone.localdate(decision.published_at)
    assert record.get_mode_display() == "主动公开"
    with transaction.atomic():
        assert register_published(Decision.objects.get(pk=decision.pk)).index_number == record.index_number
    assert DisclosureRecord.objects.count() == 1


def test_a_decision_withheld_by_law_gets_no_index_number():
    decision = factories.decision_in_state(DecisionStatus.EXECUTING, disclosure=Disclosure.WITHHELD,
                                           withheld_reason="《政府信息公开条例》第十四条")
    assert decision.status == DecisionStatus.EXECUTING
    assert record_of(decision) is None
    assert not DisclosureSequence.objects.exists()


def test_publishing_the_catalog_a_normative_document_and_a_notice_registers_each(office_user):
    catalog = published_catalog_through_services(office_user)
    document = factories.normative_document_in_state(DocumentStatus.PUBLISHED)
    notice = published_notice()
    assert record_of(catalog).document_number == "湖政发〔2026〕1号"
    assert record_of(document).body_id == document.issuer_id
    assert record_of(document).document_number == document.number
    assert record_of(notice).body.name == notice.body_name
    assert record_of(notice).document_number == notice.decision_number


# ================================================================== the public pages
def public_items(office_user) -> list[tuple[str, object]]:
    """(detail url, item) of each public kind, published through the services."""
    catalog = published_catalog_through_services(office_user)
    decision = factories.decision_in_state(DecisionStatus.EXECUTING)
    document = factories.normative_document_in_state(DocumentStatus.PUBLISHED)
    notice = published_notice()
    return [
        (reverse("public:catalog", args=[catalog.year]), catalog),
        (reverse("public:decision-detail", args=[decision.pk]), decision),
        (reverse("library:detail", args=[document.pk]), document),
        (reverse("enforcement_public:notice-detail", args=[notice.pk]), notice),
    ]


def test_each_public_page_shows_the_metadata_in_an_accessible_table_with_one_query(client, office_user):
    for url, item in public_items(office_user):
        record = record_of(item)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert record.index_number in html, url
        assert '<caption class="visually-hidden">政府信息公开目录信息</caption>' in html
        for heading in ("索引号", "发布机构", "成文日期", "发布日期", "文件编号", "公开方式"):
            assert f'<th scope="row">{heading}</th>' in html, (url, heading)
        assert record.body.name in html
        touching = [q["sql"] for q in queries.captured_queries if "core_disclosurerecord" in q["sql"]]
        assert len(touching) == 1, (url, touching)


def test_a_normative_documents_validity_is_derived_when_shown_not_stored(client):
    document = factories.normative_document_in_state(DocumentStatus.PUBLISHED)
    url = reverse("library:detail", args=[document.pk])
    assert '<th scope="row">时效性</th><td>尚未生效</td>' in client.get(url).content.decode()
    with time_machine.travel(dt.datetime.combine(document.effective_on, dt.time(10),
                                                 tzinfo=timezone.get_current_timezone())):
        assert '<th scope="row">时效性</th><td>有效</td>' in client.get(url).content.decode()
    day_after = document.valid_until + dt.timedelta(days=1)
    with time_machine.travel(dt.datetime.combine(day_after, dt.time(10), tzinfo=timezone.get_current_timezone())):
        assert '<th scope="row">时效性</th><td>失效</td>' in client.get(url).content.decode()


def test_a_notice_shows_its_publicity_period_as_the_disclosure_time_limit(client):
    notice = published_notice()
    html = client.get(reverse("enforcement_public:notice-detail", args=[notice.pk])).content.decode()
    until = notice.takedown_on
    assert f"公示至{until.year}年{until.month}月{until.day}日" in html


# ================================================================== the printable view
def test_the_printable_view_needs_no_login_and_has_no_navigation(client, office_user):
    for url, item in public_items(office_user):
        page = client.get(url).content.decode()
        assert 'href="?print=1"' in page and "<nav" in page, url
        response = client.get(url, {"print": "1"})
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "<nav" not in html and 'class="site"' not in html, url
        assert 'name="robots" content="noindex"' in html
        assert record_of(item).index_number in html
        assert html.count("<h1>") == 1


def test_the_printable_view_holds_the_text_and_not_the_suggestion_form(client):
    document = factories.normative_document_in_state(DocumentStatus.PUBLISHED)
    html = client.get(reverse("library:detail", args=[document.pk]), {"print": "1"}).content.decode()
    assert document.body.splitlines()[0] in html
    assert "提出审查建议" not in html and "<form" not in html


def test_the_printable_view_of_an_unpublished_or_withheld_item_is_not_found(client):
    decided = factories.decision_in_state(DecisionStatus.DECIDED)
    withheld = factories.decision_in_state(DecisionStatus.EXECUTING, disclosure=Disclosure.WITHHELD,
                                           withheld_reason="《政府信息公开条例》第十四条")
    draft = factories.normative_document_in_state(DocumentStatus.REGISTERED)
    factories.CatalogFactory(year=2031, status=Catalog.Status.COMPILED)
    for url in (reverse("public:decision-detail", args=[decided.pk]),
                reverse("public:decision-detail", args=[withheld.pk]),
                reverse("library:detail", args=[draft.pk]),
                reverse("public:catalog", args=[2031])):
        assert client.get(url, {"print": "1"}).status_code == 404, url


# ================================================================== stable addresses
def test_a_title_change_keeps_the_address_the_sitemap_entry_and_the_index_number(client):
    decision = factories.decision_in_state(DecisionStatus.EXECUTING)
    url = reverse("public:decision-detail", args=[decision.pk])
    number = record_of(decision).index_number
    sitemap_before = client.get(reverse("sitemap")).content.decode()
    Decision.objects.filter(pk=decision.pk).update(title="湖州市公共政策决策事项（更名）")
    sitemap_after = client.get(reverse("sitemap")).content.decode()
    assert url in sitemap_before and url in sitemap_after
    html = client.get(url).content.decode()
    assert "湖州市公共政策决策事项（更名）" in html and number in html


# ================================================================== items published before
def test_backfill_registers_earlier_publications_in_order_and_only_once():
    city = factories.department("huzhou")
    earlier = factories.CatalogFactory(year=2025, status=Catalog.Status.PUBLISHED, party_consent_on=dt.date(2025, 3, 1),
                                       published_at=timezone.make_aware(dt.datetime(2026, 3, 2, 9)))
    later = factories.CatalogFactory(year=2026, status=Catalog.Status.PUBLISHED, party_consent_on=dt.date(2026, 3, 1),
                                     published_at=timezone.make_aware(dt.datetime(2026, 3, 20, 9)))
    notice = notice_row(published_on=dt.date(2026, 2, 1))
    call_command("backfill_disclosure_records", verbosity=0)
    assert record_of(earlier).index_number == "HUZHOU/2026-00001"
    assert record_of(later).index_number == "HUZHOU/2026-00002"
    assert record_of(notice).index_number == "HZ-AMR/2026-00001"
    assert record_of(notice).published_on == dt.date(2026, 2, 1)
    call_command("backfill_disclosure_records", verbosity=0)
    assert DisclosureRecord.objects.count() == 3
    assert DisclosureSequence.objects.get(body=city, year=2026).last == 2


# ================================================================== search by 索引号
def test_search_finds_a_published_item_by_its_index_number(client):
    from search import indexing
    from search.models import Kind

    decision = factories.decision_in_state(DecisionStatus.EXECUTING)
    other = factories.decision_in_state(DecisionStatus.EXECUTING)
    notice = published_notice()
    indexing.index_all()
    for item, kind in ((decision, Kind.DECISION), (notice, Kind.NOTICE)):
        response = client.get(reverse("search:index"), {"q": record_of(item).index_number})
        assert response.status_code == 200
        hits = {(e.kind, e.object_id) for e in response.context["page"]}
        assert (kind, item.pk) in hits
        assert (Kind.DECISION, other.pk) not in hits
