"""Celery task: keep the search index equal to the public items (every five minutes, beat)."""
from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import indexing

RETRY = {"autoretry_for": (OperationalError, InterfaceError), "retry_backoff": 5, "retry_backoff_max": 300,
         "max_retries": 5, "retry_jitter": True}


@shared_task(**RETRY)
def refresh_search_index() -> dict[str, int]:
    return indexing.index_all()
