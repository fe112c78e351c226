"""A real Celery worker (a subprocess, prefork) against a real broker.

The broker:
- REDIS_URL set (CI): a private redis-server on a free port, so a test may stop and
  start it without touching the machine's Redis; when /usr/bin/redis-server is
  missing, the shared REDIS_URL itself (on a queue of its own), and the outage
  test is skipped;
- REDIS_URL unset (a developer's machine): kombu's filesystem transport in a
  temporary folder, the default broker of the portal; the outage test is skipped.

The worker reads the test database through its own connections, so these tests
commit their data (``transactional_db``) and poll the database for the outcome.
"""
from __future__ import annotations

import contextlib
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import kombu
import kombu.pools
import pytest

from .processes import (
    REDIS_SERVER,
    RedisServer,
    Worker,
    database_url,
    redis_forget,
    wait_until,
)

WORKER_SESSIONS = "huzhou-integration-worker"


@dataclass
class Broker:
    kind: str
    url: str
    transport_options: dict
    worker_env: dict
    queue: str = "celery"
    #: A private redis-server the test may stop and start; None for a shared or filesystem broker.
    server: RedisServer | None = None
    why_no_outage: str = ""
    #: Names of the workers started on it (to clean a shared Redis afterwards).
    worker_names: list[str] = field(default_factory=list)


def filesystem_options(folder: Path) -> dict:
    """What huzhou_rule.settings computes for CELERY_BROKER_FOLDER=folder."""
    return {"data_folder_in": str(folder / "out"), "data_folder_out": str(folder / "out"),
            "processed_folder": str(folder / "processed"), "control_folder": str(folder / "control"),
            "store_processed": False}


@pytest.fixture
def broker(tmp_path):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        folder = tmp_path / "broker"
        for name in ("out", "processed", "control"):
            (folder / name).mkdir(parents=True)
        yield Broker(kind="filesystem", url="filesystem://", transport_options=filesystem_options(folder),
                     worker_env={"CELERY_BROKER_URL": "filesystem://", "CELERY_BROKER_FOLDER": str(folder)},
                     why_no_outage="REDIS_URL is not set: the tests run on the filesystem broker, "
                                   "which has no server to stop (CI sets REDIS_URL)")
        return
    if not REDIS_SERVER.exists():
        shared = Broker(kind="redis (shared)", url=redis_url, transport_options={"visibility_timeout": 3600},
                        worker_env={"CELERY_BROKER_URL": redis_url}, queue=f"integration-{uuid.uuid4().hex[:12]}",
                        why_no_outage=f"{REDIS_SERVER} is missing: the tests use the shared REDIS_URL, "
                                      "which must not be stopped")
        yield shared
        redis_forget(redis_url, queue=shared.queue, worker_names=shared.worker_names)
        return
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield Broker(kind="redis (private)", url=server.url, transport_options={"visibility_timeout": 3600},
                     worker_env={"CELERY_BROKER_URL": server.url}, server=server)
    finally:
        server.stop()


def _drop_connections(app) -> None:
    """Close this process's broker connections, so the next send connects afresh."""
    kombu.pools.reset()  # the pools are registered globally, by broker address
    app._pool = None
    with contextlib.suppress(AttributeError, KeyError):
        app.__dict__["amqp"]._producer_pool = None


@pytest.fixture
def celery_app(broker, monkeypatch):
    """This process's Celery app, pointed at the broker under test (for ``delay()``
    from the test and for anything a request might try to send)."""
    from huzhou_rule.celery import app

    # Celery reads these variables before its configuration (CI sets CELERY_BROKER_URL).
    monkeypatch.setenv("CELERY_BROKER_URL", broker.url)
    monkeypatch.delenv("CELERY_BROKER_READ_URL", raising=False)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    saved = {key: app.conf[key] for key in ("broker_url", "broker_transport_options")}
    _drop_connections(app)
    app.conf.update(broker_url=broker.url, broker_transport_options=broker.transport_options)
    with app.connection_for_write() as connection:  # never send to another broker (a shared one)
        assert connection.as_uri() == kombu.Connection(broker.url).as_uri(), connection.as_uri()
    yield app
    _drop_connections(app)
    app.conf.update(saved)


@pytest.fixture
def send(broker, celery_app):
    """Send a task as the beat would; returns the task id."""
    def send(task) -> str:
        return task.apply_async(queue=broker.queue).id

    return send


@pytest.fixture
def start_worker(transactional_db, broker, tmp_path):
    """Start a worker on the test database and the broker; wait until it is ready.
    Every worker started is killed with its process group at teardown."""
    from django.db import connection

    env = {**os.environ, "DATABASE_URL": database_url(connection.settings_dict, application_name=WORKER_SESSIONS),
           "DJANGO_SETTINGS_MODULE": "huzhou_rule.settings.test", "PYTHONUNBUFFERED": "1"}
    env.pop("CELERY_BROKER_FOLDER", None)
    env.update(broker.worker_env)
    started: list[Worker] = []

    def start() -> Worker:
        worker = Worker(env=env, queue=broker.queue, log_path=tmp_path / f"worker-{len(started) + 1}.log")
        started.append(worker)
        broker.worker_names.append(worker.name)
        worker.wait_ready()
        return worker

    yield start
    errors = []
    for worker in started:
        try:
            worker.kill()
        except Exception as error:
            errors.append(error)
        print(f"--- {worker.log_path.name} (last lines) ---\n{worker.log()[-3000:]}")
    if errors:
        raise errors[0]
    # PostgreSQL ends a killed worker's sessions (rolling back what was in flight) before
    # the test's flush and the final DROP DATABASE.
    wait_until(lambda: not _worker_sessions(connection), timeout=10, interval=0.05,
               what="the killed workers' database sessions to end")


def _worker_sessions(connection) -> list:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid, state FROM pg_stat_activity WHERE datname = current_database() "
                       "AND application_name = %s", [WORKER_SESSIONS])
        return cursor.fetchall()
