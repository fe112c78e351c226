"""API writes: one transaction per request that also builds the answer, the Idempotency-Key
header, and a clean 503 (JSON, Retry-After) when the database is too slow or gone."""
from __future__ import annotations

import json
import time

import psycopg2
import pytest
import time_machine
from django.core.cache import cache
from django.db import OperationalError, connection
from django.urls import reverse
from rest_framework.throttling import AnonRateThrottle

from core.models import Attachment, IdempotencyRecord
from decisions.models import Decision
from decisions.workflow import Procedure
from tests import factories
from tests.api_support import api, assert_error


@pytest.fixture(autouse=True)
def _may_2026():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    cache.clear()


def _create_data(**overrides) -> dict:
    return {"title": "湖州市城市公共交通票价调整方案", "summary": "调整公交基础票价。", "draft_text": "第一条 ……",
            "outside_catalog_reason": "上级部署的临时性重大事项。", "category": "public_policy",
            "required_procedures": [Procedure.PUBLIC_COMMENT], **overrides}


def _post(client, data, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(reverse("decisions-api:decision-list"), data, format="json", **headers)


# ---------------------------------------------------------------- Idempotency-Key
@pytest.mark.django_db
def test_the_same_key_and_body_twice_creates_one_decision_and_answers_the_same(staff_user):
    client = api(staff_user)

    first = _post(client, _create_data(), key="create-2026-05-11-001")
    second = _post(client, _create_data(), key="create-2026-05-11-001")

    assert first.status_code == second.status_code == 201
    assert second.json()["id"] == first.json()["id"]
    assert second.content == first.content
    assert second["Idempotent-Replayed"] == "true"
    assert Decision.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_a_conflict(staff_user):
    client = api(staff_user)
    _post(client, _create_data(), key="k-1")

    response = _post(client, _create_data(title="另一个决策事项"), key="k-1")

    assert_error(response, 409, "idempotency_key_reused", "该 Idempotency-Key 已用于另一个请求，请为新的操作使用新的键。")
    assert Decision.objects.count() == 1


@pytest.mark.django_db
def test_without_a_key_every_post_is_a_new_write(staff_user):
    client = api(staff_user)
    _post(client, _create_data())
    _post(client, _create_data())
    assert Decision.objects.count() == 2


@pytest.mark.django_db
def test_keys_belong_to_their_caller(staff_user):
    colleague = factories.staff("hz-drc", username="staff_drc2")
    _post(api(staff_user), _create_data(), key="shared-key")

    response = _post(api(colleague), _create_data(), key="shared-key")

    assert response.status_code == 201
    assert Decision.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_write_does_not_use_up_its_key(staff_user):
    client = api(staff_user)

    refused = _post(client, _create_data(title=""), key="k-2")
    accepted = _post(client, _create_data(), key="k-2")

    assert refused.status_code == 400
    assert accepted.status_code == 201
    assert IdempotencyRecord.objects.get(key="k-2").status_code == 201


@pytest.mark.django_db
def test_an_action_with_the_same_key_runs_once(staff_user):
    decision = Decision.objects.get(pk=_post(api(staff_user), _create_data()).json()["id"])
    client = api(staff_user)
    url = reverse("decisions-api:decision-start-procedures", kwargs={"pk": decision.pk})

    first = client.post(url, {"note": "启动"}, format="json", HTTP_IDEMPOTENCY_KEY="start-1")
    second = client.post(url, {"note": "启动"}, format="json", HTTP_IDEMPOTENCY_KEY="start-1")

    assert first.status_code == second.status_code == 200
    assert second["Idempotent-Replayed"] == "true"
    from core.models import AuditEvent

    assert AuditEvent.objects.filter(action="start_procedures").count() == 1


@pytest.mark.django_db
def test_a_malformed_key_is_refused(staff_user):
    response = _post(api(staff_user), _create_data(), key="两个汉字")
    assert_error(response, 400, "invalid_idempotency_key", "Idempotency-Key 须为1至255个可见ASCII字符。")


@pytest.mark.django_db
def test_an_upload_with_a_key_is_replayed_too(staff_user, settings, tmp_path):
    decision = Decision.objects.get(pk=_post(api(staff_user), _create_data()).json()["id"])
    api(staff_user).post(reverse("decisions-api:decision-start-procedures", kwargs={"pk": decision.pk}),
                         {"note": ""}, format="json")
    client = api(staff_user)
    url = reverse("decisions-api:decision-procedures", kwargs={"pk": decision.pk})

    def send():
        return client.post(url, {"kind": Procedure.PUBLIC_COMMENT,
                                 "details": json.dumps(factories.PUBLIC_COMMENT_DETAILS),
                                 "files": [factories.pdf_file()]}, format="multipart", HTTP_IDEMPOTENCY_KEY="up-1")

    first, second = send(), send()

    assert first.status_code == 201, first.content.decode()
    assert second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert second.json()["id"] == first.json()["id"]
    assert Attachment.objects.count() == 1


# ---------------------------------------------------------------- the answer comes from the transaction
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failure_while_building_the_answer_rolls_the_write_back_with_a_503(staff_user, monkeypatch):
    from decisions.api import views

    def lost_connection(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views, "_decision_detail", lost_connection)

    response = _post(api(staff_user), _create_data(), key="k-3")

    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
    assert response["Retry-After"] == "30"
    assert Decision.objects.count() == 0
    assert not IdempotencyRecord.objects.exists()


# ---------------------------------------------------------------- timeouts
@pytest.fixture
def locked_decision(staff_user):
    """A decision whose row another connection holds locked (an editor's long transaction)."""
    decision = Decision.objects.get(pk=_post(api(staff_user), _create_data()).json()["id"])
    params = connection.get_connection_params()
    other = psycopg2.connect(**{k: v for k, v in params.items() if k in ("dbname", "database", "host", "port",
                                                                          "user", "password")})
    with other.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute("SELECT id FROM decisions_decision WHERE id = %s FOR UPDATE", [decision.pk])
    yield decision
    other.rollback()
    other.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_statement_past_statement_timeout_answers_503_json_with_retry_after(locked_decision, staff_user):
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = '2s'")
        cursor.execute("SET lock_timeout = 0")
    try:
        started = time.monotonic()
        response = api(staff_user).post(
            reverse("decisions-api:decision-start-procedures", kwargs={"pk": locked_decision.pk}),
            {"note": ""}, format="json")
        elapsed = time.monotonic() - started
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")
            cursor.execute("RESET lock_timeout")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "30"
    assert response.json() == {"code": "service_unavailable", "message": "数据库处理超时，操作没有完成，请稍后重试。",
                               "details": ["statement_timeout"]}
    assert 2 <= elapsed < 6


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_lock_wait_past_lock_timeout_answers_503(locked_decision, staff_user):
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '1s'")
    try:
        response = api(staff_user).post(
            reverse("decisions-api:decision-start-procedures", kwargs={"pk": locked_decision.pk}),
            {"note": ""}, format="json")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")

    assert response.status_code == 503
    assert response.json()["details"] == ["lock_timeout"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_staff_page_waiting_on_a_lock_gets_a_chinese_503_page(locked_decision, staff_user, client):
    client.force_login(staff_user)
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '1s'")
    try:
        response = client.post(reverse("decisions:start-procedures", args=[locked_decision.pk]), {"note": ""})
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "系统繁忙，请稍后重试" in response.content.decode()


@pytest.mark.django_db
def test_a_lost_connection_in_a_page_answers_the_503_page(staff_user, client, monkeypatch):
    from decisions import views

    def gone(*args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(views.selectors, "decision_list_for_user", gone)
    client.force_login(staff_user)

    response = client.get(reverse("decisions:list"))

    assert response.status_code == 503
    assert "数据库暂时不可用或响应超时" in response.content.decode()


@pytest.mark.django_db
def test_the_application_connections_carry_the_configured_timeouts(settings):
    from django.db import connections

    fresh = connections.create_connection("default")
    try:
        with fresh.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            statement = cursor.fetchone()[0]
            cursor.execute("SHOW lock_timeout")
            lock = cursor.fetchone()[0]
    finally:
        fresh.close()
    assert (statement, lock) == ("30s", "10s")
    assert settings.DATABASES["default"]["OPTIONS"]["options"] == "-c statement_timeout=30000 -c lock_timeout=10000"


# ---------------------------------------------------------------- rate limits
@pytest.mark.django_db
def test_logging_in_and_public_reads_are_limited_separately(staff_user, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "100/min", "public": "3/min", "login": "2/min"})
    client = api()
    token = reverse("core-api:token")
    logins = [client.post(token, {"username": "staff_drc", "password": "wrong"}, format="json").status_code
              for _n in range(3)]
    reads = [client.get(reverse("decisions-api:public-catalog-years")).status_code for _n in range(4)]

    assert logins == [400, 400, 429]
    assert reads == [200, 200, 200, 429]


@pytest.mark.django_db
def test_answers_older_than_a_day_are_forgotten(staff_user):
    from core.idempotency import idempotency_records_purge

    _post(api(staff_user), _create_data(), key="old-key")
    with time_machine.travel("2026-05-12 10:01 +0800", tick=False):
        assert idempotency_records_purge() == 1
        response = _post(api(staff_user), _create_data(), key="old-key")
    assert "Idempotent-Replayed" not in response
    assert Decision.objects.count() == 2
