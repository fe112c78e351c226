"""The append-only, hash-chained audit trail (决策过程记录).

Rows are written in the business transaction by ``record_event``. Writers are
serialised by a transaction-level advisory lock so that ``seq`` is gap-free and
each row can carry the hash of the one before it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from .middleware import current_request_id
from .models import AuditEvent

GENESIS_HASH = "0" * 64
_AUDIT_LOCK_KEY = 7_130_2019  # any constant; shared by every writer of the chain

HASHED_FIELDS = (
    "seq", "occurred_at", "actor_id", "actor_username", "actor_name", "actor_roles", "actor_department",
    "event_type", "object_type", "object_id", "object_label", "action", "action_label",
    "source_state", "target_state", "reason", "details", "request_id",
)


def canonical_row(row: dict) -> bytes:
    values = {}
    for name in HASHED_FIELDS:
        value = row[name]
        if name == "occurred_at":
            value = value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        values[name] = value
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def compute_hash(prev_hash: str, row: dict) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical_row(row)).hexdigest()


def _object_ref(obj) -> tuple[str, str, str]:
    return obj._meta.label_lower, str(obj.pk), str(obj)[:300]


def record_event(
    *,
    actor,
    event_type: str,
    obj,
    action: str,
    action_label: str = "",
    source_state: str = "",
    target_state: str = "",
    reason: str = "",
    details: dict | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the transaction of the change it records."""
    if not connection.in_atomic_block:
        raise RuntimeError("record_event must run inside the business transaction")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_AUDIT_LOCK_KEY])
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "row_hash").first()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    object_type, object_id, object_label = _object_ref(obj)
    department = getattr(actor, "department", None) if actor is not None else None
    row = {
        "seq": seq,
        "occurred_at": timezone.now(),
        "actor_id": actor.pk if actor is not None else None,
        "actor_username": actor.get_username() if actor is not None else "system",
        "actor_name": getattr(actor, "full_name", "") if actor is not None else "系统",
        "actor_roles": ",".join(getattr(actor, "roles", []) or []) if actor is not None else "",
        "actor_department": department.name if department is not None else "",
        "event_type": event_type,
        "object_type": object_type,
        "object_id": object_id,
        "object_label": object_label,
        "action": action,
        "action_label": str(action_label),
        "source_state": source_state or "",
        "target_state": target_state or "",
        "reason": reason or "",
        "details": json.loads(json.dumps(details or {}, ensure_ascii=False, default=str)),
        "request_id": current_request_id.get(),
    }
    row_hash = compute_hash(prev_hash, row)
    return AuditEvent.objects.create(prev_hash=prev_hash, row_hash=row_hash, **row)


#: Choice classes whose labels name the lifecycle states recorded in audit rows, registered by the
#: lifecycles (``register_state_choices``); the first that knows a code names it.
STATE_CHOICES: list = []


def register_state_choices(*choices) -> None:
    STATE_CHOICES.extend(choices)


def state_label(value: str) -> str:
    """The label of a lifecycle state code recorded in the audit trail ("—" when blank)."""
    for choices in STATE_CHOICES:
        if value in choices.values:
            return str(choices(value).label)
    return value or "—"


def record_transition(*, obj, action: str, action_label: str, source: str, target: str, actor, reason: str = "",
                      details: dict | None = None) -> AuditEvent:
    return record_event(actor=actor, event_type="transition", obj=obj, action=action, action_label=action_label,
                        source_state=source, target_state=target, reason=reason, details=details)


@dataclass
class ChainProblem:
    seq: int
    problem: str


def verify_chain(batch_size: int = 2000) -> tuple[int, ChainProblem | None]:
    """Recompute the chain in seq order. Returns (rows checked, first problem)."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    fields = list(HASHED_FIELDS) + ["prev_hash", "row_hash"]
    with transaction.atomic():
        rows: Iterator[dict] = AuditEvent.objects.order_by("seq").values(*fields).iterator(chunk_size=batch_size)
        for row in rows:
            if row["seq"] != expected_seq:
                return checked, ChainProblem(expected_seq, f"缺少序号 {expected_seq}（下一行为 {row['seq']}）")
            if row["prev_hash"] != expected_prev:
                return checked, ChainProblem(row["seq"], "前一行哈希不匹配（行被删除、插入或重排）")
            if compute_hash(expected_prev, row) != row["row_hash"]:
                return checked, ChainProblem(row["seq"], "内容哈希不匹配（行被篡改）")
            expected_prev = row["row_hash"]
            expected_seq += 1
            checked += 1
    return checked, None
