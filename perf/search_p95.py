"""Search latency through the real view (/search/?q=…, the page cache off): each query 10 times after
a warm-up, p50/p95 per query and over all. Run from the checkout: .venv/bin/python perf/search_p95.py"""
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
from django.test import Client  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]
QUERIES = [{"q": "湖州"}, {"q": "管理"}, {"q": "营商环境"}, {"q": "养老服务"}, {"q": "太湖"}, {"q": "垃圾分类"},
           {"q": "乡村振兴"}, {"q": "茶"}, {"q": "量子计算"}, {"q": "湖政规〔2020〕12号"},
           {"q": "湖州", "kind": "decision"}, {"q": "管理", "kind": "normative"}, {"q": "交通", "year": "2024"}]
RUNS = int(os.environ.get("RUNS", "10"))


def main() -> None:
    client = Client()
    everything = []
    for params in QUERIES:
        client.get("/search/", params)
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            response = client.get("/search/", params)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        everything += times
        times.sort()
        label = "&".join(f"{k}={v}" for k, v in params.items())
        print(f"{label:<28} {len(response.content) // 1024:>4} KB  p50 {statistics.median(times):7.1f} ms  "
              f"p95 {times[int(0.95 * (len(times) - 1))]:7.1f} ms")
    everything.sort()
    print(f"SEARCH all: p50 {statistics.median(everything):.1f} ms  p95 {everything[int(0.95 * (len(everything) - 1))]:.1f} ms")


if __name__ == "__main__":
    main()
