"""What a load balancer and a monitoring system ask of each machine (decision record 0023).

``/healthz``: the process answers (no database, no cache). ``/readyz``: the database, the cache and
the Celery broker answer; 503 naming the one that does not. ``/metrics``: Prometheus text —
requests and latency (``core.metrics``), the length of each Celery queue, and the reminder backlog
(reminders due and not yet delivered, and how late the oldest is). ``/metrics`` is for the
monitoring network: set ``HUZHOU_METRICS_TOKEN`` and scrape with ``Authorization: Bearer <token>``."""
from __future__ import annotations

import hmac
import os

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import REGISTRY, GaugeMetricFamily

from deadlines.models import Reminder

#: The Celery queues whose length is reported.
QUEUES = ("celery",)


@never_cache
@login_not_required
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache() -> None:
    cache.set("readyz", "1", 5)
    if cache.get("readyz") != "1":
        raise RuntimeError("cache did not keep a value")


def _check_broker() -> None:
    from huzhou_rule.celery import app

    with app.connection_for_read() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


CHECKS = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}


@never_cache
@login_not_required
def readyz(request):
    failed = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # any failure makes the machine not ready
            failed[name] = type(error).__name__
    return JsonResponse({"ready": not failed, "failed": failed}, status=503 if failed else 200)


class BacklogCollector:
    """Queue lengths and the reminder backlog, read when Prometheus scrapes."""

    def collect(self):
        due = Reminder.objects.filter(sent_at__isnull=True, cancelled_at__isnull=True, parked_at__isnull=True,
                                      due_at__lte=timezone.now())
        oldest = due.order_by("due_at").values_list("due_at", flat=True).first()
        backlog = GaugeMetricFamily("huzhou_reminders_due", "Reminders due and not yet delivered")
        backlog.add_metric([], due.count())
        yield backlog
        lag = GaugeMetricFamily("huzhou_reminders_oldest_due_seconds", "How late the oldest due reminder is")
        lag.add_metric([], (timezone.now() - oldest).total_seconds() if oldest else 0)
        yield lag
        parked = GaugeMetricFamily("huzhou_reminders_parked", "Reminders parked after failing too often")
        parked.add_metric([], Reminder.objects.filter(parked_at__isnull=False, sent_at__isnull=True,
                                                      cancelled_at__isnull=True).count())
        yield parked
        queues = GaugeMetricFamily("huzhou_celery_queue_length", "Messages waiting in a Celery queue", labels=["queue"])
        try:
            from huzhou_rule.celery import app

            with app.connection_for_read() as conn:
                for queue in QUEUES:
                    queues.add_metric([queue], conn.default_channel.queue_declare(queue, passive=True).message_count)
        except Exception:  # the broker is down or the queue not declared yet: no sample
            pass
        yield queues


def _registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


_backlog = BacklogCollector()


@never_cache
@login_not_required
def metrics(request):
    token = getattr(settings, "HUZHOU_METRICS_TOKEN", "")
    given = request.META.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ").strip()
    if token and not hmac.compare_digest(given, token):
        return HttpResponse(status=403)
    registry = CollectorRegistry()
    registry.register(_backlog)
    body = generate_latest(_registry()) + generate_latest(registry)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
