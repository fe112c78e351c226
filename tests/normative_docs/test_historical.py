"""历史文件登记: documents issued before the portal, registered by the filing body with their
文号 as printed (湖政办发〔2020〕21号, 财建[2014]692号, 绍政发〔2015〕42 号): in the library and the
search, marked as registered, in 立改废 relations; a registered number is never given again and
no two documents hold the same number. Through the service, the API and the page."""
import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.exceptions import DomainError, NotPermitted
from core.models import AuditEvent, Department
from core.rulebook import RuleRefused
from deadlines.models import LegalClock
from normative_docs import historical, services
from normative_docs.models import DocumentRelation, NormativeDocument
from normative_docs.selectors import historical_issuers_for, library_list
from normative_docs.workflow import DocumentStatus as N
from search import indexing
from tests import factories
from tests.api_support import api, assert_error
from tests.factories import normative_document_in_state, pdf_file

pytestmark = pytest.mark.django_db
URL = "/api/v1/normative-documents/historical/"


@pytest.fixture(autouse=True)
def _monday_in_may_2026():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


@pytest.fixture
def registrar(db):
    """A reviewer of the city's justice bureau: the filing body of the city and its departments."""
    return factories.filing_reviewer("hz-justice")


CATALOG_NOTICE = {
    "document_number": "湖政办发〔2020〕21号", "title": "关于公布2020年度市政府重大行政决策事项目录的通知",
    "issuer": "湖州市人民政府办公室", "signed_on": dt.date(2020, 7, 31), "published_on": dt.date(2020, 7, 31),
    "text": "各区县人民政府，市政府各部门：经市政府同意，现将2020年度市政府重大行政决策事项目录予以公布……",
}


def register(actor, **overrides) -> NormativeDocument:
    return historical.historical_register(actor=actor, **{**CATALOG_NOTICE, **overrides})


# ================================================================== the service
def test_a_registered_document_keeps_its_number_as_printed_and_is_in_the_library(registrar):
    document = register(registrar)
    assert (document.number, document.number_normalized) == ("湖政办发〔2020〕21号", "湖政办发[2020]21号")
    assert (document.status, document.origin, document.public_status()) == (N.PUBLISHED, "historical", "valid")
    assert (document.issuer.code, document.filing_body.code, document.doc_type) == ("hz-office", "hz-justice", "notice")
    assert (document.effective_on, document.registration_number) == (dt.date(2020, 7, 31), "")
    assert [d.pk for d in library_list(filters={"q": "湖政办发[2020]21号"})] == [document.pk]
    event = AuditEvent.objects.get(object_id=str(document.pk), action="register_historical")
    assert (event.actor_id, event.details["number"], event.target_state) == (registrar.pk, "湖政办发〔2020〕21号", "published")


def test_a_number_with_a_stray_space_is_kept_as_printed(registrar):
    document = register(registrar, document_number="绍政发〔2015〕42 号", title="关于加强行政规范性文件管理的通知",
                        issuer="湖州市人民政府", signed_on=dt.date(2015, 6, 1), published_on=dt.date(2015, 6, 3))
    assert (document.number, document.number_normalized) == ("绍政发〔2015〕42 号", "绍政发[2015]42号")


def test_a_number_already_held_is_refused_in_any_bracket_style(registrar):
    first = register(registrar, document_number="财建[2014]692号", title="关于政府投资项目资金管理的通知",
                     issuer="湖州市发展和改革委员会", signed_on=dt.date(2014, 9, 1), published_on=dt.date(2014, 9, 5))
    with pytest.raises(RuleRefused) as refused:
        register(registrar, document_number="财建〔2014〕692 号", title="另一份通知", issuer="湖州市发展和改革委员会",
                 signed_on=dt.date(2014, 9, 1), published_on=dt.date(2014, 9, 5))
    assert refused.value.message == (
        "文号“财建〔2014〕692 号”已由《关于政府投资项目资金管理的通知》使用，同一文号不得重复登记或编号"
        "（国办发〔2018〕37号）。")
    assert refused.value.code == "number_taken"
    assert NormativeDocument.objects.filter(number_normalized="财建[2014]692号").count() == 1
    [event] = AuditEvent.objects.filter(object_id=str(first.pk), event_type="rule_refused")
    assert event.details["rule"] == "N-number"
    # a longer serial is another number
    register(registrar, document_number="财建[2014]69号", title="第三份通知", issuer="湖州市发展和改革委员会",
             signed_on=dt.date(2014, 3, 1), published_on=dt.date(2014, 3, 5))


def test_the_database_refuses_two_documents_with_one_normalised_number(registrar):
    document = register(registrar)
    clone = NormativeDocument(title="复制", issuer=document.issuer, drafting_department=document.issuer,
                              filing_body=document.filing_body, reason="-", created_by=registrar,
                              number="湖政办发（2020）21号")
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_the_portal_never_gives_a_registered_number_again(staff_user, registrar):
    head = factories.normative_head("hz-drc")
    register(registrar, document_number="湖发改规〔2026〕1号", title="湖州市纸质印发的管理办法",
             issuer="湖州市发展和改革委员会", signed_on=dt.date(2026, 1, 5), published_on=dt.date(2026, 1, 8))
    document = normative_document_in_state(N.DELIBERATED, staff_user=staff_user, head_user=head)
    services.document_register(actor=head, document_id=document.pk)
    document.refresh_from_db()
    assert document.number == "湖发改规〔2026〕2号"
    event = AuditEvent.objects.get(object_id=str(document.pk), action="register")
    assert event.details["skipped_registered_numbers"] == ["湖发改规〔2026〕1号"]


def test_statuses_and_dates(registrar):
    expired = register(registrar, document_number="湖政办发〔2016〕14号", title="湖州市某某暂行办法", status="失效",
                       signed_on=dt.date(2016, 5, 19), published_on=dt.date(2016, 5, 19),
                       valid_until=dt.date(2018, 5, 18))
    repealed = register(registrar, document_number="湖政办发〔2017〕3号", title="湖州市某某办法", status="repealed",
                        signed_on=dt.date(2017, 1, 3), published_on=dt.date(2017, 1, 5), ended_on=dt.date(2021, 1, 1))
    assert (expired.status, expired.ended_on, expired.public_status()) == (N.EXPIRED, dt.date(2018, 5, 19), "expired")
    assert (repealed.status, repealed.public_status()) == (N.REPEALED, "repealed")
    with pytest.raises(DomainError, match="^有效期已于2026年5月1日届满，时效性应为“失效”。$"):
        register(registrar, document_number="湖政办发〔2021〕8号", valid_until=dt.date(2026, 5, 1))
    with pytest.raises(DomainError, match="^请填写失效或废止日期。$"):
        register(registrar, document_number="湖政办发〔2021〕9号", status="废止")
    with pytest.raises(DomainError, match="^成文日期不能晚于公布日期。$"):
        register(registrar, document_number="湖政办发〔2021〕10号", signed_on=dt.date(2020, 8, 1))


def test_a_valid_document_with_a_validity_period_gets_its_expiry_reminders(registrar):
    document = register(registrar, valid_until=dt.date(2026, 12, 31))
    rules = set(LegalClock.objects.filter(object_id=document.pk, content_type__model="normativedocument",
                                          status="running").values_list("rule", flat=True))
    assert rules == {"normative.expiry_notice", "normative.expiry_final"}


def test_only_the_filing_body_registers(registrar):
    with pytest.raises(NotPermitted, match="^历史文件由湖州市人民政府办公室的备案审查机关登记。$"):
        register(factories.filing_reviewer("hz-drc"))
    with pytest.raises(NotPermitted):
        register(factories.staff("hz-office"))
    with pytest.raises(DomainError, match="^未找到制定机关“财政部”：请填写单位名录中的机关全称。$"):
        register(registrar, issuer="财政部")


def test_a_township_document_is_registered_by_its_district(db):
    district_reviewer = factories.filing_reviewer("wuxing")
    document = register(district_reviewer, issuer="飞英街道", document_number="飞街发〔2019〕5号")
    assert document.filing_body.code == "wuxing"
    issuers = set(historical_issuers_for(user=district_reviewer).values_list("code", flat=True))
    assert issuers == set(Department.objects.filter(parent__code="wuxing", kind="township").values_list("code", flat=True))
    assert "wuxing-feiying" in issuers


# ================================================================== 立改废
def test_a_registered_document_takes_part_in_relations_both_ways(staff_user, registrar):
    head = factories.normative_head("hz-drc")
    old = register(registrar, document_number="湖发改〔2018〕7号", title="湖州市政府投资项目管理办法",
                   issuer="湖州市发展和改革委员会", signed_on=dt.date(2018, 3, 1), published_on=dt.date(2018, 3, 2))
    older = register(registrar, document_number="湖发改〔2012〕2号", title="湖州市政府投资项目管理暂行办法",
                     issuer="湖州市发展和改革委员会", signed_on=dt.date(2012, 1, 4), published_on=dt.date(2012, 1, 5),
                     valid_until=dt.date(2026, 12, 31))
    newer = register(registrar, document_number="湖发改〔2019〕1号", title="关于修订政府投资项目管理办法的通知",
                     issuer="湖州市发展和改革委员会", signed_on=dt.date(2019, 1, 2), published_on=dt.date(2019, 1, 3),
                     relations=[{"number": "湖发改[2012]2号", "kind": "repeals"}])
    assert NormativeDocument.objects.get(pk=older.pk).status == N.REPEALED
    assert DocumentRelation.objects.get(newer=newer).older_id == older.pk
    draft = normative_document_in_state(N.PROPOSED, staff_user=staff_user, title="湖州市政府投资项目管理办法（修订）")
    services.document_link(actor=staff_user, document_id=draft.pk, older_id=old.pk, kind="replaces")
    from tests.normative_docs.test_services import carry_to_published

    carry_to_published(draft, staff_user=staff_user, head_user=head)
    assert NormativeDocument.objects.get(pk=old.pk).status == N.REPEALED  # replaced by the portal's new version


# ================================================================== the API
def test_the_api_registers_the_real_rows(registrar):
    client = api(registrar)
    response = client.post(URL, {**CATALOG_NOTICE, "signed_on": "2020-07-31", "published_on": "2020-07-31"},
                           format="json")
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    assert (body["number"], body["origin"], body["public_status"]) == ("湖政办发〔2020〕21号", "historical", "valid")
    response = client.post(URL, {
        "document_number": "绍政发〔2015〕42 号", "title": "关于加强行政规范性文件管理的通知", "issuer": "湖州市人民政府",
        "signed_on": "2015-06-01", "published_on": "2015-06-03", "text": "全文……", "status": "失效",
        "valid_until": "2020-06-02", "files": [pdf_file("原件扫描.pdf")]}, format="multipart")
    assert response.status_code == 201, response.content.decode()
    assert response.json()["public_status"] == "expired"


def test_the_api_refuses_a_taken_number_and_bad_input(registrar):
    client = api(registrar)
    body = {**CATALOG_NOTICE, "signed_on": "2020-07-31", "published_on": "2020-07-31"}
    assert client.post(URL, body, format="json").status_code == 201
    response = client.post(URL, {**body, "document_number": "湖政办发[2020]21号"}, format="json")
    assert_error(response, 400, "number_taken",
                 "文号“湖政办发[2020]21号”已由《关于公布2020年度市政府重大行政决策事项目录的通知》使用，同一文号不得重复登记或编号"
                 "（国办发〔2018〕37号）。")
    response = client.post(URL, {**body, "document_number": "湖政办发〔2020〕22号", "status": "作废"}, format="json")
    assert_error(response, 400, "invalid_status", "时效性只能是有效、失效或废止。")
    response = client.post(URL, {"title": "缺文号"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert api(factories.staff("hz-office")).post(
        URL, {**body, "document_number": "湖政办发〔2020〕23号"}, format="json").status_code == 403


# ================================================================== library, search, page
def test_the_library_and_the_search_mark_it_as_registered(client, registrar):
    document = register(registrar, document_number="绍政发〔2015〕42 号", title="关于加强行政规范性文件管理的通知",
                        issuer="湖州市人民政府", signed_on=dt.date(2015, 6, 1), published_on=dt.date(2015, 6, 3))
    indexing.index_all()
    listing = client.get(reverse("library:list"), {"q": "绍政发[2015]42号"})
    detail = client.get(reverse("library:detail", args=[document.pk])).content.decode()
    found = client.get("/api/v1/public/search/", {"q": "绍政发（2015）42号"}).json()
    assert [d.pk for d in listing.context["page"]] == [document.pk] and "历史文件登记" in listing.content.decode()
    assert "历史文件登记" in detail and "绍政发〔2015〕42 号" in detail
    assert [(r["object_id"], r["historical"]) for r in found["results"]] == [(document.pk, True)]
    page = client.get(reverse("search:index"), {"q": "绍政发〔2015〕42号"}).content.decode()
    assert "历史文件登记" in page


def test_the_page_registers_and_refuses_others(client, registrar):
    office = factories.department("hz-office")
    client.force_login(registrar)
    url = reverse("normative_docs:historical-register")
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "document_number": "湖政办发〔2020〕21号", "title": CATALOG_NOTICE["title"], "issuer": office.pk,
        "signed_on": "2020-07-31", "published_on": "2020-07-31", "status": "valid", "text": CATALOG_NOTICE["text"],
        "files": [pdf_file("原件.pdf")]})
    document = NormativeDocument.objects.get(number="湖政办发〔2020〕21号")
    assert response.status_code == 302 and response.url == reverse("normative_docs:detail", args=[document.pk])
    assert document.attachments.get().purpose == "published"
    again = client.post(url, {
        "document_number": "湖政办发（2020）21号", "title": "重复", "issuer": office.pk, "signed_on": "2020-07-31",
        "published_on": "2020-07-31", "status": "valid", "text": "全文"})
    assert again.status_code == 400 and "同一文号不得重复登记或编号" in again.content.decode()
    client.force_login(factories.staff("hz-office"))
    assert client.get(url).status_code == 403
