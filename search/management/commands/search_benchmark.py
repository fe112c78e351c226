"""Fill the index with generated Chinese government documents (kind "benchmark", never
public), time the queries the search page runs and compare the hits with a plain substring
scan. Not a test; the figures go in docs/decisions/0015-search-performance.md.

The rows are written with COPY in batches, vectors built by the same code as the real index
(``search.indexing.entry``'s ``tsvector_literal``). On a table holding no other entries the
GIN and recency indexes are dropped for the load and built afterwards (timed). Run it on a
database of its own: ``DATABASE_URL=…/huzhou_bench manage.py search_benchmark --documents 1000000``.
The rows are deleted at the end unless --keep."""
from __future__ import annotations

import bisect
import datetime as dt
import io
import itertools
import random
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Q

from core.workdays import local_today
from normative_docs.workflow import normalize_number, number_query
from search import selectors
from search.models import Kind, SearchEntry
from search.selectors import SearchParams
from search.text import filter_lexemes, search_text, tsvector_literal

#: Words of government texts, most frequent first (drawn with Zipf weights 1/rank), so that a
#: query can be common (in most documents), middling or rare.
VOCABULARY = (
    "管理 工作 建设 发展 服务 实施 部门 单位 规定 有关 加强 推进 机制 体系 制度 环境 政策 项目 资金 监督 "
    "保障 安全 社会 经济 市场 公共 企业 城市 标准 责任 组织 落实 完善 规范 提升 优化 创新 生态 改革 数字 "
    "产业 农村 交通 教育 卫生 健康 文化 住房 行政 执法 处罚 许可 审批 备案 审查 评估 公开 信息 平台 考核 "
    "财政 补助 土地 规划 水利 工程 农业 旅游 科技 人才 营商 养老 医疗 救助 应急 消防 食品 药品 质量 风险 "
    "合法性 公平竞争 征求 意见 听证 专家 论证 集体 讨论 决策 程序 条例 细则 暂行 试行 通知 决定 办法 措施 "
    "乡村 振兴 共同 富裕 示范 区域 协调 绿色 低碳 节能 减排 河湖 长制 太湖 治理 污水 垃圾 分类 处理 "
    "征收 补偿 安置 房屋 物业 社区 街道 乡镇 村级 集体经济 合作社 家庭 农场 粮食 生猪 渔业 林业 竹林 茶叶 "
    "白茶 湖笔 丝绸 南浔 古镇 德清 长兴 安吉 吴兴 南太湖 新区 开发区 高新区 园区 招商 引资 外贸 跨境 电商 物流 "
    "港口 航道 铁路 公路 桥梁 隧道 停车 公交 出租 网约车 充电 燃气 供水 排水 电力 通信 网络 数据 算力 人工智能 "
    "未来社区 未来乡村 老旧小区 改造 加装 电梯 学前 教育 托育 义务 教育 职业 技能 培训 就业 创业 社保 医保 "
    "退役军人 残疾人 未成年人 妇女 儿童 老年人 慈善 志愿 文明 城市 历史 文化 名城 非遗 博物馆 图书馆 体育 场馆 "
    "野生动物 古树 名木 湿地 自然保护地 矿产 资源 地质 灾害 气象 防汛 抗旱 地震 人防 国防 动员 保密 档案"
).split()
CLAUSES = (
    "为进一步{0}{1}，根据有关法律法规，结合本市实际，制定本{d}",
    "本{d}适用于本市行政区域内的{0}{1}活动",
    "市{0}部门负责{1}{2}的统一监督管理工作",
    "各区县人民政府应当加强对{0}{1}工作的领导，建立健全{2}{3}机制",
    "{0}{1}应当遵循{2}、{3}的原则",
    "鼓励社会力量参与{0}{1}，推动{2}{3}高质量发展",
    "对违反本{d}规定的，由{0}部门依法予以处罚",
    "{0}{1}{2}所需经费纳入同级财政预算",
    "本{d}自发布之日起施行，有效期五年",
    "重大行政决策应当经合法性审查和集体讨论决定，涉及{0}{1}的应当组织听证",
    "全面推进乡村振兴，促进{0}{1}与{2}{3}协调发展",
    "加快生活垃圾分类处理设施建设，提升{0}{1}水平",
    "持续优化营商环境，深化{0}{1}改革",
)
FORMS = ("办法", "规定", "实施细则", "若干措施", "实施意见", "暂行规定", "通知")
ISSUERS = ("湖政规", "湖政办规", "湖发改规", "湖市监规", "湖交规")
START = 2015
#: (class, query): what the page is asked, by how common the term is.
QUERIES = (
    ("common", "湖州"), ("common", "管理"), ("common", "环境"), ("common", "城市"),
    ("middling", "听证"), ("middling", "消防"), ("middling", "太湖"), ("middling", "桥梁"),
    ("rare", "湖笔"), ("rare", "保密"), ("rare", "古树"), ("rare", "档案"),
    ("long", "营商环境"), ("long", "乡村振兴"), ("long", "合法性审查"), ("long", "垃圾分类处理"),
    ("long", "集体讨论决定"), ("long", "未来乡村"),
    ("one-char", "规"), ("one-char", "桥"), ("one-char", "茶"),
    ("number", "湖政规〔2025〕17号"), ("number", "湖政规[2025]17号"), ("number", "湖政规(2025)17号"),
    ("absent", "量子计算"),
)
COLUMNS = ("kind", "object_id", "title", "number", "number_normalized", "department_name", "year", "status",
           "status_label", "published_on", "url", "body_excerpt", "content", "document", "indexed_at")
LOAD_INDEXES = ("search_entry_document_gin", "search_entry_recent_idx")
BATCH = 20000


class Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.cumulative = list(itertools.accumulate(1 / rank for rank in range(1, len(VOCABULARY) + 1)))
        self.first_day = dt.date(START, 1, 1)
        self.days = (local_today() - self.first_day).days + 1

    def words(self, k: int) -> list[str]:
        total, rng = self.cumulative[-1], self.rng.random
        return [VOCABULARY[bisect.bisect(self.cumulative, rng() * total)] for _ in range(k)]

    def document(self, i: int) -> dict:
        rng = self.rng
        form = rng.choice(FORMS)
        title = "湖州市" + "".join(self.words(rng.randint(2, 4))) + form
        clauses = []
        for n in range(rng.randint(4, 12)):
            clause = rng.choice(CLAUSES).format(*self.words(4), d=form)
            clauses.append(f"第{n + 1}条　{clause}。")
        body = "\n".join(clauses)
        published_on = self.first_day + dt.timedelta(days=rng.randrange(self.days))  # never ahead of today
        number = f"{rng.choice(ISSUERS)}〔{published_on.year}〕{rng.randint(1, 60)}号" if i % 3 == 0 else ""
        return {"title": title, "number": number, "body": body, "year": published_on.year,
                "published_on": published_on}


def _copy_value(value) -> str:
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _row(i: int, doc: dict, now: str) -> str:
    values = (Kind.BENCHMARK.value, i, doc["title"], doc["number"], normalize_number(doc["number"]), "",
              doc["year"], "", "", doc["published_on"], f"/benchmark/{i}/", doc["body"][:1000],
              search_text(doc["title"], doc["number"], doc["body"]),
              tsvector_literal((doc["title"], "A"), (doc["number"], "A"), (doc["body"], "B"),
                               published_on=doc["published_on"],
                               filters=filter_lexemes(kind=Kind.BENCHMARK.value, year=doc["year"])), now)
    return "\t".join(_copy_value(v) for v in values) + "\n"


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


class Command(BaseCommand):
    help = "检索性能测试：生成文档，统计各类查询的 p50/p95 延迟与相对子串扫描的召回率"

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, default=20000)
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument("--keep", action="store_true", help="keep the generated rows")
        parser.add_argument("--reuse", action="store_true", help="measure the rows kept by an earlier --keep run")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, documents: int, repeat: int, keep: bool, reuse: bool, seed: int, **options):
        if not reuse:
            SearchEntry.objects.filter(kind=Kind.BENCHMARK).delete()
            self._load(documents, seed)
        try:
            self._sizes()
            self._measure(repeat)
        finally:
            if not keep:
                SearchEntry.objects.filter(kind=Kind.BENCHMARK).delete()

    # ---------------------------------------------------------------- load
    def _load(self, documents: int, seed: int) -> None:
        alone = not SearchEntry.objects.exists()  # only then are the indexes dropped for the load
        with connection.cursor() as cursor:
            if alone:
                definitions = self._drop_indexes(cursor)
            started = time.perf_counter()
            generator, now = Generator(seed), "2026-01-01 00:00:00+00"
            cols = ", ".join(COLUMNS)
            for first in range(1, documents + 1, BATCH):
                buffer = io.StringIO()
                buffer.writelines(_row(i, generator.document(i), now)
                                  for i in range(first, min(first + BATCH, documents + 1)))
                buffer.seek(0)
                with transaction.atomic():
                    cursor.copy_expert(f"COPY search_searchentry ({cols}) FROM STDIN", buffer)
            self.stdout.write(f"COPY of {documents} documents: {time.perf_counter() - started:.1f} s")
            if alone:
                cursor.execute("SET maintenance_work_mem = '1GB'")
                for name, definition in definitions:
                    started = time.perf_counter()
                    cursor.execute(definition)
                    self.stdout.write(f"CREATE INDEX {name}: {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            cursor.execute("VACUUM ANALYZE search_searchentry")
            self.stdout.write(f"VACUUM ANALYZE: {time.perf_counter() - started:.1f} s")

    def _drop_indexes(self, cursor) -> list[tuple[str, str]]:
        """Drop the GIN and recency indexes; returns their definitions (from the model, so that
        an interrupted earlier load that left them dropped is repaired)."""
        with connection.schema_editor(atomic=False) as editor:
            definitions = [(index.name, str(index.create_sql(SearchEntry, editor)))
                           for index in SearchEntry._meta.indexes if index.name in LOAD_INDEXES]
        for name, _definition in definitions:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        return definitions

    def _sizes(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_searchentry")
            rows = cursor.fetchone()[0]
            cursor.execute("SELECT pg_size_pretty(pg_table_size('search_searchentry')), "
                           "pg_size_pretty(pg_indexes_size('search_searchentry'))")
            table, indexes = cursor.fetchone()
            cursor.execute("SELECT indexname, pg_size_pretty(pg_relation_size(indexname::regclass)) "
                           "FROM pg_indexes WHERE tablename = 'search_searchentry' ORDER BY 1")
            each = ", ".join(f"{name} {size}" for name, size in cursor.fetchall())
        self.stdout.write(f"{rows} entries; table {table}, indexes {indexes} ({each})")

    # ---------------------------------------------------------------- measure
    def _page(self, q: str, page: int = 1) -> tuple[list, dict]:
        """What the search page runs: the capped counts, then one page of results."""
        results, counts = selectors.search(SearchParams(q=q), kinds=(Kind.BENCHMARK,))
        start = (page - 1) * 20
        return list(results[start:start + 20]), counts

    def _truth(self, q: str) -> set[int]:
        """The plain substring scan (lower case) over the stored text; for a 文号, the entries
        with that number in any bracket style."""
        number = number_query(q)
        condition = number.condition() if number is not None else Q(content__contains=q.lower())
        return set(SearchEntry.objects.filter(condition, kind=Kind.BENCHMARK).values_list("object_id", flat=True))

    def _measure(self, repeat: int) -> None:
        by_class: dict[str, list[float]] = {}
        everything: list[float] = []
        recalls, extras = [], 0
        self.stdout.write(f"{'class':<10}{'query':<16}{'hits':>9}{'substr':>9}{'recall':>8}{'extra':>7}"
                          f"{'count':>7}{'p50 ms':>9}{'p95 ms':>9}")
        cases = [(cls, q, 1) for cls, q in QUERIES] + [("deep page", "湖州", 50), ("deep page", "听证", 50)]
        for cls, q, page in cases:
            self._page(q, page)  # warm
            times = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                _rows, counts = self._page(q, page)
                times.append((time.perf_counter() - t0) * 1000)
            by_class.setdefault(cls, []).extend(times)
            everything.extend(times)
            label = q if page == 1 else f"{q} p.{page}"
            count = counts[Kind.BENCHMARK.value]
            shown = f"{selectors.COUNT_CAP}+" if count > selectors.COUNT_CAP else str(count)
            if page == 1:
                found = set(selectors.matching(q, kinds=[Kind.BENCHMARK]).values_list("object_id", flat=True))
                truth = self._truth(q)
                recall = len(found & truth) / len(truth) if truth else 1.0
                recalls.append(recall)
                extras += len(found - truth)
                self.stdout.write(f"{cls:<10}{label:<16}{len(found):>9}{len(truth):>9}{recall:>8.3f}"
                                  f"{len(found - truth):>7}{shown:>7}{statistics.median(times):>9.1f}"
                                  f"{_p95(times):>9.1f}")
            else:
                self.stdout.write(f"{cls:<10}{label:<16}{'':>9}{'':>9}{'':>8}{'':>7}{shown:>7}"
                                  f"{statistics.median(times):>9.1f}{_p95(times):>9.1f}")
        for cls, times in by_class.items():
            self.stdout.write(f"class {cls:<10} p50 {statistics.median(times):6.1f} ms  p95 {_p95(times):6.1f} ms")
        self.stdout.write(f"ALL p50 {statistics.median(everything):.1f} ms, p95 {_p95(everything):.1f} ms, "
                          f"min recall {min(recalls):.3f}, results not in the substring scan {extras}")
