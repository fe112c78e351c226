"""Celery tasks of the shared machinery: ids in, one service call, retry policy."""
from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

RETRY = {"autoretry_for": (OperationalError, InterfaceError), "retry_backoff": 5, "retry_backoff_max": 300,
         "max_retries": 5, "retry_jitter": True}


@shared_task(**RETRY)
def audit_checkpoint_task() -> int | None:
    """Hourly (beat): sign the chain head if it moved since the last checkpoint."""
    from .checkpoints import checkpoint_create

    checkpoint = checkpoint_create()
    return checkpoint.seq if checkpoint else None


@shared_task(**RETRY)
def purge_idempotency_records_task() -> int:
    """Daily: forget Idempotency-Key answers older than a day."""
    from .idempotency import idempotency_records_purge

    return idempotency_records_purge()
