"""The search index kept in step with what the public may see (decision record 0023).

On commit of each change of an item that may be public — a decision, a catalog item (or its
catalog: publication makes all its items public), a normative document, an enforcement
notice — its entry is written again or deleted (``indexing.reindex``, which reads the item
through the same ``public()`` querysets as the public pages). A failure is logged and left to
the periodic repair (``indexing.repair``); it never undoes the change itself."""
from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from core import pagecache
from decisions.models import Catalog, CatalogItem, Decision
from enforcement.models import PublicNotice
from normative_docs.models import NormativeDocument

from .models import Kind

logger = logging.getLogger(__name__)

KINDS = {Decision: Kind.DECISION, CatalogItem: Kind.CATALOG_ITEM, NormativeDocument: Kind.NORMATIVE,
         PublicNotice: Kind.NOTICE}


def schedule(kind: str, ids) -> None:
    """Re-index ``ids`` of ``kind`` once the current transaction commits (at once outside one)."""
    ids = list(ids)

    def run():
        from . import indexing

        try:
            indexing.reindex(kind, ids)
        except Exception:  # the repair mends it; the change itself is committed
            logger.exception("search index: re-indexing %s %s failed", kind, ids)
        pagecache.invalidate()  # after the entry changed: no cached search page holds the old one

    if ids:
        transaction.on_commit(run)


def _item_changed(sender, instance, **kwargs):
    schedule(KINDS[sender], [instance.pk])


def _catalog_changed(sender, instance, **kwargs):
    schedule(Kind.CATALOG_ITEM, CatalogItem.objects.filter(catalog_id=instance.pk).values_list("pk", flat=True))


def connect() -> None:
    for model in KINDS:
        post_save.connect(_item_changed, sender=model, dispatch_uid=f"search-sync-{model.__name__}")
        post_delete.connect(_item_changed, sender=model, dispatch_uid=f"search-sync-del-{model.__name__}")
    post_save.connect(_catalog_changed, sender=Catalog, dispatch_uid="search-sync-catalog")
