"""Gap-free numbers (文号, 索引号, 审查建议编号, 案号): one counter row per key, created on first use
and locked and advanced inside the caller's transaction, so two numbers are never the same and
none is skipped when a transaction rolls back.

Each counter model is registered as an *official sequence*: audit checkpoints record the highest
number of every counter (``sequence_watermarks``), and after a restore
``reconcile_after_restore`` advances the counters past what was published (``sequence_advance``),
so a number already public is never issued again. Issuing a number signs a checkpoint right
after commit, so the published copy of the numbers is not an hour behind."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models, transaction


@dataclass(frozen=True)
class OfficialSequence:
    model: type[models.Model]
    #: attribute names that identify one counter row, e.g. ("scheme_id", "year")
    key_fields: tuple[str, ...]
    #: what people call these numbers, e.g. "文号"
    label: str
    #: (key, serial) -> the number as printed, e.g. "湖发改规〔2026〕5号"
    describe: Callable[[dict, int], str] | None = None


#: model label ("normative_docs.numbersequence") -> its description
OFFICIAL_SEQUENCES: dict[str, OfficialSequence] = {}


def register_official_sequence(model: type[models.Model], *, key_fields: tuple[str, ...], label: str,
                               describe: Callable[[dict, int], str] | None = None) -> None:
    OFFICIAL_SEQUENCES[model._meta.label_lower] = OfficialSequence(model, key_fields, label, describe)


def next_in_sequence(model: type[models.Model], **key) -> int:
    """The next number of the ``model`` row (with an integer ``last``) identified by ``key``.
    The row stays locked until the caller commits. Its first creation ignores a conflict, so
    two transactions taking the year's first numbers at once both succeed, one after the other."""
    model.objects.bulk_create([model(**key)], ignore_conflicts=True)
    sequence = model.objects.select_for_update().get(**key)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    # robust: the number is issued whatever happens; the hourly checkpoint covers a failure here
    transaction.on_commit(_checkpoint_now, robust=True)
    return sequence.last


def _checkpoint_now() -> None:
    from .checkpoints import checkpoint_create

    checkpoint_create()


def sequence_watermarks() -> dict[str, list[dict]]:
    """The last number of every counter of every official sequence (one query each)."""
    marks = {}
    for label, spec in sorted(OFFICIAL_SEQUENCES.items()):
        rows = spec.model.objects.order_by(*spec.key_fields).values(*spec.key_fields, "last")
        marks[label] = [{"key": {name: row[name] for name in spec.key_fields}, "last": row["last"]} for row in rows]
    return marks


def sequence_advance(label: str, key: dict, last: int) -> int:
    """Make the counter ``key`` of ``label`` at least ``last``; returns its value before.
    Runs in the caller's transaction."""
    spec = OFFICIAL_SEQUENCES[label]
    spec.model.objects.bulk_create([spec.model(**key)], ignore_conflicts=True)
    counter = spec.model.objects.select_for_update().get(**key)
    before = counter.last
    if before < last:
        counter.last = last
        counter.save(update_fields=["last"])
    return before
