"""Celery tasks: short sweeps over the database, safe to run twice and to kill.

Each task is idempotent (the unique keys and ``sent_at``/``status`` columns decide
what is left to do), acknowledged late and retried on database errors with
back-off; nothing is scheduled on the broker with a countdown.
"""
from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import annual, services

RETRY = {"autoretry_for": (OperationalError, InterfaceError), "retry_backoff": 5, "retry_backoff_max": 300,
         "max_retries": 5, "retry_jitter": True}


@shared_task(**RETRY)
def deliver_due_reminders() -> int:
    total = 0
    while True:
        delivered = services.reminders_deliver_due()
        total += delivered
        if delivered == 0:
            return total


@shared_task(**RETRY)
def send_outbox_email() -> dict:
    return services.outbox_send_due()


@shared_task(**RETRY)
def send_daily_digests() -> int:
    return services.digests_build()


@shared_task(**RETRY)
def daily_housekeeping() -> dict:
    return annual.run_daily()
