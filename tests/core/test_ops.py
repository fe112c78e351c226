"""Several machines: /healthz and /readyz for the load balancer, /metrics for Prometheus, and a read
replica for anonymous public reads only (a second alias on the same server)."""
import datetime as dt

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import dbrouter
from decisions.workflow import DecisionStatus, Disclosure
from huzhou_rule import ops
from tests import factories


def test_healthz_answers_without_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


@pytest.mark.django_db
def test_readyz_names_what_is_not_reachable(client, monkeypatch):
    monkeypatch.setitem(ops.CHECKS, "broker", lambda: None)
    assert client.get("/readyz").json() == {"ready": True, "failed": {}}

    def down():
        raise ConnectionError

    monkeypatch.setitem(ops.CHECKS, "broker", down)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["failed"] == {"broker": "ConnectionError"}


@pytest.mark.django_db
def test_metrics_report_requests_latency_and_the_reminder_backlog(client, settings):
    client.get(reverse("public:home"))
    body = client.get("/metrics").content.decode()
    assert 'huzhou_http_requests_total{method="GET",status="200",view="public:home"}' in body
    assert "huzhou_http_request_seconds_bucket" in body
    assert "huzhou_reminders_due 0.0" in body
    settings.HUZHOU_METRICS_TOKEN = "s3cret"
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret").status_code == 200


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_anonymous_public_reads_go_to_the_replica_and_signed_in_users_stay_on_the_primary(client, settings):
    settings.HUZHOU_READ_REPLICA = True
    factories.DecisionFactory(title="湖州市公交线网优化决策", status=DecisionStatus.EXECUTING,
                              disclosure=Disclosure.PUBLIC,
                              published_at=timezone.make_aware(dt.datetime(2026, 3, 1, 9)))
    with CaptureQueriesContext(connections["replica"]) as replica, \
            CaptureQueriesContext(connections["default"]) as primary:
        response = client.get(reverse("public:decision-list"))
    assert "湖州市公交线网优化决策" in response.content.decode()
    assert len(replica) > 0 and len(primary) == 0

    client.force_login(factories.office())
    with CaptureQueriesContext(connections["replica"]) as replica:
        client.get(reverse("public:decision-list"))
    assert len(replica) == 0
    assert dbrouter.read_alias() == "default"  # outside a request
