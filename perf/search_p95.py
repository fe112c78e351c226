"""Search latency through the real view (/search/?q=…, the page cache off): each query RUNS times after a
warm-up, p50/p95/p99 per query and over all, with the load average when the run started and ended.
Queries: the common terms 湖州 and 管理, the phrase 营商环境 and the one character 茶, each alone and with a
year filter (YEAR), a department filter (the department with the most entries unless DEPARTMENT is set) and
a kind filter (KIND); then a few others. SQL=1 prints each query's statements and their times (one run).
Run from the checkout: .venv/bin/python perf/search_p95.py"""
from __future__ import annotations

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huzhou_rule.settings")
os.environ["HUZHOU_PAGE_CACHE"] = "0"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]
RUNS = int(os.environ.get("RUNS", "20"))
TERMS = ["湖州", "管理", "营商环境", "茶"]
OTHERS = [{"q": "养老服务"}, {"q": "太湖"}, {"q": "乡村振兴"}, {"q": "量子计算"}, {"q": "湖政规〔2020〕12号"}]


def department() -> str:
    if os.environ.get("DEPARTMENT"):
        return os.environ["DEPARTMENT"]
    with connection.cursor() as cursor:  # the department with the most entries (once, before the timings)
        cursor.execute("SELECT department_id FROM search_searchentry WHERE department_id IS NOT NULL "
                       "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
        row = cursor.fetchone()
    return str(row[0]) if row else "1"


def queries() -> list[dict]:
    filters = [{}, {"year": os.environ.get("YEAR", "2024")}, {"department": department()},
               {"kind": os.environ.get("KIND", "normative")}]
    return [{"q": term, **extra} for term in TERMS for extra in filters] + OTHERS


def percentile(times: list[float], share: float) -> float:
    return times[min(len(times) - 1, round(share * (len(times) - 1)))]


def main() -> None:
    client = Client()
    everything = []
    load = os.getloadavg()
    for params in queries():
        label = "&".join(f"{k}={v}" for k, v in params.items())
        client.get("/search/", params)
        if os.environ.get("SQL"):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                client.get("/search/", params)
                total = (time.perf_counter() - start) * 1000
            print(f"{label}: {total:.1f} ms, {len(captured.captured_queries)} queries")
            for query in captured.captured_queries:
                print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
            continue
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            response = client.get("/search/", params)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        everything += times
        times.sort()
        print(f"{label:<32} {len(response.content) // 1024:>4} KB  p50 {statistics.median(times):7.1f}  "
              f"p95 {percentile(times, 0.95):7.1f}  p99 {percentile(times, 0.99):7.1f} ms")
    if everything:
        everything.sort()
        print(f"SEARCH all: p50 {statistics.median(everything):.1f} ms  p95 {percentile(everything, 0.95):.1f} ms  "
              f"p99 {percentile(everything, 0.99):.1f} ms  (load average {load[0]:.2f} at the start, "
              f"{os.getloadavg()[0]:.2f} at the end)")


if __name__ == "__main__":
    main()
