"""Celery task: repair the search index's drift from the public items in bounded batches (every
five minutes, beat; the index is kept in step on commit by ``search.sync``)."""
from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import indexing

RETRY = {"autoretry_for": (OperationalError, InterfaceError), "retry_backoff": 5, "retry_backoff_max": 300,
         "max_retries": 5, "retry_jitter": True}


@shared_task(**RETRY)
def refresh_search_index() -> dict[str, int]:
    return indexing.repair()
