"""Atom feeds (订阅) and the sitemap of the public portal: only what the public pages show,
absolute links on the request's host, ids and addresses by primary key, fixed query counts."""
import datetime as dt
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from consultations.models import Consultation
from decisions import services as decision_services
from decisions.models import Catalog, CatalogAdjustment, CatalogItem, Decision
from decisions.workflow import DecisionStatus, Disclosure
from normative_docs import services as normative_services
from normative_docs.models import NormativeDocument
from normative_docs.workflow import DocumentStatus, normalize_number
from tests import factories
from tests.enforcement.test_public import notice_row
from tests.factories import CatalogFactory, CatalogItemFactory, DecisionFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HOST = "portal.huzhou.example"
TODAY = dt.date(2026, 5, 11)
FEED_QUERIES = 2
SITEMAP_QUERIES = 14  # each queryset section counts, then reads its page (consultations: +2)


@pytest.fixture(autouse=True)
def _today(settings):
    settings.ALLOWED_HOSTS = [HOST, "testserver"]
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


def read_feed(client, name: str) -> list[dict]:
    response = client.get(reverse(f"feeds:{name}"), HTTP_HOST=HOST)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return [{"title": entry.findtext(f"{ATOM}title"), "id": entry.findtext(f"{ATOM}id"),
             "link": entry.find(f"{ATOM}link").get("href"), "summary": entry.findtext(f"{ATOM}summary") or "",
             "updated": entry.findtext(f"{ATOM}updated")}
            for entry in root.findall(f"{ATOM}entry")]


def url(name: str, *args) -> str:
    return f"http://{HOST}{reverse(name, args=args)}"


def published_catalog(year: int = 2026) -> Catalog:
    return CatalogFactory(year=year, status=Catalog.Status.PUBLISHED, party_consent_on=dt.date(year, 3, 10),
                          published_at=timezone.make_aware(dt.datetime(year, 3, 20, 9, 0)))


def adjustment(item: CatalogItem, *, status=CatalogAdjustment.Status.PUBLISHED) -> CatalogAdjustment:
    return CatalogAdjustment.objects.create(
        catalog=item.catalog, item=item, kind=CatalogAdjustment.Kind.CHANGE, reason="计划完成时间调整。", status=status,
        proposed_by=item.proposed_by,
        published_at=timezone.now() if status == CatalogAdjustment.Status.PUBLISHED else None)


def public_decisions(count: int) -> list[Decision]:
    """Published decisions without the whole lifecycle, for counting queries."""
    decisions = DecisionFactory.create_batch(count)
    Decision.objects.filter(pk__in=[d.pk for d in decisions]).update(
        status=DecisionStatus.EXECUTING, published_at=timezone.now())
    return decisions


def public_documents(count: int, start: int = 1) -> list[NormativeDocument]:
    staff = factories.staff()
    documents = []
    for n in range(start, start + count):
        document = NormativeDocument.objects.create(
            title=f"湖州市管理办法{n}", issuer=staff.department, drafting_department=staff.department,
            filing_body=factories.department("hz-justice"), reason="规范管理。", created_by=staff)
        number = f"湖政规〔2026〕{n}号"
        NormativeDocument.objects.filter(pk=document.pk).update(
            status=DocumentStatus.PUBLISHED, number=number, number_normalized=normalize_number(number),
            published_on=TODAY, effective_on=TODAY)
        documents.append(document)
    return documents


def withhold(decision: Decision) -> None:
    Decision.objects.filter(pk=decision.pk).update(disclosure=Disclosure.WITHHELD, withheld_reason="涉及国家秘密。")


# ================================================================== catalog
def test_catalog_feed_lists_published_catalogs_and_published_adjustments(client):
    catalog = published_catalog()
    CatalogFactory(year=2027)  # still collecting
    item = CatalogItemFactory(catalog=catalog, name="湖州市公交票价调整")
    secret = CatalogItemFactory(catalog=catalog, name="不公开事项", disclosure=Disclosure.WITHHELD,
                                withheld_reason="涉及国家秘密。")
    shown = adjustment(item)
    adjustment(secret)
    adjustment(CatalogItemFactory(catalog=catalog, name="待审核调整事项"), status=CatalogAdjustment.Status.PROPOSED)

    entries = read_feed(client, "catalog")

    assert [e["title"] for e in entries] == ["2026年度目录调整（变更事项）：湖州市公交票价调整", str(catalog)]
    assert entries[0]["id"] == f"{url('public:catalog', 2026)}#adjustment-{shown.pk}"
    assert entries[1]["link"] == url("public:catalog", 2026)
    assert "不公开事项" not in str(entries) and "待审核" not in str(entries)


# ================================================================== decisions
def test_decision_feed_lists_published_public_decisions_by_stable_url(client):
    decision = factories.decision_in_state(DecisionStatus.EXECUTING, title="湖州市公交票价改革方案")
    withheld = factories.decision_in_state(DecisionStatus.EXECUTING, title="依法不予公开的决策")
    withhold(withheld)
    factories.decision_in_state(DecisionStatus.CONSULTING, title="尚未公布的决策")

    entries = read_feed(client, "decisions")

    assert [e["title"] for e in entries] == ["湖州市公交票价改革方案"]
    assert entries[0]["id"] == entries[0]["link"] == url("public:decision-detail", decision.pk)
    assert entries[0]["summary"] == decision.summary


def test_decision_feed_keeps_the_same_id_when_the_title_changes(client):
    decision = public_decisions(1)[0]
    before = read_feed(client, "decisions")[0]["id"]
    Decision.objects.filter(pk=decision.pk).update(title="更名后的决策事项")
    after = read_feed(client, "decisions")[0]
    assert (after["id"], after["title"]) == (before, "更名后的决策事项")


def test_decision_feed_holds_at_most_fifty_newest(client):
    public_decisions(55)
    assert len(read_feed(client, "decisions")) == 50


# ================================================================== normative documents
def test_library_feed_shows_number_and_status_of_public_documents_only(client):
    document = factories.normative_document_in_state(DocumentStatus.PUBLISHED, title="湖州市促进科技创新若干措施")
    factories.normative_document_in_state(DocumentStatus.CONSULTING, title="起草中的文件")
    document.refresh_from_db()

    entries = read_feed(client, "library")

    assert [e["title"] for e in entries] == [f"湖州市促进科技创新若干措施（{document.number}）【尚未生效】"]
    assert entries[0]["id"] == url("library:detail", document.pk)


def test_library_feed_shows_a_repealed_document_as_repealed(client):
    document = factories.normative_document_in_state(DocumentStatus.REPEALED, title="已废止的办法")
    entries = read_feed(client, "library")
    assert entries[0]["title"] == f"已废止的办法（{NormativeDocument.objects.get(pk=document.pk).number}）【废止】"


# ================================================================== enforcement notices
def test_notice_feed_lists_live_notices_only(client):
    live = notice_row(seed=1)
    notice_row(seed=2, withdrawn_on=TODAY)
    notice_row(seed=3, published_on=dt.date(2025, 1, 2), takedown_on=dt.date(2026, 5, 10))  # expired
    notice_row(seed=4, published_on=dt.date(2026, 5, 12))  # not yet published

    entries = read_feed(client, "enforcement-notices")

    assert [e["id"] for e in entries] == [url("enforcement_public:notice-detail", live.pk)]
    assert "李*" in entries[0]["summary"]


def test_notice_feed_carries_no_unmasked_party_data(client):
    notice = notice_row(seed=5, title="行政处罚决定（当事人身份证号" + factories.valid_resident_id(9) + "）")
    body = client.get(reverse("feeds:enforcement-notices"), HTTP_HOST=HOST).content.decode()
    assert notice.case.party_id_number not in body
    assert factories.valid_resident_id(9) not in body
    assert "李四" not in body


# ================================================================== consultations
def open_decision_comment(**kwargs) -> Decision:
    decision = factories.decision_in_state(DecisionStatus.CONSULTING, **kwargs)
    decision_services.decision_open_public_comment(actor=decision.created_by, decision_id=decision.pk,
                                                   opened_on=TODAY, closes_on=dt.date(2026, 6, 10),
                                                   channel="湖州市人民政府网站")
    return decision


def open_document_comment(**kwargs) -> NormativeDocument:
    document = factories.normative_document_in_state(DocumentStatus.CONSULTING, business_related=False, **kwargs)
    normative_services.document_open_public_comment(actor=document.created_by, document_id=document.pk,
                                                    opened_on=TODAY, closes_on=dt.date(2026, 5, 20),
                                                    channel="湖州市司法局网站")
    return document


def test_consultation_feed_lists_open_drafts_with_their_closing_time(client):
    decision = open_decision_comment(title="湖州市公交票价调整方案")
    document = open_document_comment(title="湖州市物业管理办法（征求意见稿）")
    factories.decision_in_state(DecisionStatus.CONSULTING, title="未征求意见的决策")

    entries = read_feed(client, "consultations")

    assert [e["title"] for e in entries] == ["【征求意见】湖州市物业管理办法（征求意见稿）（规范性文件草案）",
                                             "【征求意见】湖州市公交票价调整方案（重大行政决策草案）"]
    assert "征求意见截止时间：2026年5月20日24时" in entries[0]["summary"]
    assert "征求意见截止时间：2026年6月10日24时" in entries[1]["summary"]
    assert entries[0]["id"] == url("consultations:detail", Consultation.objects.get(object_id=document.pk,
                                                                    content_type__model="normativedocument").pk)
    assert entries[1]["id"] == url("consultations:detail", Consultation.objects.get(object_id=decision.pk,
                                                                    content_type__model="decision").pk)


def test_consultation_feed_leaves_out_a_withheld_decision(client):
    decision = open_decision_comment(title="依法不予公开的决策草案")
    withhold(decision)
    assert read_feed(client, "consultations") == []


def test_consultation_feed_drops_a_draft_after_its_closing_day(client):
    open_document_comment()
    with time_machine.travel("2026-05-21 08:00 +0800", tick=False):
        assert read_feed(client, "consultations") == []


# ================================================================== query counts
def fill(many: bool) -> None:
    n = 30 if many else 1
    catalog = published_catalog()
    for item in CatalogItemFactory.create_batch(n, catalog=catalog):
        adjustment(item)
    public_decisions(n)
    public_documents(n)
    for seed in range(n):
        notice_row(seed=seed + 10)
    for _ in range(3 if many else 1):
        open_decision_comment()
        open_document_comment()


@pytest.mark.parametrize("many", [False, True], ids=["few", "many"])
@pytest.mark.parametrize("name", ["catalog", "decisions", "library", "enforcement-notices", "consultations"])
def test_feed_query_count_is_fixed(client, django_assert_max_num_queries, many, name):
    fill(many)
    with django_assert_max_num_queries(FEED_QUERIES):
        response = client.get(reverse(f"feeds:{name}"), HTTP_HOST=HOST)
    assert response.status_code == 200


# ================================================================== sitemap
def sitemap_urls(client) -> set[str]:
    response = client.get(reverse("sitemap"), HTTP_HOST=HOST)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {loc.text for loc in root.iter(f"{SITEMAP}loc")}


def test_sitemap_lists_every_public_page_and_nothing_else(client):
    from enforcement.reports import report_publish

    published_catalog()
    CatalogFactory(year=2027)
    decision = public_decisions(1)[0]
    withheld, unpublished = public_decisions(1)[0], DecisionFactory()
    withhold(withheld)
    document = public_documents(1)[0]
    draft = factories.normative_document_in_state(DocumentStatus.CONSULTING)
    live, withdrawn = notice_row(seed=1), notice_row(seed=2, withdrawn_on=TODAY)
    expired = notice_row(seed=3, published_on=dt.date(2025, 1, 2), takedown_on=dt.date(2026, 5, 10))
    report_publish(actor=factories.office(), year=2025)  # a year that has ended
    amr = factories.department("hz-amr")

    urls = sitemap_urls(client)

    assert {url("public:home"), url("public:catalog-index"), url("public:decision-list"), url("library:list"),
            url("enforcement_public:bodies"), url("enforcement_public:notices"), url("enforcement_reports:index"),
            url("public:catalog", 2026), url("public:decision-detail", decision.pk),
            url("library:detail", document.pk), url("enforcement_public:body-detail", amr.pk),
            url("enforcement_public:notice-detail", live.pk), url("enforcement_reports:detail", 2025)} <= urls
    assert not {url("public:catalog", 2027), url("public:decision-detail", withheld.pk),
                url("public:decision-detail", unpublished.pk), url("library:detail", draft.pk),
                url("enforcement_public:notice-detail", withdrawn.pk),
                url("enforcement_public:notice-detail", expired.pk)} & urls


def test_a_renamed_decision_keeps_its_url(client):
    decision = public_decisions(1)[0]
    address = url("public:decision-detail", decision.pk)
    assert address in sitemap_urls(client)

    Decision.objects.filter(pk=decision.pk).update(title="更名后的决策事项")

    assert address in sitemap_urls(client)
    page = client.get(reverse("public:decision-detail", args=[decision.pk]))
    assert page.status_code == 200 and "更名后的决策事项" in page.content.decode()


@pytest.mark.parametrize("many", [False, True], ids=["few", "many"])
def test_sitemap_query_count_is_fixed(client, django_assert_max_num_queries, many):
    fill(many)
    with django_assert_max_num_queries(SITEMAP_QUERIES):
        response = client.get(reverse("sitemap"), HTTP_HOST=HOST)
    assert response.status_code == 200


# ================================================================== discovery
@pytest.mark.parametrize(("page", "feed"), [
    ("public:catalog-index", "feeds:catalog"), ("public:decision-list", "feeds:decisions"),
    ("library:list", "feeds:library"), ("enforcement_public:notices", "feeds:enforcement-notices"),
])
def test_public_list_pages_announce_their_feed(client, page, feed):
    body = client.get(reverse(page)).content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in body
    assert f'href="{reverse(feed)}"' in body
