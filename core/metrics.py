"""Request metrics for Prometheus (decision record 0023): a counter and a latency histogram per
view and status. With several worker processes set ``PROMETHEUS_MULTIPROC_DIR`` (an empty folder
shared by the workers) so that ``/metrics`` adds up all of them."""
from __future__ import annotations

import time

from prometheus_client import Counter, Histogram

REQUESTS = Counter("huzhou_http_requests_total", "HTTP requests answered", ["method", "view", "status"])
LATENCY = Histogram("huzhou_http_request_seconds", "Time to answer an HTTP request", ["view"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match is not None and match.view_name else "unmatched"
        LATENCY.labels(view).observe(time.perf_counter() - start)
        REQUESTS.labels(request.method, view, str(response.status_code)).inc()
        return response
