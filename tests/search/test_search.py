"""全站检索: Chinese terms by character bigrams, 文号 in any bracket style, filters, snippets,
and never anything the public may not see (withheld, unpublished, withdrawn, expired)."""
import datetime as dt
import itertools
from io import StringIO

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import BooleanField, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from core.disclosure import disclosure_register
from core.models import Department
from decisions.models import Catalog, Decision
from decisions.workflow import DecisionStatus
from enforcement.models import Case, PublicNotice
from normative_docs.models import NormativeDocument
from normative_docs.workflow import DocumentStatus as N
from search import indexing, selectors
from search.models import NON_PUBLIC_KINDS, PUBLIC_KINDS, Kind, SearchEntry
from search.text import (
    Lookup,
    Shares,
    bigrams,
    coarse_start,
    filter_lexemes,
    han_runs,
    index_tokens,
    lookup,
    query_tokens,
    since_lexemes,
    token_share,
    tsquery_literal,
    unconfirmed_runs,
)
from tests import factories

TODAY = dt.date(2026, 5, 11)
_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _today():
    cache.clear()  # the repair's cursors
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


# ================================================================== builders (rows as the services leave them)
def decision(title, *, status=DecisionStatus.EXECUTING, disclosure="public", **fields):
    published = status in (DecisionStatus.EXECUTING, DecisionStatus.COMPLETED)
    return factories.DecisionFactory(
        title=title, status=status, disclosure=disclosure,
        withheld_reason="" if disclosure == "public" else "涉及国家秘密",
        published_at=timezone.make_aware(dt.datetime(2026, 3, 1, 9)) if published else None, **fields)


def catalog_item(name, *, catalog_status=Catalog.Status.PUBLISHED, **fields):
    catalog = factories.CatalogFactory(year=2026)
    if catalog_status == Catalog.Status.PUBLISHED and catalog.status != catalog_status:
        Catalog.objects.filter(pk=catalog.pk).update(
            status=catalog_status, party_consent_on=dt.date(2026, 3, 10),
            published_at=timezone.make_aware(dt.datetime(2026, 3, 20, 9)))
    return factories.CatalogItemFactory(catalog=catalog, name=name, **fields)


def normative(title, *, number=None, status=N.PUBLISHED, body="第一条 为了规范管理，制定本办法。", issuer="hz-drc",
              valid_until=dt.date(2031, 2, 9)):
    department = factories.department(issuer)
    published = status in (N.PUBLISHED, N.REPEALED)
    return NormativeDocument.objects.create(
        title=title, issuer=department, drafting_department=department, filing_body=factories.department("hz-justice"),
        reason="制定理由。", body=body, status=status,
        number=number or (f"湖发改规〔2026〕{next(_seq)}号" if published else ""),
        registration_number=f"ZJHZ13-2026-{next(_seq):04d}" if published else "",
        published_on=dt.date(2026, 1, 10) if published else None,
        effective_on=dt.date(2026, 2, 10) if published else None,
        valid_until=valid_until if published else None, created_by=factories.staff(issuer))


def notice(content, *, code="hz-amr", published_on=TODAY, takedown_on=None, withdrawn_on=None, title=None):
    seed = next(_seq)
    body = factories.department(code)
    case = Case.objects.create(body=body, title=f"测试案件{seed}", clue_source="日常检查", clue_received_on=published_on,
                               key_area="food_drug", kind="specialised", party_type="person", party_name="王秘密",
                               party_id_number=factories.valid_resident_id(seed), created_by=factories.staff(code))
    return PublicNotice.objects.create(
        case=case, title=title or f"{body.name}行政处罚决定信息公开（第{seed}号）", body_name=body.name,
        decision_number=f"湖罚〔2026〕{seed}号", party_masked="王*", id_masked="3****************1", content=content,
        published_on=published_on, takedown_on=takedown_on or published_on + dt.timedelta(days=365),
        withdrawn_on=withdrawn_on)


def found(client, **params):
    response = client.get(reverse("search:index"), params)
    assert response.status_code == 200
    page = response.context["page"]
    return response, {(e.kind, e.object_id) for e in page} if page is not None else set()


# ================================================================== tokenizer
def test_bigrams_of_han_runs_and_ascii_words_whole():
    assert bigrams("湖州市 2026年") == ["湖州", "州市", "2026"]
    assert bigrams("湖政规〔2024〕3号") == ["湖政", "政规", "2024", "3"]
    assert bigrams("ABC规划") == ["abc", "规划"]


def test_documents_are_indexed_by_bigrams_and_run_ends_and_queries_ask_for_adjacency():
    assert index_tokens("湖州市，桥") == ["湖州", "州市", "市", "桥"]
    assert query_tokens("规") == ["规"]
    assert query_tokens("营商环境") == ["营商", "商环", "环境"]
    assert tsquery_literal("营商环境 2026") == "'营商' & '商环' & '环境' & '2026':*"
    assert tsquery_literal("桥") == "'桥'"  # every character is a lexeme of its own
    assert han_runs("乡村振兴 环境 湖政规〔2025〕") == ["乡村振兴", "环境", "湖政规"]
    assert tsquery_literal("，。！") is None


def test_only_runs_the_index_cannot_confirm_are_checked_against_the_stored_text():
    assert unconfirmed_runs("城市") == [] and unconfirmed_runs("桥") == []  # one bigram; one character
    assert unconfirmed_runs("乡村振兴 环境") == ["乡村振兴"]  # its bigrams may occur apart
    assert unconfirmed_runs("湖政规〔2025〕17号") == ["湖政规", "号"]  # 号 is left out of the tsquery
    assert "LIKE" not in str(selectors.matching("城市").query)
    assert "LIKE" in str(selectors.matching("乡村振兴").query)


def test_with_statistics_the_index_is_asked_for_rare_tokens_and_the_text_checked_for_the_rest():
    shares = Shares({"乡村": 0.46, "未来": 0.04, "来乡": 0.02, "湖州": 1.0, "规范": 0.6, "规定": 0.5, "城市": 0.14})
    assert lookup("未来乡村") == Lookup([("未来", False), ("来乡", False), ("乡村", False)], ["未来乡村"])
    assert lookup("未来乡村", shares) == Lookup([("来乡", False)], ["未来乡村"])  # the rarest bigram
    assert lookup("湖州 城市", shares) == Lookup([("湖州", False), ("城市", False)], [])
    # within a date window a token in half the entries or more is checked in the text instead
    assert lookup("湖州 城市", shares, windowed=True) == Lookup([("城市", False)], ["湖州"])
    assert lookup("规", shares, windowed=True) == Lookup([("规", False)], [])  # unlisted: rarer than any listed
    assert lookup("规", Shares({**shares, "规": 0.9}), windowed=True) == Lookup([], ["规"])  # common: in the rows
    assert lookup("量子", shares, windowed=True) == Lookup([("量子", False)], [])  # unlisted: rarer than any listed
    assert token_share(shares, "规", prefix=True) == 1.0 and token_share(shares, "量子") == 0.02
    assert token_share(Shares(), "湖州") == 0.0


def test_a_window_is_named_by_the_fewest_date_lexemes():
    today = dt.date(2026, 11, 27)
    assert since_lexemes(dt.date(2026, 11, 29), today) == ["@d20261129", "@d20261130", "@m202612", "@y2027", "@y2028"]
    assert since_lexemes(dt.date(2026, 10, 1), today) == ["@m202610", "@m202611", "@m202612", "@y2027", "@y2028"]
    assert since_lexemes(dt.date(2025, 1, 1), today) == ["@y2025", "@y2026", "@y2027", "@y2028"]
    assert coarse_start(dt.date(2026, 11, 10), today) == dt.date(2026, 11, 10)
    assert coarse_start(dt.date(2026, 9, 10), today) == dt.date(2026, 9, 1)
    assert coarse_start(dt.date(2025, 9, 10), today) == dt.date(2025, 1, 1)
    # a query rarer than the window's entries: whole years, so the index walks the query's short list
    assert selectors.window_start(100, today, 20_000, 23_000) == dt.date(2026, 1, 1)
    assert selectors.window_start(100, today, 500_000, 23_000) == dt.date(2026, 8, 1)


def evenly(entries: int, first: dt.date, last: dt.date, **fields) -> selectors.IndexStatistics:
    """Statistics of an index whose entries were published evenly from ``first`` to ``last``."""
    step = (last - first) / 100
    return selectors.IndexStatistics(Shares({"湖州": 1.0, "城市": 0.14, "规范": 0.6}), entries, first_day=first,
                                     last_day=last, bounds=[first + step * i for i in range(101)], **fields)


def test_a_window_holds_the_entries_the_query_needs_as_analyze_saw_them_published():
    today, first = dt.date(2026, 11, 27), dt.date(2015, 1, 1)
    statistics = evenly(1_000_000, first, today)  # 230 a day
    assert statistics.share("湖州城市") == 0.14 and statistics.share("湖政规〔2025〕17号") is None
    assert 46 <= selectors.first_window(1001, 0.14, statistics, today) <= 50  # 1.5 × 1001 / 0.14 / 230
    assert selectors.first_window(1001, 0.14, evenly(1000, first, today), today) is None  # small: all at once
    # a whole catalog published on one day (ANALYZE's most common day): the window reaches it and stops
    lumpy = evenly(1_000_000, first, today, common_days={dt.date(2026, 11, 25): 0.05}, histogram_share=0.95)
    assert selectors.first_window(1001, 1.0, lumpy, today) == 3
    assert 49_000 < lumpy.entries_between(dt.date(2026, 11, 25), today) < 51_000
    # windows counted back from the end of a year filter's year
    assert 46 <= selectors.first_window(1001, 0.14, statistics, dt.date(2024, 12, 31)) <= 50


@pytest.mark.django_db
def test_every_character_is_a_lexeme_and_the_migration_adds_the_same_to_an_older_vector():
    import importlib

    characters = importlib.import_module("search.migrations.0011_single_characters").CHARACTERS
    columns = indexing.values(kind=Kind.DECISION, object_id=1, title="湖州市茶产业（白茶）发展规划", number="湖政发〔2026〕7号",
                              body="第一条 为了促进茶叶品牌建设，制定本规划。\n豐", published_on=dt.date(2026, 3, 1))
    lexemes = columns["document"].split()
    assert {"'产'", "'白'", "'叶'"} <= set(lexemes)  # inside runs: without a position
    assert "'茶'" not in lexemes and any(lexeme.startswith("'茶':") for lexeme in lexemes)  # ends 白茶: positioned
    older = " ".join(lexeme for lexeme in lexemes if not (len(lexeme) == 3 and lexeme.startswith("'")))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (%s::tsvector || {characters})::text = %s::tsvector::text FROM (SELECT %s::text "
                       f"AS content) AS entry", [older, columns["document"], columns["content"]])
        assert cursor.fetchone()[0]


# ================================================================== what is found, and what never is
@pytest.mark.django_db
def test_a_two_character_term_finds_every_public_item_containing_it_and_nothing_else(client):
    public_decision = decision("湖州市垃圾分类管理决策")
    public_item = catalog_item("城市生活垃圾处理设施建设")
    public_doc = normative("湖州市市容管理办法", body="第五条 生活垃圾应当分类投放。")
    live = notice("处理结果：违规倾倒垃圾，罚款1000元")
    withheld_decision = decision("垃圾焚烧厂选址决策", disclosure="withheld")
    draft_decision = decision("垃圾收费调整决策", status=DecisionStatus.DRAFTING)
    withheld_item = catalog_item("垃圾填埋场扩建", disclosure="withheld", withheld_reason="涉及国家秘密")
    unpublished_doc = normative("垃圾管理暂行规定", status=N.DRAFTING)
    withdrawn = notice("处理结果：垃圾未分类，警告", withdrawn_on=TODAY)
    expired = notice("处理结果：垃圾外溢，罚款", published_on=dt.date(2025, 1, 1), takedown_on=dt.date(2026, 1, 1))
    indexing.index_all()

    response, hits = found(client, q="垃圾")

    assert hits == {(Kind.DECISION, public_decision.pk), (Kind.CATALOG_ITEM, public_item.pk),
                    (Kind.NORMATIVE, public_doc.pk), (Kind.NOTICE, live.pk)}
    assert response.context["total"] == 4
    assert {k: n for k, _label, n in response.context["kinds"]} == {
        Kind.CATALOG_ITEM: 1, Kind.DECISION: 1, Kind.NORMATIVE: 1, Kind.NOTICE: 1}
    body = response.content.decode()
    for hidden in (withheld_decision.title, draft_decision.title, withheld_item.name, unpublished_doc.title,
                   "垃圾未分类", "垃圾外溢", "王秘密"):
        assert hidden not in body
    assert not SearchEntry.objects.filter(kind=Kind.NOTICE, object_id__in=[withdrawn.pk, expired.pk]).exists()


@pytest.mark.django_db
def test_an_item_withdrawn_or_withheld_leaves_the_index_when_its_change_commits(client,
                                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        live = notice("处理结果：无证经营，罚款")
        withheld_later = decision("无证经营整治决策")
    assert found(client, q="无证")[1] == {(Kind.NOTICE, live.pk), (Kind.DECISION, withheld_later.pk)}

    with django_capture_on_commit_callbacks(execute=True):
        live.withdrawn_on = TODAY
        live.save()
        withheld_later.disclosure, withheld_later.withheld_reason = "withheld", "涉及国家秘密"
        withheld_later.save()

    response, hits = found(client, q="无证")
    assert hits == set() and response.context["total"] == 0
    assert not SearchEntry.objects.exists()  # the index holds public items only


@pytest.mark.django_db
def test_a_published_item_is_found_as_soon_as_its_publication_commits(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        doc = normative("湖州市古树名木保护办法", status=N.DRAFTING)
    assert found(client, q="古树")[1] == set()
    with django_capture_on_commit_callbacks(execute=True):
        NormativeDocument.objects.filter(pk=doc.pk).update(  # the fields the publication sets
            status=N.PUBLISHED, number="湖发改规〔2026〕99号", published_on=dt.date(2026, 1, 10),
            effective_on=dt.date(2026, 2, 10), valid_until=dt.date(2031, 2, 9))
        NormativeDocument.objects.get(pk=doc.pk).save()
    assert found(client, q="古树")[1] == {(Kind.NORMATIVE, doc.pk)}


@pytest.mark.django_db
def test_a_notice_past_its_takedown_day_is_not_shown_even_before_the_repair_deletes_it(client):
    notice("处理结果：超范围经营，罚款", published_on=dt.date(2026, 1, 5), takedown_on=dt.date(2026, 5, 10))
    with time_machine.travel("2026-05-10 10:00 +0800", tick=False):  # indexed on its last public day
        indexing.index_all()
    assert SearchEntry.objects.get().visible_until == dt.date(2026, 5, 10)

    assert found(client, q="超范围")[1] == set()
    indexing.repair()
    assert not SearchEntry.objects.exists()


@pytest.mark.django_db
def test_the_repair_mends_drift_in_bounded_batches_without_a_quadratic_statement(monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    shown = [decision(f"湖州市交通规划决策{i}") for i in range(5)]
    indexing.index_all()
    # drift the hooks never saw: an entry deleted, an item withheld behind the index's back
    SearchEntry.objects.filter(object_id=shown[0].pk).delete()
    Decision.objects.filter(pk=shown[1].pk).update(disclosure="withheld", withheld_reason="涉及国家秘密")
    monkeypatch.setattr(indexing, "REPAIR_BATCH", 2)

    with CaptureQueriesContext(connection) as queries:
        first = indexing.repair(batches=1)  # two items of each kind and two entries looked at
    assert first == {"written": 1, "deleted": 1}
    assert not [q["sql"] for q in queries.captured_queries if "NOT" in q["sql"] and "IN (SELECT" in q["sql"]]
    while indexing.repair(batches=1) != {"written": 0, "deleted": 0}:
        pass
    assert set(SearchEntry.objects.values_list("object_id", flat=True)) == {d.pk for d in shown} - {shown[1].pk}


def stored_entries() -> dict:
    """Every column of every entry but its id and indexing time, the vector as PostgreSQL stores it."""
    columns = [c for c in indexing.BULK_COLUMNS if c not in ("document", "indexed_at")]
    return {(row["kind"], row["object_id"]): row for row in SearchEntry.objects.annotate(
        vector=Cast("document", TextField())).values(*columns, "vector")}


def items_of_every_kind() -> None:
    """Public items of each kind, with text that needs escaping, a 文号, a 索引号 and a long body; and
    items that are not public."""
    shown = decision("湖州市\t城市更新\\决策 'A&B'", summary="第一行\n第二行\r\n第三行\t制表 ABC abc 2026",
                     document_number="湖政发〔2026〕7号")
    with transaction.atomic():
        disclosure_register(subject=shown, body=shown.department, published_on=dt.date(2026, 3, 1))
    decision("湖州市交通规划决策", draft_text="湖州" * 9000)  # past the last position PostgreSQL keeps
    decision("垃圾焚烧厂选址决策", disclosure="withheld")
    catalog_item("城市生活垃圾处理设施建设")
    catalog_item("垃圾填埋场扩建", disclosure="withheld", withheld_reason="涉及国家秘密")
    normative("湖州市市容管理办法", body="第五条 生活垃圾应当分类投放。\n第六条 \\ 反斜杠。")
    normative("湖州市旧规定", valid_until=dt.date(2026, 1, 1))  # 失效
    normative("垃圾管理暂行规定", status=N.DRAFTING)
    notice("处理结果：违规倾倒垃圾，罚款1000元")
    notice("处理结果：垃圾未分类，警告", withdrawn_on=TODAY)


def incremental_then_full_build() -> tuple[dict, dict]:
    for kind, (rows, _columns) in indexing.SOURCES.items():
        model = rows().model
        indexing.reindex(kind, model.objects.values_list("pk", flat=True))
    incremental = stored_entries()
    SearchEntry.objects.all().delete()
    indexing.index_all()
    return incremental, stored_entries()


@pytest.mark.django_db
def test_the_full_build_writes_each_entry_exactly_as_the_entry_of_that_item_alone():
    items_of_every_kind()

    incremental, full = incremental_then_full_build()

    assert {kind for kind, _pk in incremental} == set(indexing.SOURCES)
    assert len(incremental) == 6
    assert full == incremental


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_full_build_writes_the_same_entries_from_its_writer_thread():
    items_of_every_kind()  # committed: the hooks index them as they are saved

    incremental, full = incremental_then_full_build()

    assert len(incremental) == 6 and full == incremental


@pytest.mark.django_db
def test_the_full_build_replaces_stale_entries_and_deletes_those_of_items_no_longer_public():
    shown, later_withheld = decision("湖州市交通规划决策"), decision("交通收费决策")
    gone = notice("处理结果：超范围经营，罚款", published_on=dt.date(2026, 1, 5), takedown_on=dt.date(2026, 5, 10))
    with time_machine.travel("2026-05-10 10:00 +0800", tick=False):
        indexing.index_all()
    SearchEntry.objects.filter(object_id=shown.pk).update(title="旧标题")
    Decision.objects.filter(pk=later_withheld.pk).update(disclosure="withheld", withheld_reason="涉及国家秘密")

    assert indexing.index_all() == {Kind.DECISION: 1, Kind.CATALOG_ITEM: 0, Kind.NORMATIVE: 0, Kind.NOTICE: 0}

    assert list(SearchEntry.objects.values_list("kind", "object_id", "title")) == [
        (Kind.DECISION, shown.pk, "湖州市交通规划决策")]
    assert gone.pk  # its entry, past its take-down day, is gone too


@pytest.mark.django_db
def test_a_catalog_item_hit_links_to_the_items_own_page(client):
    item = catalog_item("城市生活垃圾处理设施建设")
    indexing.index_all()

    response, hits = found(client, q="垃圾")

    entry = SearchEntry.objects.get(kind=Kind.CATALOG_ITEM, object_id=item.pk)
    assert entry.url == reverse("public:catalog-item", args=[2026, item.pk])
    assert entry.url in response.content.decode()
    page = client.get(entry.url)
    assert page.status_code == 200 and item.name in page.content.decode()
    withheld = catalog_item("垃圾填埋场扩建", disclosure="withheld", withheld_reason="涉及国家秘密")
    assert client.get(reverse("public:catalog-item", args=[2026, withheld.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "count"), [("zh-hans", '<li data-kind="catalog_item">决策事项目录：1</li>'),
                                                 ("en", '<li data-kind="catalog_item">Catalog of decisions: 1</li>')])
def test_counts_by_kind_read_with_the_colon_of_the_language(client, language, count):
    catalog_item("城市生活垃圾处理设施建设")
    indexing.index_all()
    client.cookies["django_language"] = language
    assert count in client.get(reverse("search:index"), {"q": "垃圾"}).content.decode()


@pytest.mark.django_db
def test_the_filter_choices_never_read_the_index():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    selectors._statistics = None
    with CaptureQueriesContext(connection) as queries:
        choices = selectors.facets()
    assert not [q["sql"] for q in queries.captured_queries if 'FROM "search_searchentry"' in q["sql"]]
    assert TODAY.year in choices["years"]
    assert ("expired", "失效") in choices["statuses"]


@pytest.mark.django_db
def test_reindex_of_given_ids_writes_public_ones_and_deletes_the_others():
    shown, hidden = decision("湖州市交通规划决策"), decision("交通收费决策", disclosure="withheld")
    SearchEntry.objects.create(kind=Kind.DECISION, object_id=hidden.pk, title="旧", url="/", document="")
    assert indexing.reindex(Kind.DECISION, [shown.pk, hidden.pk]) == 1
    assert list(SearchEntry.objects.values_list("object_id", flat=True)) == [shown.pk]


@pytest.mark.parametrize("query", ["湖政规〔2024〕3号", "湖政规[2024]3号", "湖政规(2024)3号", "湖政规（2024）3号"])
@pytest.mark.django_db
def test_a_normative_document_is_found_by_its_number_alone_in_any_bracket_style(client, query):
    doc = normative("湖州市促进科技创新若干措施", number="湖政规〔2024〕3号")
    normative("湖州市另一件文件", number="湖政规〔2024〕13号")
    indexing.index_all()

    response, hits = found(client, q=query)

    assert list(response.context["page"])[0].object_id == doc.pk
    assert (Kind.NORMATIVE, doc.pk) in hits


@pytest.mark.django_db
def test_a_one_character_query_finds_the_character_inside_a_word_and_at_the_end_of_a_run():
    inside = normative("湖州市桥梁管理办法")
    at_end = normative("湖州市管理办法", body="第一条 本办法适用于全市范围内的桥。")
    alone = normative("湖州市养护办法", body="第二条 养护对象：桥、涵、隧。")
    normative("湖州市河道管理办法")
    indexing.index_all()
    results, counts = selectors.search(selectors.SearchParams(q="桥"))
    assert {e.object_id for e in results} == {inside.pk, at_end.pk, alone.pk} and counts[Kind.NORMATIVE] == 3


@pytest.mark.django_db
def test_a_long_term_matches_only_where_its_characters_are_adjacent(client):
    adjacent = normative("湖州市乡村振兴促进办法")
    apart = normative("湖州市乡村建设办法", body="第一条 为推动农村振兴，加强乡村治理，制定本办法。")
    indexing.index_all()
    # ``apart`` holds every bigram of 乡村振兴 (乡村, 村振 in 农村振兴, 振兴), never the term
    every_bigram = RawSQL("document @@ %s::tsquery", ["'乡村' & '村振' & '振兴'"], output_field=BooleanField())
    assert SearchEntry.objects.filter(every_bigram, object_id=apart.pk).exists()

    response, hits = found(client, q="乡村振兴")

    assert hits == {(Kind.NORMATIVE, adjacent.pk)} and response.context["total"] == 1
    assert found(client, q="乡村")[1] == {(Kind.NORMATIVE, adjacent.pk), (Kind.NORMATIVE, apart.pk)}


@pytest.mark.django_db
def test_counts_stop_at_the_cap_and_only_the_capped_results_are_paged(client, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    docs = [normative(f"湖州市河长制管理办法{i}") for i in range(5)]
    normative("湖州市湖长制管理办法")
    indexing.index_all()

    response, _hits = found(client, q="河长")

    counts = {k: n for k, _label, n in response.context["kinds"]}
    assert counts[Kind.NORMATIVE] == 4  # counted up to the cap plus one: "3+"
    assert response.context["total_capped"] is True
    assert response.context["page"].paginator.count == 3
    assert "超过 3 条结果" in response.content.decode() and "规范性文件：3+" in response.content.decode()
    data = client.get("/api/v1/public/search/", {"q": "河长"}).json()
    assert data["count"] == 3 and data["count_capped"] is True and len(data["results"]) == 3
    assert {r["object_id"] for r in data["results"]} <= {d.pk for d in docs}


@pytest.mark.django_db
def test_filters_by_kind_year_department_and_status(client):
    drc_doc = normative("湖州市水利工程管理办法", issuer="hz-drc")
    other_doc = normative("湖州市水利设施保护规定", issuer="hz-justice")
    expired_doc = normative("湖州市水利旧规定", valid_until=dt.date(2026, 3, 1))
    old_decision = decision("水利建设决策", year=2025)
    indexing.index_all()
    drc = factories.department("hz-drc")

    assert found(client, q="水利", kind=Kind.NORMATIVE)[1] == {
        (Kind.NORMATIVE, drc_doc.pk), (Kind.NORMATIVE, other_doc.pk), (Kind.NORMATIVE, expired_doc.pk)}
    assert found(client, q="水利", year=2025)[1] == {(Kind.DECISION, old_decision.pk)}
    assert found(client, q="水利", kind=Kind.NORMATIVE, department=drc.pk)[1] == {
        (Kind.NORMATIVE, drc_doc.pk), (Kind.NORMATIVE, expired_doc.pk)}
    response, hits = found(client, q="水利", status="expired")
    assert hits == {(Kind.NORMATIVE, expired_doc.pk)}
    assert "失效" in response.content.decode()
    # the counts per kind follow the other filters, not the kind filter
    response, _hits = found(client, q="水利", kind=Kind.DECISION, year=2026)
    assert {k: n for k, _label, n in response.context["kinds"]}[Kind.NORMATIVE] == 3
    assert found(client, q="水利", year="abc")[1]  # an invalid filter is ignored


@pytest.mark.django_db
def test_the_filter_lists_offer_every_department_year_and_status_with_the_chosen_ones_selected(client):
    drc = factories.department("hz-drc")
    factories.department("hz-justice")
    response, _hits = found(client, q="水利", department=drc.pk, year=2025, status="expired")
    body = response.content.decode()
    assert f'<option value="{drc.pk}" selected>{drc.name}</option>' in body
    assert '<option value="2025" selected>2025</option>' in body and '<option value="2026">2026</option>' in body
    assert '<option value="expired" selected>失效</option>' in body
    listed = body.split('name="department"')[1].split("</select>")[0]
    assert listed.count("<option") == Department.objects.count() + 1  # and 全部


@pytest.mark.django_db
def test_snippets_are_highlighted_and_html_escaped(client):
    normative("湖州市<script>alert(1)</script>管理办法",
              body="前言" * 40 + "第三条 <b>营商环境</b>应当持续优化。" + "附则" * 40)
    indexing.index_all()

    response, _hits = found(client, q="营商环境")

    body = response.content.decode()
    assert "&lt;b&gt;<mark>营商环境</mark>&lt;/b&gt;" in body
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    assert "…" in body


def test_highlight_escapes_text_and_query():
    assert str(selectors.highlight("a<b>湖州</b>", "湖州")) == "a&lt;b&gt;<mark>湖州</mark>&lt;/b&gt;"
    assert str(selectors.highlight("x<y", "<")) == "x<mark>&lt;</mark>y"


@pytest.mark.django_db
def test_empty_query_shows_the_form_only(client):
    response, hits = found(client)
    assert response.context["page"] is None and hits == set()
    assert 'role="search"' in response.content.decode()


# ================================================================== API
@pytest.mark.django_db
def test_public_api_searches_with_the_same_rules(client):
    doc = normative("湖州市数字经济促进办法", number="湖政规〔2025〕8号")
    decision("数字经济发展决策", disclosure="withheld")
    indexing.index_all()

    data = client.get("/api/v1/public/search/", {"q": "湖政规(2025)8号"}).json()
    assert [r["object_id"] for r in data["results"]] == [doc.pk]

    data = client.get("/api/v1/public/search/", {"q": "数字"}).json()
    assert data["count"] == 1 and data["counts_by_kind"]["decision"] == 0
    assert data["results"][0]["url"] == reverse("library:detail", args=[doc.pk])
    assert client.get("/api/v1/public/search/").status_code == 400


@pytest.mark.django_db
def test_openapi_documents_the_search_endpoint(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    parameters = {p["name"] for p in schema["paths"]["/api/v1/public/search/"]["get"]["parameters"]}
    assert {"q", "kind", "year", "department", "status", "page"} <= parameters


# ================================================================== query counts
@pytest.mark.parametrize("count", [1, 8])
@pytest.mark.django_db
def test_search_page_query_count_is_fixed(client, django_assert_max_num_queries, count):
    for i in range(count):
        normative(f"湖州市河湖管理办法{i}")
        notice(f"处理结果：向河湖排污{i}")
    indexing.index_all()
    # the planner settings and statistics, at most three windows and all entries (in a
    # savepoint), the page's rows, the three filter lists
    with django_assert_max_num_queries(10):
        response, hits = found(client, q="河湖")
    assert len(hits) == 2 * count


@pytest.mark.django_db
def test_rebuild_command_indexes_public_items():
    normative("湖州市文明行为促进办法")
    call_command("rebuild_search_index", stdout=StringIO())
    assert SearchEntry.objects.filter(kind=Kind.NORMATIVE).count() == 1


@pytest.mark.django_db
def test_rebuild_with_cluster_stores_the_entries_newest_first_as_an_index_filled_item_by_item():
    for month in (3, 1, 4, 2):  # ids in another order than publication
        notice(f"处理结果：第{month}月", published_on=dt.date(2026, month, 5))
    out = StringIO()
    call_command("rebuild_search_index", cluster=True, stdout=out)
    assert "4 entries" in out.getvalue()
    with connection.cursor() as cursor:  # in the table's physical order
        cursor.execute("SELECT published_on FROM search_searchentry ORDER BY ctid")
        stored = [row[0] for row in cursor.fetchall()]
    assert stored == sorted(stored, reverse=True) and len(stored) == 4


def dated(object_id, title, published_on, body=""):
    """A generated entry (kind ``benchmark``: no source item, never public)."""
    return indexing.entry(kind=Kind.BENCHMARK, object_id=object_id, title=title, body=body,
                          published_on=published_on, url=f"/benchmark/{object_id}/")


def benchmark_search(q):
    results, counts = selectors.search(selectors.SearchParams(q=q), kinds=(Kind.BENCHMARK,))
    return [e.object_id for e in results], counts[Kind.BENCHMARK]


@pytest.mark.django_db
def test_a_window_holds_every_entry_published_since_its_first_day():
    days = [dt.date(2025, 12, 31), dt.date(2026, 4, 28), dt.date(2026, 4, 29), dt.date(2026, 4, 30),
            dt.date(2026, 5, 1), dt.date(2026, 12, 31), dt.date(2027, 3, 1), None]
    SearchEntry.objects.bulk_create(dated(i, "湖州市河湖管理办法", day) for i, day in enumerate(days))
    since = {e.published_on for e in selectors.matching("河湖", kinds=[Kind.BENCHMARK], since=dt.date(2026, 4, 29))}
    assert since == {dt.date(2026, 4, 29), dt.date(2026, 4, 30), dt.date(2026, 5, 1), dt.date(2026, 12, 31),
                     dt.date(2027, 3, 1)}
    assert selectors.matching("河湖", kinds=[Kind.BENCHMARK]).count() == len(days)


@pytest.mark.django_db
def test_the_newest_matches_are_the_same_whichever_window_the_search_starts_from(monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    ages = {1: 0, 2: 1, 3: 3, 4: 10, 5: 40, 6: 400, 7: 2000}
    SearchEntry.objects.bulk_create(
        [dated(i, "湖州市管理办法", TODAY - dt.timedelta(days=age), body="第一条 加强河湖治理。") for i, age in ages.items()]
        + [dated(8, "湖州市河湖管理办法", TODAY - dt.timedelta(days=2)), dated(9, "湖州市河湖保护规定", None),
           dated(10, "湖州市湖泊管理办法", TODAY, body="第一条 河流与湖泊。")])  # 河 and 湖 apart
    at_once = benchmark_search("河湖")
    monkeypatch.setattr(selectors, "first_window", lambda *stats: 1)  # today only, then wider
    in_windows = benchmark_search("河湖")
    # the three newest (a fourth makes "more than three"); the one with 河湖 in its title first
    assert at_once == in_windows == ([8, 1, 2], 4)
    monkeypatch.setattr(selectors, "COUNT_CAP", 20)  # all: in the title, then the others, newest first
    assert benchmark_search("河湖") == ([8, 9, 1, 2, 3, 4, 5, 6, 7], 9)


def test_an_entry_holds_lexemes_of_its_kind_year_department_and_status_and_a_filter_asks_the_index():
    columns = indexing.values(kind=Kind.DECISION, object_id=1, title="湖州市水利建设决策", year=2025, department_id=7,
                              status="executing", published_on=dt.date(2026, 3, 1))
    assert {"'@kdecision'", "'@n2025'", "'@u7'", "'@sexecuting'"} <= set(columns["document"].split())
    assert filter_lexemes(kind="normative", year=None, department_id=None, status="") == ["@knormative"]

    sql = str(selectors.public_matching(selectors.SearchParams(q="水利", year=2025, department=7, status="expired"),
                                        kinds=(Kind.NORMATIVE,)).query)
    assert all(lexeme in sql for lexeme in ("'@n2025'", "'@u7'", "'@sexpired'", "'@knormative'"))
    assert "'@k" not in str(selectors.public_matching(selectors.SearchParams(q="水利")).query)  # all kinds


@pytest.mark.django_db
def test_a_year_filter_finds_that_years_newest_matches_from_windows_that_end_with_the_year(monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    year_2024 = [dt.date(2024, 12, day) for day in (3, 10, 17, 24, 30)] + [dt.date(2024, 2, 1), dt.date(2026, 1, 5)]
    SearchEntry.objects.bulk_create(
        [indexing.entry(kind=Kind.BENCHMARK, object_id=i, title="湖州市河湖管理办法", published_on=day, year=2024,
                        url=f"/benchmark/{i}/") for i, day in enumerate(year_2024)]
        + [dated(100 + i, "湖州市河湖保护规定", TODAY - dt.timedelta(days=i)) for i in range(30)])
    params = selectors.SearchParams(q="河湖", year=2024)

    def newest_of_2024():
        with CaptureQueriesContext(connection) as queries:
            results, counts = selectors.search(params, kinds=(Kind.BENCHMARK,))
        return [e.object_id for e in results], [q for q in queries.captured_queries if "@n2024" in q["sql"]]

    at_once, _queries = newest_of_2024()
    monkeypatch.setattr(selectors, "first_window", lambda *stats: 31)  # a month
    in_windows, queries = newest_of_2024()

    assert at_once == in_windows == [6, 4, 3]  # published 2026-01-05, 2024-12-30, 2024-12-24
    assert len(queries) == 1  # December 2024 onwards held them: the window did not grow back from today


@pytest.mark.django_db
def test_a_kind_filter_after_a_capped_search_asks_the_index_once_and_keeps_the_counts(client, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    for i in range(4):
        normative(f"湖州市河长制管理办法{i}")
        decision(f"湖州市河长制考核决策{i}")
    indexing.index_all()
    calls = []
    real = selectors.newest_ids
    monkeypatch.setattr(selectors, "newest_ids", lambda *a, **k: calls.append(1) or real(*a, **k))

    everything, _hits = found(client, q="河长")
    filtered, hits = found(client, q="河长", kind=Kind.DECISION)

    assert len(calls) == 2  # the search of all kinds, then the decisions alone
    kinds = {k: n for k, _label, n in filtered.context["kinds"]}
    assert kinds[Kind.DECISION] == 4 and kinds[Kind.NORMATIVE] == {
        k: n for k, _label, n in everything.context["kinds"]}[Kind.NORMATIVE]
    assert {kind for kind, _pk in hits} == {Kind.DECISION}


def test_every_kind_is_either_public_or_not():
    """The public search asks "none of the non-public kinds": a new kind must be put on one side."""
    assert set(PUBLIC_KINDS) | set(NON_PUBLIC_KINDS) == set(Kind)
    assert not set(PUBLIC_KINDS) & set(NON_PUBLIC_KINDS)


@pytest.mark.django_db
def test_the_public_search_never_finds_a_generated_entry():
    SearchEntry.objects.bulk_create([dated(1, "湖州市河湖管理办法", TODAY)])
    assert benchmark_search("河湖") == ([1], 1)
    results, counts = selectors.search(selectors.SearchParams(q="河湖"))
    assert list(results) == [] and sum(counts.values()) == 0
    assert not selectors.matching("河湖").exists() and not selectors.matching("河湖", since=TODAY).exists()
