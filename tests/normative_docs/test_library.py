"""The public library (规范性文件库): only published documents, searchable by title, 文号 in
any bracket style, issuer, 时效性 and year; detail with metadata, public attachments, the
立改废 chain and a side-by-side comparison."""
import datetime as dt
import io
import itertools
import re
import zipfile

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from core.services import attachment_add
from normative_docs.models import DocumentRelation, NormativeDocument
from normative_docs.workflow import DocumentStatus as N
from normative_docs.workflow import RelationKind
from tests import factories

pytestmark = pytest.mark.django_db

_numbers = itertools.count(100)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


def public_document(title="湖州市促进科技创新若干措施", *, number=None, issuer="hz-drc", status=N.PUBLISHED,
                    published_on=dt.date(2026, 1, 10), effective_on=dt.date(2026, 2, 10),
                    valid_until=dt.date(2031, 2, 9), body="第一条 为了促进科技创新，制定本措施。", **fields):
    """A document as the services leave it after publication (built directly, for speed)."""
    department = factories.department(issuer)
    creator = fields.pop("created_by", None) or factories.staff(issuer)
    if status in (N.PUBLISHED, N.AMENDED, N.REPEALED, N.EXPIRED):
        number = number or f"湖发改规〔2026〕{next(_numbers)}号"
        fields.setdefault("registration_number", f"ZJHZ13-2026-{next(_numbers):04d}")
    else:
        published_on = effective_on = valid_until = None
        number = number or ""
    fields.setdefault("filing_body", factories.department("hz-justice"))
    return NormativeDocument.objects.create(
        title=title, issuer=department, drafting_department=department,
        reason="制定理由。", body=body, status=status, number=number or "", published_on=published_on,
        effective_on=effective_on, valid_until=valid_until, created_by=creator, **fields)


def listed(client, **params):
    response = client.get(reverse("library:list"), params)
    assert response.status_code == 200
    return response, [d.pk for d in response.context["page"]]


# ================================================================== list and search
def test_library_lists_published_documents_and_never_drafts(client):
    published = public_document("湖州市促进科技创新若干措施")
    repealed = public_document("湖州市旧的管理办法", status=N.REPEALED, ended_on=dt.date(2026, 3, 1))
    draft = public_document("湖州市尚在起草的办法", status=N.DRAFTING)
    registered = public_document("湖州市已编号未公布的办法", status=N.REGISTERED, number="湖发改规〔2026〕99号")

    response, ids = listed(client)

    assert sorted(ids) == sorted([published.pk, repealed.pk])
    body = response.content.decode()
    assert draft.title not in body and registered.title not in body and "湖发改规〔2026〕99号" not in body
    assert "共 2 件" in body


def test_unpublished_document_is_not_found_by_its_number(client):
    public_document("湖州市已编号未公布的办法", status=N.REGISTERED, number="湖发改规〔2026〕99号")
    response, ids = listed(client, q="湖发改规〔2026〕99号")
    assert ids == []
    assert "共 0 件" in response.content.decode()


@pytest.mark.parametrize("query", ["湖政规〔2024〕3号", "湖政规[2024]3号", "湖政规(2024)3号", "湖政规（2024）3号",
                                   "湖政规［2024］3号", " 湖政规 〔2024〕 3号 ", "〔2024〕3号"])
def test_each_bracket_style_finds_the_document_by_its_number_alone(client, query):
    wanted = public_document("湖州市数据要素市场培育办法", number="湖政规〔2024〕3号", issuer="huzhou")
    similar = public_document("湖州市另一个办法", number="湖政规〔2024〕13号", issuer="huzhou",
                              published_on=dt.date(2026, 3, 1))
    public_document("湖州市其他办法", number="湖政规〔2025〕3号", issuer="huzhou")

    _response, ids = listed(client, q=query)

    assert ids == [wanted.pk]  # never 13号 (a longer serial) nor 〔2025〕3号 (another year)
    assert similar.pk not in ids


def test_search_by_title_words_needs_every_word(client):
    wanted = public_document("湖州市促进科技创新若干措施")
    public_document("湖州市城市绿化管理办法")
    public_document("湖州市科技馆管理办法")
    _response, ids = listed(client, q="科技 创新")
    assert ids == [wanted.pk]


def test_search_by_issuer_and_year(client):
    city = public_document("湖州市政府的办法", issuer="huzhou", number="湖政规〔2025〕1号",
                           published_on=dt.date(2025, 6, 1), effective_on=dt.date(2025, 7, 1))
    public_document("发改委的办法", issuer="hz-drc", published_on=dt.date(2025, 6, 1), effective_on=dt.date(2025, 7, 1))
    public_document("湖州市政府今年的办法", issuer="huzhou", number="湖政规〔2026〕1号")
    issuer = factories.department("huzhou")

    _response, ids = listed(client, issuer=issuer.pk, year=2025)

    assert ids == [city.pk]


def test_an_expired_document_shows_expired_the_day_after_its_last_day_before_the_nightly_job(client):
    lapsed = public_document("湖州市临时管理暂行办法", valid_until=dt.date(2026, 5, 10))
    last_day = public_document("湖州市今天到期的办法", valid_until=dt.date(2026, 5, 11))
    expired = public_document("湖州市已失效的办法", status=N.EXPIRED, valid_until=dt.date(2026, 1, 31),
                              ended_on=dt.date(2026, 2, 1))

    response, ids = listed(client, status="expired")

    assert NormativeDocument.objects.get(pk=lapsed.pk).status == N.PUBLISHED  # the nightly job has not run
    assert sorted(ids) == sorted([lapsed.pk, expired.pk])
    assert [d.get_public_status_display() for d in response.context["page"]] == ["失效", "失效"]
    _response, valid = listed(client, status="valid")
    assert valid == [last_day.pk]


@pytest.mark.parametrize(("status", "expected"), [
    ("valid", ["有效的"]), ("not_yet_effective", ["尚未施行的"]), ("expired", ["过期的"]), ("repealed", ["废止的"]),
    ("amended", ["修改的"]),
])
def test_status_filter_matches_the_status_shown(client, status, expected):
    public_document("有效的")
    public_document("尚未施行的", published_on=dt.date(2026, 5, 1), effective_on=dt.date(2026, 6, 1))
    public_document("过期的", valid_until=dt.date(2026, 4, 30))
    public_document("废止的", status=N.REPEALED, ended_on=dt.date(2026, 4, 1))
    public_document("修改的", status=N.AMENDED, ended_on=dt.date(2026, 4, 1))

    response, _ids = listed(client, status=status)

    page = list(response.context["page"])
    assert [d.title for d in page] == expected
    assert all(d.public_status() == status for d in page)


def test_a_document_through_the_real_lifecycle_appears_with_its_number_and_status(client, staff_user):
    document = factories.normative_document_in_state(N.PUBLISHED, staff_user=staff_user)
    response, ids = listed(client, q="湖发改规[2026]1号")
    assert ids == [document.pk]
    body = response.content.decode()
    assert "湖发改规〔2026〕1号" in body and "尚未生效" in body


def test_a_provisional_document_expires_on_its_day_without_anyone_touching_it(client, staff_user):
    document = factories.normative_document_in_state(N.PUBLISHED, staff_user=staff_user, title="湖州市临时管理暂行办法")
    assert document.valid_until == dt.date(2028, 6, 9)
    with time_machine.travel("2028-06-09 10:00 +0800", tick=False):
        assert listed(client, status="valid")[1] == [document.pk]
    with time_machine.travel("2028-06-10 08:00 +0800", tick=False):
        response, ids = listed(client, status="expired")
        assert ids == [document.pk]
        assert "失效" in response.content.decode()


@pytest.mark.parametrize("rows", [2, 30], ids=["FEW", "MANY"])
def test_library_list_query_count_is_fixed(client, django_assert_max_num_queries, rows):
    for i in range(rows):
        public_document(f"湖州市第{i}号办法", issuer="huzhou" if i % 2 else "hz-drc")
    with django_assert_max_num_queries(4):
        response = client.get(reverse("library:list"), {"q": "办法", "status": "valid"})
    assert len(response.context["page"]) == min(rows, 20)


# ================================================================== detail
def test_detail_shows_the_metadata_block_text_and_interpretation(client):
    document = public_document("湖州市促进科技创新若干措施", number="湖发改规〔2026〕5号", signed_on=dt.date(2026, 1, 5),
                               valid_until=None, no_validity_reason="长期执行的基础制度。",
                               interpretation="本措施的主要内容是……", registration_number="ZJHZ13-2026-0005")
    response = client.get(reverse("library:detail", args=[document.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    for text in ("湖发改规〔2026〕5号", "ZJHZ13-2026-0005", "湖州市发展和改革委员会", "2026年1月5日", "2026年1月10日",
                 "2026年2月10日", "未设有效期", "有效", "第一条 为了促进科技创新", "政策解读", "本措施的主要内容是"):
        assert text in body


@pytest.mark.parametrize("state", [N.PROPOSED, N.DRAFTING, N.REGISTERED])
def test_public_gets_404_for_an_unpublished_document(client, state):
    document = public_document(status=state, number="湖发改规〔2026〕98号" if state == N.REGISTERED else "")
    hidden = client.get(reverse("library:detail", args=[document.pk]))
    missing = client.get(reverse("library:detail", args=[document.pk + 1000]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def _attach(document, name, purpose):
    with transaction.atomic():
        return attachment_add(subject=document, uploaded_file=SimpleUploadedFile(name, factories.PDF_BYTES,
                                                                                 content_type="application/pdf"),
                              actor=document.created_by, purpose=purpose)


def test_detail_shows_only_the_documents_published_attachments(client):
    document = public_document()
    published = _attach(document, "附件1-申报表.pdf", "published")
    evidence = _attach(document, "征求意见汇总.pdf", "public_comment")

    response = client.get(reverse("library:detail", args=[document.pk]))

    body = response.content.decode()
    assert [a.pk for a in response.context["attachments"]] == [published.pk]
    assert "附件1-申报表.pdf" in body and "征求意见汇总.pdf" not in body
    download = client.get(reverse("library:attachment", args=[document.pk, published.pk]))
    assert download.status_code == 200
    assert client.get(reverse("library:attachment", args=[document.pk, evidence.pk])).status_code == 404


def test_no_attachment_section_when_none_is_published(client):
    document = public_document()
    _attach(document, "论证报告.pdf", "argumentation")
    response = client.get(reverse("library:detail", args=[document.pk]))
    assert response.context["attachments"] == []
    assert "论证报告.pdf" not in response.content.decode()


def test_the_original_text_downloads_as_a_word_document_with_its_number_and_title(client):
    document = public_document(number="湖发改规〔2026〕7号", body="第一条 为了促进科技创新，制定本措施。\n第二条 本措施自公布之日起施行。")
    page = client.get(reverse("library:detail", args=[document.pk])).content.decode()
    response = client.get(reverse("library:original", args=[document.pk]))
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as package:
        names = set(package.namelist())
        xml = package.read("word/document.xml").decode()
    assert "原文下载" in page and reverse("library:original", args=[document.pk]) in page
    assert response.status_code == 200 and response["Content-Type"].endswith("wordprocessingml.document")
    assert "attachment" in response["Content-Disposition"]
    assert {"[Content_Types].xml", "_rels/.rels", "word/document.xml"} <= names
    assert [t for t in re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml) if t] == [
        "湖州市促进科技创新若干措施", "湖发改规〔2026〕7号", "第一条 为了促进科技创新，制定本措施。", "第二条 本措施自公布之日起施行。"]


@pytest.mark.parametrize("state", [N.DRAFTING, N.REGISTERED])
def test_the_original_of_an_unpublished_document_is_404(client, state):
    document = public_document(status=state, number="湖发改规〔2026〕97号" if state == N.REGISTERED else "")
    assert client.get(reverse("library:original", args=[document.pk])).status_code == 404


def test_attachment_of_an_unpublished_document_is_404(client):
    document = public_document(status=N.DRAFTING)
    attachment = _attach(document, "正文.pdf", "published")
    assert client.get(reverse("library:attachment", args=[document.pk, attachment.pk])).status_code == 404


def test_detail_shows_the_chain_both_ways_and_hides_drafts(client):
    old = public_document("湖州市科技创新办法（2020年）", status=N.AMENDED, ended_on=dt.date(2026, 2, 10),
                          body="第一条 旧的规定。\n第二条 不变的规定。")
    new = public_document("湖州市科技创新办法", body="第一条 新的规定。\n第二条 不变的规定。")
    DocumentRelation.objects.create(newer=new, older=old, kind=RelationKind.AMENDS)
    draft = public_document("湖州市科技创新办法（征求意见稿）", status=N.DRAFTING)
    DocumentRelation.objects.create(newer=draft, older=new, kind=RelationKind.REPLACES)

    old_page = client.get(reverse("library:detail", args=[old.pk])).content.decode()
    new_page = client.get(reverse("library:detail", args=[new.pk])).content.decode()

    assert "已修改" in old_page and reverse("library:detail", args=[new.pk]) in old_page
    assert reverse("library:diff", args=[old.pk, new.pk]) in old_page
    assert reverse("library:detail", args=[old.pk]) in new_page
    assert draft.title not in new_page and reverse("library:detail", args=[draft.pk]) not in new_page


def test_diff_page_compares_two_public_versions_side_by_side(client):
    old = public_document("旧办法", published_on=dt.date(2025, 1, 1), body="第一条 旧的规定。\n第二条 不变的规定。")
    new = public_document("新办法", body="第一条 新的规定。\n第二条 不变的规定。\n第三条 <新增>条款。")

    response = client.get(reverse("library:diff", args=[new.pk, old.pk]))

    assert response.status_code == 200
    assert (response.context["old"], response.context["new"]) == (old, new)  # older on the left
    assert [row["kind"] for row in response.context["rows"]] == ["replace", "equal", "insert"]
    body = response.content.decode()
    assert "<del>旧</del>" in body and "<ins>新</ins>" in body
    assert "&lt;新增&gt;" in body and "<新增>" not in body


def test_diff_with_an_unpublished_document_is_404(client):
    public = public_document()
    draft = public_document("湖州市起草中的办法", status=N.DRAFTING)
    assert client.get(reverse("library:diff", args=[public.pk, draft.pk])).status_code == 404
    assert client.get(reverse("library:diff", args=[draft.pk, public.pk])).status_code == 404


def test_detail_query_count_is_fixed(client, django_assert_max_num_queries):
    document = public_document()
    for i in range(5):
        older = public_document(f"旧办法{i}", status=N.REPEALED, ended_on=dt.date(2026, 2, 10))
        DocumentRelation.objects.create(newer=document, older=older, kind=RelationKind.REPLACES)
        _attach(document, f"附件{i}.pdf", "published")
    with django_assert_max_num_queries(6):  # + the disclosure record (索引号)
        response = client.get(reverse("library:detail", args=[document.pk]))
    assert len(response.context["changed"]) == 5
