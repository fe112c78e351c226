"""A 文号 query finds that number only — in the unified search (page and API), the library and
the staff list: every bracket style, stray spaces, full-width digits, the 号 optional; never a
longer serial (21 for 2, 14 for 1, 692 for 69, 13 for 3), another year or another issuer."""
import datetime as dt
import itertools

import pytest
import time_machine
from django.urls import reverse

from normative_docs.models import NormativeDocument
from normative_docs.selectors import document_list_for_user, library_list
from normative_docs.workflow import DocumentStatus as N
from normative_docs.workflow import NumberQuery, normalize_number, number_query
from search import indexing
from tests import factories

_seq = itertools.count(1)

#: 文号 as printed (the real rows of issue 12 and neighbours that must not be confused with them).
NUMBERS = {
    "hz21": ("湖政办发〔2020〕21号", "hz-office"),
    "hz2": ("湖政办发〔2020〕2号", "hz-office"),
    "hz2026": ("湖政办发〔2026〕2号", "hz-office"),
    "cj692": ("财建[2014]692号", "hz-drc"),
    "cj69": ("财建[2014]69号", "hz-drc"),
    "sx42": ("绍政发〔2015〕42 号", "huzhou"),
    "hzg1": ("湖政规〔2024〕1号", "huzhou"),
    "hzg14": ("湖政规〔2024〕14号", "huzhou"),
    "hzg3": ("湖政规（2024）3号", "huzhou"),
    "hzg13": ("湖政规〔2024〕13号", "huzhou"),
    "other3": ("湖发改规〔2024〕3号", "hz-drc"),
}

#: query → the documents it must find (and nothing else).
CASES = [
    ("湖政办发〔2020〕21号", {"hz21"}),
    ("湖政办发[2020]21号", {"hz21"}),
    ("湖政办发（2020）21 号", {"hz21"}),
    ("湖政办发〔2020〕21", {"hz21"}),
    ("湖政办发〔2020〕2号", {"hz2"}),
    ("湖政办发〔2026〕2号", {"hz2026"}),
    ("湖政办发〔2026〕21号", set()),
    ("财建[2014]692号", {"cj692"}),
    ("财建〔2014〕69号", {"cj69"}),
    ("财建(2014)6号", set()),
    ("绍政发〔2015〕42号", {"sx42"}),
    (" 绍政发 [2015] 42 号 ", {"sx42"}),
    ("绍政发〔2015〕4号", set()),
    ("湖政规〔2024〕1号", {"hzg1"}),
    ("湖政规［２０２４］１４号", {"hzg14"}),
    ("湖政规〔2024〕3号", {"hzg3"}),
    ("〔2024〕3号", {"hzg3", "other3"}),
    ("湖政办发〔2020〕", {"hz21", "hz2"}),
]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


def published(number: str, issuer: str, title: str | None = None) -> NormativeDocument:
    department = factories.department(issuer)
    return NormativeDocument.objects.create(
        title=title or f"湖州市第{next(_seq)}件规范性文件", issuer=department, drafting_department=department,
        filing_body=factories.department("hz-justice"), reason="制定理由。", body="第一条 为了规范管理，制定本办法。",
        status=N.PUBLISHED, number=number, published_on=dt.date(2026, 1, 10), effective_on=dt.date(2026, 2, 10),
        valid_until=dt.date(2031, 2, 9), created_by=factories.staff(issuer))


@pytest.fixture
def documents(db) -> dict[str, int]:
    return {key: published(number, issuer).pk for key, (number, issuer) in NUMBERS.items()}


# ================================================================== the one parser
def test_a_number_in_any_bracket_style_with_stray_spaces_has_one_normal_form():
    forms = {normalize_number(n) for n in ("绍政发〔2015〕42 号", "绍政发[2015]42号", "绍政发（2015）42号",
                                           "绍政发 (2015) 42号", "绍政发［２０１５］４２号", "绍政发【2015】42号")}
    assert forms == {"绍政发[2015]42号"}


def test_a_query_is_read_as_a_number_only_when_it_has_a_bracketed_year():
    assert number_query("财建[2014]692号") == NumberQuery("财建", "2014", "692")
    assert number_query("〔2024〕3号") == NumberQuery("", "2024", "3")
    assert number_query("湖政办发〔2020〕") == NumberQuery("湖政办发", "2020", "")
    assert number_query("湖州市 科技创新") is None and number_query("第3号") is None


# ================================================================== unified search: page and API
@pytest.mark.parametrize(("query", "wanted"), CASES)
def test_the_search_page_finds_a_number_and_nothing_like_it(client, documents, query, wanted):
    indexing.index_all()
    response = client.get(reverse("search:index"), {"q": query})
    assert response.status_code == 200
    page = response.context["page"]
    assert {entry.object_id for entry in page} == {documents[key] for key in wanted}


@pytest.mark.parametrize(("query", "wanted"), CASES)
def test_the_search_api_finds_a_number_and_nothing_like_it(client, documents, query, wanted):
    indexing.index_all()
    data = client.get("/api/v1/public/search/", {"q": query}).json()
    assert {row["object_id"] for row in data["results"]} == {documents[key] for key in wanted}
    assert data["count"] == len(wanted)


def test_a_number_query_finds_enforcement_notices_and_decisions_by_their_number_only(client, db):
    from tests.search.test_search import decision, notice

    notice("处理结果：罚款2000元", title="湖州市市场监督管理局行政处罚决定信息公开")
    target = decision("湖州市城市更新决策", document_number="湖政发〔2026〕2号")
    decision("湖州市交通规划决策", document_number="湖政发〔2026〕21号")
    cites = decision("湖州市引用他文的决策", summary="根据湖政发〔2026〕2号，制定本决策。")
    indexing.index_all()

    data = client.get("/api/v1/public/search/", {"q": "湖政发[2026]2号"}).json()

    assert [(row["kind"], row["object_id"]) for row in data["results"]] == [("decision", target.pk)]
    assert cites.pk not in {row["object_id"] for row in data["results"]}


# ================================================================== the library and the staff list reuse it
@pytest.mark.parametrize(("query", "wanted"), CASES)
def test_the_library_finds_a_number_and_nothing_like_it(documents, query, wanted):
    assert {d.pk for d in library_list(filters={"q": query})} == {documents[key] for key in wanted}


@pytest.mark.parametrize(("query", "wanted"), CASES)
def test_the_public_library_api_finds_a_number_and_nothing_like_it(client, documents, query, wanted):
    data = client.get("/api/v1/public/normative-documents/", {"q": query}).json()
    assert {row["id"] for row in data["results"]} == {documents[key] for key in wanted}


def test_the_staff_list_finds_a_number_and_nothing_like_it(documents):
    ids = {d.pk for d in document_list_for_user(user=factories.supervisor(), filters={"q": "湖政办发（2020）2号"})}
    assert ids == {documents["hz2"]}


def test_an_issuers_prefix_without_brackets_still_finds_its_numbers(documents):
    ids = {d.pk for d in library_list(filters={"q": "财建"})}
    assert ids == {documents["cj692"], documents["cj69"]}
