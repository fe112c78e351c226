"""Open data downloads: each public dataset as CSV, XLSX and JSON, holding exactly what the
public pages show — never a withheld, unpublished, withdrawn or expired-from-publicity item."""
import csv
import datetime as dt
import io
import json
from urllib.parse import quote

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from decisions.models import Catalog, CatalogItem
from decisions.workflow import Disclosure
from enforcement.masking import contains_unmasked_id
from enforcement.models import Case, PublicNotice
from normative_docs.models import NormativeDocument
from normative_docs.workflow import DocumentStatus
from tests import factories
from tests.factories import CatalogFactory, CatalogItemFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 11)
FORMATS = ("csv", "xlsx", "json")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


# ================================================================== helpers
def parse(response) -> tuple[list[str], list[dict]]:
    """Header and rows of a download in any format; CSV/XLSX rows keyed by the Chinese header,
    JSON rows keyed by the English keys (the header is the JSON ``fields`` labels)."""
    content = body(response)
    fmt = response["Content-Type"].split(";")[0]
    if fmt == "text/csv":
        assert content.startswith("\ufeff".encode())
        reader = csv.reader(io.StringIO(content.decode("utf-8")[1:]))
        header, *lines = list(reader)
        return header, [dict(zip(header, line, strict=True)) for line in lines]
    if fmt == "application/json":
        document = json.loads(content)
        return list(document["meta"]["fields"].values()), document["data"]
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    header, *lines = [list(row) for row in sheet.iter_rows(values_only=True)]
    return header, [dict(zip(header, line, strict=True)) for line in lines]


def body(response) -> bytes:
    """The bytes of a download, streamed (catalogs) or not."""
    return response.getvalue()


def download(client, name: str, fmt: str, **kwargs):
    response = client.get(reverse(f"opendata:{name}", kwargs=kwargs), {"format": fmt})
    assert response.status_code == 200
    return response


def published_catalog(year: int = 2026, **fields) -> Catalog:
    return CatalogFactory(year=year, **fields, status=Catalog.Status.PUBLISHED, party_consent_on=dt.date(year, 3, 10),
                          document_number=f"湖政发〔{year}〕5号",
                          published_at=timezone.make_aware(dt.datetime(year, 3, 20, 9, 0)))


def notice_row(*, published_on: dt.date = TODAY, takedown_on: dt.date | None = None,
               withdrawn_on: dt.date | None = None, seed: int = 1, **fields) -> PublicNotice:
    """A notice row without the whole case lifecycle; the party's ID is in the clear on the case."""
    body = factories.department("hz-amr")
    case = Case.objects.create(body=body, title=f"测试案件{seed}", clue_source="日常检查", clue_received_on=published_on,
                               key_area="food_drug", kind="specialised", party_type="person", party_name="李四",
                               party_id_number=factories.valid_resident_id(seed), created_by=factories.staff("hz-amr"))
    values = {"title": f"行政处罚决定信息公开（第{seed}号）", "body_name": body.name,
              "decision_number": f"湖市监罚〔{published_on.year}〕{seed}号", "party_masked": "李*",
              "id_masked": "3****************1", "content": "行政相对人：李*\n处理结果：罚款1000元",
              "published_on": published_on, "takedown_on": takedown_on or published_on + dt.timedelta(days=365),
              "withdrawn_on": withdrawn_on, **fields}
    return PublicNotice.objects.create(case=case, **values)


def clone_document(document: NormativeDocument, n: int) -> NormativeDocument:
    """Another published document like ``document`` (for query counts), without the lifecycle."""
    document.pk = None
    document.number = f"湖政规〔2026〕{100 + n}号"
    document.registration_number = f"ZJHS01-2026-{100 + n:04d}"
    document.title = f"湖州市规范性文件{n}"
    document.save()
    return document


def query_count(client, url: str, fmt: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"format": fmt})
        assert response.status_code == 200
        body(response)  # a streamed download reads its rows while it is written
    return len(queries)


# ================================================================== catalog
@pytest.fixture
def catalog_items():
    catalog = published_catalog()
    return {
        "included": CatalogItemFactory(catalog=catalog, name="城市更新三年行动计划", content="=SUM(A1:A2)"),
        "withdrawn": CatalogItemFactory(catalog=catalog, name="已调出的事项", status=CatalogItem.Status.WITHDRAWN),
        "withheld": CatalogItemFactory(catalog=catalog, name="依法不予公开的事项", disclosure=Disclosure.WITHHELD,
                                       withheld_reason="涉及国家秘密"),
        "proposed": CatalogItemFactory(catalog=catalog, name="尚未列入的事项", status=CatalogItem.Status.PROPOSED),
        "not_included": CatalogItemFactory(catalog=catalog, name="未列入的事项", status=CatalogItem.Status.NOT_INCLUDED),
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_catalog_download_holds_exactly_the_items_the_catalog_page_shows(client, catalog_items, fmt):
    header, rows = parse(download(client, "catalog", fmt, year=2026))
    page = client.get(reverse("public:catalog", args=[2026]))

    name_key = "name" if fmt == "json" else "事项名称"
    assert [row[name_key] for row in rows] == [item.name for item in page.context["items"]]
    assert {row[name_key] for row in rows} == {"城市更新三年行动计划", "已调出的事项"}
    assert header[:5] == ["决策机关", "层级", "序号", "事项名称", "主要内容"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_catalog_download_marks_a_withdrawn_item_as_withdrawn(client, catalog_items, fmt):
    _header, rows = parse(download(client, "catalog", fmt, year=2026))
    status_key, name_key = ("status", "name") if fmt == "json" else ("状态", "事项名称")
    assert {row[name_key]: row[status_key] for row in rows} == {"城市更新三年行动计划": "列入目录", "已调出的事项": "已调出"}


def test_catalog_download_never_mentions_withheld_or_unlisted_items(client, catalog_items):
    for fmt in FORMATS:
        response = download(client, "catalog", fmt, year=2026)
        text = body(response).decode("utf-8", "ignore") if fmt != "xlsx" else str(parse(response))
        for key in ("withheld", "proposed", "not_included"):
            assert catalog_items[key].name not in text
        assert "涉及国家秘密" not in text


def test_catalog_json_has_english_keys_and_a_header_object(client, catalog_items):
    document = json.loads(body(download(client, "catalog", "json", year=2026)))
    assert document["meta"]["count"] == 2
    assert document["meta"]["year"] == 2026
    assert document["meta"]["document_number"] == "湖政发〔2026〕5号"
    assert document["meta"]["generated_at"].startswith("2026-05-11T10:00:00")
    assert document["meta"]["source"] and document["meta"]["licence"]
    assert set(document["data"][0]) == {"body_name", "level", "number", "name", "content", "decision_body", "lead_department",
                                        "legal_basis", "required_procedures", "planned_completion", "status"}
    assert document["data"][0]["planned_completion"] == "2026-12-31"


def test_catalog_xlsx_keeps_dates_as_dates_and_formulas_as_text(client, catalog_items):
    response = download(client, "catalog", "xlsx", year=2026)
    _header, rows = parse(response)
    included = next(row for row in rows if row["事项名称"] == "城市更新三年行动计划")
    assert included["计划完成时间"].date() == dt.date(2026, 12, 31)
    assert included["主要内容"] == "=SUM(A1:A2)"
    cells = [cell for row in load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows() for cell in row]
    assert not [cell for cell in cells if cell.data_type == "f"]


def test_unknown_or_unpublished_catalog_year_is_404(client):
    CatalogFactory(year=2025, status=Catalog.Status.COLLECTING)
    assert client.get(reverse("opendata:catalog", args=[2025]), {"format": "csv"}).status_code == 404
    assert client.get(reverse("opendata:catalog", args=[2019]), {"format": "json"}).status_code == 404


def test_catalog_download_query_count_does_not_grow_with_items(client):
    catalog = published_catalog()
    CatalogItemFactory(catalog=catalog)
    url = reverse("opendata:catalog", args=[2026])
    few = {fmt: query_count(client, url, fmt) for fmt in FORMATS}
    CatalogItemFactory.create_batch(20, catalog=catalog, lead_department=factories.department("hz-nrp"))
    many = {fmt: query_count(client, url, fmt) for fmt in FORMATS}
    assert few == many
    assert max(many.values()) <= 3


# ================================================================== every body's catalogs
@pytest.fixture
def body_catalogs():
    """The city's, a district's and a township's published catalogs of 2026, and a township's
    catalog not yet published; each with a withheld item that must not leak."""
    city, district, township = (factories.department(code) for code in ("huzhou", "wuxing", "wuxing-zhili"))
    catalogs = {"city": published_catalog(body=city), "district": published_catalog(body=district),
                "township": published_catalog(body=township),
                "unpublished": CatalogFactory(year=2026, body=factories.department("wuxing-feiying"),
                                              status=Catalog.Status.COLLECTING)}
    items = {
        "city": CatalogItemFactory(catalog=catalogs["city"], name="市级城市更新计划", lead_department=city),
        "district": CatalogItemFactory(catalog=catalogs["district"], name="吴兴区老旧小区改造", lead_department=district),
        "township": CatalogItemFactory(catalog=catalogs["township"], name="织里镇童装产业园规划",
                                       lead_department=township),
        "withheld": CatalogItemFactory(catalog=catalogs["township"], name="织里镇不予公开的事项", lead_department=township,
                                       disclosure=Disclosure.WITHHELD, withheld_reason="涉及商业秘密"),
        "proposed": CatalogItemFactory(catalog=catalogs["district"], name="吴兴区尚未列入的事项", lead_department=district,
                                       status=CatalogItem.Status.PROPOSED),
        "unpublished": CatalogItemFactory(catalog=catalogs["unpublished"], name="飞英街道未公布目录的事项",
                                          lead_department=factories.department("wuxing-feiying")),
    }
    return catalogs, items


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_body_download_names_each_item_s_body_and_level(client, body_catalogs, fmt):
    _header, rows = parse(download(client, "catalogs", fmt, year=2026))
    keys = ("name", "body_name", "level") if fmt == "json" else ("事项名称", "决策机关", "层级")
    assert [(row[keys[0]], row[keys[1]], row[keys[2]]) for row in rows] == [
        ("市级城市更新计划", "湖州市人民政府", "市级"),
        ("吴兴区老旧小区改造", "吴兴区人民政府", "区县级"),
        ("织里镇童装产业园规划", "吴兴区织里镇人民政府", "乡镇（街道）级"),
    ]


def test_every_body_download_never_holds_a_withheld_unlisted_or_unpublished_item(client, body_catalogs):
    for fmt in FORMATS:
        response = download(client, "catalogs", fmt, year=2026)
        text = body(response).decode("utf-8", "ignore") if fmt != "xlsx" else str(parse(response))
        for name in ("织里镇不予公开的事项", "涉及商业秘密", "吴兴区尚未列入的事项", "飞英街道未公布目录的事项"):
            assert name not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_township_s_download_holds_exactly_what_its_public_catalog_page_shows(client, body_catalogs, fmt):
    _header, rows = parse(download(client, "catalog-body", fmt, year=2026, body="wuxing-zhili"))
    page = client.get(reverse("public:catalog-body", args=[2026, "wuxing-zhili"]))
    name_key = "name" if fmt == "json" else "事项名称"
    assert [row[name_key] for row in rows] == [item.name for item in page.context["items"]] == ["织里镇童装产业园规划"]


def test_a_body_s_unpublished_catalog_or_a_unit_without_one_is_404(client, body_catalogs):
    for code in ("wuxing-feiying", "no-such-body", "hz-justice"):
        assert client.get(reverse("opendata:catalog-body", args=[2026, code]), {"format": "csv"}).status_code == 404
    assert client.get(reverse("opendata:catalogs", args=[2025]), {"format": "csv"}).status_code == 404


def test_every_body_download_is_streamed_in_csv_and_json(client, body_catalogs):
    assert download(client, "catalogs", "csv", year=2026).streaming
    assert download(client, "catalogs", "json", year=2026).streaming
    document = json.loads(body(download(client, "catalogs", "json", year=2026)))
    assert document["meta"]["count"] == 3
    assert [each["body_name"] for each in document["meta"]["catalogs"]] == [
        "湖州市人民政府", "吴兴区人民政府", "吴兴区织里镇人民政府"]


def test_every_body_download_query_count_does_not_grow_with_bodies_or_items(client):
    published_catalog(body=factories.department("huzhou"))
    CatalogItemFactory(catalog=Catalog.objects.get())
    url = reverse("opendata:catalogs", args=[2026])
    few = {fmt: query_count(client, url, fmt) for fmt in FORMATS}
    for code in ("wuxing", "wuxing-zhili", "wuxing-feiying", "wuxing-balidian"):
        township = factories.department(code)
        CatalogItemFactory.create_batch(5, catalog=published_catalog(body=township), lead_department=township)
    many = {fmt: query_count(client, url, fmt) for fmt in FORMATS}
    assert few == many
    assert max(many.values()) <= 2


def test_index_offers_every_body_s_catalog_and_the_year_s_collection(client, body_catalogs,
                                                                     django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        html = client.get(reverse("opendata:index")).content.decode()
    for fmt in FORMATS:
        assert f'{reverse("opendata:catalogs", args=[2026])}?format={fmt}' in html
        assert f'{reverse("opendata:catalog", args=[2026])}?format={fmt}' in html
        assert f'{reverse("opendata:catalog-body", args=[2026, "wuxing-zhili"])}?format={fmt}' in html
    assert "吴兴区织里镇人民政府2026年度重大行政决策事项目录（乡镇（街道）级）" in html
    assert reverse("opendata:catalog-body", args=[2026, "wuxing-feiying"]) not in html


# ================================================================== download headers
def test_download_headers_name_the_file_in_ascii_and_utf8_and_allow_caching(client, catalog_items):
    response = download(client, "catalog", "xlsx", year=2026)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"huzhou-catalog-2026.xlsx\"; "
        f"filename*=UTF-8''{quote('湖州市人民政府2026年度重大行政决策事项目录.xlsx')}")
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]


def test_csv_is_utf8_with_bom_and_chinese_headers(client, catalog_items):
    response = download(client, "catalog", "csv", year=2026)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body(response).startswith("\ufeff决策机关,".encode())  # BOM, then the first header


def test_no_format_means_csv(client, catalog_items):
    response = client.get(reverse("opendata:catalog", args=[2026]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize("name", ["normative-documents", "enforcement-notices"])
def test_bad_format_is_400_with_a_chinese_message(client, name):
    response = client.get(reverse(f"opendata:{name}"), {"format": "pdf"})
    assert response.status_code == 400
    assert response.content.decode() == "不支持的下载格式，请选择 csv、xlsx 或 json（例如 ?format=xlsx）。"


def test_bad_format_of_a_catalog_is_400_even_for_an_unknown_year(client):
    assert client.get(reverse("opendata:catalog", args=[2019]), {"format": "xml"}).status_code == 400


# ================================================================== normative documents
@pytest.fixture
def documents():
    published = factories.normative_document_in_state(DocumentStatus.PUBLISHED, title="湖州市促进科技创新若干措施")
    repealed = factories.normative_document_in_state(DocumentStatus.REPEALED, title="湖州市已废止的管理办法")
    draft = factories.normative_document_in_state(DocumentStatus.DRAFTING, title="湖州市尚在起草的办法")
    registered = factories.normative_document_in_state(DocumentStatus.REGISTERED, title="湖州市已登记未公布的办法")
    return {"published": published, "repealed": repealed, "draft": draft, "registered": registered}


@pytest.mark.parametrize("fmt", FORMATS)
def test_normative_download_holds_every_public_document_with_its_public_status(client, documents, fmt):
    header, rows = parse(download(client, "normative-documents", fmt))
    keys = ("title", "status", "number", "registration_number", "issuer") if fmt == "json" else (
        "文件名称", "时效性", "文号", "统一登记号", "制定机关")
    by_title = {row[keys[0]]: row for row in rows}
    assert set(by_title) == {"湖州市促进科技创新若干措施", "湖州市已废止的管理办法"}
    published = documents["published"]
    assert by_title[published.title][keys[1]] == "尚未生效"  # effective in 30 days
    assert by_title["湖州市已废止的管理办法"][keys[1]] == "废止"
    assert by_title[published.title][keys[2]] == published.number
    assert by_title[published.title][keys[3]] == published.registration_number
    assert by_title[published.title][keys[4]] == published.issuer.name
    assert "成文日期" in header and "施行日期" in header


def test_normative_download_links_each_document_page(client, documents):
    rows = json.loads(download(client, "normative-documents", "json").content)["data"]
    published = next(row for row in rows if row["title"] == "湖州市促进科技创新若干措施")
    assert published["url"] == f"http://testserver{reverse('library:detail', args=[documents['published'].pk])}"
    assert published["published_on"] == TODAY.isoformat()


def test_normative_download_never_mentions_unpublished_documents(client, documents):
    for fmt in FORMATS:
        response = download(client, "normative-documents", fmt)
        text = str(parse(response))
        assert "尚在起草" not in text and "已登记未公布" not in text
        registration_number = documents["registered"].registration_number
        assert not registration_number or registration_number not in text


def test_normative_download_query_count_does_not_grow_with_documents(client):
    document = factories.normative_document_in_state(DocumentStatus.PUBLISHED)
    url = reverse("opendata:normative-documents")
    few = {fmt: query_count(client, url, fmt) for fmt in FORMATS}
    for n in range(20):
        clone_document(NormativeDocument.objects.get(pk=document.pk), n)
    many = {fmt: query_count(client, url, fmt) for fmt in FORMATS}
    assert few == many
    assert max(many.values()) <= 2


# ================================================================== enforcement notices
@pytest.fixture
def notices():
    return {
        "live": notice_row(seed=1, title="在公示期内的决定"),
        "withdrawn": notice_row(seed=2, title="已撤回的决定", withdrawn_on=TODAY),
        "expired": notice_row(seed=3, title="公示期已满的决定", published_on=dt.date(2025, 1, 2),
                              takedown_on=dt.date(2026, 5, 10)),
        "future": notice_row(seed=4, title="尚未公开的决定", published_on=TODAY + dt.timedelta(days=1)),
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_enforcement_download_holds_only_live_notices(client, notices, fmt):
    header, rows = parse(download(client, "enforcement-notices", fmt))
    title_key = "title" if fmt == "json" else "标题"
    assert [row[title_key] for row in rows] == ["在公示期内的决定"]
    assert "当事人" in header and "证件号码" in header


def test_enforcement_json_has_only_masked_columns(client, notices):
    rows = json.loads(download(client, "enforcement-notices", "json").content)["data"]
    assert set(rows[0]) == {"title", "body_name", "decision_number", "party_masked", "id_masked", "content",
                            "published_on", "takedown_on", "url"}
    assert rows[0]["party_masked"] == "李*"


@pytest.mark.parametrize("fmt", FORMATS)
def test_enforcement_download_has_no_unmasked_id_even_if_one_was_typed_into_the_text(client, fmt):
    raw_id = factories.valid_resident_id(7)
    notice_row(seed=7, content=f"当事人身份证号{raw_id}，罚款1000元")
    response = download(client, "enforcement-notices", fmt)
    text = response.content.decode("utf-8") if fmt != "xlsx" else str(parse(response))
    assert not contains_unmasked_id(text)
    assert raw_id not in text
    assert "李四" not in text  # the party's name lives on the case, which is never read


def test_enforcement_download_query_count_does_not_grow_with_notices(client):
    notice_row(seed=1)
    url = reverse("opendata:enforcement-notices")
    few = {fmt: query_count(client, url, fmt) for fmt in FORMATS}
    for seed in range(2, 22):
        notice_row(seed=seed)
    many = {fmt: query_count(client, url, fmt) for fmt in FORMATS}
    assert few == many
    assert max(many.values()) <= 1


# ================================================================== index page and schema
def test_index_lists_every_published_year_and_each_dataset_in_three_formats(client, django_assert_max_num_queries):
    published_catalog(2025)
    published_catalog(2026)
    CatalogFactory(year=2027, status=Catalog.Status.COLLECTING)
    with django_assert_max_num_queries(3):
        response = client.get(reverse("opendata:index"))
    html = response.content.decode()
    assert response.status_code == 200
    for fmt in FORMATS:
        for year in (2025, 2026):
            assert f'{reverse("opendata:catalog", args=[year])}?format={fmt}' in html
        assert f'{reverse("opendata:normative-documents")}?format={fmt}' in html
        assert f'{reverse("opendata:enforcement-notices")}?format={fmt}' in html
    assert reverse("opendata:catalog", args=[2027]) not in html


def test_public_rest_endpoints_are_documented_for_anonymous_callers():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path in ("/api/v1/public/catalogs/", "/api/v1/public/catalogs/{year}/", "/api/v1/public/decisions/",
                 "/api/v1/public/decisions/{id}/", "/api/v1/public/enforcement-notices/"):
        operation = paths[path]["get"]
        assert "public" in operation["tags"]
        assert {} in operation["security"]  # callable without credentials


def test_csv_cells_that_would_run_as_formulas_are_neutralised():
    from portal.opendata_views import _csv_text

    assert _csv_text("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert _csv_text("@SUM(A1)") == "'@SUM(A1)"
    assert _csv_text("湖政规〔2026〕1号") == "湖政规〔2026〕1号"
