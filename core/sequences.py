"""Gap-free numbers (文号, 索引号): one counter row per key, created on first use and locked
and advanced inside the caller's transaction, so two numbers are never the same and none is
skipped when a transaction rolls back."""
from __future__ import annotations

from django.db import models


def next_in_sequence(model: type[models.Model], **key) -> int:
    """The next number of the ``model`` row (with an integer ``last``) identified by ``key``.
    The row stays locked until the caller commits. Its first creation ignores a conflict, so
    two transactions taking the year's first numbers at once both succeed, one after the other."""
    model.objects.bulk_create([model(**key)], ignore_conflicts=True)
    sequence = model.objects.select_for_update().get(**key)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last
