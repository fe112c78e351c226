"""Fill the index with generated Chinese documents (kind "benchmark"), time a fixed set of
queries and compare the hits with a plain substring scan. Not a test; the figures go in
the closing note. The rows are deleted at the end unless --keep."""
from __future__ import annotations

import random
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import Q

from search.indexing import entry
from search.models import Kind, SearchEntry
from search.selectors import matching

VOCABULARY = (
    "湖州 市场 监管 行政 处罚 决定 规范性 文件 重大 决策 公共 政策 城市 规划 交通 运输 生态 环境 保护 "
    "教育 卫生 健康 住房 保障 农业 农村 水利 工程 旅游 发展 科技 创新 人才 引进 营商 环境 优化 安全 生产 "
    "食品 药品 消防 应急 管理 财政 资金 项目 建设 土地 征收 补偿 安置 社会 稳定 风险 评估 听证 专家 论证 "
    "合法性 审查 集体 讨论 公开 征求 意见 实施 办法 若干 措施 通知 意见 规定 细则 暂行 条例 乡村 振兴 "
    "数字 经济 产业 园区 文化 体育 养老 服务 医疗 救助 垃圾 分类 污水 处理 河湖 长制 太湖 南浔 德清 长兴 安吉"
).split()
ISSUERS = ("湖政规", "湖政办规", "湖发改规", "湖市监规", "湖交规")
QUERIES = ("湖州", "环境", "太湖", "消防", "听证", "营商环境", "乡村振兴", "合法性审查", "垃圾分类", "安吉",
           "湖政规〔2025〕17号", "湖政规(2025)17号", "规", "暂行条例")


def generated(n: int, rng: random.Random):
    for i in range(1, n + 1):
        title = "湖州市" + "".join(rng.choices(VOCABULARY, k=rng.randint(3, 6)))
        body = "，".join("".join(rng.choices(VOCABULARY, k=rng.randint(4, 9))) for _ in range(rng.randint(4, 12))) + "。"
        number = f"{rng.choice(ISSUERS)}〔{rng.randint(2015, 2026)}〕{rng.randint(1, 60)}号" if i % 3 == 0 else ""
        yield entry(kind=Kind.BENCHMARK, object_id=i, title=title, number=number, body=body,
                    year=rng.randint(2015, 2026), url=f"/benchmark/{i}/")


class Command(BaseCommand):
    help = "检索性能测试：生成文档，统计 p50/p95 延迟与相对子串扫描的召回率"

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, default=20000)
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument("--keep", action="store_true")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, documents: int, repeat: int, keep: bool, seed: int, **options):
        SearchEntry.objects.filter(kind=Kind.BENCHMARK).delete()
        started = time.perf_counter()
        batch = []
        for row in generated(documents, random.Random(seed)):
            batch.append(row)
            if len(batch) == 2000:
                SearchEntry.objects.bulk_create(batch)
                batch = []
        SearchEntry.objects.bulk_create(batch)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchentry")
        self.stdout.write(f"inserted {documents} documents in {time.perf_counter() - started:.1f}s")
        try:
            self._measure(repeat)
        finally:
            if not keep:
                SearchEntry.objects.filter(kind=Kind.BENCHMARK).delete()

    def _measure(self, repeat: int) -> None:
        timings: list[float] = []
        self.stdout.write(f"{'query':<20}{'hits':>8}{'substr':>8}{'recall':>8}{'p50 ms':>9}{'p95 ms':>9}")
        recalls = []
        for q in QUERIES:
            query_times = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                # One page of results, best first, and the total: what the search page runs.
                qs = matching(q, kinds=[Kind.BENCHMARK])
                list(qs.defer("document").order_by("-rank", "-id")[:20])
                qs.count()
                query_times.append((time.perf_counter() - t0) * 1000)
            timings.extend(query_times)
            found = set(matching(q, kinds=[Kind.BENCHMARK]).values_list("object_id", flat=True))
            substring = set(SearchEntry.objects.filter(kind=Kind.BENCHMARK).filter(
                Q(title__icontains=q) | Q(body_excerpt__icontains=q) | Q(number__icontains=q)
            ).values_list("object_id", flat=True))
            recall = len(found & substring) / len(substring) if substring else 1.0
            recalls.append(recall)
            self.stdout.write(f"{q:<20}{len(found):>8}{len(substring):>8}{recall:>8.3f}"
                              f"{statistics.median(query_times):>9.1f}{_p95(query_times):>9.1f}")
        self.stdout.write(f"ALL p50 {statistics.median(timings):.1f} ms, p95 {_p95(timings):.1f} ms, "
                          f"min recall {min(recalls):.3f}")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
